// AVX2 + FMA inner loops of tf_attention (see layer_ops.h, AttentionOps). Compiled with
// -mavx2 -mfma; only called when the CPU has them (ctx->simd >= TF_SIMD_AVX2).
#if defined(TFREE4J_X86)
#include <immintrin.h>

#include <algorithm>
#include <cmath>

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

// Columns [d8, d) of a dot product (head_dim even, not a multiple of 8), added to r with an
// explicit fused multiply-add: every caller then rounds alike, whatever the compiler would
// contract, so a key's score does not depend on which loop (or pairing) computed it.
inline float dot_tail(float r, const float* q, const float* k, int32_t d8, int32_t d) {
    for (int32_t c = d8; c < d; ++c) r = std::fma(q[c], k[c], r);
    return r;
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
        const float r0 = dot_tail(hsum(a0), q, k0, d8, d), r1 = dot_tail(hsum(a1), q, k1, d8, d);
        const float r2 = dot_tail(hsum(a2), q, k2, d8, d), r3 = dot_tail(hsum(a3), q, k3, d8, d);
        s[t] = r0 * scale;
        s[t + 1] = r1 * scale;
        s[t + 2] = r2 * scale;
        s[t + 3] = r3 * scale;
    }
    for (; t < n_keys; ++t) {
        const float* kt = k + t * stride;
        __m256 a = _mm256_setzero_ps();
        for (int32_t c = 0; c < d8; c += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(q + c), _mm256_loadu_ps(kt + c), a);
        s[t] = dot_tail(hsum(a), q, kt, d8, d) * scale;
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
        // An explicit fma, as the vector lanes do: left to the compiler, the contraction of
        // `o += p·v` differed between inlined copies of this loop, and so did the bits.
        float o = out[c];
        for (int64_t t = t0; t < t1; ++t) o = std::fma(p[t], v[t * stride + c], o);
        out[c] = o;
    }
}

// p [n_keys]; v rows t at v + t*stride; out [d] (overwritten).
void weighted_sum(const float* p, const float* v, int64_t stride, int64_t n_keys, int32_t d, float* out) {
    for (int32_t c = 0; c < d; ++c) out[c] = 0;
    for (int64_t t0 = 0; t0 < n_keys; t0 += kKeyBlock)
        weighted_sum_block(p, v, stride, t0, std::min(n_keys, t0 + kKeyBlock), d, out);
}

// Two queries, keys loaded once: per (query, key) the same FMA chain over the columns, hsum
// and tail as scores(), so each query's scores have the bits scores() gives it alone.
void scores2(const float* q0, const float* q1, const float* k, int64_t stride, int64_t n_keys, int32_t d,
             float scale, float* s0, float* s1) {
    const int32_t d8 = d & ~7;
    int64_t t = 0;
    for (; t + 4 <= n_keys; t += 4) {
        const float* kt[4] = {k + t * stride, k + (t + 1) * stride, k + (t + 2) * stride, k + (t + 3) * stride};
        __m256 a[4], b[4];
        for (int j = 0; j < 4; ++j) a[j] = b[j] = _mm256_setzero_ps();
        for (int32_t c = 0; c < d8; c += 8) {
            const __m256 x0 = _mm256_loadu_ps(q0 + c), x1 = _mm256_loadu_ps(q1 + c);
            for (int j = 0; j < 4; ++j) {
                const __m256 kv = _mm256_loadu_ps(kt[j] + c);
                a[j] = _mm256_fmadd_ps(x0, kv, a[j]);
                b[j] = _mm256_fmadd_ps(x1, kv, b[j]);
            }
        }
        for (int j = 0; j < 4; ++j) {
            s0[t + j] = dot_tail(hsum(a[j]), q0, kt[j], d8, d) * scale;
            s1[t + j] = dot_tail(hsum(b[j]), q1, kt[j], d8, d) * scale;
        }
    }
    if (t < n_keys) {
        scores(q0, k + t * stride, stride, n_keys - t, d, scale, s0 + t);
        scores(q1, k + t * stride, stride, n_keys - t, d, scale, s1 + t);
    }
}

// Two weighted sums over the same values: per (query, column) the same FMA chain over the keys
// as weighted_sum() (key blocks only decide when the running sums are stored, which is exact).
void weighted_sum2(const float* p0, const float* p1, const float* v, int64_t stride, int64_t n_keys, int32_t d,
                   float* out0, float* out1) {
    const int32_t d16 = d & ~15;
    for (int32_t c = 0; c < d; ++c) out0[c] = out1[c] = 0;
    for (int64_t t0 = 0; t0 < n_keys; t0 += kKeyBlock) {
        const int64_t t1 = std::min(n_keys, t0 + kKeyBlock);
        for (int32_t c = 0; c < d16; c += 16) {
            __m256 a0 = _mm256_loadu_ps(out0 + c), a1 = _mm256_loadu_ps(out0 + c + 8);
            __m256 b0 = _mm256_loadu_ps(out1 + c), b1 = _mm256_loadu_ps(out1 + c + 8);
            for (int64_t t = t0; t < t1; ++t) {
                const __m256 v0 = _mm256_loadu_ps(v + t * stride + c), v1 = _mm256_loadu_ps(v + t * stride + c + 8);
                const __m256 w0 = _mm256_set1_ps(p0[t]), w1 = _mm256_set1_ps(p1[t]);
                a0 = _mm256_fmadd_ps(w0, v0, a0);
                a1 = _mm256_fmadd_ps(w0, v1, a1);
                b0 = _mm256_fmadd_ps(w1, v0, b0);
                b1 = _mm256_fmadd_ps(w1, v1, b1);
            }
            _mm256_storeu_ps(out0 + c, a0);
            _mm256_storeu_ps(out0 + c + 8, a1);
            _mm256_storeu_ps(out1 + c, b0);
            _mm256_storeu_ps(out1 + c + 8, b1);
        }
        if (d16 < d) {  // the columns past the last 16: the single-query code on both
            weighted_sum_block(p0, v + d16, stride, t0, t1, d - d16, out0 + d16);
            weighted_sum_block(p1, v + d16, stride, t0, t1, d - d16, out1 + d16);
        }
    }
}

}  // namespace

// By name; a constant expression, so the table is filled at compile time (no code of this
// TU's instruction set runs at load time).
const AttentionOps attention_ops = [] {
    AttentionOps o{};
    o.scores = scores;
    o.weighted_sum = weighted_sum;
    o.scores2 = scores2;
    o.weighted_sum2 = weighted_sum2;
    o.weighted_sum_tail = weighted_sum_block;
    return o;
}();

}  // namespace avx2
}  // namespace tf
#endif  // TFREE4J_X86
