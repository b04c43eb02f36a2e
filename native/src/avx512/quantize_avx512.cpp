// AVX-512 int8 row quantization (16 lanes): a line-by-line twin of avx2/quantize_avx2.cpp
// (same IEEE operations per element, so bit-identical to the scalar path); row tails use
// masked loads and stores instead of a padded buffer.
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
// GCC 12's avx512fintrin.h warns about its own _mm512_undefined_*() (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "simd_local.h"
#include "kernels.h"

namespace tf {
namespace avx512 {

namespace {

constexpr int LANES = 16;

// The elements of lanes set in `mask` at element offset i, widened to f32; other lanes 0
// (zeros change neither max|v| nor the finiteness check).
template <int D>
inline __m512 load16(const void* data, int64_t i, __mmask16 mask) {
    if constexpr (D == TF_DTYPE_F32) {
        return _mm512_maskz_loadu_ps(mask, static_cast<const float*>(data) + i);
    } else if constexpr (D == TF_DTYPE_BF16) {
        const __m256i h = _mm256_maskz_loadu_epi16(mask, static_cast<const uint16_t*>(data) + i);
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    } else {
        return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(mask, static_cast<const uint16_t*>(data) + i));
    }
}

inline __mmask16 tail_mask(int64_t n) { return __mmask16((1u << n) - 1u); }  // n < 16

// std::lround of every lane (|q| < 2^23), as integer-valued floats: truncate, then step one
// away from zero when the dropped fraction q − trunc(q) (exact) is at least one half.
inline __m512 round_half_away(__m512 q) {
    const __m512 sign = _mm512_set1_ps(-0.0f);
    const __m512 t = _mm512_roundscale_ps(q, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m512 frac = _mm512_sub_ps(q, t);  // same sign as q, or zero
    const __mmask16 up = _mm512_cmp_ps_mask(_mm512_abs_ps(frac), _mm512_set1_ps(0.5f), _CMP_GE_OQ);
    const __m512 step = _mm512_or_ps(_mm512_and_ps(frac, sign), _mm512_set1_ps(1.0f));  // ±1, frac's sign
    return _mm512_mask_add_ps(t, up, t, step);
}

// The lanes of `mask`: q8 = clamp(round(v / s), -127, 127) as int8.
inline void quantize16(__m512 v, __m512 s, int8_t* q8, __mmask16 mask) {
    __m512 r = round_half_away(_mm512_div_ps(v, s));
    r = _mm512_min_ps(_mm512_max_ps(r, _mm512_set1_ps(-127.0f)), _mm512_set1_ps(127.0f));
    const __m128i i8 = _mm512_cvtsepi32_epi8(_mm512_cvttps_epi32(r));  // exact: integers in [-127, 127]
    _mm_mask_storeu_epi8(q8, mask, i8);
}

// One row of `cols` elements at element offset `base`; false if it holds a NaN or infinity.
template <int D>
bool quantize_row(const void* data, int64_t base, int64_t cols, int8_t* q, float* scale) {
    const __m512 inf = _mm512_castsi512_ps(_mm512_set1_epi32(0x7f800000));
    __m512 amax = _mm512_setzero_ps();
    __mmask16 bad = 0;
    for (int64_t c = 0; c < cols; c += LANES) {
        const __mmask16 mask = cols - c >= LANES ? __mmask16(0xffff) : tail_mask(cols - c);
        const __m512 a = _mm512_abs_ps(load16<D>(data, base + c, mask));
        bad = __mmask16(bad | _mm512_cmp_ps_mask(a, inf, _CMP_NLT_UQ));  // |v| = inf, or NaN
        amax = _mm512_max_ps(amax, a);
    }
    if (bad != 0) return false;
    const float s = _mm512_reduce_max_ps(amax) / 127.0f;
    *scale = s;
    if (s == 0.0f) {  // an all-zero row (or one so small that max / 127 underflows)
        std::memset(q, 0, size_t(cols));
        return true;
    }
    const __m512 sv = _mm512_set1_ps(s);
    for (int64_t c = 0; c < cols; c += LANES) {
        const __mmask16 mask = cols - c >= LANES ? __mmask16(0xffff) : tail_mask(cols - c);
        quantize16(load16<D>(data, base + c, mask), sv, q + c, mask);
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

}  // namespace avx512
}  // namespace tf

#endif
