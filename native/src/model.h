// The structs behind the opaque tf_model and tf_cache handles (model.cpp, cache.cpp, stack.cpp).
// A tf_model is an embedding table + a tf_stack (with its lm_head); a tf_cache belongs to a
// stack. Internal: tests may include it to reach knobs such as chunk_rows.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "context.h"
#include "stack.h"
#include "tfree4j.h"

struct tf_model {
    tf_context* ctx = nullptr;           // a reference (tf::context_retain), dropped last
    tf_model_params params;              // params.rope_table points into stack->rope
    tf_matrix embedding{};               // [V, H]
    tf::WeightSlot embedding_slot{};     // "transformer.embeddings.embedding.weight"
    tf_stack* stack = nullptr;           // the layers, final norm and lm_head (docs/spec/tfree.md §7.3 names). Owned.
    bool finalized = false;
    // A device backend: the embedding table uploaded (at finalize, and again after it changes;
    // the stack keeps its own upload).
    tf::cuda::Resident device_embedding;
    tf_model() = default;
    tf_model(const tf_model&) = delete;
    tf_model& operator=(const tf_model&) = delete;
    ~tf_model() {
        device_embedding.upload.reset();  // before the context (and its device) may go
        tf_stack_free(stack);
        tf::context_release(ctx);
    }
};

// Rows per internal forward chunk: a long prefill runs in chunks of this many words, which
// bounds the scratch (7B: ~80 MB at 512 rows) without changing the result (causal model).
// 512 rather than 256: the W8A8 prefill GEMM reaches ~53 % of the int8 peak at m = 512 vs
// ~49–51 % at 256 (docs/benchmark-log.md, "Prefill chunk of 512 rows"), for ~40 MB more scratch.
constexpr int64_t kDefaultChunkRows = 512;

struct tf_cache {
    tf_stack* stack;
    tf_model* model;                  // the model whose stack it is, or NULL for a bare stack's cache
    int64_t capacity;                 // positions (a ring's slots with a window), <= max_positions
    int64_t length = 0;               // positions cached; rows >= length of k/v are garbage
    int64_t chunk_rows = kDefaultChunkRows;
    // With a window the cache is a ring: position t lives in slot t % capacity, and the keys a
    // query needs (its last `window`) must survive the chunk's own writes.
    int64_t window = 0;
    // Post-RoPE keys and values in the backend's memory (keys, values: the CPU's point at k, v),
    // [L, n_kv_heads, capacity, head_dim] f32: head-major, so that
    // attention streams one head's keys contiguously (with [capacity, H] rows every key of a
    // head sits on another page: a TLB miss per key in long contexts). Allocated without
    // initialisation so that the OS commits pages only as positions are filled.
    std::unique_ptr<float[]> k, v;
    float* keys = nullptr;
    float* values = nullptr;

    // Scratch of one forward chunk, sized for scratch_rows rows (grown by prefill, never by
    // a decode step: create sizes it for one row). `buf` points at it in the backend's memory
    // (the CPU's: at the vectors below).
    int64_t scratch_rows = 0;
    tf::Scratch buf;
    std::vector<float> x, h, q, att;  // [rows, H] residual stream, normed input / sublayer out, queries, attention out
    std::vector<float> gate, up;      // [rows, F]
    std::vector<int32_t> positions;   // [rows] (host on every backend: the loop writes them)
    // W8A8 (activation_mode TF_ACT_INT8) only: a matmul input quantized per row.
    std::vector<int8_t> act_q;        // [rows, max(H, F)]
    std::vector<float> act_scales;    // [rows]
    int64_t attn_slots = 1;           // score rows usable by tf::attention on model->ctx
    std::unique_ptr<float[]> scores;  // [attn_slots, capacity]
    // The key controls of the running forward in the backend's memory (the CPU's: the
    // caller's array), and the first key whose control is not 1 (device backends skip work).
    const float* control = nullptr;
    int64_t first_controlled = 0;
    // A device backend: K/V and the forward scratch live on the device (k, v and the host
    // scratch vectors above, but positions, are then left empty).
    tf::cuda::Buffers device_kv, device_scratch;
    tf_context* ctx = nullptr;  // its stack's context, a reference: the cache may outlive both
    tf_cache() = default;
    tf_cache(const tf_cache&) = delete;
    tf_cache& operator=(const tf_cache&) = delete;
    ~tf_cache() {
        device_scratch.release();  // they need the device, which the context owns
        device_kv.release();
        tf::context_release(ctx);
    }
};

namespace tf {

// Makes cache's scratch hold `rows` rows (its backend's reserve_rows). TF_ERR_OUT_OF_MEMORY
// (cache unchanged otherwise).
tf_status cache_reserve_rows(tf_cache* cache, int64_t rows);

// Rows one forward chunk of this cache may hold: chunk_rows; with a window at most
// capacity − window + 1 (the ring keeps every key the chunk's first query needs); non-causal:
// all n rows of the call (a query sees the keys of every later row too).
int64_t cache_chunk_rows(const tf_cache* cache, int64_t n);

}  // namespace tf
