#!/usr/bin/env bash
# Decode speed of the converted variants: words/s from generate's own timers (decode phase only),
# 100 words per prompt, 6 prompts, variants interleaved over 3 rounds; median per variant and the
# ratio to bf16 from the same run. Usage: tools/quality/decode_speed.sh DIR (with bf16/ int8-a16/ int8-a8/ plan-a8-090/ plan-a8-100/ from tfree4j convert; an absolute path)
set -e
cd "$(dirname "$0")/../.."
dir=${1:?usage: decode_speed.sh DIR-WITH-CONVERTED-VARIANTS}
prompts=("The old fisherman" "When the rain finally stopped," "Tell me a story about" "In the middle of the winter" "A wise man once told me that" "The road to the city was")
for round in 1 2 3; do
  for v in bf16 int8-a16 int8-a8 plan-a8-090 plan-a8-100; do
    for p in "${prompts[@]}"; do
      ./tfree4j generate --model "$dir/$v" --max-words 100 --threads 1 --json "$p" \
        | python3 -c "import json,sys; t=json.load(sys.stdin)['timings']; print('$v', t['decode_words_per_second'])"
    done
  done
done | python3 -c "
import sys, statistics, collections
d = collections.defaultdict(list)
for line in sys.stdin:
    v, s = line.split(); d[v].append(float(s))
base = statistics.median(d['bf16'])
for v, xs in d.items():
    m = statistics.median(xs)
    print(f'{v:12s} median {m:7.1f} words/s  (n={len(xs)}, min {min(xs):.1f}, max {max(xs):.1f})  ratio to bf16 {m/base:.2f}')
"
