// HAT's two ops beyond the stack (docs/spec/hat.md §2.3): tf_segment_attention, the encoder
// connector's attention of one query per word over that word's bytes (non-causal, GQA), and
// tf_stack_rope, which rotates vectors with a stack's rotary (the connector uses the encoder's).
#include <algorithm>
#include <cmath>
#include <string>

#include "kernels.h"
#include "layer_ops.h"
#include "stack.h"
#include "status.h"

namespace tf::scalar {

void segment_attention_rows(const float* q, const float* k, const float* v, const int64_t* key_begin,
                            const int64_t* key_end, int32_t n_heads, int32_t n_kv_heads, int32_t head_dim, float scale,
                            float* out, int64_t r0, int64_t r1) {
    const int64_t q_width = int64_t(n_heads) * head_dim;
    const int64_t kv_width = int64_t(n_kv_heads) * head_dim;
    const int32_t group = n_heads / n_kv_heads;
    for (int64_t i = r0; i < r1; ++i) {
        const int64_t begin = key_begin[i], end = key_end[i];
        for (int32_t h = 0; h < n_heads; ++h) {
            const float* qh = q + i * q_width + int64_t(h) * head_dim;
            const int64_t kv_offset = int64_t(h / group) * head_dim;
            // Pass 1: the maximum score, so that exp never overflows.
            float mx = -INFINITY;
            for (int64_t t = begin; t < end; ++t) {
                const float* kt = k + t * kv_width + kv_offset;
                float dot = 0.0f;
                for (int32_t c = 0; c < head_dim; ++c) dot += qh[c] * kt[c];
                mx = std::max(mx, dot * scale);
            }
            // Pass 2: the weights (recomputing the scores: a word has few keys, no scratch needed)
            // and the weighted sum of the values, normalised at the end.
            float* oh = out + i * q_width + int64_t(h) * head_dim;
            std::fill(oh, oh + head_dim, 0.0f);
            float sum = 0.0f;
            for (int64_t t = begin; t < end; ++t) {
                const float* kt = k + t * kv_width + kv_offset;
                float dot = 0.0f;
                for (int32_t c = 0; c < head_dim; ++c) dot += qh[c] * kt[c];
                const float w = std::exp(dot * scale - mx);
                sum += w;
                const float* vt = v + t * kv_width + kv_offset;
                for (int32_t c = 0; c < head_dim; ++c) oh[c] += w * vt[c];
            }
            for (int32_t c = 0; c < head_dim; ++c) oh[c] /= sum;
        }
    }
}

}  // namespace tf::scalar

extern "C" {

TF_API tf_status tf_segment_attention(tf_context* ctx, const float* q, int64_t n_q, const float* k, const float* v,
                                      int64_t n_k, const int64_t* key_begin, const int64_t* key_end, int32_t n_heads,
                                      int32_t n_kv_heads, int32_t head_dim, float* out) {
    using std::to_string;
    const char* fn = "tf_segment_attention";
    TF_CHECK_ARG(ctx != nullptr, std::string(fn) + ": ctx is NULL");
    TF_CHECK_ARG(q != nullptr && k != nullptr && v != nullptr && out != nullptr,
                 std::string(fn) + ": q, k, v and out must not be NULL");
    TF_CHECK_ARG(key_begin != nullptr && key_end != nullptr,
                 std::string(fn) + ": key_begin and key_end must not be NULL");
    TF_CHECK_ARG(n_q >= 0, std::string(fn) + ": n_q must be >= 0, got " + to_string(n_q));
    TF_CHECK_ARG(n_k >= 1, std::string(fn) + ": n_k must be >= 1, got " + to_string(n_k));
    TF_CHECK_ARG(n_heads >= 1 && head_dim >= 1, std::string(fn) + ": n_heads and head_dim must be >= 1, got " +
                                                    to_string(n_heads) + " and " + to_string(head_dim));
    TF_CHECK_ARG(n_kv_heads >= 1 && n_heads % n_kv_heads == 0, std::string(fn) + ": n_kv_heads " +
                                                                   to_string(n_kv_heads) + " must divide n_heads " +
                                                                   to_string(n_heads));
    for (int64_t i = 0; i < n_q; ++i) {
        TF_CHECK_ARG(key_begin[i] >= 0 && key_begin[i] < key_end[i] && key_end[i] <= n_k,
                     std::string(fn) + ": query " + to_string(i) + " has the key range [" + to_string(key_begin[i]) +
                         ", " + to_string(key_end[i]) + "), which is empty or outside [0, n_k = " + to_string(n_k) +
                         ")");
    }
    TF_CHECK_ARG(ctx->backend == TF_BACKEND_CPU, std::string(fn) + ": runs on CPU contexts only");
    const tf::KernelTable& kt = tf::kernels_for(ctx->simd, ctx->vnni);
    const float scale = 1.0f / std::sqrt(float(head_dim));
    tf::parallel_for(ctx, n_q, 1, [&](int64_t r0, int64_t r1) {
        kt.segment_attention_rows(q, k, v, key_begin, key_end, n_heads, n_kv_heads, head_dim, scale, out, r0, r1);
    });
    return tf::ok();
}

TF_API tf_status tf_stack_rope(tf_stack* stack, float* x, int64_t n, int32_t n_heads, const int32_t* positions) {
    using std::to_string;
    const char* fn = "tf_stack_rope";
    TF_CHECK_ARG(stack != nullptr, std::string(fn) + ": stack is NULL");
    TF_CHECK_ARG(x != nullptr || n == 0, std::string(fn) + ": x is NULL");
    TF_CHECK_ARG(positions != nullptr || n == 0, std::string(fn) + ": positions is NULL");
    TF_CHECK_ARG(n >= 0, std::string(fn) + ": n must be >= 0, got " + to_string(n));
    TF_CHECK_ARG(n_heads >= 1, std::string(fn) + ": n_heads must be >= 1, got " + to_string(n_heads));
    const int32_t max_positions = stack->params.max_positions;
    for (int64_t r = 0; r < n; ++r) {
        TF_CHECK_ARG(positions[r] >= 0 && positions[r] < max_positions,
                     std::string(fn) + ": positions[" + to_string(r) + "] = " + to_string(positions[r]) +
                         " is outside [0, max_positions = " + to_string(max_positions) + ")");
    }
    if (stack->params.rope_kind == TF_ROPE_ROTATE_HALF) {
        tf::rope_rotate_half(stack->ctx, x, n, n_heads, stack->head_dim, positions, stack->rope.data());
    } else {
        tf::rope(stack->ctx, x, n, n_heads, stack->head_dim, positions, stack->rope.data());
    }
    return tf::ok();
}

}  // extern "C"
