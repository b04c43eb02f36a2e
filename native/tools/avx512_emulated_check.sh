#!/usr/bin/env bash
# Builds and runs avx512_emulated_check: the AVX-512 / VNNI int8 kernels and the dictionary kernel compiled against
# SIMDe's emulation (needs `apt-get install libsimde-dev`), checked against a plain reference
# on this CPU, whatever SIMD it has. Output goes to build/avx512-emulated/.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/avx512-emulated
mkdir -p "$out"
flags=(-O1 -std=c++17 -mavx2 -mfma -mf16c -Wno-psabi -Inative/include -Inative/src)
for f in native/src/avx512/quantize_avx512.cpp native/src/avx512/matmul_a8_avx512.cpp \
         native/src/avx512vnni/matmul_a8_vnni.cpp native/src/avx512/dictionary_avx512.cpp; do
  g++ "${flags[@]}" -include native/tools/simde_avx512_shim.h -c "$f" -o "$out/$(basename "$f" .cpp).o"
done
g++ "${flags[@]}" native/tools/avx512_emulated_check.cpp "$out"/*.o -o "$out/avx512_emulated_check"
"$out/avx512_emulated_check"
