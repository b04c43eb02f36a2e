// Small helpers for the SIMD translation units (native/src/avx2/*.cpp, avx512/*.cpp) only.
//
// Why not dtype.h / <algorithm> there: an inline function or template instantiated in a TU
// compiled with -mavx2 (or -mavx512f) is emitted with those instructions, and the linker
// keeps ONE copy of each such weak symbol for the whole library — possibly the AVX copy,
// which the scalar path would then execute on a CPU without AVX (SIGILL). Everything here has
// internal linkage (anonymous namespace), so every TU keeps its own copy built with its own
// flags. Requires F16C (both SIMD levels are compiled with -mf16c).
#pragma once
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "tfree4j.h"

namespace {

inline int64_t imin(int64_t a, int64_t b) { return a < b ? a : b; }
inline int64_t imax(int64_t a, int64_t b) { return a > b ? a : b; }

template <int D>
constexpr int64_t elem_size() {
    return D == TF_DTYPE_F32 ? 4 : D == TF_DTYPE_I8 ? 1 : 2;
}

// Element i of row-major data of dtype D, widened to f32 (I8 without its scale); the same
// values as tf::load_as_f32 in dtype.h (F16 through the F16C instruction).
template <int D>
inline float load_one(const void* data, int64_t i) {
    if constexpr (D == TF_DTYPE_F32) {
        return static_cast<const float*>(data)[i];
    } else if constexpr (D == TF_DTYPE_BF16) {
        const uint32_t bits = uint32_t(static_cast<const uint16_t*>(data)[i]) << 16;
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
    } else if constexpr (D == TF_DTYPE_F16) {
        return _cvtsh_ss(static_cast<const uint16_t*>(data)[i]);
    } else {
        return float(static_cast<const int8_t*>(data)[i]);
    }
}

}  // namespace
