// The structs behind the opaque tf_model and tf_cache handles (model.cpp, cache.cpp,
// forward.cpp). Internal: tests may include it to reach knobs such as chunk_rows.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "context.h"
#include "tfree4j.h"

namespace tf {

// One transformer layer's weights (spec §7.3 names under transformer.layers.{l}.).
struct LayerWeights {
    std::vector<float> input_norm;  // [H]  input_layernorm.weight, copied to f32
    tf_matrix query{}, key{}, value{}, dense{};  // [H, H] attention.*.weight, in place
    std::vector<float> post_norm;   // [H]  post_attention_layernorm.weight, f32
    tf_matrix dense_in{};           // [F, H] gate (gets SiLU)
    tf_matrix swiglu{};             // [F, H] up (linear branch)
    tf_matrix dense_out{};          // [H, F] down
};

// One settable state-dict tensor: where it goes, the shape it must have, whether it was set.
struct WeightSlot {
    std::string name;
    int64_t rows, cols;           // expected shape; norm vectors are rows = 1, cols = H
    std::string shape_text;       // e.g. "[F, H] = [42, 16]", for error messages
    tf_matrix* matrix;            // a matrix referenced in place, or
    std::vector<float>* vector;   // a norm weight copied to f32
    bool set;
};

}  // namespace tf

struct tf_model {
    tf_context* ctx = nullptr;           // a reference (tf::context_retain), dropped last
    tf_model_params params;              // params.rope_table points into `rope`
    int32_t head_dim;                    // H / n_heads, even
    std::vector<float> rope;             // [max_positions, head_dim/2, 2] (cos, sin)
    tf_matrix embedding{};               // [V, H]
    std::vector<tf::LayerWeights> layers;  // [L]
    std::vector<float> final_norm;       // [H] transformer.norm.weight
    tf_matrix lm_head{};                 // [V, H]
    // Slots point into the members above; those are sized once at create, so the
    // pointers stay valid. Order = state-dict order (finalize reports the first missing).
    std::vector<tf::WeightSlot> slots;
    std::unordered_map<std::string, size_t> slot_index;
    bool finalized = false;
    // CUDA context: the weights on the device, uploaded at finalize (a weight set after that
    // marks the copy stale; the next forward or embed uploads again). Owned.
    tf_cuda_model* cuda = nullptr;
    bool cuda_stale = false;
    // Guards cuda / cuda_stale: concurrent forwards on several caches may all find the copy
    // stale; one uploads, the others then see it fresh (instead of freeing it twice).
    std::mutex cuda_mutex;
    tf_model() = default;
    tf_model(const tf_model&) = delete;
    tf_model& operator=(const tf_model&) = delete;
    ~tf_model() {
        if (cuda != nullptr) ctx->plugin->model_free(cuda);
        tf::context_release(ctx);
    }
};

// Rows per internal forward chunk: a long prefill runs in chunks of this many words, which
// bounds the scratch (7B: ~80 MB at 512 rows) without changing the result (causal model).
// 512 rather than 256: the W8A8 prefill GEMM reaches ~53 % of the int8 peak at m = 512 vs
// ~49–51 % at 256 (BENCHMARKS.md), for ~40 MB more scratch on the 7B shape.
constexpr int64_t kDefaultChunkRows = 512;

struct tf_cache {
    tf_model* model;
    int64_t capacity;                 // positions, <= max_positions
    int64_t length = 0;               // positions cached; rows >= length of k/v are garbage
    int64_t chunk_rows = kDefaultChunkRows;
    // Post-RoPE keys and values, [L, n_heads, capacity, head_dim] f32: head-major, so that
    // attention streams one head's keys contiguously (with [capacity, H] rows every key of a
    // head sits on another page: a TLB miss per key in long contexts). Allocated without
    // initialisation so that the OS commits pages only as positions are filled.
    std::unique_ptr<float[]> k, v;

    // Scratch of one forward chunk, sized for scratch_rows rows (grown by prefill, never by
    // a decode step: create sizes it for one row).
    int64_t scratch_rows = 0;
    std::vector<float> x, h, q, att;  // [rows, H] residual stream, normed input / sublayer out, queries, attention out
    std::vector<float> gate, up;      // [rows, F]
    std::vector<int32_t> positions;   // [rows]
    // W8A8 (activation_mode TF_ACT_INT8) only: a matmul input quantized per row.
    std::vector<int8_t> act_q;        // [rows, max(H, F)]
    std::vector<float> act_scales;    // [rows]
    int64_t attn_slots = 1;           // score rows usable by tf::attention on model->ctx
    std::unique_ptr<float[]> scores;  // [attn_slots, capacity]
    // CUDA context: K/V and the forward scratch live on the device (k, v and the host scratch
    // above are then left empty). Owned.
    tf_cuda_cache* cuda = nullptr;
    const tf_cuda_plugin* cuda_plugin = nullptr;  // kept here: the cache may outlive its model
    tf_context* ctx = nullptr;  // its model's context, a reference: the cache may outlive both
    tf_cache() = default;
    tf_cache(const tf_cache&) = delete;
    tf_cache& operator=(const tf_cache&) = delete;
    ~tf_cache() {
        if (cuda != nullptr) cuda_plugin->cache_free(cuda);
        tf::context_release(ctx);
    }
};

namespace tf {

// Makes cache's scratch hold `rows` rows. TF_ERR_OUT_OF_MEMORY (cache unchanged otherwise).
tf_status cache_reserve_rows(tf_cache* cache, int64_t rows);

// CUDA context: (re)uploads the model's weights to the device if they are missing or stale.
tf_status cuda_upload(tf_model* model, const char* fn);

}  // namespace tf
