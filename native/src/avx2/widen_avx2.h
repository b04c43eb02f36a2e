// Loading weights of any tf_dtype as 8 f32 lanes, for the AVX2 + FMA + F16C matmul
// translation units (include only from native/src/avx2/*.cpp).
#pragma once
#include <immintrin.h>

#include <cstdint>

#include "tfree4j.h"

namespace tf {
namespace avx2 {

// 8 weights of row-major data at element offset i, widened to f32 (I8 without its scale).
template <int D>
inline __m256 load_w(const void* data, int64_t i) {
    if constexpr (D == TF_DTYPE_F32) {
        return _mm256_loadu_ps(static_cast<const float*>(data) + i);
    } else if constexpr (D == TF_DTYPE_BF16) {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(data) + i));
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
    } else if constexpr (D == TF_DTYPE_F16) {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(data) + i)));
    } else {
        const __m128i q = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(static_cast<const int8_t*>(data) + i));
        return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q));
    }
}

}  // namespace avx2
}  // namespace tf
