// tf_model: parameters, weights by state-dict name (spec §7.3), finalize, embedding.
#include <cmath>
#include <cstring>
#include <new>
#include <string>

#include "cuda_backend.h"
#include "model.h"
#include "status.h"

namespace {

using std::to_string;

float bf16_to_f32(uint16_t b) {
    const uint32_t bits = uint32_t(b) << 16;  // bf16 is the top half of an f32: exact
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

// IEEE binary16 -> binary32 (exact), portable: the scalar build has no F16C.
float f16_to_f32(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1fu;
    const uint32_t mant = h & 0x3ffu;
    if (exp == 0) {  // zero or subnormal: mant · 2^-24
        const float f = std::ldexp(float(mant), -24);
        return sign ? -f : f;
    }
    const uint32_t bits = exp == 31 ? (sign | 0x7f800000u | (mant << 13))  // inf / NaN
                                    : (sign | ((exp + 112u) << 23) | (mant << 13));
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

const char* dtype_name(int32_t d) {
    switch (d) {
        case TF_DTYPE_F32: return "f32";
        case TF_DTYPE_BF16: return "bf16";
        case TF_DTYPE_F16: return "f16";
        case TF_DTYPE_I8: return "i8";
        default: return "unknown";
    }
}

std::string shape(int64_t r, int64_t c) { return "[" + to_string(r) + ", " + to_string(c) + "]"; }

// Builds the slot table: every tensor of spec §7.3, in state-dict order.
void build_slots(tf_model* m) {
    const int64_t V = m->params.vocab_size, H = m->params.hidden_size, F = m->params.intermediate_size;
    auto mat = [&](const std::string& name, int64_t r, int64_t c, const char* sym, tf_matrix* dst) {
        m->slots.push_back({name, r, c, std::string(sym) + " = " + shape(r, c), dst, nullptr, false});
    };
    auto vec = [&](const std::string& name, std::vector<float>* dst) {
        dst->assign(size_t(H), 0.0f);
        m->slots.push_back({name, 1, H, "[H] = [" + to_string(H) + "]", nullptr, dst, false});
    };
    mat("transformer.embeddings.embedding.weight", V, H, "[V, H]", &m->embedding);
    for (size_t l = 0; l < m->layers.size(); ++l) {
        const std::string p = "transformer.layers." + to_string(l) + ".";
        tf::LayerWeights& w = m->layers[l];
        vec(p + "input_layernorm.weight", &w.input_norm);
        mat(p + "attention.query.weight", H, H, "[H, H]", &w.query);
        mat(p + "attention.key.weight", H, H, "[H, H]", &w.key);
        mat(p + "attention.value.weight", H, H, "[H, H]", &w.value);
        mat(p + "attention.dense.weight", H, H, "[H, H]", &w.dense);
        vec(p + "post_attention_layernorm.weight", &w.post_norm);
        mat(p + "mlp.dense_in.weight", F, H, "[F, H]", &w.dense_in);
        mat(p + "mlp.swiglu.weight", F, H, "[F, H]", &w.swiglu);
        mat(p + "mlp.dense_out.weight", H, F, "[H, F]", &w.dense_out);
    }
    vec("transformer.norm.weight", &m->final_norm);
    mat("lm_head.weight", V, H, "[V, H]", &m->lm_head);
    for (size_t i = 0; i < m->slots.size(); ++i) m->slot_index.emplace(m->slots[i].name, i);
}

tf_status check_params(const tf_model_params* p) {
    const std::string f = "tf_model_create: params->";
    TF_CHECK_ARG(p->vocab_size >= 1, f + "vocab_size must be >= 1, got " + to_string(p->vocab_size));
    TF_CHECK_ARG(p->hidden_size >= 1, f + "hidden_size must be >= 1, got " + to_string(p->hidden_size));
    TF_CHECK_ARG(p->n_layers >= 1, f + "n_layers must be >= 1, got " + to_string(p->n_layers));
    TF_CHECK_ARG(p->activation_mode == TF_ACT_FLOAT || p->activation_mode == TF_ACT_INT8,
                 f + "activation_mode must be TF_ACT_FLOAT (0) or TF_ACT_INT8 (1), got " + to_string(p->activation_mode));
    TF_CHECK_ARG(p->n_heads >= 1, f + "n_heads must be >= 1, got " + to_string(p->n_heads));
    TF_CHECK_ARG(p->hidden_size % p->n_heads == 0, f + "hidden_size " + to_string(p->hidden_size) +
                                                       " is not a multiple of n_heads " + to_string(p->n_heads));
    const int32_t d = p->hidden_size / p->n_heads;
    TF_CHECK_ARG(d % 2 == 0, f + "head_dim = hidden_size / n_heads = " + to_string(d) + " must be even (RoPE pairs)");
    TF_CHECK_ARG(p->intermediate_size >= 1,
                 f + "intermediate_size must be >= 1, got " + to_string(p->intermediate_size));
    TF_CHECK_ARG(p->max_positions >= 1, f + "max_positions must be >= 1, got " + to_string(p->max_positions));
    TF_CHECK_ARG(std::isfinite(p->norm_eps) && p->norm_eps >= 0, f + "norm_eps must be finite and >= 0");
    TF_CHECK_ARG(p->rope_table != nullptr, f + "rope_table is NULL");
    const int64_t n = int64_t(p->max_positions) * d;
    for (int64_t i = 0; i < n; ++i) {
        TF_CHECK_ARG(std::isfinite(p->rope_table[i]),
                     f + "rope_table[" + to_string(i) + "] is not finite (expected [max_positions, head_dim/2, 2])");
    }
    return TF_OK;
}

}  // namespace

namespace tf {

tf_status cuda_upload(tf_model* model, const char* fn) {
    std::lock_guard<std::mutex> lock(model->cuda_mutex);
    if (model->cuda != nullptr && !model->cuda_stale) return TF_OK;
    const tf_cuda_plugin* plugin = model->ctx->plugin;
    const int64_t H = model->params.hidden_size;
    std::vector<tf_matrix> weights;
    try {
        weights.reserve(model->slots.size());
        for (const WeightSlot& slot : model->slots) {
            weights.push_back(slot.matrix ? *slot.matrix : tf_matrix{slot.vector->data(), nullptr, 1, H, TF_DTYPE_F32});
        }
    } catch (const std::bad_alloc&) {
        return fail(TF_ERR_OUT_OF_MEMORY, std::string(fn) + ": out of memory");
    }
    if (model->cuda != nullptr) {  // stale: free first, so that two copies never need to fit
        plugin->model_free(model->cuda);
        model->cuda = nullptr;
    }
    tf_cuda_model* dm = nullptr;
    const tf_status s = plugin->model_create(model->ctx->cuda, &model->params, weights.data(), int64_t(weights.size()), &dm);
    if (s != TF_OK) return cuda::result(model->ctx, s, fn);
    model->cuda = dm;
    model->cuda_stale = false;
    return TF_OK;
}

}  // namespace tf

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
    if (tf_status s = check_params(params); s != TF_OK) return s;
    tf_model* m = nullptr;
    try {
        m = new tf_model();
        m->ctx = tf::context_retain(ctx);
        m->params = *params;
        m->head_dim = params->hidden_size / params->n_heads;
        m->rope.assign(params->rope_table, params->rope_table + int64_t(params->max_positions) * m->head_dim);
        m->params.rope_table = m->rope.data();  // the caller's table need not outlive create
        m->layers.resize(size_t(params->n_layers));
        build_slots(m);
    } catch (const std::bad_alloc&) {
        delete m;
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_model_create: out of memory");
    } catch (const std::exception& e) {
        delete m;
        return tf::fail(TF_ERR_INTERNAL, std::string("tf_model_create: ") + e.what());
    }
    *out = m;
    return tf::ok();
}

TF_API void tf_model_free(tf_model* model) { delete model; }

TF_API tf_status tf_model_set_weight(tf_model* model, const char* name, const tf_matrix* w) {
    TF_CHECK_ARG(model != nullptr, "tf_model_set_weight: model is NULL");
    TF_CHECK_ARG(name != nullptr, "tf_model_set_weight: name is NULL");
    TF_CHECK_ARG(w != nullptr, std::string("tf_model_set_weight: ") + name + ": w is NULL");
    try {
        const std::string key(name);
        const auto it = model->slot_index.find(key);
        if (it == model->slot_index.end()) {
            return tf::fail(TF_ERR_INVALID_ARGUMENT,
                            "tf_model_set_weight: unknown tensor name '" + key + "' (model has " +
                                to_string(model->params.n_layers) + " layers; names as in spec §7.3, e.g. "
                                "transformer.layers.0.attention.query.weight)");
        }
        tf::WeightSlot& slot = model->slots[it->second];
        const std::string pre = "tf_model_set_weight: " + key + ": ";
        TF_CHECK_ARG(w->data != nullptr, pre + "data is NULL");
        TF_CHECK_ARG(w->dtype >= TF_DTYPE_F32 && w->dtype <= TF_DTYPE_I8,
                     pre + "unknown dtype " + to_string(w->dtype));
        if (slot.vector) {
            // A [H] norm weight; accepted as [1, H] (the header's convention) or [H, 1].
            TF_CHECK_ARG((w->rows == 1 && w->cols == slot.cols) || (w->cols == 1 && w->rows == slot.cols),
                         pre + "shape " + shape(w->rows, w->cols) + ", expected " + slot.shape_text +
                             " given as rows = 1, cols = " + to_string(slot.cols));
            TF_CHECK_ARG(w->dtype != TF_DTYPE_I8, pre + "a norm weight must be f32, bf16 or f16, got i8");
            float* dst = slot.vector->data();
            for (int64_t i = 0; i < slot.cols; ++i) {
                switch (w->dtype) {
                    case TF_DTYPE_F32: dst[i] = static_cast<const float*>(w->data)[i]; break;
                    case TF_DTYPE_BF16: dst[i] = bf16_to_f32(static_cast<const uint16_t*>(w->data)[i]); break;
                    default: dst[i] = f16_to_f32(static_cast<const uint16_t*>(w->data)[i]); break;
                }
            }
        } else {
            TF_CHECK_ARG(w->rows == slot.rows && w->cols == slot.cols,
                         pre + "shape " + shape(w->rows, w->cols) + " (" + dtype_name(w->dtype) + "), expected " +
                             slot.shape_text);
            TF_CHECK_ARG(w->dtype != TF_DTYPE_I8 || w->scales != nullptr, pre + "i8 weights need per-row scales");
            // W8A8 sums int8 products in int32 (see tf_matmul_a8); the embedding is a gather.
            TF_CHECK_ARG(w->dtype != TF_DTYPE_I8 || model->params.activation_mode != TF_ACT_INT8 ||
                             slot.matrix == &model->embedding || w->cols <= 131072,
                         pre + "i8 weights with " + to_string(w->cols) +
                             " columns exceed the 131072 of TF_ACT_INT8 (W8A8) matmuls");
            *slot.matrix = *w;  // referenced in place: the caller keeps the data alive
        }
        slot.set = true;
        std::lock_guard<std::mutex> lock(model->cuda_mutex);
        if (model->cuda != nullptr) model->cuda_stale = true;
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_model_set_weight: out of memory");
    }
    return tf::ok();
}

TF_API tf_status tf_model_finalize(tf_model* model) {
    TF_CHECK_ARG(model != nullptr, "tf_model_finalize: model is NULL");
    for (const tf::WeightSlot& slot : model->slots) {
        if (!slot.set) {
            return tf::fail(TF_ERR_STATE, "tf_model_finalize: weight " + slot.name + " " + slot.shape_text +
                                              " has not been set");
        }
    }
    if (tf::cuda::active(model->ctx)) {
        {
            std::lock_guard<std::mutex> lock(model->cuda_mutex);
            model->cuda_stale = true;
        }
        if (tf_status s = tf::cuda_upload(model, "tf_model_finalize"); s != TF_OK) return s;
    }
    model->finalized = true;
    return tf::ok();
}

TF_API tf_status tf_model_embed(tf_model* model, const int32_t* ids, int64_t n_rows, int32_t population,
                                const int32_t* row_word, int64_t n_words, float* out) {
    TF_CHECK_ARG(model != nullptr, "tf_model_embed: model is NULL");
    if (!model->slots[0].set) {
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
        if (tf_status u = tf::cuda_upload(model, "tf_model_embed"); u != TF_OK) return u;
        return tf::cuda::result(model->ctx,
                                model->ctx->plugin->model_embed(model->cuda, ids, n_rows, population, row_word,
                                                                n_words, out),
                                "tf_model_embed");
    }
    tf_status s = tf_embed_sum(model->ctx, &model->embedding, ids, n_rows, population, row_word, n_words, out);
    if (s != TF_OK) return tf::fail(s, std::string("tf_model_embed: ") + tf_last_error());
    return tf::ok();
}

}  // extern "C"
