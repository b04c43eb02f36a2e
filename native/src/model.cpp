// tf_model: the T-FREE model = an embedding table + a tf_stack with its lm_head: parameters,
// weights by state-dict name (docs/spec/tfree.md §7.3), finalize, embedding, and the forward calls, which
// hand their items to the stack's one checked forward (stack.cpp) on the context's backend.
#include <cmath>
#include <mutex>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "backend.h"
#include "cuda_backend.h"
#include "model.h"
#include "status.h"
#include "tfree4j_internal.h"

#define TF_TRY(expr) \
    do { if (tf_status s_ = (expr); s_ != TF_OK) return s_; } while (0)

namespace {

using std::to_string;

// The T-FREE stack of docs/spec/tfree.md §5 / §7.3: interleaved RoPE from the model's table, causal
// attention, a final norm and the lm_head, under the reference's state-dict names.
tf_stack_params stack_params(const tf_model_params& p) {
    tf_stack_params s;
    tf_stack_params_init(&s);
    s.hidden_size = p.hidden_size;
    s.n_layers = p.n_layers;
    s.n_heads = p.n_heads;
    s.intermediate_size = p.intermediate_size;
    s.max_positions = p.max_positions;
    s.norm_eps = p.norm_eps;
    s.rope_kind = TF_ROPE_INTERLEAVED;
    s.rope_table = p.rope_table;
    s.vocab_size = p.vocab_size;
    s.activation_mode = p.activation_mode;
    s.layer_prefix = "transformer.layers.";
    s.input_norm_name = "input_layernorm.weight";
    s.query_name = "attention.query.weight";
    s.key_name = "attention.key.weight";
    s.value_name = "attention.value.weight";
    s.output_name = "attention.dense.weight";
    s.post_norm_name = "post_attention_layernorm.weight";
    s.gate_name = "mlp.dense_in.weight";
    s.up_name = "mlp.swiglu.weight";
    s.down_name = "mlp.dense_out.weight";
    s.final_norm_name = "transformer.norm.weight";
    s.head_name = "lm_head.weight";
    return s;
}

// Checks of the model's own fields; the stack checks the rest (its errors keep tf_model_create's name).
tf_status check_params(const tf_model_params* p) {
    const std::string f = "tf_model_create: params->";
    TF_CHECK_ARG(p->vocab_size >= 1, f + "vocab_size must be >= 1, got " + to_string(p->vocab_size));
    TF_CHECK_ARG(p->rope_table != nullptr, f + "rope_table is NULL");
    return TF_OK;
}

// The embedding table in the backend's memory (a device backend uploads it if missing or stale).
tf_status embedding_table(tf_model* m, const char* fn, const tf_matrix** out) {
    if (tf::backend_of(m->ctx).host_memory) {
        *out = &m->embedding;
        return TF_OK;
    }
    const tf::StackTensors* t = nullptr;
    TF_TRY(m->device_embedding.get(m->ctx, &m->embedding, 1, nullptr, 0, fn, &t));
    *out = t->weights.data();
    return TF_OK;
}

}  // namespace

