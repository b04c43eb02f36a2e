// Vector math for AVX-512 translation units (include only from native/src/avx512/*.cpp);
// the 16-lane twin of native/src/avx2/vmath_avx2.h (same constants, same steps).
// exp: Cephes-style expf, ~1 ulp over the normal range, gradual underflow to 0 below
// ln(2^-150), +inf above ln(FLT_MAX), NaN in -> NaN out.
#pragma once
#include <immintrin.h>

namespace tf {
namespace avx512 {

inline __m512 exp_ps(__m512 x) {
    const __m512 hi = _mm512_set1_ps(88.72283935546875f);    // ln(FLT_MAX) rounded up (overflows to inf)
    const __m512 lo = _mm512_set1_ps(-103.97208404541015625f);  // ln(2^-150)
    // Operand order keeps NaN: max/min return the second operand when either is NaN.
    __m512 xc = _mm512_min_ps(hi, _mm512_max_ps(lo, x));
    // x = n ln2 + r, |r| <= ln2/2 (Cody-Waite split of ln2).
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(xc, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), xc);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    // e^r = 1 + r + r² p(r)
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    // Scale by 2^n in two steps (2^n1 · 2^n2, each a normal float) so results down to the
    // subnormal range stay right: n in [-150, 128] -> n1, n2 in [-75, 64].
    const __m512i ni = _mm512_cvtps_epi32(n);
    const __m512i n1 = _mm512_srai_epi32(ni, 1);
    const __m512i n2 = _mm512_sub_epi32(ni, n1);
    const __m512i bias = _mm512_set1_epi32(127);
    const __m512 s1 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(n1, bias), 23));
    const __m512 s2 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(n2, bias), 23));
    __m512 y = _mm512_mul_ps(_mm512_mul_ps(p, s1), s2);
    // Beyond the clamps: 0 below, +inf above (NaN compares false and stays NaN).
    y = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, lo, _CMP_LT_OQ), y, _mm512_setzero_ps());
    y = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, hi, _CMP_GT_OQ), y, _mm512_set1_ps(__builtin_inff()));
    return y;
}

// 1 / (1 + e^-x) without overflow: e = e^-|x|, then 1/(1+e) for x >= 0, e/(1+e) for x < 0.
inline __m512 sigmoid_ps(__m512 x) {
    const __m512i sign = _mm512_set1_epi32(int(0x80000000u));
    const __m512 e = exp_ps(_mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(x), sign)));  // e^-|x|
    const __m512 d = _mm512_add_ps(_mm512_set1_ps(1.0f), e);
    const __mmask16 neg = _mm512_test_epi32_mask(_mm512_castps_si512(x), sign);  // sign bit of x selects e
    const __m512 num = _mm512_mask_blend_ps(neg, _mm512_set1_ps(1.0f), e);
    return _mm512_div_ps(num, d);
}

}  // namespace avx512
}  // namespace tf
