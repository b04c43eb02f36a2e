// AVX-512 sigmoid and softmax pieces (16 lanes); the scalar references are in
// native/src/scoring.cpp; a line-by-line twin of native/src/avx2/activations_avx2.cpp.
// Tails are padded into one full vector so every element goes through the same vector code.
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
// GCC 12's avx512fintrin.h warns about its own _mm512_undefined_*() (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cmath>
#include <cstdint>

#include "kernels.h"
#include "vmath_avx512.h"

namespace tf {
namespace avx512 {

namespace {

constexpr int LANES = 16;

inline float hmax(__m512 v) { return _mm512_reduce_max_ps(v); }

// Adds the 16 floats of v, widened to double, to the two double accumulators.
inline void add_wide(__m512 v, __m512d& lo, __m512d& hi) {
    lo = _mm512_add_pd(lo, _mm512_cvtps_pd(_mm512_castps512_ps256(v)));
    hi = _mm512_add_pd(hi, _mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1)));
}

}  // namespace

void sigmoid(const float* x, int64_t n, float* out) {
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES) _mm512_storeu_ps(out + i, sigmoid_ps(_mm512_loadu_ps(x + i)));
    if (i < n) {
        float buf[LANES] = {};
        for (int64_t k = i; k < n; ++k) buf[k - i] = x[k];
        _mm512_storeu_ps(buf, sigmoid_ps(_mm512_loadu_ps(buf)));
        for (int64_t k = i; k < n; ++k) out[k] = buf[k - i];
    }
}

float max_value(const float* x, int64_t n) {
    __m512 m = _mm512_set1_ps(-INFINITY);
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES) m = _mm512_max_ps(m, _mm512_loadu_ps(x + i));
    float r = hmax(m);
    for (; i < n; ++i) r = x[i] > r ? x[i] : r;
    return r;
}

double exp_shifted_sum(const float* x, int64_t n, float mx, float* out) {
    const __m512 vmx = _mm512_set1_ps(mx);
    __m512d lo = _mm512_setzero_pd(), hi = _mm512_setzero_pd();
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        const __m512 e = exp_ps(_mm512_sub_ps(_mm512_loadu_ps(x + i), vmx));
        _mm512_storeu_ps(out + i, e);
        add_wide(e, lo, hi);
    }
    if (i < n) {
        float buf[LANES];
        for (int k = 0; k < LANES; ++k) buf[k] = -INFINITY;  // exp(-inf - mx) = 0 in the padding
        for (int64_t k = i; k < n; ++k) buf[k - i] = x[k];
        const __m512 e = exp_ps(_mm512_sub_ps(_mm512_loadu_ps(buf), vmx));
        _mm512_storeu_ps(buf, e);
        for (int64_t k = i; k < n; ++k) out[k] = buf[k - i];
        add_wide(e, lo, hi);
    }
    alignas(64) double s[8];
    _mm512_store_pd(s, _mm512_add_pd(lo, hi));
    return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
}

void scale(float* x, int64_t n, float s) {
    const __m512 vs = _mm512_set1_ps(s);
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES) _mm512_storeu_ps(x + i, _mm512_mul_ps(_mm512_loadu_ps(x + i), vs));
    for (; i < n; ++i) x[i] *= s;
}

}  // namespace avx512
}  // namespace tf

#endif
