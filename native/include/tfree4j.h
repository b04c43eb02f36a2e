/*
 * tfree4j.h — the one C ABI of the tfree4j native library.
 *
 * Java sees only this header (through bindings generated from it, see bindings/).
 * Rules every function follows:
 *   - opaque handles with create/free pairs; free(NULL) is a no-op;
 *   - fixed-width integer types only; all sizes are int64_t element counts;
 *   - every function that can fail returns tf_status; on failure tf_last_error()
 *     returns a thread-local, human-readable message naming the bad argument;
 *   - no C++ exception, abort() or exit() ever crosses this boundary;
 *   - every pointer, size and shape argument is checked before use;
 *   - the library never takes ownership of caller memory unless a function says so.
 *
 * Matrices follow PyTorch's nn.Linear convention: a weight W has shape [rows=out, cols=in]
 * and y = x · Wᵀ. All activations are float32, row-major, contiguous.
 *
 * Keep this file parseable by bindings/generator: one declaration per statement, no macros
 * in declarations, structs declared as `typedef struct name { ... } name;`.
 */
#ifndef TFREE4J_H
#define TFREE4J_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define TF_API __declspec(dllexport)
#else
#define TF_API __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------------------------
 * Status codes and errors
 * ---------------------------------------------------------------------------------------- */

typedef enum tf_status {
    TF_OK = 0,
    TF_ERR_INVALID_ARGUMENT = 1, /* a NULL pointer, a negative or inconsistent size, ...   */
    TF_ERR_OUT_OF_MEMORY = 2,    /* an allocation failed                                    */
    TF_ERR_UNSUPPORTED = 3,      /* a dtype, SIMD level or option this build cannot do      */
    TF_ERR_STATE = 4,            /* a call out of order (e.g. forward before finalize)      */
    TF_ERR_OUT_OF_RANGE = 5,     /* a position or index beyond a capacity                   */
    TF_ERR_INTERNAL = 6          /* a bug: please report                                    */
} tf_status;

/* Message of the last failed call on this thread ("" if none). Valid until the next call. */
TF_API const char* tf_last_error(void);

/* Library version, e.g. "0.1.0". */
TF_API const char* tf_version(void);

/* ------------------------------------------------------------------------------------------
 * CPU features and the execution context (thread pool + SIMD level)
 * ---------------------------------------------------------------------------------------- */

typedef enum tf_simd {
    TF_SIMD_AUTO = -1,  /* the best level this CPU supports                                 */
    TF_SIMD_SCALAR = 0, /* portable C++, runs on any x86-64 / aarch64                        */
    TF_SIMD_AVX2 = 1,   /* AVX2 + FMA                                                        */
    TF_SIMD_AVX512 = 2  /* AVX-512F/BW/VL/DQ                                                 */
} tf_simd;

/* Best SIMD level supported by this CPU and this build (a tf_simd value >= 0). */
TF_API int32_t tf_cpu_best_simd(void);

/* Number of physical cores (not hyper-threads) visible to this process; >= 1. */
TF_API int32_t tf_cpu_physical_cores(void);

/* Where a context runs its kernels. */
typedef enum tf_backend {
    TF_BACKEND_CPU = 0, /* this library's CPU kernels (always available)                    */
    TF_BACKEND_CUDA = 1 /* an NVIDIA GPU, through the optional plugin library libtfree4j_cuda */
} tf_backend;

typedef struct tf_context_params {
    int32_t n_threads; /* worker threads incl. the caller; <= 0 means tf_cpu_physical_cores() */
    int32_t simd;      /* a tf_simd value; a level above tf_cpu_best_simd() is TF_ERR_UNSUPPORTED */
    int32_t backend;   /* a tf_backend value; one that cannot run here is TF_ERR_UNSUPPORTED   */
    int32_t device;    /* TF_BACKEND_CUDA: the device ordinal (>= 0); ignored on the CPU       */
} tf_context_params;

/* Fills *params with the defaults (n_threads = 0, simd = TF_SIMD_AUTO, backend = CPU, device = 0). */
TF_API void tf_context_params_init(tf_context_params* params);

/* 1 if `backend` can run on this machine, else 0 and tf_last_error() says why (for CUDA: no
 * plugin library in this build, no driver, no device). Asking about TF_BACKEND_CPU never
 * loads any CUDA library.
 *
 * On a CUDA context every kernel below still takes host pointers: inputs are copied to the
 * device, the kernel runs there and its outputs are copied back, so the same tests run on
 * both backends. A model created on a CUDA context copies its weights to the device at
 * tf_model_finalize and keeps its KV caches there; a forward copies only the embeddings in
 * and the logits out. Results agree with the CPU's to rounding, not bit for bit. */
