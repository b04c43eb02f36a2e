/*
 * cuda_plugin.h — the interface between libtfree4j and its optional CUDA plugin
 * (libtfree4j_cuda.so, built from native/cuda/). Internal: Java never sees it.
 *
 * libtfree4j links no CUDA library. On the first tf_backend_available(TF_BACKEND_CUDA) or CUDA
 * context it dlopen()s the plugin (next to libtfree4j, or the file named by the environment
 * variable TFREE4J_CUDA_PLUGIN) and calls its one exported symbol
 *     const tf_cuda_plugin* tf_cuda_plugin_get(int32_t version);
 * which returns the table of entry points for that interface version, or NULL if the plugin
 * does not speak it. Bump TF_CUDA_PLUGIN_VERSION on any change to this file.
 *
 * Rules of every entry point:
 *   - libtfree4j has already validated every argument exactly as the CPU path does (same
 *     errors for Java); the plugin only checks what needs the device;
 *   - pointers named in the public header are HOST pointers: the plugin copies inputs to the
 *     device, runs, copies outputs back and synchronises before returning;
 *   - failures return a tf_status and leave a message (naming the CUDA call and its
 *     cudaGetErrorString text) in the plugin's thread-local last_error(); nothing aborts and
 *     no C++ exception crosses the boundary;
 *   - calls on one device are serialised by the device's mutex (one stream per device).
 */
#ifndef TFREE4J_CUDA_PLUGIN_H
#define TFREE4J_CUDA_PLUGIN_H

#include <stdint.h>

#include "tfree4j.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TF_CUDA_PLUGIN_VERSION 1

typedef struct tf_cuda_device tf_cuda_device;         /* one GPU: ordinal, stream, scratch        */
typedef struct tf_cuda_model tf_cuda_model;           /* a model's weights in device memory        */
typedef struct tf_cuda_cache tf_cuda_cache;           /* a KV cache + forward scratch on the device */
typedef struct tf_cuda_dictionary tf_cuda_dictionary; /* word patterns in device memory            */

/* One sequence of a (batched) forward; see tf_model_forward_batch. */
typedef struct tf_cuda_forward_item {
    tf_cuda_cache* cache;
    int64_t length;                  /* the cache's length before the call (kept by libtfree4j) */
    const float* embeddings;         /* host [n, H]                                             */
    int64_t n;                       /* >= 1, length + n <= capacity                            */
    const tf_forward_params* params; /* never NULL; host pointers inside                         */
    float* logits;                   /* host [n or min(logits_rows, n), V]                      */
} tf_cuda_forward_item;

