#!/usr/bin/env bash
# The long leak and concurrency runs (./build.sh test runs short versions of both):
#   tools/soak.sh [CYCLES] [GENERATIONS_PER_THREAD]   defaults: 2000 load/generate/close cycles, 8 x 200 generations
# The JVM runs with Native Memory Tracking on and a fixed, pre-touched 1 GB heap (so that RSS
# shows native growth, not the heap growing after load spikes). Result lines go to
# target/soak/report.txt; copy them into RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-2000}
generations=${2:-200}
mkdir -p target/soak
report="$PWD/target/soak/report.txt"
: >"$report"
start=$(date +%s)
# Through the reactor (-am), so the tests run this checkout's modules, not whatever another build
# last installed into the shared local repository.
./build.sh mvn -o install -pl tests -am -Dctest.skip=true -Dtest='SoakTest,SharedModelStressTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtfree4j.soak.cycles="$cycles" -Dtfree4j.stress.generations="$generations" -Dtfree4j.soak.report="$report" \
  "-Dtfree4j.test.jvmArgs=-XX:NativeMemoryTracking=summary -Xms1g -Xmx1g -XX:+AlwaysPreTouch" 2>&1 | tee target/soak/soak.log | grep -E 'Tests run:|soak:|stress:|FAIL' || true
echo "wall: $(( $(date +%s) - start )) s" | tee -a "$report"
grep -q 'BUILD SUCCESS' target/soak/soak.log
