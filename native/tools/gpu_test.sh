#!/usr/bin/env bash
# The GPU check of the CUDA backend, for a machine with an NVIDIA GPU (driver installed) and
# nvcc on PATH (or at /usr/local/cuda/bin):
#   1. builds everything with Maven (the native module runs CMake; the CUDA plugin is built
#      when nvcc is found) — ./build.sh package;
#   2. runs every native test with ctest, CUDA ones included, and FAILS if any CUDA test was
#      skipped (exit 77 = no usable device) or the plugin was not built;
#   3. runs the Java parity tests on the GPU (-Dtfree4j.device=cuda);
#   4. prints a summary with the date and the GPU's name.
# Usage: native/tools/gpu_test.sh            (from anywhere; logs go to build/gpu-test/)
set -uo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/cuda/bin"
logs=build/gpu-test
mkdir -p "$logs"
build_dir=native/target/cmake
gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
status=0
step() { echo; echo "== $*"; }

step "build (./build.sh package)"
if ! ./build.sh package >"$logs/build.log" 2>&1; then
  echo "build FAILED (see $logs/build.log)"; tail -30 "$logs/build.log"; exit 1
fi
plugin=$(ls native/target/classes/native/*/libtfree4j_cuda.so 2>/dev/null | head -1)
if [[ -z "$plugin" ]]; then
  echo "the CUDA plugin was not built (is nvcc on PATH?)"; exit 1
fi
echo "plugin: $plugin"

step "ctest (all native tests)"
ctest --test-dir "$build_dir" --output-on-failure 2>&1 | tee "$logs/ctest.log"
ctest_rc=${PIPESTATUS[0]}
[[ $ctest_rc -eq 0 ]] || status=1
ctest --test-dir "$build_dir" -L cuda -N >"$logs/cuda-tests.txt" 2>&1
cuda_tests=$(grep -c "Test *#" "$logs/cuda-tests.txt" || true)
skipped=$(grep -E "test_cuda_.*(Skipped|Not Run)" "$logs/ctest.log" || true)
if [[ "$cuda_tests" -lt 1 ]]; then
  echo "no CUDA tests registered (plugin not built?)"; status=1
fi
if [[ -n "$skipped" ]]; then
  echo "CUDA tests were SKIPPED (no usable device?):"; echo "$skipped"; status=1
fi
"$build_dir/test_cuda_backend" | head -1

step "Java parity tests on the GPU (-Dtfree4j.device=cuda)"
./build.sh mvn -o test -pl tests -Dtfree4j.device=cuda 2>&1 | tee "$logs/java.log"
java_rc=${PIPESTATUS[0]}
[[ $java_rc -eq 0 ]] || status=1

step "summary"
{
  echo "date:  $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "gpu:   ${gpu:-unknown (nvidia-smi failed)}"
  echo "ctest: rc=$ctest_rc, CUDA tests registered: $cuda_tests, skipped: $( [[ -n "$skipped" ]] && echo yes || echo none)"
  grep -E "tests passed|tests failed" "$logs/ctest.log" | tail -1
  echo "java:  rc=$java_rc $(grep -E "Tests run:.*Fail" "$logs/java.log" | tail -1)"
  echo "result: $( [[ $status -eq 0 ]] && echo PASS || echo FAIL)"
} | tee "$logs/summary.txt"
exit $status
