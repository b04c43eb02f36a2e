// Vector math for AVX2 + FMA translation units (include only from native/src/avx2/*.cpp).
// exp: Cephes-style expf, ~1 ulp over the normal range, gradual underflow to 0 below
// ln(2^-150), +inf above ln(FLT_MAX), NaN in -> NaN out.
#pragma once
#include <immintrin.h>

namespace tf {
namespace avx2 {

inline __m256 exp_ps(__m256 x) {
    const __m256 hi = _mm256_set1_ps(88.72283935546875f);    // ln(FLT_MAX) rounded up (overflows to inf)
    const __m256 lo = _mm256_set1_ps(-103.97208404541015625f);  // ln(2^-150)
    // Operand order keeps NaN: max/min return the second operand when either is NaN.
    __m256 xc = _mm256_min_ps(hi, _mm256_max_ps(lo, x));
    // x = n ln2 + r, |r| <= ln2/2 (Cody-Waite split of ln2).
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(xc, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), xc);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    // e^r = 1 + r + r² p(r)
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    // Scale by 2^n in two steps (2^n1 · 2^n2, each a normal float) so results down to the
    // subnormal range stay right: n in [-150, 128] -> n1, n2 in [-75, 64].
    const __m256i ni = _mm256_cvtps_epi32(n);
    const __m256i n1 = _mm256_srai_epi32(ni, 1);
    const __m256i n2 = _mm256_sub_epi32(ni, n1);
    const __m256i bias = _mm256_set1_epi32(127);
    const __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23));
    const __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23));
    __m256 y = _mm256_mul_ps(_mm256_mul_ps(p, s1), s2);
    // Beyond the clamps: 0 below, +inf above (NaN compares false and stays NaN).
    y = _mm256_blendv_ps(y, _mm256_setzero_ps(), _mm256_cmp_ps(x, lo, _CMP_LT_OQ));
    y = _mm256_blendv_ps(y, _mm256_set1_ps(__builtin_inff()), _mm256_cmp_ps(x, hi, _CMP_GT_OQ));
    return y;
}

// 1 / (1 + e^-x) without overflow: e = e^-|x|, then 1/(1+e) for x >= 0, e/(1+e) for x < 0.
inline __m256 sigmoid_ps(__m256 x) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256 e = exp_ps(_mm256_or_ps(x, sign));  // e^-|x|
    const __m256 d = _mm256_add_ps(_mm256_set1_ps(1.0f), e);
    const __m256 num = _mm256_blendv_ps(_mm256_set1_ps(1.0f), e, x);  // sign bit of x selects e
    return _mm256_div_ps(num, d);
}

}  // namespace avx2
}  // namespace tf
