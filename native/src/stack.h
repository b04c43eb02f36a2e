// The transformer stack behind tf_stack (stack.cpp) and inside tf_model (model.cpp): layer
// weights by name, the RoPE table, the attention kind, and the one forward loop that every
// caller uses (tf_stack_forward, tf_model_forward and tf_model_forward_batch: a single call is
// a batch of one).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "backend.h"
#include "context.h"
#include "cuda_backend.h"
#include "tfree4j.h"

namespace tf {

// One layer's weights (names from tf_stack_params).
struct StackLayer {
    std::vector<float> input_norm;               // [H] copied to f32
    tf_matrix query{}, key{}, value{}, output{};  // [H, H], [Hkv·d, H] (twice), [H, H]; in place
    std::vector<float> post_norm;                // [H] f32
    tf_matrix gate{};                            // [F, H] (gets SiLU)
    tf_matrix up{};                              // [F, H] (linear branch)
    tf_matrix down{};                            // [H, F]
};

// Slots per layer, in the order of StackLayer.
constexpr int64_t kLayerSlots = 9;

// One settable tensor: where it goes, the shape it must have, whether it was set.
struct WeightSlot {
    std::string name;
    int64_t rows, cols;          // expected shape; norm vectors are rows = 1, cols = H
    std::string shape_text;      // e.g. "[F, H] = [42, 16]", for error messages
    tf_matrix* matrix;           // a matrix referenced in place, or
    std::vector<float>* vector;  // a norm weight copied to f32
    bool set;
};

// Sets a slot from w with the checks of tf_model_set_weight; `fn` prefixes the errors.
// `gathered`: the tensor is only gathered from (an embedding), never multiplied W8A8.
tf_status set_slot(WeightSlot& slot, const tf_matrix* w, int32_t activation_mode, bool gathered, const char* fn);

// One sequence of a (batched) forward. `out`: logits with a head, else hidden states.
struct StackItem {
    tf_cache* cache;
    const float* input;              // [n, H]
    int64_t n;
    const int32_t* positions;        // [n] or NULL (the cache indices)
    const tf_forward_params* params; // never NULL
    float* out;
};

}  // namespace tf

struct tf_stack {
    tf_context* ctx = nullptr;  // a reference (tf::context_retain), dropped last
    tf_stack_params params;     // name pointers point into the strings below; rope_table into rope
    std::string names[12];      // layer_prefix, the nine layer tensors, final norm, head
    int32_t head_dim = 0, n_kv_heads = 0;
    std::vector<float> rope;    // [max_positions, head_dim/2, 2] (cos, sin)
    std::vector<tf::StackLayer> layers;
    std::vector<float> final_norm;  // [H] or empty
    tf_matrix head{};               // [V, H] when params.vocab_size > 0
    // Slots point into the members above (sized once at create). Order: layer by layer in
    // StackLayer order, then final norm, then head (finalize reports the first missing).
    std::vector<tf::WeightSlot> slots;
    std::unordered_map<std::string, size_t> slot_index;
    tf::StackTensors host;  // the slots and the RoPE table as the CPU backend reads them
    tf::cuda::Resident device;  // a device backend: the same uploaded (at finalize, and after a change)
    bool finalized = false;
    tf_stack() = default;
    tf_stack(const tf_stack&) = delete;
    tf_stack& operator=(const tf_stack&) = delete;
    ~tf_stack();
};

namespace tf {

// Creates a stack (fn names the public caller in errors). *out is owned by the caller.
tf_status stack_create(tf_context* ctx, const tf_stack_params* params, const char* fn, tf_stack** out);

// Sets a weight by its name; unknown names are TF_ERR_INVALID_ARGUMENT naming it.
tf_status stack_set_weight(tf_stack* s, const char* name, const tf_matrix* w, const char* fn);

// The first slot not set, or NULL.
const WeightSlot* stack_missing(const tf_stack* s);

// A cache of the stack; `model` is the tf_model it belongs to (NULL for a bare stack).
tf_status stack_cache_create(tf_stack* s, tf_model* model, int32_t capacity, const char* fn, tf_cache** out);

// The one argument check of every forward: the stack is finalized, each item's cache belongs to
// s and the caches are distinct; sizes, positions, controls and capacities. `fn` prefixes the
// errors; `batch` adds "item b: ".
tf_status stack_check(const tf_stack* s, int32_t n_items, const StackItem* items, const char* fn, bool batch);

// The stack's tensors in its backend's memory (a device backend uploads them if missing or stale).
tf_status stack_tensors(tf_stack* s, const char* fn, const StackTensors** out);

// Runs checked items: every matmul once over the rows of all items (stack.cpp's header says
// how). On failure no cache length changes.
tf_status stack_run(tf_stack* s, int32_t n_items, const StackItem* items, const char* fn);

}  // namespace tf
