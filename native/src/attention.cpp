// tf_attention: causal multi-head attention over a KV cache, with AtMan key controls
// (docs/spec/tfree.md §5 and docs/spec/atman-dtm.md §A.2). Parallel over (query, head) pairs; the two inner loops
// (q·k scores and the probability-weighted sum of values) have a scalar reference version
// here and SIMD versions in avx2/ and avx512/.
#include <algorithm>
#include <cmath>
#include <new>
#include <string>
#include <vector>

#include "layer_ops.h"
#include "cuda_backend.h"
#include "status.h"
#include "tfree4j_internal.h"

namespace tf {
namespace scalar {
namespace {

// q [d]; k rows t at k + t*stride; s [n_keys]
void scores(const float* q, const float* k, int64_t stride, int64_t n_keys, int32_t d, float scale, float* s) {
    for (int64_t t = 0; t < n_keys; ++t) {
        const float* kt = k + t * stride;
        float acc = 0;
        for (int32_t c = 0; c < d; ++c) acc += q[c] * kt[c];
        s[t] = acc * scale;  // matmul first, then the scale (the reference's order)
    }
}

// p [n_keys]; v rows t at v + t*stride; out [d]
void weighted_sum(const float* p, const float* v, int64_t stride, int64_t n_keys, int32_t d, float* out) {
    for (int32_t c = 0; c < d; ++c) out[c] = 0;
    for (int64_t t = 0; t < n_keys; ++t) {
        const float pt = p[t];
        const float* vt = v + t * stride;
        for (int32_t c = 0; c < d; ++c) out[c] += pt * vt[c];
    }
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

}  // namespace scalar

namespace {

const AttentionOps& ops_for(int32_t simd) {
#if defined(TFREE4J_X86)
    if (simd >= TF_SIMD_AVX512) return avx512::attention_ops;
    if (simd >= TF_SIMD_AVX2) return avx2::attention_ops;
#endif
    return scalar::attention_ops;
}

// The AtMan control on one query row's scaled scores s [n_keys] (keys 0..j, all causally
// visible): applied after the 1/sqrt(d) scale and before the softmax (docs/spec/atman-dtm.md §A.2).
void apply_control(float* s, int64_t n_keys, const float* m, int32_t mode) {
    if (m == nullptr || mode == TF_CONTROL_NONE) return;
    if (mode == TF_CONTROL_LOG_ADD) {
        // b = a + ln(m): multiplies key k's unnormalised weight by m. m = 0 is −∞ (the key is
        // removed), not −10000, which would still leave it a tiny weight.
        for (int64_t t = 0; t < n_keys; ++t) {
            const float mt = m[t];
            if (mt != 1.0f) s[t] = mt > 0.0f ? s[t] + std::log(mt) : -INFINITY;
        }
        return;
    }
    // MULT: b = (a − μ_j)·m with μ_j the minimum over the causally visible keys only (the
    // reference takes the whole square row including future keys; a KV cache cannot, and this
    // choice makes prefill and decode agree — a documented deviation, docs/spec/atman-dtm.md §A.2).
    // A row whose visible keys all have m = 1 is left as it is: the shift cancels in the
    // softmax, and skipping it keeps such rows bit-identical to an uncontrolled forward, so
    // rows before the first controlled key equal the baseline exactly (AtMan prefix reuse).
    bool identity = true;
    for (int64_t t = 0; t < n_keys && identity; ++t) identity = m[t] == 1.0f;
    if (identity) return;
    float mu = s[0];
    for (int64_t t = 1; t < n_keys; ++t) mu = std::min(mu, s[t]);
    for (int64_t t = 0; t < n_keys; ++t) s[t] = (s[t] - mu) * m[t];
}

struct AttentionJob {
    const AttentionArgs* a;
    const AttentionOps* ops;
    float* scratch;  // [slots, kv_len]: one score row per query a task holds at once
    int64_t tasks;
    int64_t units;   // (head, query) pairs, or (head, two adjacent queries) when paired
    bool paired;     // two queries per unit through ops->scores2 / weighted_sum2
};

// Scaled scores s [n_keys] of the keys lo .. lo + n_keys − 1 → control → softmax numerators
// in place; returns 1/Σ, or 0 when every visible key was removed (LOG_ADD with m = 0: the
// softmax is undefined, and the output that keeps the model finite is "attend to nothing").
float softmax_numerators(const AttentionArgs& a, float* s, int64_t lo, int64_t n_keys) {
    apply_control(s, n_keys, a.key_control ? a.key_control + lo : nullptr, a.control_mode);
    float mx = -INFINITY;
    for (int64_t t = 0; t < n_keys; ++t) mx = std::max(mx, s[t]);
    if (!(mx > -INFINITY)) return 0.0f;
    float sum = 0;
    for (int64_t t = 0; t < n_keys; ++t) sum += (s[t] = std::exp(s[t] - mx));
    return 1.0f / sum;
}

void scale_out(float* o, int32_t d, float inv) {
    for (int32_t c = 0; c < d; ++c) o[c] = inv == 0.0f ? 0.0f : o[c] * inv;
}

// The kv head that query head h reads (grouped-query attention).
int64_t kv_head(const AttentionArgs& a, int64_t h) {
    return a.n_kv_heads > 0 ? h / (a.n_heads / a.n_kv_heads) : h;
}

// out[0..d) += Σ_t p[t] · v_t: the keys of a ring's wrapped part, added in sequence order
// after the part before the wrap (rings serve windowed stacks; plain C++ is enough there).
void add_weighted(const float* p, const float* v, int64_t stride, int64_t n_keys, int32_t d, float* out) {
    for (int64_t t = 0; t < n_keys; ++t)
        for (int32_t c = 0; c < d; ++c) out[c] += p[t] * v[t * stride + c];
}

// Query i of head h alone, over its keys [lo, hi) (see AttentionArgs); in a ring they may wrap
// around its end, then they are two runs of rows.
void one_query(const AttentionJob& job, int64_t h, int64_t i, float* s) {
    const AttentionArgs& a = *job.a;
    const int32_t d = a.head_dim;
    const int64_t width = int64_t(a.n_heads) * d;
    const int64_t hi = a.causal ? a.q_pos0 + i + 1 : a.kv_len;
    const int64_t lo = a.window > 0 ? std::max<int64_t>(0, hi - a.window) : 0;
    const int64_t n_keys = hi - lo;
    const int64_t row0 = a.ring > 0 ? lo % a.ring : lo;                      // the first key's row
    const int64_t first = a.ring > 0 ? std::min(n_keys, a.ring - row0) : n_keys;  // keys before the wrap
    const float* k = a.k + kv_head(a, h) * a.kv_head_stride;
    const float* v = a.v + kv_head(a, h) * a.kv_head_stride;
    const float* q = a.q + i * width + h * d;
    const float scale = 1.0f / std::sqrt(float(d));
    float* o = a.out + i * width + h * d;
    job.ops->scores(q, k + row0 * a.kv_row_stride, a.kv_row_stride, first, d, scale, s);
    if (first < n_keys) job.ops->scores(q, k, a.kv_row_stride, n_keys - first, d, scale, s + first);
    const float inv = softmax_numerators(a, s, lo, n_keys);
    if (inv != 0.0f) {
        job.ops->weighted_sum(s, v + row0 * a.kv_row_stride, a.kv_row_stride, first, d, o);
        if (first < n_keys) add_weighted(s + first, v, a.kv_row_stride, n_keys - first, d, o);
    }
    scale_out(o, d, inv);
}

// Queries i and i + 1 of head h of causal attention without a window or ring: the keys both
// see are loaded once for the two; query i + 1's one extra key is added after. Each query gets
// the bits one_query gives it.
void two_queries(const AttentionJob& job, int64_t h, int64_t i, float* s0, float* s1) {
    const AttentionArgs& a = *job.a;
    const int32_t d = a.head_dim;
    const int64_t width = int64_t(a.n_heads) * d;
    const float scale = 1.0f / std::sqrt(float(d));
    const int64_t n0 = a.q_pos0 + i + 1, n1 = n0 + 1;
    const float* k = a.k + kv_head(a, h) * a.kv_head_stride;
    const float* v = a.v + kv_head(a, h) * a.kv_head_stride;
    const float* q0 = a.q + i * width + h * d;
    const float* q1 = q0 + width;
    float* o0 = a.out + i * width + h * d;
    float* o1 = o0 + width;
    job.ops->scores2(q0, q1, k, a.kv_row_stride, n0, d, scale, s0, s1);
    job.ops->scores(q1, k + n0 * a.kv_row_stride, a.kv_row_stride, 1, d, scale, s1 + n0);
    const float inv0 = softmax_numerators(a, s0, 0, n0);
    const float inv1 = softmax_numerators(a, s1, 0, n1);
    if (inv0 != 0.0f && inv1 != 0.0f) {
        job.ops->weighted_sum2(s0, s1, v, a.kv_row_stride, n0, d, o0, o1);
        job.ops->weighted_sum_tail(s1, v, a.kv_row_stride, n0, n1, d, o1);
    } else {
        if (inv0 != 0.0f) job.ops->weighted_sum(s0, v, a.kv_row_stride, n0, d, o0);
        if (inv1 != 0.0f) job.ops->weighted_sum(s1, v, a.kv_row_stride, n1, d, o1);
    }
    scale_out(o0, d, inv0);
    scale_out(o1, d, inv1);
}

// One pool task: units t, t + tasks, t + 2·tasks, ... in head-major order. Interleaving
// (rather than contiguous ranges) balances the causal work: later queries see more keys.
void run_task(const AttentionJob& job, int64_t task) {
    const AttentionArgs& a = *job.a;
    if (!job.paired) {
        // A score row holds the keys one query sees: at most kv_len, or window.
        const int64_t row = a.causal && a.window > 0 ? std::min(a.kv_len, a.window) : a.kv_len;
        float* s = job.scratch + task * row;
        for (int64_t u = task; u < job.units; u += job.tasks) {
            // head-major: a task's consecutive units share one head's keys and values, which
            // then stay in cache
            one_query(job, u / a.n_q, u % a.n_q, s);
        }
        return;
    }
    float* s0 = job.scratch + 2 * task * a.kv_len;
    float* s1 = s0 + a.kv_len;
    const int64_t per_head = (a.n_q + 1) / 2;
    for (int64_t u = task; u < job.units; u += job.tasks) {
        const int64_t h = u / per_head, i = 2 * (u % per_head);
        if (i + 1 < a.n_q) {
            two_queries(job, h, i, s0, s1);
        } else {
            one_query(job, h, i, s0);
        }
    }
}

}  // namespace

int64_t attention_scratch_slots(const tf_context* ctx) {
    // A few tasks per thread so that the pool's dynamic scheduling can even out the load.
    const int64_t threads = ctx->pool.size();
    return threads <= 1 ? 1 : threads * 4;
}

void attention(tf_context* ctx, const AttentionArgs& a, float* scratch, int64_t slots) {
    const int64_t pairs = a.n_q * a.n_heads;
    if (pairs <= 0) return;
    const AttentionOps& ops = ops_for(ctx->simd);
    AttentionJob job{&a, &ops, scratch, std::min(slots, pairs), pairs, false};
    const bool plain_causal = a.causal && a.window == 0 && a.ring == 0;
    if (plain_causal && a.n_q >= 2 && slots >= 2 && ops.scores2 != nullptr) {  // prefill: two queries per unit
        job.paired = true;
        job.units = int64_t(a.n_heads) * ((a.n_q + 1) / 2);
        job.tasks = std::min(slots / 2, job.units);
    }
    // The lambda captures one pointer, so std::function does not allocate (decode steps
    // must not touch the heap).
    ctx->pool.run(job.tasks, [j = &job](int64_t task) { run_task(*j, task); });
}

}  // namespace tf

extern "C" TF_API tf_status tf_attention(tf_context* ctx, const float* q, int64_t n_q, int64_t q_pos0, const float* k,
                                         const float* v, int64_t kv_len, int32_t n_heads, int32_t head_dim,
                                         const float* key_control, int32_t control_mode, float* out) {
    using std::to_string;
    TF_CHECK_ARG(ctx != nullptr, "tf_attention: ctx is NULL");
    TF_CHECK_ARG(q != nullptr, "tf_attention: q is NULL");
    TF_CHECK_ARG(k != nullptr, "tf_attention: k is NULL");
    TF_CHECK_ARG(v != nullptr, "tf_attention: v is NULL");
    TF_CHECK_ARG(out != nullptr, "tf_attention: out is NULL");
    TF_CHECK_ARG(n_q >= 0, "tf_attention: n_q must be >= 0, got " + to_string(n_q));
    TF_CHECK_ARG(q_pos0 >= 0, "tf_attention: q_pos0 must be >= 0, got " + to_string(q_pos0));
    TF_CHECK_ARG(kv_len >= 0, "tf_attention: kv_len must be >= 0, got " + to_string(kv_len));
    TF_CHECK_ARG(n_q <= kv_len - q_pos0, "tf_attention: q_pos0 + n_q (" + to_string(q_pos0) + " + " + to_string(n_q) +
                                             ") exceeds kv_len " + to_string(kv_len));
    TF_CHECK_ARG(n_heads >= 1, "tf_attention: n_heads must be >= 1, got " + to_string(n_heads));
    TF_CHECK_ARG(head_dim >= 2 && head_dim % 2 == 0,
                 "tf_attention: head_dim must be even and >= 2, got " + to_string(head_dim));
    TF_CHECK_ARG(control_mode == TF_CONTROL_NONE || control_mode == TF_CONTROL_LOG_ADD ||
                     control_mode == TF_CONTROL_MULT,
                 "tf_attention: unknown control_mode " + to_string(control_mode));
    if (key_control != nullptr && control_mode != TF_CONTROL_NONE) {
        for (int64_t t = 0; t < kv_len; ++t) {
            TF_CHECK_ARG(std::isfinite(key_control[t]) && key_control[t] >= 0,
                         "tf_attention: key_control[" + to_string(t) + "] = " + to_string(key_control[t]) +
                             " must be finite and >= 0");
        }
    }
    if (n_q == 0) return tf::ok();
    if (tf::cuda::active(ctx)) {
        return tf::cuda::result(ctx,
                                ctx->plugin->attention(ctx->cuda, q, n_q, q_pos0, k, v, kv_len, n_heads, head_dim,
                                                       key_control, control_mode, out),
                                "tf_attention");
    }
    const int64_t slots = std::min(tf::attention_scratch_slots(ctx), n_q * int64_t(n_heads));
    std::vector<float> scratch;
    try {
        scratch.resize(size_t(slots * kv_len));
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_attention: out of memory for the score scratch");
    } catch (const std::length_error&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_attention: out of memory for the score scratch");
    }
    const int64_t width = int64_t(n_heads) * head_dim;
    tf::AttentionArgs a{q, n_q, q_pos0, k, v, width, head_dim, kv_len, n_heads, head_dim, key_control, control_mode, out};
    tf::attention(ctx, a, scratch.data(), slots);
    return tf::ok();
}
