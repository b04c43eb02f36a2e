#!/usr/bin/env bash
# Builds and tests tfree4j with a JDK >= 22, found automatically.
#   ./build.sh test      native build + ctest + every Java test (the README's test command)
#   ./build.sh package   build everything, skip tests (what ./tfree4j runs when jars are missing)
#   ./build.sh bench [JMH ARGS]  build the JMH benchmarks (profile bench, jmh/) and run them
#   ./build.sh mvn ARGS  any Maven command with the right JDK
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
  *) echo "usage: ./build.sh [test|package|bench [JMH ARGS]|mvn ARGS...]" >&2; exit 2 ;;
esac