extern "C" {

TF_API void tf_model_params_init(tf_model_params* params) {
    if (!params) return;
    std::memset(params, 0, sizeof *params);
    params->norm_eps = 1e-5f;
}

TF_API tf_status tf_model_create(tf_context* ctx, const tf_model_params* params, tf_model** out) {
    TF_CHECK_ARG(out != nullptr, "tf_model_create: out is NULL");
    *out = nullptr;
    TF_CHECK_ARG(ctx != nullptr, "tf_model_create: ctx is NULL");
    TF_CHECK_ARG(params != nullptr, "tf_model_create: params is NULL");
    TF_TRY(check_params(params));
    const tf_stack_params sp = stack_params(*params);
    tf_model* m = nullptr;
    try {
        m = new tf_model();
        m->ctx = tf::context_retain(ctx);
        const tf::Op embed = tf::Op::embed;  // the stack asks about its own ops, on checked params
        tf_status s = tf::stack_create(ctx, &sp, "tf_model_create", &m->stack);
        if (s == TF_OK) s = tf::check_supported(ctx, sp, &embed, 1, "tf_model_create");
        if (s != TF_OK) {
            delete m;
            return s;
        }
        m->params = *params;
        m->params.rope_table = m->stack->rope.data();  // the caller's table need not outlive create
        const int64_t V = params->vocab_size, H = params->hidden_size;
        m->embedding_slot = {"transformer.embeddings.embedding.weight", V, H,
                             "[V, H] = [" + to_string(V) + ", " + to_string(H) + "]", &m->embedding, nullptr, false};
    } catch (const std::bad_alloc&) {
        delete m;
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_model_create: out of memory");
    }
    *out = m;
    return tf::ok();
}

TF_API void tf_model_free(tf_model* model) { delete model; }

TF_API tf_status tf_model_set_weight(tf_model* model, const char* name, const tf_matrix* w) {
    TF_CHECK_ARG(model != nullptr, "tf_model_set_weight: model is NULL");
    TF_CHECK_ARG(name != nullptr, "tf_model_set_weight: name is NULL");
    tf::WeightSlot& emb = model->embedding_slot;
    if (emb.name != name) {
        TF_TRY(tf::stack_set_weight(model->stack, name, w, "tf_model_set_weight"));
        return tf::ok();
    }
    TF_TRY(tf::set_slot(emb, w, model->params.activation_mode, true, "tf_model_set_weight"));
    model->device_embedding.mark_stale();
    return tf::ok();
}

TF_API tf_status tf_model_finalize(tf_model* model) {
    TF_CHECK_ARG(model != nullptr, "tf_model_finalize: model is NULL");
    const tf::WeightSlot* missing = model->embedding_slot.set ? tf::stack_missing(model->stack) : &model->embedding_slot;
    if (missing != nullptr) {
        return tf::fail(TF_ERR_STATE, "tf_model_finalize: weight " + missing->name + " " + missing->shape_text +
                                          " has not been set");
    }
    // A device backend uploads the weights now (so that a model too large fails here).
    const tf::StackTensors* tensors = nullptr;
    const tf_matrix* table = nullptr;
    TF_TRY(tf::stack_tensors(model->stack, "tf_model_finalize", &tensors));
    TF_TRY(embedding_table(model, "tf_model_finalize", &table));
    model->finalized = true;
    model->stack->finalized = true;
    return tf::ok();
}

TF_API tf_status tf_model_embed(tf_model* model, const int32_t* ids, int64_t n_rows, int32_t population,
                                const int32_t* row_word, int64_t n_words, float* out) {
    TF_CHECK_ARG(model != nullptr, "tf_model_embed: model is NULL");
    if (!model->embedding_slot.set) {
        return tf::fail(TF_ERR_STATE, "tf_model_embed: transformer.embeddings.embedding.weight has not been set");
    }
    if (tf::cuda::active(model->ctx) && model->finalized) {
        // Validate as tf_embed_sum does (ids, row_word, sizes), on a zero-sized call's rules:
        // the checks read only the host arrays. Then gather from the device's table.
        tf_matrix empty = model->embedding;
        empty.cols = 0;  // no output: validation only
        tf_status s = tf_embed_sum(model->ctx, &empty, ids, n_rows, population, row_word, n_words, out);
        if (s != TF_OK) return tf::fail(s, std::string("tf_model_embed: ") + tf_last_error());
        TF_CHECK_ARG(n_words == 0 || out != nullptr, "tf_model_embed: tf_embed_sum: out is NULL");
        if (n_words == 0) return tf::ok();
        const tf_matrix* table = nullptr;
        TF_TRY(embedding_table(model, "tf_model_embed", &table));
        return tf::cuda::result(model->ctx,
                                model->ctx->plugin->op_embed(model->ctx->cuda, table, ids, n_rows, population,
                                                             row_word, n_words, out),
                                "tf_model_embed");
    }
    tf_status s = tf_embed_sum(model->ctx, &model->embedding, ids, n_rows, population, row_word, n_words, out);
    if (s != TF_OK) return tf::fail(s, std::string("tf_model_embed: ") + tf_last_error());
    return tf::ok();
}

TF_API void tf_forward_params_init(tf_forward_params* params) {
    if (!params) return;
    std::memset(params, 0, sizeof *params);
    params->control_mode = TF_CONTROL_NONE;
    params->logits_rows = 0;
}

}  // extern "C"

namespace {

// tf_model_forward and tf_model_forward_batch: the stack's one check, then its one forward
// (on the context's backend). A single call passes one item and allocates nothing on the CPU
// (decode steps).
tf_status model_forward(tf_model* model, int32_t n_items, const tf::StackItem* items, const char* fn, bool batch) {
    TF_TRY(tf::stack_check(model->stack, n_items, items, fn, batch));
    return tf::stack_run(model->stack, n_items, items, fn);
}

}  // namespace

extern "C" {

TF_API tf_status tf_model_forward(tf_model* model, tf_cache* cache, const float* embeddings, int64_t n,
                                  const tf_forward_params* params, float* logits) {
    TF_CHECK_ARG(model != nullptr, "tf_model_forward: model is NULL");
    tf_forward_params defaults;
    tf_forward_params_init(&defaults);
    const tf::StackItem item{cache, embeddings, n, nullptr, params ? params : &defaults, logits};
    return model_forward(model, 1, &item, "tf_model_forward", false);
}

TF_API tf_status tf_model_forward_batch(tf_model* model, int32_t n_items, tf_cache* const* caches,
                                        const float* const* embeddings, const int64_t* n,
                                        const tf_forward_params* const* params, float* const* logits) {
    TF_CHECK_ARG(model != nullptr, "tf_model_forward_batch: model is NULL");
    TF_CHECK_ARG(n_items >= 1, "tf_model_forward_batch: n_items must be >= 1, got " + to_string(n_items));
    TF_CHECK_ARG(caches != nullptr && embeddings != nullptr && n != nullptr && logits != nullptr,
                 "tf_model_forward_batch: caches, embeddings, n and logits must not be NULL");
    tf_forward_params defaults;
    tf_forward_params_init(&defaults);
    try {
        std::vector<tf::StackItem> items;
        for (int32_t b = 0; b < n_items; ++b) {
            const tf_forward_params* p = params && params[b] ? params[b] : &defaults;
            items.push_back({caches[b], embeddings[b], n[b], nullptr, p, logits[b]});
        }
        return model_forward(model, n_items, items.data(), "tf_model_forward_batch", true);
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_model_forward_batch: out of memory");
    }
}

}  // extern "C"
