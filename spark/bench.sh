#!/usr/bin/env bash
# Spark's overhead against one JVM, and the job's time over partitions and batch sizes
# (dev.tfree4j.spark.SparkBenchmark; BENCHMARKS.md, "Spark"). Args: [ROWS=10000] [MAX_WORDS=4] [REPEATS=2].
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/jdk.sh
cp=spark/target/bench-classpath.txt
./build.sh mvn -o -q test-compile dependency:build-classpath -pl spark -am -Dctest.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp" >/dev/null
uptime
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Dtfree4j.root="$PWD" -Dlog4j2.configurationFile=spark/src/test/resources/log4j2-test.properties \
  -cp "spark/target/test-classes:spark/target/classes:$(cat "$cp")" dev.tfree4j.spark.SparkBenchmark "$@"
