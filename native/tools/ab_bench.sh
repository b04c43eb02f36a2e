#!/usr/bin/env bash
# Interleaved A/B of two tfree4j-bench binaries (e.g. the previous commit's and this one's).
#
#   native/tools/ab_bench.sh A_BENCH B_BENCH ROUNDS [tfree4j-bench options...]
#   native/tools/ab_bench.sh /tmp/base/tfree4j-bench native/target/cmake/tfree4j-bench 2 \
#       -m 7b --dtype bf16 -p 512 -n 128 -r 2 --tests model
#
# Why interleaved: on a shared host the machine's speed drifts by more than most changes
# (BENCHMARKS.md, "The machine"), so A and B take turns, A first in odd rounds and B first in
# even ones, and each prints its model rows' fraction of the bound measured adjacent to them.
# Prints every row of every run (CSV with the binary's label in front), then per test the
# mean t/s of A and B over all runs and their ratio B / A.
set -euo pipefail
if [[ $# -lt 3 ]]; then
  sed -n '2,5p' "$0" >&2
  exit 2
fi
A=$1 B=$2 ROUNDS=$3
shift 3
for bin in "$A" "$B"; do
  [[ -x $bin ]] || { echo "ab_bench: $bin is not an executable" >&2; exit 2; }
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "ab_bench: ROUNDS must be a positive integer, got '$ROUNDS'" >&2; exit 2; }

rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then order=(A B); else order=(B A); fi
  for who in "${order[@]}"; do
    if [[ $who == A ]]; then bin=$A; else bin=$B; fi
    echo "[ab] round $round: $who ($bin)" >&2
    "$bin" "$@" -o csv | awk -v label="$who" -F, '$1 == "model" { print label "," $0 }' >>"$rows"
  done
done

echo "label,kind,name,size_bytes,n_params,backend,n_threads,test,n_prompt,n_gen,avg_ns,stddev_ns,avg_ts,stddev_ts,bound_ts,bound,shape,dtype,gbps,gops,limit,fraction,value,unit,note,cpu_wait,adjacent_fraction,peak_drift"
cat "$rows"
echo
echo "| model | test | A t/s (runs) | B t/s (runs) | B / A | A adjacent fraction | B adjacent fraction |"
echo "|---|---|---|---|---|---|---|"
# Columns (1-based, with the label first): 3 name, 8 test, 13 avg_ts, 27 adjacent_fraction.
awk -F, '
  { key = $3 "|" $8; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    sum[key, $1] += $13; cnt[key, $1]++; adj[key, $1] += $27 }
  END {
    for (i = 1; i <= n; i++) {
      k = order[i]; split(k, part, "|")
      a = cnt[k, "A"] ? sum[k, "A"] / cnt[k, "A"] : 0; b = cnt[k, "B"] ? sum[k, "B"] / cnt[k, "B"] : 0
      fa = cnt[k, "A"] ? adj[k, "A"] / cnt[k, "A"] : 0; fb = cnt[k, "B"] ? adj[k, "B"] / cnt[k, "B"] : 0
      printf "| %s | %s | %.2f (%d) | %.2f (%d) | %.3f | %.3f | %.3f |\n", part[1], part[2], a, cnt[k, "A"], b, cnt[k, "B"], (a > 0 ? b / a : 0), fa, fb
    }
  }' "$rows"
