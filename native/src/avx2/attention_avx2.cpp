// AVX2 + FMA inner loops of tf_attention (see layer_ops.h, AttentionOps). Compiled with
// -mavx2 -mfma; only called when the CPU has them (ctx->simd >= TF_SIMD_AVX2).
#if defined(TFREE4J_X86)
#include <immintrin.h>

#include <algorithm>

#include "layer_ops.h"

namespace tf {
namespace avx2 {
namespace {

inline float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// q [d]; k rows t at k + t*stride; s [n_keys]. Four keys at a time share each load of q.
void scores(const float* q, const float* k, int64_t stride, int64_t n_keys, int32_t d, float scale, float* s) {
    const int32_t d8 = d & ~7;
    int64_t t = 0;
    for (; t + 4 <= n_keys; t += 4) {
        const float* k0 = k + t * stride;
        const float* k1 = k0 + stride;
        const float* k2 = k1 + stride;
        const float* k3 = k2 + stride;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (int32_t c = 0; c < d8; c += 8) {
            const __m256 qv = _mm256_loadu_ps(q + c);
            a0 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k0 + c), a0);
            a1 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k1 + c), a1);
            a2 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k2 + c), a2);
            a3 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k3 + c), a3);
        }
        float r0 = hsum(a0), r1 = hsum(a1), r2 = hsum(a2), r3 = hsum(a3);
        for (int32_t c = d8; c < d; ++c) {  // head_dim not a multiple of 8 (even only)
            r0 += q[c] * k0[c];
            r1 += q[c] * k1[c];
            r2 += q[c] * k2[c];
            r3 += q[c] * k3[c];
        }
        s[t] = r0 * scale;
        s[t + 1] = r1 * scale;
        s[t + 2] = r2 * scale;
        s[t + 3] = r3 * scale;
    }
    for (; t < n_keys; ++t) {
        const float* kt = k + t * stride;
        __m256 a = _mm256_setzero_ps();
        for (int32_t c = 0; c < d8; c += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(q + c), _mm256_loadu_ps(kt + c), a);
        float r = hsum(a);
        for (int32_t c = d8; c < d; ++c) r += q[c] * kt[c];
        s[t] = r * scale;
    }
}

// Keys per block of the weighted sum: 64 rows of a 128-wide head are 32 KB, so the column
// passes over one block re-read it from L1/L2 instead of streaming all values once per pass.
constexpr int64_t kKeyBlock = 64;

// The weighted sum over keys [t0, t1), added to out (column blocks of 32 in four registers).
void weighted_sum_block(const float* p, const float* v, int64_t stride, int64_t t0, int64_t t1, int32_t d,
                        float* out) {
    int32_t c = 0;
    for (; c + 32 <= d; c += 32) {
        __m256 o0 = _mm256_loadu_ps(out + c), o1 = _mm256_loadu_ps(out + c + 8);
        __m256 o2 = _mm256_loadu_ps(out + c + 16), o3 = _mm256_loadu_ps(out + c + 24);
        for (int64_t t = t0; t < t1; ++t) {
            const __m256 pt = _mm256_set1_ps(p[t]);
            const float* vt = v + t * stride + c;
            o0 = _mm256_fmadd_ps(pt, _mm256_loadu_ps(vt), o0);
            o1 = _mm256_fmadd_ps(pt, _mm256_loadu_ps(vt + 8), o1);
            o2 = _mm256_fmadd_ps(pt, _mm256_loadu_ps(vt + 16), o2);
            o3 = _mm256_fmadd_ps(pt, _mm256_loadu_ps(vt + 24), o3);
        }
        _mm256_storeu_ps(out + c, o0);
        _mm256_storeu_ps(out + c + 8, o1);
        _mm256_storeu_ps(out + c + 16, o2);
        _mm256_storeu_ps(out + c + 24, o3);
    }
    for (; c + 8 <= d; c += 8) {
        __m256 o = _mm256_loadu_ps(out + c);
        for (int64_t t = t0; t < t1; ++t) o = _mm256_fmadd_ps(_mm256_set1_ps(p[t]), _mm256_loadu_ps(v + t * stride + c), o);
        _mm256_storeu_ps(out + c, o);
    }
    for (; c < d; ++c) {  // fewer than 8 columns left (head_dim is even, not a multiple of 8)
        float o = out[c];
        for (int64_t t = t0; t < t1; ++t) o += p[t] * v[t * stride + c];
        out[c] = o;
    }
}

// p [n_keys]; v rows t at v + t*stride; out [d] (overwritten).
void weighted_sum(const float* p, const float* v, int64_t stride, int64_t n_keys, int32_t d, float* out) {
    for (int32_t c = 0; c < d; ++c) out[c] = 0;
    for (int64_t t0 = 0; t0 < n_keys; t0 += kKeyBlock)
        weighted_sum_block(p, v, stride, t0, std::min(n_keys, t0 + kKeyBlock), d, out);
}

}  // namespace

const AttentionOps attention_ops = {scores, weighted_sum};

}  // namespace avx2
}  // namespace tf
#endif  // TFREE4J_X86