TF_API int32_t tf_backend_available(int32_t backend);

typedef struct tf_context tf_context;

/* A context owns a thread pool. It may be used from several threads at once: concurrent
 * kernel calls are serialised on the pool (each call still uses all its threads).
 * Models, caches and dictionaries keep their context alive: tf_context_free may come before
 * their frees, and the context (its threads, its CUDA device) goes with the last of them. */
TF_API tf_status tf_context_create(const tf_context_params* params, tf_context** out);
TF_API void tf_context_free(tf_context* ctx);
TF_API int32_t tf_context_simd(const tf_context* ctx);
TF_API int32_t tf_context_threads(const tf_context* ctx);
/* The context's tf_backend value (-1 for NULL). */
TF_API int32_t tf_context_backend(const tf_context* ctx);

/* ------------------------------------------------------------------------------------------
 * Matrices (weights). The library reads them in place (e.g. from a memory-mapped file).
 * ---------------------------------------------------------------------------------------- */

typedef enum tf_dtype {
    TF_DTYPE_F32 = 0,
    TF_DTYPE_BF16 = 1, /* read as float32 by the kernels (exact widening)                   */
    TF_DTYPE_F16 = 2,  /* IEEE half, read as float32                                        */
    TF_DTYPE_I8 = 3    /* symmetric per-row int8: value = data[r][c] * scales[r]            */
} tf_dtype;

typedef struct tf_matrix {
    const void* data;    /* rows * cols elements of dtype, row-major, contiguous          */
    const float* scales; /* [rows] per-row scales for TF_DTYPE_I8, else NULL              */
    int64_t rows;
    int64_t cols;
    int32_t dtype;       /* a tf_dtype value                                               */
} tf_matrix;

/* ------------------------------------------------------------------------------------------
 * Kernels. Each validates its arguments, runs on ctx's thread pool at ctx's SIMD level,
 * and has a scalar reference version it is tested against (native/tests). The kernels only
 * the native tests and the benchmark call (the embedding sum, W8A8 matmul, RMSNorm, RoPE,
 * attention, SwiGLU) are exported too but declared in native/src/tfree4j_internal.h.
 * ---------------------------------------------------------------------------------------- */

/* y[m, w.rows] = x[m, w.cols] · wᵀ. x and y must not overlap. */
TF_API tf_status tf_matmul(tf_context* ctx, const float* x, int64_t m, const tf_matrix* w,
                           float* y);

/* Symmetric absmax int8 quantization per row (docs/spec/atman-dtm.md §B.3):
 *   src    [rows, cols]   f32 / bf16 / f16
 *   q      [rows, cols]   int8, q = round(v / scale) with ties away from zero, in [-127, 127]
 *   scales [rows]         scale = max|v| / 127; an all-zero row has scale 0 and q = 0
 * A NaN or infinite value is TF_ERR_INVALID_ARGUMENT naming its row. */
TF_API tf_status tf_quantize_rows(tf_context* ctx, const tf_matrix* src, int8_t* q, float* scales);

/* How int8 weights multiply their input. */
typedef enum tf_activation_mode {
    TF_ACT_FLOAT = 0, /* W8A32: activations stay f32, the int8 weights are widened (tf_matmul) */
    TF_ACT_INT8 = 1   /* W8A8: activations quantized per row as tf_quantize_rows does, int32 dot products */
} tf_activation_mode;

/* Attention controls (AtMan, spec docs/spec/atman-dtm.md §A.2) applied per key to the scaled scores. */
typedef enum tf_control_mode {
    TF_CONTROL_NONE = 0,    /* key_control ignored                                          */
    TF_CONTROL_LOG_ADD = 1, /* b = a + ln(m_k); m_k = 0 removes the key                        */
    TF_CONTROL_MULT = 2     /* b = (a − min_{k' ≤ j} a) · m_k  (min over causal keys)          */
} tf_control_mode;

/* x[i] += y[i] */
TF_API tf_status tf_add(tf_context* ctx, float* x, const float* y, int64_t count);

/* out[i] = 1 / (1 + exp(−x[i])). out may alias x. */
TF_API tf_status tf_sigmoid(tf_context* ctx, const float* x, int64_t count, float* out);

