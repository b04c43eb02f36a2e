#!/usr/bin/env bash
# Coverage-guided fuzzing of the file parsers with Jazzer (the long run; ./build.sh test only
# replays the regression inputs).
#   tools/fuzz.sh [SECONDS] [Class#method ...]   fuzz each target for SECONDS (default 180)
#   tools/fuzz.sh seeds                          rewrite the seed inputs (FuzzSeeds)
# Findings (crash-*, timeout-*, ...) land in runtime/src/test/resources/dev/tfree4j/io/<Class>Inputs/<method>/,
# where ./build.sh test replays them from then on: fix the parser, keep the input. The generated
# corpus stays in runtime/.cifuzz-corpus/ (git-ignored). A summary line per target goes to
# target/fuzz/summary.txt; copy the numbers into RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(
  ZipArchiveFuzzTest#zipDirectory
  TorchArchiveFuzzTest#torchArchive
  TorchArchiveFuzzTest#torchPickle
  PickleFuzzTest#pickle
  ConfigFuzzTest#transformerConfig
  ConfigFuzzTest#tokenizerConfig
  DictionaryFilesFuzzTest#counterPickle
  DictionaryFilesFuzzTest#wordList
  TokenizerFileFuzzTest#tokenizerPickle
  NpyFuzzTest#npy
  ConvertedFormatFuzzTest#safetensors
  ConvertedFormatFuzzTest#convertedConfig
  HatFormatFuzzTest#hatConfig
  HatFormatFuzzTest#hatIndex
)

if [[ ${1:-} == seeds ]]; then
  ./build.sh mvn -o -q install -DskipTests -pl native,bindings,runtime -am >/dev/null
  ./build.sh mvn -o -q dependency:build-classpath -pl runtime -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/target/fuzz.cp" >/dev/null
  ./build.sh mvn -o -q test-compile -pl runtime >/dev/null
  source tools/jdk.sh
  exec "$JAVA_HOME/bin/java" -cp "runtime/target/test-classes:runtime/target/classes:$(cat "$PWD/target/fuzz.cp")" dev.tfree4j.io.FuzzSeeds
fi

seconds=${1:-180}
shift || true
(( $# > 0 )) && TARGETS=("$@")
mkdir -p target/fuzz
summary=target/fuzz/summary.txt
: >"$summary"
status=0
for t in "${TARGETS[@]}"; do
  log="target/fuzz/${t/\#/.}.log"
  echo "fuzzing $t for ${seconds}s (log: $log)"
  start=$(date +%s)
  # A 512 MB heap: no input of a few KB justifies more, so running out of it is a finding.
  # Through the reactor (-am): this checkout's native library and bindings, not whatever another
  # build last installed into the shared local repository.
  if JAZZER_FUZZ=1 ./build.sh mvn -o test -pl runtime -am -Dctest.skip=true -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
       -Djazzer.max_duration="${seconds}s" -Djunit.jupiter.execution.timeout.mode=disabled \
       -Dtfree4j.test.jvmArgs=-Xmx512m >"$log" 2>&1; then
    result=ok
  else
    result=FINDING; status=1
  fi
  end=$(date +%s)
  # libFuzzer's last status line: "#<execs> DONE cov: ... exec/s: ..." (or the last pulse).
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  echo "$t: $result, $((end - start))s wall, ${last:-no libFuzzer status line}" | tee -a "$summary"
done
exit $status
