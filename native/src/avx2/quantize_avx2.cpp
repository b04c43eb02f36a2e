// AVX2 int8 row quantization (8 lanes): the scalar algorithm of native/src/quantize.cpp with
// the same IEEE operations per element — max|v|, scale = max / 127, one division v / scale,
// rounding half away from zero done exactly — so q and the scales are bit-identical to the
// scalar path. The AVX-512 twin is native/src/avx512/quantize_avx512.cpp.
#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "simd_local.h"
#include "kernels.h"

namespace tf {
namespace avx2 {

namespace {

constexpr int LANES = 8;

// LANES elements of row-major data of dtype D at element offset i, widened to f32.
template <int D>
inline __m256 load8(const void* data, int64_t i) {
    if constexpr (D == TF_DTYPE_F32) {
        return _mm256_loadu_ps(static_cast<const float*>(data) + i);
    } else if constexpr (D == TF_DTYPE_BF16) {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(data) + i));
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
    } else {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(data) + i)));
    }
}

// The n < LANES elements at offset i (a row's tail), zero-padded: zeros change neither
// max|v| nor the finiteness check, and their quantized values are not stored.
template <int D>
inline __m256 load_tail(const void* data, int64_t i, int64_t n) {
    alignas(32) float buf[LANES] = {};
    for (int64_t k = 0; k < n; ++k) buf[k] = load_one<D>(data, i + k);
    return _mm256_load_ps(buf);
}

inline float hmax(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

// std::lround of every lane (|q| < 2^23), as integer-valued floats: truncate, then step one
// away from zero when the dropped fraction q − trunc(q) (exact) is at least one half.
inline __m256 round_half_away(__m256 q) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256 t = _mm256_round_ps(q, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 frac = _mm256_sub_ps(q, t);  // same sign as q, or zero
    const __m256 up = _mm256_cmp_ps(_mm256_andnot_ps(sign, frac), _mm256_set1_ps(0.5f), _CMP_GE_OQ);
    const __m256 step = _mm256_or_ps(_mm256_and_ps(frac, sign), _mm256_set1_ps(1.0f));  // ±1, frac's sign
    return _mm256_add_ps(t, _mm256_and_ps(up, step));
}

// q8[0..LANES) = clamp(round(v / s), -127, 127) as int8.
inline void quantize8(__m256 v, __m256 s, int8_t* q8) {
    __m256 r = round_half_away(_mm256_div_ps(v, s));
    r = _mm256_min_ps(_mm256_max_ps(r, _mm256_set1_ps(-127.0f)), _mm256_set1_ps(127.0f));
    const __m256i i32 = _mm256_cvttps_epi32(r);  // exact: r is an integer in [-127, 127]
    const __m128i i16 = _mm_packs_epi32(_mm256_castsi256_si128(i32), _mm256_extracti128_si256(i32, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(q8), _mm_packs_epi16(i16, i16));
}

// One row of `cols` elements at element offset `base`; false if it holds a NaN or infinity.
template <int D>
bool quantize_row(const void* data, int64_t base, int64_t cols, int8_t* q, float* scale) {
    const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m256 inf = _mm256_castsi256_ps(_mm256_set1_epi32(0x7f800000));
    __m256 amax = _mm256_setzero_ps(), bad = _mm256_setzero_ps();
    int64_t c = 0;
    for (; c + LANES <= cols; c += LANES) {
        const __m256 a = _mm256_and_ps(load8<D>(data, base + c), abs_mask);
        bad = _mm256_or_ps(bad, _mm256_cmp_ps(a, inf, _CMP_NLT_UQ));  // |v| = inf, or NaN
        amax = _mm256_max_ps(amax, a);
    }
    if (c < cols) {
        const __m256 a = _mm256_and_ps(load_tail<D>(data, base + c, cols - c), abs_mask);
        bad = _mm256_or_ps(bad, _mm256_cmp_ps(a, inf, _CMP_NLT_UQ));
        amax = _mm256_max_ps(amax, a);
    }
    if (_mm256_movemask_ps(bad) != 0) return false;
    const float s = hmax(amax) / 127.0f;
    *scale = s;
    if (s == 0.0f) {  // an all-zero row (or one so small that max / 127 underflows)
        std::memset(q, 0, size_t(cols));
        return true;
    }
    const __m256 sv = _mm256_set1_ps(s);
    for (c = 0; c + LANES <= cols; c += LANES) quantize8(load8<D>(data, base + c), sv, q + c);
    if (c < cols) {
        int8_t tail[16];
        quantize8(load_tail<D>(data, base + c, cols - c), sv, tail);
        std::memcpy(q + c, tail, size_t(cols - c));
    }
    return true;
}

template <int D>
int64_t quantize_range(const tf_matrix& src, int8_t* q, float* scales, int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
        if (!quantize_row<D>(src.data, r * src.cols, src.cols, q + r * src.cols, scales + r)) return r;
    }
    return -1;
}

}  // namespace

int64_t quantize_rows(const tf_matrix& src, int8_t* q, float* scales, int64_t r0, int64_t r1) {
    switch (src.dtype) {
        case TF_DTYPE_F32: return quantize_range<TF_DTYPE_F32>(src, q, scales, r0, r1);
        case TF_DTYPE_BF16: return quantize_range<TF_DTYPE_BF16>(src, q, scales, r0, r1);
        case TF_DTYPE_F16: return quantize_range<TF_DTYPE_F16>(src, q, scales, r0, r1);
        default: return -1;
    }
}

}  // namespace avx2
}  // namespace tf

#endif
