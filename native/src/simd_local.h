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

// The standard 8 × 8 transpose of 32-bit elements (AVX registers; the GEMMs' panel packing):
// r[i] holds row i's 8 values; afterwards r[k] holds value k of every row.
inline void transpose8(__m256 r[8]) {
    __m256 t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
        u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
        u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
    }
    for (int i = 0; i < 4; ++i) {
        r[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
        r[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
    }
}

// Two int16 values as the 32-bit lane vpmaddwd multiplies (lo in the low half).
inline int32_t pair(int16_t lo, int16_t hi) { return int32_t(uint32_t(uint16_t(lo)) | (uint32_t(uint16_t(hi)) << 16)); }

#if defined(__AVX512F__)
// Σ of the 16 int32 lanes of v modulo 2^32. Not _mm512_reduce_add_epi32: GCC implements it
// with signed additions, so lanes whose sum wraps (the VNNI kernels' offset sums do, by
// design) are signed overflow, undefined behaviour that UBSan rightly reports. The vector
// adds below are defined to wrap.
inline uint32_t reduce_add_wrapping(__m512i v) {
    const __m256i s8 = _mm256_add_epi32(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
    __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s8), _mm256_extracti128_si256(s8, 1));
    s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));  // + the other 64-bit half
    s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));  // + the neighbouring lane
    return uint32_t(_mm_cvtsi128_si32(s4));
}
#endif

}  // namespace
