// tf_attention: causal multi-head attention over a KV cache, with AtMan key controls
// (spec §5 and atman-dtm §A.2). Parallel over (query, head) pairs; the two inner loops
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

const AttentionOps attention_ops = {scores, weighted_sum};

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
// visible): applied after the 1/sqrt(d) scale and before the softmax (atman-dtm §A.2).
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
    // choice makes prefill and decode agree — a documented deviation, atman-dtm §A.2).
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
    float* scratch;  // [tasks, kv_len]
    int64_t tasks;
    int64_t pairs;
};

// One pool task: pairs t, t + tasks, t + 2·tasks, ... in head-major order. Interleaving
// (rather than contiguous ranges) balances the causal work: later queries see more keys.
void run_task(const AttentionJob& job, int64_t task) {
    const AttentionArgs& a = *job.a;
    const int32_t d = a.head_dim;
    const int64_t width = int64_t(a.n_heads) * d;
    const float scale = 1.0f / std::sqrt(float(d));
    float* s = job.scratch + task * a.kv_len;
    for (int64_t p = task; p < job.pairs; p += job.tasks) {
        const int64_t h = p / a.n_q;  // head-major: a task's consecutive pairs share one head's
        const int64_t i = p % a.n_q;  // keys and values, which then stay in cache
        const int64_t n_keys = a.q_pos0 + i + 1;  // causal: keys 0 .. q_pos0 + i
        const float* q = a.q + i * width + h * d;
        float* o = a.out + i * width + h * d;
        job.ops->scores(q, a.k + h * a.kv_head_stride, a.kv_row_stride, n_keys, d, scale, s);
        apply_control(s, n_keys, a.key_control, a.control_mode);
        float mx = -INFINITY;
        for (int64_t t = 0; t < n_keys; ++t) mx = std::max(mx, s[t]);
        if (!(mx > -INFINITY)) {
            // Every visible key was removed (LOG_ADD with m = 0): the softmax is undefined,
            // and the output that keeps the model finite is "attend to nothing".
            for (int32_t c = 0; c < d; ++c) o[c] = 0;
            continue;
        }
        float sum = 0;
        for (int64_t t = 0; t < n_keys; ++t) sum += (s[t] = std::exp(s[t] - mx));
        job.ops->weighted_sum(s, a.v + h * a.kv_head_stride, a.kv_row_stride, n_keys, d, o);
        const float inv = 1.0f / sum;
        for (int32_t c = 0; c < d; ++c) o[c] *= inv;
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
    AttentionJob job{&a, &ops_for(ctx->simd), scratch, std::min(slots, pairs), pairs};
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
