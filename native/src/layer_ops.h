// Internal (unchecked) versions of the transformer-layer kernels: tf_rmsnorm, tf_rope,
// tf_attention, tf_swiglu, tf_add. The public C functions validate their arguments and call
// these; the forward pass (stack.cpp) validates once per call and calls these directly,
// with scratch memory owned by the cache so that a decode step allocates nothing.
#pragma once
#include <cstdint>

#include "context.h"
#include "tfree4j.h"

namespace tf {

// x, out [n, dim] (may alias); weight [dim]. out = x * rsqrt(mean(x²) + eps) * weight.
void rmsnorm(tf_context* ctx, const float* x, int64_t n, int64_t dim, const float* weight, float eps, float* out);

// x [n, n_heads*head_dim] rotated in place; positions [n] (checked by the caller);
// table [*, head_dim/2, 2] (cos, sin). Interleaved pairs (x[2i], x[2i+1]) (tf_rope).
void rope(tf_context* ctx, float* x, int64_t n, int32_t n_heads, int32_t head_dim, const int32_t* positions,
          const float* table);

// The same with rotate-half pairs (x[i], x[i + head_dim/2]) (TF_ROPE_ROTATE_HALF).
void rope_rotate_half(tf_context* ctx, float* x, int64_t n, int32_t n_heads, int32_t head_dim,
                      const int32_t* positions, const float* table);

// The (cos, sin) table [max_positions, head_dim/2, 2] of inv_freq[i] = theta^(-2i/head_dim),
// with Llama 3.1's scaling of inv_freq when p.rope_scaling says so; angles in float32
// (float(position) · float(inv_freq)), as the references compute them.
void rope_table(const tf_stack_params& p, int32_t head_dim, float* table);

// y [m, w.rows] = x [m, w.cols] · wᵀ with the decode arithmetic for every row (the bits
// tf_matmul gives each row alone, m = 1); CPU only, valid arguments (stack.cpp checks them).
void matmul_decode(tf_context* ctx, const float* x, int64_t m, const tf_matrix& w, float* y);

// out[i] = silu(gate[i]) * up[i]; out may alias gate or up.
void swiglu(tf_context* ctx, const float* gate, const float* up, int64_t count, float* out);

// x[i] += y[i]
void add(tf_context* ctx, float* x, const float* y, int64_t count);

// Arguments of one attention call (see tf_attention in tfree4j.h for the meaning). Keys are
// numbered by their index in the sequence; query i (index q_pos0 + i) sees the keys [lo, hi):
//   causal:     hi = q_pos0 + i + 1, lo = max(0, hi − window) (window 0: lo = 0)
//   non-causal: hi = kv_len, lo = 0
struct AttentionArgs {
    const float* q;           // [n_q, n_heads*head_dim]
    int64_t n_q;
    int64_t q_pos0;           // sequence index of query row 0
    // Keys (post-RoPE) and values: element c of head h at key t is
    // k[h*kv_head_stride + t*kv_row_stride + c]. The public layout [kv_len, n_heads*head_dim]
    // is (row n_heads*head_dim, head head_dim); the cache's head-major [n_heads, capacity,
    // head_dim] is (row head_dim, head capacity*head_dim).
    const float* k;
    const float* v;
    int64_t kv_row_stride;
    int64_t kv_head_stride;
    int64_t kv_len;           // keys in the sequence (q_pos0 + n_q for causal attention)
    int32_t n_heads;
    int32_t head_dim;
    const float* key_control; // [kv_len] or NULL (= all ones)
    int32_t control_mode;     // tf_control_mode
    float* out;               // [n_q, n_heads*head_dim]
    int32_t n_kv_heads = 0;   // grouped-query attention: query head h reads kv head h / (n_heads / n_kv_heads); 0 = n_heads
    bool causal = true;
    int64_t window = 0;       // causal only: a query sees its last `window` keys (0 = all)
    int64_t ring = 0;         // > 0: key t is stored in row t % ring (a ring cache), else in row t
};

// How many score rows of kv_len floats tf::attention can use on ctx (one per pool task).
int64_t attention_scratch_slots(const tf_context* ctx);

// Runs attention with `slots` (>= 1) score rows of scratch: scratch [slots, >= keys a query sees].
void attention(tf_context* ctx, const AttentionArgs& a, float* scratch, int64_t slots);

// The two inner loops of attention, one implementation per SIMD level:
//   scores: s[t] = scale · (q · k_t),  q [d], k_t = k + t*stride, t in [0, n_keys)
//   weighted_sum: out[0..d) = Σ_t p[t] · v_t, v_t = v + t*stride (out overwritten)
struct AttentionOps {
    void (*scores)(const float* q, const float* k, int64_t stride, int64_t n_keys, int32_t d, float scale,
                   float* s);
    void (*weighted_sum)(const float* p, const float* v, int64_t stride, int64_t n_keys, int32_t d, float* out);
    // Optional (NULL: not provided): the same two steps for two queries of one head over the
    // same keys, each query getting exactly the bits of scores / weighted_sum alone, with every
    // key and value loaded once for both (prefill: half the loads per multiply-add).
    //   q0, q1 [d]; s0, s1 [n_keys];  p0, p1 [n_keys]; out0, out1 [d] (overwritten)
    void (*scores2)(const float* q0, const float* q1, const float* k, int64_t stride, int64_t n_keys, int32_t d,
                    float scale, float* s0, float* s1);
    void (*weighted_sum2)(const float* p0, const float* p1, const float* v, int64_t stride, int64_t n_keys,
                          int32_t d, float* out0, float* out1);
    // Adds keys [t0, t1) to a weighted sum in progress (out0 of weighted_sum2 / weighted_sum),
    // in the order weighted_sum would have: used for the one key the later query of a pair
    // sees beyond the earlier one.
    void (*weighted_sum_tail)(const float* p, const float* v, int64_t stride, int64_t t0, int64_t t1, int32_t d,
                              float* out);
};

namespace scalar {
extern const AttentionOps attention_ops;
}
#if defined(TFREE4J_X86)
namespace avx2 {
extern const AttentionOps attention_ops;
}
namespace avx512 {
extern const AttentionOps attention_ops;
}
#endif

}  // namespace tf
