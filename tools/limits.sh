#!/usr/bin/env bash
# Measures what the largest accepted config sizes and inputs cost (RELIABILITY.md, "Resource limits"):
#   tools/limits.sh [HEAP] [dictionary]   default heap 2g; report in target/limits/report.txt
#   (a second argument "dictionary" measures only the 100k and 1M-word dictionary loads)
# Runs ResourceCostProbe (tests module), which loads or generates at each limit on a copy of the
# bundled model; a few minutes and up to a few GB.
set -euo pipefail
cd "$(dirname "$0")/.."
heap=${1:-2g}
only=${2:-all}
mkdir -p target/limits
report="$PWD/target/limits/report.txt"
./build.sh mvn -o install -pl tests -am -Dctest.skip=true -Dtest='ResourceCostProbe' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtfree4j.limits.report="$report" -Dtfree4j.limits.only="$only" "-Dtfree4j.test.jvmArgs=-Xmx$heap" 2>&1 | tee target/limits/limits.log \
  | grep -E 'Tests run:|limits:|FAIL' || true
grep -q 'BUILD SUCCESS' target/limits/limits.log
