#!/usr/bin/env bash
# Load test of continuous batching: starts `tfree4j serve` on loopback with MODEL, drives it with
# tools/loadtest/LoadTest.java (1, 4, 8, 16 concurrent greedy streaming clients by default,
# each sending REQUESTS completions of WORDS words), prints the results table, stops the server.
#
#   tools/loadtest/load_test.sh [MODEL_DIR] [LoadTest options: --clients 1,4,8,16 --requests 2 --words 32]
#   SERVE_OPTS="--no-batching" tools/loadtest/load_test.sh ...   # the same without batching
#
# MODEL_DIR defaults to the bundled model; a 1B-shaped random one:
#   /usr/bin/python3 tools/loadtest/make_random_model.py /tmp/tfree-1b && tools/loadtest/load_test.sh /tmp/tfree-1b
# Bounded: every request has a 10-minute timeout and the server is stopped on exit.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/tools/jdk.sh"
model="${1:-$root/models/tfree-kjv-small}"
shift || true
port="${PORT:-18080}"
"$root/tfree4j" serve --model "$model" --port "$port" --max-batch 16 --max-queue 64 ${SERVE_OPTS:-} &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  if curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  kill -0 $server 2>/dev/null || { echo "the server exited" >&2; exit 1; }
  sleep 0.5
done
status=0
"$JAVA_HOME/bin/java" "$root/tools/loadtest/LoadTest.java" "http://127.0.0.1:$port" "$@" || status=$?
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^tfree4j_batch_size_(bucket|sum|count)' || true
exit $status