typedef struct tf_cuda_plugin {
    int32_t version; /* TF_CUDA_PLUGIN_VERSION */
    /* Message of the last failed call on this thread. */
    const char* (*last_error)(void);
    /* Number of CUDA devices; a driver or runtime problem is TF_ERR_UNSUPPORTED with its text. */
    tf_status (*device_count)(int32_t* count);
    tf_status (*device_create)(int32_t ordinal, tf_cuda_device** out);
    void (*device_free)(tf_cuda_device* dev);
    /* The device's name, e.g. "NVIDIA H100 80GB HBM3" (NUL-terminated, truncated to cap). */
    tf_status (*device_name)(tf_cuda_device* dev, char* buf, int32_t cap);

    /* Kernels: the public functions of the same name (tfree4j.h), host pointers. */
    tf_status (*embed_sum)(tf_cuda_device* dev, const tf_matrix* table, const int32_t* ids, int64_t n_rows,
                           int32_t population, const int32_t* row_word, int64_t n_words, float* out);
    tf_status (*matmul)(tf_cuda_device* dev, const float* x, int64_t m, const tf_matrix* w, float* y);
    /* *bad_row = the first row holding a NaN / inf (then TF_OK is still returned), else -1. */
    tf_status (*quantize_rows)(tf_cuda_device* dev, const tf_matrix* src, int8_t* q, float* scales,
                               int64_t* bad_row);
    tf_status (*matmul_a8)(tf_cuda_device* dev, const float* x, int64_t m, const tf_matrix* w, float* y,
                           int64_t* bad_row);
    tf_status (*rmsnorm)(tf_cuda_device* dev, const float* x, int64_t n, int64_t dim, const float* weight, float eps,
                         float* out);
    tf_status (*rope)(tf_cuda_device* dev, float* x, int64_t n, int32_t n_heads, int32_t head_dim,
                      const int32_t* positions, const float* table, int64_t table_positions);
    tf_status (*attention)(tf_cuda_device* dev, const float* q, int64_t n_q, int64_t q_pos0, const float* k,
                           const float* v, int64_t kv_len, int32_t n_heads, int32_t head_dim,
                           const float* key_control, int32_t control_mode, float* out);
    tf_status (*swiglu)(tf_cuda_device* dev, const float* gate, const float* up, int64_t count, float* out);
    tf_status (*add)(tf_cuda_device* dev, float* x, const float* y, int64_t count);
    tf_status (*sigmoid)(tf_cuda_device* dev, const float* x, int64_t count, float* out);
    tf_status (*softmax)(tf_cuda_device* dev, const float* x, int64_t count, float* out);
    /* Patterns fully validated (ids in range included). */
    tf_status (*word_scores)(tf_cuda_device* dev, const float* logits, int64_t vocab,
                             const tf_word_patterns* patterns, int32_t population, float edge_weight, float* scores);

    /* Dictionary (tf_dictionary_*): patterns validated, copied to the device at create. */
    tf_status (*dictionary_create)(tf_cuda_device* dev, const tf_word_patterns* patterns, int64_t vocab,
                                   int32_t population, tf_cuda_dictionary** out);
    void (*dictionary_free)(tf_cuda_dictionary* dict);
    tf_status (*dictionary_scores)(tf_cuda_dictionary* dict, const float* logits, int64_t n_rows, float edge_weight,
                                   float* scores);

    /* Model. weights: the 9·L + 3 tensors in state-dict order, all set and shape-checked:
     *   [0] embedding [V, H];
     *   per layer l at 1 + 9·l: input_norm [1, H] f32, query, key, value, dense [H, H],
     *                           post_norm [1, H] f32, dense_in, swiglu [F, H], dense_out [H, F];
     *   [1 + 9·L] final norm [1, H] f32, [2 + 9·L] lm_head [V, H].
     * Every tensor is copied to the device (dtype kept); the host copies may be freed after. */
    tf_status (*model_create)(tf_cuda_device* dev, const tf_model_params* params, const tf_matrix* weights,
                              int64_t n_weights, tf_cuda_model** out);
    void (*model_free)(tf_cuda_model* model);
    /* tf_model_embed with the device's table (ids / row_word validated). */
    tf_status (*model_embed)(tf_cuda_model* model, const int32_t* ids, int64_t n_rows, int32_t population,
                             const int32_t* row_word, int64_t n_words, float* out);
    /* A cache needs only the model's shape (it never points at the weights, which a stale
     * model re-uploads). */
    tf_status (*cache_create)(tf_cuda_device* dev, const tf_model_params* params, int64_t capacity,
                              tf_cuda_cache** out);
    void (*cache_free)(tf_cuda_cache* cache);
    /* Copies the first `length` positions of every layer's K/V (dst != src, capacity checked). */
    tf_status (*cache_copy_prefix)(tf_cuda_cache* dst, const tf_cuda_cache* src, int64_t length);
    /* Forwards of n_items sequences (distinct caches, validated), their rows stacked so that each
     * weight is read once per round for all items (the CPU's recipe, native/src/stack.cpp). On
     * failure the caller keeps every cache length unchanged. Only tf_model's T-FREE stack runs
     * here: tf_stack's options (GQA, rotate-half RoPE, windows, non-causal) are refused on a CUDA
     * context with TF_ERR_UNSUPPORTED before the plugin is asked. */
    tf_status (*forward)(tf_cuda_model* model, int32_t n_items, const tf_cuda_forward_item* items);

    /* Benchmark: the device's limits, measured now. hbm_gbs: a streaming read over a buffer
     * much larger than L2 (GB/s); bf16_tflops / int8_tops: a loop of tensor-core MMAs. */
    tf_status (*measure_limits)(tf_cuda_device* dev, double* hbm_gbs, double* bf16_tflops, double* int8_tops);
} tf_cuda_plugin;

typedef const tf_cuda_plugin* (*tf_cuda_plugin_get_fn)(int32_t version);

#ifdef __cplusplus
}
#endif

#endif /* TFREE4J_CUDA_PLUGIN_H */
