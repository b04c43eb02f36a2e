// AVX2 sigmoid and softmax pieces (8 lanes); the scalar references are in
// native/src/scoring.cpp, the AVX-512 twin in native/src/avx512/activations_avx512.cpp.
// Tails are padded into one full vector so every element goes through the same vector code.
#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
#include <immintrin.h>

#include <cmath>
#include <cstdint>

#include "kernels.h"
#include "vmath_avx2.h"

namespace tf {
namespace avx2 {

namespace {

constexpr int LANES = 8;

inline float hmax(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

// Adds the 8 floats of v, widened to double, to the two double accumulators.
inline void add_wide(__m256 v, __m256d& lo, __m256d& hi) {
    lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
    hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
}

}  // namespace

void sigmoid(const float* x, int64_t n, float* out) {
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES) _mm256_storeu_ps(out + i, sigmoid_ps(_mm256_loadu_ps(x + i)));
    if (i < n) {
        float buf[LANES] = {};
        for (int64_t k = i; k < n; ++k) buf[k - i] = x[k];
        _mm256_storeu_ps(buf, sigmoid_ps(_mm256_loadu_ps(buf)));
        for (int64_t k = i; k < n; ++k) out[k] = buf[k - i];
    }
}

float max_value(const float* x, int64_t n) {
    __m256 m = _mm256_set1_ps(-INFINITY);
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES) m = _mm256_max_ps(m, _mm256_loadu_ps(x + i));
    float r = hmax(m);
    for (; i < n; ++i) r = x[i] > r ? x[i] : r;
    return r;
}

double exp_shifted_sum(const float* x, int64_t n, float mx, float* out) {
    const __m256 vmx = _mm256_set1_ps(mx);
    __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        const __m256 e = exp_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), vmx));
        _mm256_storeu_ps(out + i, e);
        add_wide(e, lo, hi);
    }
    if (i < n) {
        float buf[LANES];
        for (int k = 0; k < LANES; ++k) buf[k] = -INFINITY;  // exp(-inf - mx) = 0 in the padding
        for (int64_t k = i; k < n; ++k) buf[k - i] = x[k];
        const __m256 e = exp_ps(_mm256_sub_ps(_mm256_loadu_ps(buf), vmx));
        _mm256_storeu_ps(buf, e);
        for (int64_t k = i; k < n; ++k) out[k] = buf[k - i];
        add_wide(e, lo, hi);
    }
    alignas(32) double s[4];
    _mm256_store_pd(s, _mm256_add_pd(lo, hi));
    return (s[0] + s[2]) + (s[1] + s[3]);
}

void scale(float* x, int64_t n, float s) {
    const __m256 vs = _mm256_set1_ps(s);
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), vs));
    for (; i < n; ++i) x[i] *= s;
}

}  // namespace avx2
}  // namespace tf

#endif
