// AVX-512 inner loops of tf_attention (see layer_ops.h, AttentionOps): the AVX2 structure
// with 16 lanes; the column tail uses masked loads instead of a scalar loop. Only called
// when the CPU has AVX-512F/BW/VL/DQ (ctx->simd >= TF_SIMD_AVX512).
#if defined(TFREE4J_X86)
// GCC 12's AVX-512 headers build _mm256_undefined_pd() as `__Y = __Y`, which inlining turns
// into false -Wmaybe-uninitialized warnings (GCC bug 105593); nothing here is uninitialised.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>

#include "layer_ops.h"

namespace tf {
namespace avx512 {
namespace {

// Mask of the first `rest` lanes, rest in [0, 16).
inline __mmask16 tail_mask(int32_t rest) { return __mmask16((1u << rest) - 1u); }

// q [d]; k rows t at k + t*stride; s [n_keys]. Four keys at a time share each load of q.
void scores(const float* q, const float* k, int64_t stride, int64_t n_keys, int32_t d, float scale, float* s) {
    const int32_t d16 = d & ~15;
    const __mmask16 m = tail_mask(d - d16);
    int64_t t = 0;
    for (; t + 4 <= n_keys; t += 4) {
        const float* k0 = k + t * stride;
        const float* k1 = k0 + stride;
        const float* k2 = k1 + stride;
        const float* k3 = k2 + stride;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        __m512 a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        for (int32_t c = 0; c < d16; c += 16) {
            const __m512 qv = _mm512_loadu_ps(q + c);
            a0 = _mm512_fmadd_ps(qv, _mm512_loadu_ps(k0 + c), a0);
            a1 = _mm512_fmadd_ps(qv, _mm512_loadu_ps(k1 + c), a1);
            a2 = _mm512_fmadd_ps(qv, _mm512_loadu_ps(k2 + c), a2);
            a3 = _mm512_fmadd_ps(qv, _mm512_loadu_ps(k3 + c), a3);
        }
        if (m) {
            const __m512 qv = _mm512_maskz_loadu_ps(m, q + d16);
            a0 = _mm512_fmadd_ps(qv, _mm512_maskz_loadu_ps(m, k0 + d16), a0);
            a1 = _mm512_fmadd_ps(qv, _mm512_maskz_loadu_ps(m, k1 + d16), a1);
            a2 = _mm512_fmadd_ps(qv, _mm512_maskz_loadu_ps(m, k2 + d16), a2);
            a3 = _mm512_fmadd_ps(qv, _mm512_maskz_loadu_ps(m, k3 + d16), a3);
        }
        s[t] = _mm512_reduce_add_ps(a0) * scale;
        s[t + 1] = _mm512_reduce_add_ps(a1) * scale;
        s[t + 2] = _mm512_reduce_add_ps(a2) * scale;
        s[t + 3] = _mm512_reduce_add_ps(a3) * scale;
    }
    for (; t < n_keys; ++t) {
        const float* kt = k + t * stride;
        __m512 a = _mm512_setzero_ps();
        for (int32_t c = 0; c < d16; c += 16) a = _mm512_fmadd_ps(_mm512_loadu_ps(q + c), _mm512_loadu_ps(kt + c), a);
        if (m) a = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, q + d16), _mm512_maskz_loadu_ps(m, kt + d16), a);
        s[t] = _mm512_reduce_add_ps(a) * scale;
    }
}

// Keys per block of the weighted sum: 64 rows of a 128-wide head are 32 KB, so the column
// passes over one block re-read it from L1/L2 instead of streaming all values once per pass.
constexpr int64_t kKeyBlock = 64;

// The weighted sum over keys [t0, t1), added to out (column blocks of 64 in four registers).
void weighted_sum_block(const float* p, const float* v, int64_t stride, int64_t t0, int64_t t1, int32_t d,
                        float* out) {
    int32_t c = 0;
    for (; c + 64 <= d; c += 64) {
        __m512 o0 = _mm512_loadu_ps(out + c), o1 = _mm512_loadu_ps(out + c + 16);
        __m512 o2 = _mm512_loadu_ps(out + c + 32), o3 = _mm512_loadu_ps(out + c + 48);
        for (int64_t t = t0; t < t1; ++t) {
            const __m512 pt = _mm512_set1_ps(p[t]);
            const float* vt = v + t * stride + c;
            o0 = _mm512_fmadd_ps(pt, _mm512_loadu_ps(vt), o0);
            o1 = _mm512_fmadd_ps(pt, _mm512_loadu_ps(vt + 16), o1);
            o2 = _mm512_fmadd_ps(pt, _mm512_loadu_ps(vt + 32), o2);
            o3 = _mm512_fmadd_ps(pt, _mm512_loadu_ps(vt + 48), o3);
        }
        _mm512_storeu_ps(out + c, o0);
        _mm512_storeu_ps(out + c + 16, o1);
        _mm512_storeu_ps(out + c + 32, o2);
        _mm512_storeu_ps(out + c + 48, o3);
    }
    for (; c < d; c += 16) {  // blocks of 16, the last one masked
        const __mmask16 m = d - c >= 16 ? __mmask16(0xffff) : tail_mask(d - c);
        __m512 o = _mm512_maskz_loadu_ps(m, out + c);
        for (int64_t t = t0; t < t1; ++t)
            o = _mm512_fmadd_ps(_mm512_set1_ps(p[t]), _mm512_maskz_loadu_ps(m, v + t * stride + c), o);
        _mm512_mask_storeu_ps(out + c, m, o);
    }
}

// p [n_keys]; v rows t at v + t*stride; out [d] (overwritten).
void weighted_sum(const float* p, const float* v, int64_t stride, int64_t n_keys, int32_t d, float* out) {
    for (int32_t c = 0; c < d; ++c) out[c] = 0;
    for (int64_t t0 = 0; t0 < n_keys; t0 += kKeyBlock)
        weighted_sum_block(p, v, stride, t0, std::min(n_keys, t0 + kKeyBlock), d, out);
}

}  // namespace

// By name; a constant expression, so the table is filled at compile time (no code of this
// TU's instruction set runs at load time). The pair kernels stay NULL.
const AttentionOps attention_ops = [] {
    AttentionOps o{};
    o.scores = scores;
    o.weighted_sum = weighted_sum;
    return o;
}();

}  // namespace avx512
}  // namespace tf
#endif  // TFREE4J_X86