/* Numerically stable softmax of one vector; out may alias x. */
TF_API tf_status tf_softmax(tf_context* ctx, const float* x, int64_t count, float* out);

/* A dictionary's sparse word patterns (docs/spec/tfree.md §6.1) in CSR form, word order = token id order:
 *   ids of word w's non-edge set I(w): ids[offsets[w] .. offsets[w+1])
 *   ids of its edge set E(w):          edge_ids[edge_offsets[w] .. edge_offsets[w+1])
 * Within a word the ids keep the reference's pair order (the summation order). */
typedef struct tf_word_patterns {
    const int64_t* offsets;      /* [n_words + 1], offsets[0] = 0, non-decreasing            */
    const int32_t* ids;          /* [offsets[n_words]], each in [0, vocab)                   */
    const int64_t* edge_offsets; /* [n_words + 1]                                             */
    const int32_t* edge_ids;     /* [edge_offsets[n_words]]                                   */
    const int32_t* n_trigrams;   /* [n_words] n(w) >= 1                                       */
    int64_t n_words;
} tf_word_patterns;

/* Dictionary word scores of one logits row (docs/spec/tfree.md §6.2):
 *   a = sigmoid(logits), A = Σ a,  s(w) = Σ_{I(w)} a + edge_weight · Σ_{E(w)} a
 *   score(w) = s / (P·n(w)) + (s − A) / (V − P·n(w))
 *   logits [vocab], scores [patterns.n_words] */
TF_API tf_status tf_word_scores(tf_context* ctx, const float* logits, int64_t vocab,
                                const tf_word_patterns* patterns, int32_t population,
                                float edge_weight, float* scores);

/* A dictionary prepared for repeated scoring (every generated word scores the whole dictionary):
 * the patterns are copied once into the backend's own layout (on CUDA: device memory), so the
 * caller may free them after create. The dictionary keeps its context alive. The edge weight
 * is an argument of each scoring call, so one dictionary serves every weight.
 * Malformed patterns (see tf_word_scores) are TF_ERR_INVALID_ARGUMENT at create. */
typedef struct tf_dictionary tf_dictionary;

TF_API tf_status tf_dictionary_create(tf_context* ctx, const tf_word_patterns* patterns, int64_t vocab,
                                      int32_t population, tf_dictionary** out);
TF_API void tf_dictionary_free(tf_dictionary* dict);
/* Word scores of n_rows logits rows (the formula of tf_word_scores):
 *   logits [n_rows, vocab], scores [n_rows, n_words]
 * On the CPU each row has exactly the bits tf_word_scores gives it. */
TF_API tf_status tf_dictionary_scores(tf_dictionary* dict, const float* logits, int64_t n_rows,
                                      float edge_weight, float* scores);

/* ------------------------------------------------------------------------------------------
 * Model: the transformer of docs/spec/tfree.md §5 as one native object, so that a forward pass is one
 * call (and a CUDA backend can keep everything on the device). Weights are given by their
 * state-dict names and read in place; the caller keeps them alive until tf_model_free.
 * ---------------------------------------------------------------------------------------- */

typedef struct tf_model_params {
    int32_t vocab_size;        /* V                                                     */
    int32_t hidden_size;       /* H                                                     */
    int32_t n_layers;          /* L                                                     */
    int32_t n_heads;           /* heads; head_dim = H / heads (must be even)            */
    int32_t intermediate_size; /* F = int(H · mlp_factor)                               */
    int32_t max_positions;     /* sequence_length: rows of rope_table                   */
    float norm_eps;            /* RMSNorm epsilon                                       */
    const float* rope_table;   /* [max_positions, head_dim/2, 2], copied at create      */
    int32_t activation_mode;   /* a tf_activation_mode: how TF_DTYPE_I8 weights multiply */
} tf_model_params;

/* Fills *params with zeros, norm_eps = 1e-5 and activation_mode = TF_ACT_FLOAT. */
TF_API void tf_model_params_init(tf_model_params* params);

typedef struct tf_model tf_model;

TF_API tf_status tf_model_create(tf_context* ctx, const tf_model_params* params,
                                 tf_model** out);
TF_API void tf_model_free(tf_model* model);

/* Sets one weight by its state-dict name, e.g. "transformer.layers.3.mlp.dense_in.weight".
 * The shape is checked against the params; norm weights (rows = 1 or a [H] vector given as
 * rows = 1, cols = H) are copied to f32, matrices are referenced in place.
 * Unknown names or wrong shapes: TF_ERR_INVALID_ARGUMENT naming the tensor. Not concurrently
 * with a forward or embed on this model (on CUDA a weight set after finalize makes the next
 * forward upload the weights again, freeing the copy a running forward would still read). */
