#!/usr/bin/env bash
# AtMan benchmark on the bundled model (see AtManBench.java). Needs the CLI jar: ./build.sh package.
#   tools/atman/bench.sh [MODEL_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source tools/jdk.sh
jar=src/target/tfree4j-cli-0.1.0-SNAPSHOT-all.jar
[[ -f $jar ]] || { echo "missing $jar: run ./build.sh package first" >&2; exit 1; }
model=${1:-models/tfree-kjv-small}
run() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$jar" tools/atman/AtManBench.java "$@"; }

read -r gen_loaded gen_peak < <(run generate "$model")
read -r exp_loaded exp_peak < <(run explain "$model")
echo "memory (peak RSS of a fresh JVM, -Xmx512m): generate ${gen_peak} kB, generate + explain ${exp_peak} kB" \
     "= $(awk "BEGIN{printf \"%.2f\", $exp_peak/$gen_peak}") x"
echo "  above the loaded model: generate $((gen_peak - gen_loaded)) kB, generate + explain $((exp_peak - exp_loaded)) kB"
run time "$model"
