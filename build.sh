#!/usr/bin/env bash
# Builds and tests tfree4j with a JDK >= 22, found automatically.
#   ./build.sh test      native build + ctest + every Java test (the README's test command)
#   ./build.sh package   build everything, skip tests (what ./tfree4j runs when jars are missing)
#   ./build.sh bench [JMH ARGS]  build the JMH benchmarks (profile bench, jmh/) and run them
#   ./build.sh mvn ARGS  any Maven command with the right JDK
#   ./build.sh sanitize  native library + ctest under AddressSanitizer/UBSan (CMake preset asan-ubsan)
#   ./build.sh fuzz ...  the long fuzzing run (tools/fuzz.sh); ./build.sh soak ... the leak soak (tools/soak.sh)
set -euo pipefail
cd "$(dirname "$0")"
source tools/jdk.sh

# Maven 3.8 uses sun.misc.Unsafe through Guava; JDK 24+ warns about it on every run.
if [[ $("$JAVA_HOME/bin/java" -XX:+IgnoreUnrecognizedVMOptions --sun-misc-unsafe-memory-access=allow -version 2>&1) != *Unrecognized* ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
MVN=(mvn -B -ntp)
case "${1:-test}" in
  test)    shift || true; exec "${MVN[@]}" install "$@" ;;
  package) shift; exec "${MVN[@]}" -q install -DskipTests "$@" ;;
  bench)   shift; "${MVN[@]}" -q -Pbench install -DskipTests -pl jmh -am
           exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar jmh/target/tfree4j-jmh.jar "$@" ;;
  mvn)     shift; exec "${MVN[@]}" "$@" ;;
  sanitize) cmake --preset asan-ubsan && cmake --build --preset asan-ubsan && exec ctest --preset asan-ubsan ;;
  fuzz)    shift; exec tools/fuzz.sh "$@" ;;
  soak)    shift; exec tools/soak.sh "$@" ;;
  *) echo "usage: ./build.sh [test|package|bench [JMH ARGS]|mvn ARGS...|sanitize|fuzz [SECONDS]|soak [CYCLES]]" >&2; exit 2 ;;
esac