TF_API tf_status tf_model_set_weight(tf_model* model, const char* name, const tf_matrix* w);

/* Checks that every weight has been set (the error names the first missing one). */
TF_API tf_status tf_model_finalize(tf_model* model);

/* Embedding of a batch of words through the model's embedding table (tf_embed_sum). */
TF_API tf_status tf_model_embed(tf_model* model, const int32_t* ids, int64_t n_rows,
                                int32_t population, const int32_t* row_word, int64_t n_words,
                                float* out);

/* A KV cache for one sequence (one generation). Owns its scratch memory, so decode steps
 * allocate nothing. Several caches may run forwards on one model concurrently. */
typedef struct tf_cache tf_cache;

TF_API tf_status tf_cache_create(tf_model* model, int32_t capacity, tf_cache** out);
TF_API void tf_cache_free(tf_cache* cache);
/* Number of positions currently cached. */
TF_API int64_t tf_cache_length(const tf_cache* cache);
/* Drops positions >= length (length <= current length). */
TF_API tf_status tf_cache_truncate(tf_cache* cache, int64_t length);
/* Makes dst a copy of src's first `length` positions (same model and capacity >= length). */
TF_API tf_status tf_cache_copy_prefix(tf_cache* dst, const tf_cache* src, int64_t length);

typedef struct tf_forward_params {
    const float* key_control; /* [cache length after the call] or NULL (see tf_control_mode) */
    int32_t control_mode;     /* a tf_control_mode value                                  */
    const uint8_t* layer_mask;/* [n_layers]: 1 = apply key_control in that layer; NULL = all */
    float* layer_outputs;     /* optional [n_layers, n, H]: residual stream after each layer */
    float* final_hidden;      /* optional [n, H]: after the final RMSNorm                 */
    int32_t logits_rows;      /* 0 = logits of all n positions, k > 0 = of the last k only */
} tf_forward_params;

/* Fills *params with the defaults (no control, nothing captured, all logits rows). */
TF_API void tf_forward_params_init(tf_forward_params* params);

/* Runs n new words through the model on top of the cache (positions length .. length+n−1),
 * appends their keys/values to the cache, and writes logits:
 *   embeddings [n, H]   (from tf_model_embed)
 *   logits     [n, V], or [min(k, n), V] for params->logits_rows = k > 0
 * TF_ERR_OUT_OF_RANGE if length + n exceeds the cache capacity or max_positions. */
TF_API tf_status tf_model_forward(tf_model* model, tf_cache* cache, const float* embeddings,
                                  int64_t n, const tf_forward_params* params, float* logits);

/* Several sequences' forwards in one call (e.g. AtMan's suppressed passes): item b runs n[b]
 * new words on top of caches[b] with params[b] (NULL or a NULL entry = defaults) and writes
 * logits[b], as tf_model_forward(model, caches[b], embeddings[b], n[b], params[b], logits[b])
 * would:
 *   caches     [n_items]   distinct caches of this model
 *   embeddings [n_items]   item b: [n[b], H]
 *   n          [n_items]   >= 1 each
 *   params     [n_items]   or NULL
 *   logits     [n_items]   item b: [n[b], V] or [min(k, n[b]), V] (its logits_rows = k)
 * Every matmul runs once over the rows of all items stacked (on the CPU and on CUDA), so each
 * weight is read once per call (per chunk of 512 rows, 256 on CUDA) for all items;
 * tf_model_forward is the same code with one item. Batch invariance: on the CPU, every item gets
 * exactly the bits (logits, and the keys and values it caches) of its own tf_model_forward call,
 * whatever the other items are, at every SIMD level and thread count and for every weight dtype
 * and activation mode: each item's rows go through the matmul arithmetic its own call would use
 * (one-row items, i.e. decode steps, the decode kernels; longer items the prefill GEMM), while
 * each weight is still read once per round for all rows of each kind
 * (native/tests/test_batch_invariance.cpp). Continuous batching relies on
 * it. (The guarantee is the CPU's; a CUDA context's batch is not checked for it.) On failure no
 * cache length changes. */
TF_API tf_status tf_model_forward_batch(tf_model* model, int32_t n_items, tf_cache* const* caches,
                                        const float* const* embeddings, const int64_t* n,
                                        const tf_forward_params* const* params, float* const* logits);

