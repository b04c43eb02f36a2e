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
 *   - the kernels named after public functions take HOST pointers: the plugin copies inputs
 *     to the device, runs, copies outputs back and synchronises before returning; the
 *     forward's ops (op_*) take device pointers and only queue work (see below);
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

#define TF_CUDA_PLUGIN_VERSION 2

typedef struct tf_cuda_device tf_cuda_device;         /* one GPU: ordinal, stream, scratch        */
typedef struct tf_cuda_buffer tf_cuda_buffer;         /* one device allocation                     */
typedef struct tf_cuda_dictionary tf_cuda_dictionary; /* word patterns in device memory            */

/* The ops of the forward recipe (native/src/backend.h), for the plugin's "supported" answer. */
typedef enum tf_cuda_op {
    TF_CUDA_OP_EMBED = 0,  /* sum of embedding rows from a resident table   */
    TF_CUDA_OP_RMSNORM,
    TF_CUDA_OP_MATMUL,     /* every tf_dtype, W8A32 and W8A8                */
    TF_CUDA_OP_ROPE,       /* params->rope_kind, from the stack's table     */
    TF_CUDA_OP_ATTENTION,  /* with the cache: kv heads, kind, window        */
    TF_CUDA_OP_SWIGLU,
    TF_CUDA_OP_ADD,
    TF_CUDA_OP_HEAD,       /* params->vocab_size > 0: the head matmul       */
    TF_CUDA_OP_COUNT
} tf_cuda_op;

/* Directions of copy. */
typedef enum tf_cuda_copy_kind { TF_CUDA_TO_DEVICE = 0, TF_CUDA_TO_HOST = 1, TF_CUDA_ON_DEVICE = 2 } tf_cuda_copy_kind;

/* One attention call of the forward (device pointers; see tf::AttentionArgs in layer_ops.h):
 * query i (index q_pos0 + i) sees keys [0, q_pos0 + i] (causal, no window); element c of
 * head h at key t is k[h*kv_head_stride + t*kv_row_stride + c]. */
typedef struct tf_cuda_attention {
    const float* q;            /* [n_q, n_heads*head_dim]                                       */
    int64_t n_q, q_pos0;
    const float* k;
    const float* v;
    int64_t kv_row_stride, kv_head_stride, kv_len;
    int32_t n_heads, head_dim;
    const float* key_control;  /* device [kv_len] or NULL                                       */
    int32_t control_mode;
    int64_t first_controlled;  /* first key whose control is not 1 (kv_len if none)             */
    float* out;                /* [n_q, n_heads*head_dim]                                       */
} tf_cuda_attention;

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

    /* ---- The forward, op by op (native/src/stack.cpp runs the one layer loop) -------------
     * libtfree4j keeps the weights (uploaded tensor by tensor, by name on its side: no fixed
     * list here), the caches and the scratch in buffers it allocates below, and calls one op
     * at a time. Pointers are DEVICE pointers unless named host; ops are queued on the
     * device's stream in call order and return without waiting (copy TO_HOST and
     * synchronize wait). */

    /* A device allocation of `bytes` (> 0) bytes; *data is its device address. */
    tf_status (*buffer_create)(tf_cuda_device* dev, int64_t bytes, tf_cuda_buffer** out, void** data);
    void (*buffer_free)(tf_cuda_buffer* buffer);
    /* bytes from src to dst (kind: host to device, device to host, device to device). */
    tf_status (*copy)(tf_cuda_device* dev, void* dst, const void* src, int64_t bytes, int32_t kind);
    /* height rows of width bytes, device to device, with the two row pitches. */
    tf_status (*copy_2d)(tf_cuda_device* dev, void* dst, int64_t dst_pitch, const void* src, int64_t src_pitch,
                         int64_t width, int64_t height);
    /* Waits for every queued op; a failure of one of them is reported here. */
    tf_status (*synchronize)(tf_cuda_device* dev);

    /* 0 when the plugin runs op for stacks of these params, else 1 with the reason in why. */
    int32_t (*op_unsupported)(tf_cuda_device* dev, int32_t op, const tf_stack_params* params, char* why,
                              int32_t cap);
    /* tf_model_embed from a resident table (ids and row_word validated, host; out host; waits). */
    tf_status (*op_embed)(tf_cuda_device* dev, const tf_matrix* table, const int32_t* ids, int64_t n_rows,
                          int32_t population, const int32_t* row_word, int64_t n_words, float* out);
    tf_status (*op_rmsnorm)(tf_cuda_device* dev, const float* x, int64_t n, int64_t dim, const float* weight,
                            float eps, float* out);
    /* y [m, w.rows] = x [m, w.cols] · wᵀ; w's data and scales are device pointers. */
    tf_status (*op_matmul)(tf_cuda_device* dev, const float* x, int64_t m, const tf_matrix* w, float* y);
    /* q [rows, cols], scales [rows] of x as tf_quantize_rows; *bad (device, set to UINT64_MAX
     * by the caller) gets the smallest row holding a NaN / inf. */
    tf_status (*op_quantize)(tf_cuda_device* dev, const float* x, int64_t rows, int64_t cols, int8_t* q,
                             float* scales, uint64_t* bad);
    /* W8A8 on op_quantize's output (w int8). */
    tf_status (*op_matmul_a8)(tf_cuda_device* dev, const int8_t* q, const float* scales, int64_t m,
                              const tf_matrix* w, float* y);
    /* Interleaved RoPE in place: x [n, n_heads*head_dim], positions [n], table [*, head_dim/2, 2]. */
    tf_status (*op_rope)(tf_cuda_device* dev, float* x, int64_t n, int32_t n_heads, int32_t head_dim,
                         const int32_t* positions, const float* table);
    /* rows [n, n_heads*head_dim] into the head-major block [n_heads, capacity, head_dim] at
     * indices base .. base + n − 1. */
    tf_status (*op_store_heads)(tf_cuda_device* dev, float* block, const float* rows, int64_t n, int64_t base,
                                int64_t capacity, int32_t n_heads, int32_t head_dim);
    tf_status (*op_attention)(tf_cuda_device* dev, const tf_cuda_attention* args);
    tf_status (*op_swiglu)(tf_cuda_device* dev, const float* gate, const float* up, int64_t count, float* out);
    tf_status (*op_add)(tf_cuda_device* dev, float* x, const float* y, int64_t count);

    /* Benchmark: the device's limits, measured now. hbm_gbs: a streaming read over a buffer
     * much larger than L2 (GB/s); bf16_tflops / int8_tops: a loop of tensor-core MMAs. */
    tf_status (*measure_limits)(tf_cuda_device* dev, double* hbm_gbs, double* bf16_tflops, double* int8_tops);
} tf_cuda_plugin;

typedef const tf_cuda_plugin* (*tf_cuda_plugin_get_fn)(int32_t version);

#ifdef __cplusplus
}
#endif

#endif /* TFREE4J_CUDA_PLUGIN_H */
