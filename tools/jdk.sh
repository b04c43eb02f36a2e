# Sourced by ./build.sh and ./tfree4j: exports JAVA_HOME pointing at a JDK >= 22.
# Order: $JAVA_HOME if new enough, then `java` on the PATH, then /usr/lib/jvm/* (newest first).
tfree4j_jdk_major() {  # prints the feature version of the JDK at $1
  local release="$1/release"
  [[ -f $release && -x $1/bin/javac ]] || { echo 0; return; }
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n1
}
tfree4j_find_jdk() {
  local candidates=() d
  [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for d in $(ls -d /usr/lib/jvm/*/ /opt/java/*/ "$HOME"/.sdkman/candidates/java/*/ 2>/dev/null | sort -rV); do
    candidates+=("${d%/}")
  done
  for d in "${candidates[@]}"; do
    if (( $(tfree4j_jdk_major "$d") >= 22 )); then echo "$d"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(tfree4j_find_jdk); then
  echo "tfree4j: no JDK >= 22 found. Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