/* ------------------------------------------------------------------------------------------
 * Stack: the transformer layers alone (pre-norm blocks of attention + SwiGLU MLP), with the
 * options other model families need. tf_model is an embedding + a stack + an lm_head; another
 * family (e.g. HAT's encoder, backbone and decoder) builds its parts from stacks.
 * Per layer: h = RMSNorm_in(x); q, k, v = h·Wqᵀ, h·Wkᵀ, h·Wvᵀ; RoPE(q, k); attention;
 * x += att·Woᵀ; h = RMSNorm_post(x); x += (silu(h·W_gateᵀ) ⊙ h·W_upᵀ)·W_downᵀ. Then an optional
 * final RMSNorm and an optional head. On a CUDA context tf_stack_create refuses options the
 * plugin has no kernels for (today: rotate-half RoPE, a window, non-causal attention, GQA) with
 * TF_ERR_UNSUPPORTED naming the op; tf_stack_finalize copies the weights to the device. The
 * caches are tf_cache objects (tf_cache_free, _length, _truncate).
 * ---------------------------------------------------------------------------------------- */

typedef enum tf_rope_kind {
    TF_ROPE_INTERLEAVED = 0, /* pairs (x[2i], x[2i+1]) of each head (T-FREE, "rotary_complex")  */
    TF_ROPE_ROTATE_HALF = 1  /* pairs (x[i], x[i + head_dim/2]) (GPT-NeoX / Llama "neox style")  */
} tf_rope_kind;

typedef enum tf_rope_scaling {
    TF_ROPE_SCALING_NONE = 0,  /* inv_freq[i] = theta^(-2i/head_dim)                             */
    TF_ROPE_SCALING_LLAMA3 = 1 /* Llama 3.1: long wavelengths / factor, a smooth band between     */
} tf_rope_scaling;

typedef enum tf_attention_kind {
    TF_ATTENTION_CAUSAL = 0,    /* key t is seen by queries at t and later (optionally windowed)  */
    TF_ATTENTION_NON_CAUSAL = 1 /* every query sees every key in the cache after the call: one call
                                   is one segment (tf_cache_truncate(cache, 0) starts the next)   */
} tf_attention_kind;

typedef struct tf_stack_params {
    int32_t hidden_size;        /* H                                                            */
    int32_t n_layers;           /* L                                                            */
    int32_t n_heads;            /* query heads; head_dim = H / n_heads (even)                    */
    int32_t n_kv_heads;         /* key/value heads (grouped-query attention), dividing n_heads;
                                   0 = n_heads. Query head h uses kv head h / (n_heads/n_kv_heads) */
    int32_t intermediate_size;  /* F                                                            */
    int32_t max_positions;      /* rows of the RoPE table: every position is < max_positions     */
    float norm_eps;             /* RMSNorm epsilon                                              */
    int32_t rope_kind;          /* a tf_rope_kind                                               */
    float rope_theta;           /* base of inv_freq (> 0)                                       */
    int32_t rope_scaling;       /* a tf_rope_scaling                                            */
    float rope_factor;          /* llama3: factor (>= 1)                                        */
    float rope_low_freq_factor; /* llama3: low_freq_factor                                      */
    float rope_high_freq_factor;/* llama3: high_freq_factor (> low_freq_factor)                 */
    int32_t rope_original_max_positions; /* llama3: original_max_position_embeddings (>= 1)     */
    const float* rope_table;    /* optional [max_positions, head_dim/2, 2] (cos, sin), copied at
                                   create; replaces theta and scaling when not NULL              */
    int32_t attention_kind;     /* a tf_attention_kind                                          */
    int32_t window;             /* causal only: > 0 = a query sees the last `window` keys, itself
                                   included, and caches are rings (tf_stack_cache_create); 0 = all */
    int32_t final_norm;         /* 1 = an RMSNorm after the last layer, 0 = none                */
    int32_t vocab_size;         /* > 0: a head [vocab_size, H], forward writes logits; 0 = no head,
                                   forward writes the hidden states                              */
    int32_t activation_mode;    /* a tf_activation_mode: how TF_DTYPE_I8 weights multiply        */
    /* Weight names: layer l's tensor X is layer_prefix + "<l>." + X; the final norm and the head
     * are named in full. Copied at create. */
    const char* layer_prefix;
    const char* input_norm_name;
    const char* query_name;
    const char* key_name;
    const char* value_name;
    const char* output_name;
    const char* post_norm_name;
    const char* gate_name;
    const char* up_name;
    const char* down_name;
    const char* final_norm_name;
    const char* head_name;
} tf_stack_params;

