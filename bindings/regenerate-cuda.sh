#!/usr/bin/env bash
# Regenerates the CUDA runtime bindings (bindings/src/main/java/dev/tfree4j/bindings/cuda/) from
# the CUDA headers, for the declarations listed in bindings/cuda/cuda-runtime.select, with our
# generator (bindings/generator/BindingsGenerator.java --select). Commit the result:
# CudaBindingsUpToDateTest fails while they disagree (it is skipped where no CUDA headers are).
#   CUDA_HOME=/usr/local/cuda-13.0 bindings/regenerate-cuda.sh    headers elsewhere (default /usr/local/cuda)
set -euo pipefail
cd "$(dirname "$0")/.."

INCLUDE=${CUDA_HOME:-/usr/local/cuda}/include
[[ -f $INCLUDE/cuda_runtime_api.h ]] || { echo "no $INCLUDE/cuda_runtime_api.h: set CUDA_HOME to a CUDA toolkit" >&2; exit 1; }
source tools/jdk.sh
java bindings/generator/BindingsGenerator.java --select bindings/cuda/cuda-runtime.select "$INCLUDE" \
  bindings/src/main/java dev.tfree4j.bindings.cuda
