#!/usr/bin/env bash
# Regenerates the Java bindings (bindings/src/main/java/dev/tfree4j/bindings/) from
# native/include/tfree4j.h. Commit the result: BindingsUpToDateTest fails while they disagree.
#
# Uses jextract when it is on the PATH, else bindings/generator/BindingsGenerator.java (our
# small generator for the header's C subset, same package, class names and API shape).
#   TFREE4J_BINDGEN=generator bindings/regenerate.sh   force our generator
#   TFREE4J_BINDGEN=jextract  bindings/regenerate.sh   require jextract
# The textual up-to-date check compares against our generator's output, so it is skipped for
# jextract-made sources; the structural check (API and struct layouts by reflection) applies to both.
set -euo pipefail
cd "$(dirname "$0")/.."

HEADER=native/include/tfree4j.h
SRC=bindings/src/main/java
PKG=dev.tfree4j.bindings
PKG_DIR=$SRC/${PKG//.//}
MODE=${TFREE4J_BINDGEN:-auto}

if [[ $MODE == jextract || ( $MODE == auto && -n $(command -v jextract || true) ) ]]; then
  command -v jextract >/dev/null || { echo "TFREE4J_BINDGEN=jextract but jextract is not on the PATH" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # Only what tfree4j.h itself declares (not <stdint.h>'s typedefs and macros).
  jextract --dump-includes "$tmp/all.txt" "$HEADER"
  grep -E -- "--include-(function|struct|constant|typedef|union|var) .*tfree4j\.h" "$tmp/all.txt" > "$tmp/includes.txt"
  # Remove the previous generated sources; NativeLibrary.java is hand-written and stays.
  find "$PKG_DIR" -maxdepth 1 -name '*.java' ! -name NativeLibrary.java -delete 2>/dev/null || true
  jextract @"$tmp/includes.txt" \
    --output "$SRC" \
    --target-package "$PKG" \
    --header-class-name tfree4j_h \
    --library tfree4j \
    "$HEADER"
  # Load the library the way the rest of tfree4j does (tfree4j.library.path, TFREE4J_LIBRARY_PATH,
  # then the tfree4j-native jar), not through System.mapLibraryName / java.library.path.
  perl -0pi -e 's/(static final SymbolLookup SYMBOL_LOOKUP\s*=\s*).*?;/$1NativeLibrary.lookup();/s' "$PKG_DIR/tfree4j_h.java"
  grep -q 'SYMBOL_LOOKUP = NativeLibrary.lookup();' "$PKG_DIR/tfree4j_h.java" \
    || { echo "regenerate.sh: could not point jextract's SYMBOL_LOOKUP at NativeLibrary.lookup()" >&2; exit 1; }
  echo "generated with $(command -v jextract) into $PKG_DIR"
else
  source tools/jdk.sh
  java bindings/generator/BindingsGenerator.java "$HEADER" "$SRC" "$PKG"
fi