/* Fills *params with the defaults: zero sizes, n_kv_heads = 0, norm_eps = 1e-5, rotate-half
 * RoPE with theta 10000 and no scaling (llama3 fields 8 / 1 / 4 / 8192), causal attention
 * without a window, a final norm, no head, TF_ACT_FLOAT, and the Hugging Face Llama names
 * ("model.layers.", "input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.k_proj.weight",
 * "self_attn.v_proj.weight", "self_attn.o_proj.weight", "post_attention_layernorm.weight",
 * "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight", "model.norm.weight",
 * "lm_head.weight"). */
TF_API void tf_stack_params_init(tf_stack_params* params);

typedef struct tf_stack tf_stack;

TF_API tf_status tf_stack_create(tf_context* ctx, const tf_stack_params* params, tf_stack** out);
/* Frees a stack; its caches stay valid to free (they keep what they need alive). */
TF_API void tf_stack_free(tf_stack* stack);
/* Sets one weight by name (see tf_stack_params); the rules of tf_model_set_weight. */
TF_API tf_status tf_stack_set_weight(tf_stack* stack, const char* name, const tf_matrix* w);
/* Checks that every weight has been set (the error names the first missing one). */
TF_API tf_status tf_stack_finalize(tf_stack* stack);

/* A cache of this stack. Without a window: `capacity` positions (<= max_positions). With a
 * window W: a ring of capacity >= W slots; the sequence may grow past it (each key overwrites
 * the one `capacity` positions back); a forward runs capacity − W + 1 rows at a time, so a
 * capacity above W makes prefill faster. */
TF_API tf_status tf_stack_cache_create(tf_stack* stack, int32_t capacity, tf_cache** out);

/* Runs n rows on top of the cache (cache indices length .. length+n−1) and appends their keys
 * and values:
 *   input     [n, H]
 *   positions [n] RoPE positions, each in [0, max_positions), or NULL = the cache indices
 *   params    as for tf_model_forward (NULL = defaults); key_control is indexed by cache index
 *   out       [n or min(k, n), vocab_size] logits with a head, else [.., H] hidden states (after
 *             the final norm when there is one); k = params->logits_rows
 * TF_ERR_OUT_OF_RANGE if the cache (without a window) or a position would exceed its limit.
 * On failure the cache length is unchanged (a ring's older keys may have been overwritten by a
 * failed long call: start it again with tf_cache_truncate(cache, 0)). */
TF_API tf_status tf_stack_forward(tf_stack* stack, tf_cache* cache, const float* input, int64_t n,
                                  const int32_t* positions, const tf_forward_params* params, float* out);

/* ------------------------------------------------------------------------------------------
 * HAT ops (docs/spec/hat.md): what the stacks alone cannot express.
 * ---------------------------------------------------------------------------------------- */

/* Rotates x in place with the stack's RoPE (its pairing, theta, scaling or table):
 *   x [n, n_heads * head_dim of the stack]; positions [n], each in [0, max_positions).
 * HAT's encoder connector rotates its query and keys with the encoder's rotary (§2.3). */
TF_API tf_status tf_stack_rope(tf_stack* stack, float* x, int64_t n, int32_t n_heads, const int32_t* positions);

/* Segmented non-causal attention (HAT's encoder connector, §2.3: one query per word over the
 * bytes of that word only), with grouped-query heads:
 *   q         [n_q, n_heads*head_dim]     (already rotated)
 *   k, v      [n_k, n_kv_heads*head_dim]  (k already rotated)
 *   key_begin, key_end [n_q]: query i sees keys [key_begin[i], key_end[i]), a non-empty range
 *             inside [0, n_k)
 *   out       [n_q, n_heads*head_dim]
 * Query head h reads kv head h / (n_heads / n_kv_heads); scores (q·k)/sqrt(head_dim) in f32,
 * softmax, · v. */
TF_API tf_status tf_segment_attention(tf_context* ctx, const float* q, int64_t n_q, const float* k,
                                      const float* v, int64_t n_k, const int64_t* key_begin,
                                      const int64_t* key_end, int32_t n_heads, int32_t n_kv_heads,
                                      int32_t head_dim, float* out);

#ifdef __cplusplus
}
#endif

#endif /* TFREE4J_H */
