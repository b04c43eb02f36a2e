/*
 * tfree4j_internal.h — functions the library exports for its native tests and the benchmark
 * only (native/tests, native/bench): the single kernels a forward is made of, checked one by
 * one against their scalar references, and dictionary statistics. Not part of the public ABI
 * (Java has no bindings for them); they follow the rules of tfree4j.h.
 */
#ifndef TFREE4J_INTERNAL_H
#define TFREE4J_INTERNAL_H

#include "tfree4j.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sparse trigram embedding (docs/spec/tfree.md §4):
 *   table  [V, H]            embedding matrix (f32 / bf16 / f16 / i8)
 *   ids    [n_rows, P]       vocab ids, each in [0, V); repeats count repeatedly
 *   row_word [n_rows]        word position of each row, in [0, n_words)
 *   out    [n_words, H]      out[w] = Σ_{rows r of w} Σ_j table[ids[r][j]]  (zeroed first)
 * Per row the P table rows are summed first (g_r), then g_r is added to out[row_word[r]]
 * in row order — the reference's order. */
TF_API tf_status tf_embed_sum(tf_context* ctx, const tf_matrix* table, const int32_t* ids,
                              int64_t n_rows, int32_t population, const int32_t* row_word,
                              int64_t n_words, float* out);

/* W8A8 matmul: each x row is quantized as tf_quantize_rows does (qx, sx), then
 *   y[i, r] = float(Σ_c qx[i,c]·qw[r,c]) · sx[i] · w.scales[r]
 * with the dot product summed exactly in int32, so every SIMD level gives identical bits.
 *   x [m, w.cols] f32, w TF_DTYPE_I8 with w.cols <= 131072 (127²·2^17 < 2^31), y [m, w.rows]
 * A non-finite x value is TF_ERR_INVALID_ARGUMENT. */
TF_API tf_status tf_matmul_a8(tf_context* ctx, const float* x, int64_t m, const tf_matrix* w,
                              float* y);

/* RMSNorm per row: out = x / sqrt(mean(x²) + eps) * weight.
 *   x, out [n, dim] (may alias), weight [dim] f32 */
TF_API tf_status tf_rmsnorm(tf_context* ctx, const float* x, int64_t n, int64_t dim,
                            const float* weight, float eps, float* out);

/* Interleaved-pair rotary embedding, in place (docs/spec/tfree.md §5 "rotary_complex"):
 *   x     [n, n_heads * head_dim]
 *   positions [n]            each in [0, table_positions)
 *   table [table_positions, head_dim/2, 2]   (cos, sin) of the float32 angle pos·inv_freq[i]
 *   out[2i] = x[2i]·cos − x[2i+1]·sin ;  out[2i+1] = x[2i]·sin + x[2i+1]·cos */
TF_API tf_status tf_rope(tf_context* ctx, float* x, int64_t n, int32_t n_heads,
                         int32_t head_dim, const int32_t* positions, const float* table,
                         int64_t table_positions);

/* Causal multi-head attention over a KV cache (no GQA):
 *   q        [n_q, n_heads*head_dim]   queries at absolute positions q_pos0 .. q_pos0+n_q−1
 *   k, v     [kv_len, n_heads*head_dim] cached keys (after RoPE) and values, rows 0..kv_len−1
 *   key_control [kv_len] or NULL       per-key factor m_k (see tf_control_mode)
 *   out      [n_q, n_heads*head_dim]
 * Query i sees keys 0 .. q_pos0+i (requires q_pos0 + n_q <= kv_len).
 * scores = (q·kᵀ)/sqrt(head_dim) in f32, control, causal mask, softmax f32, · v. */
TF_API tf_status tf_attention(tf_context* ctx, const float* q, int64_t n_q, int64_t q_pos0,
                              const float* k, const float* v, int64_t kv_len, int32_t n_heads,
                              int32_t head_dim, const float* key_control, int32_t control_mode,
                              float* out);

/* out[i] = silu(gate[i]) * up[i], silu(x) = x / (1 + exp(−x)). out may alias gate or up. */
TF_API tf_status tf_swiglu(tf_context* ctx, const float* gate, const float* up, int64_t count,
                           float* out);

/* Number of words of the dictionary (0 for NULL). */
TF_API int64_t tf_dictionary_words(const tf_dictionary* dict);
/* Bytes of the dictionary's own layout (0 for NULL). */
TF_API int64_t tf_dictionary_bytes(const tf_dictionary* dict);

#ifdef __cplusplus
}
#endif

#endif /* TFREE4J_INTERNAL_H */
