// tf_model_forward: the spec §5 forward of n new words on top of a KV cache.
//
// Per layer l, for the rows of one chunk at absolute positions base .. base+rows−1:
//   h = RMSNorm_in(x);  q = h·Wqᵀ;  k = h·Wkᵀ;  v = h·Wvᵀ
//   RoPE(q), RoPE(k) at the absolute positions; k, v stored into the cache (post-RoPE keys)
//   x += attention(q, K[l][0..base+rows), V[l][...]) · Wdenseᵀ      (causal, key controls)
//   h = RMSNorm_post(x);  x += ( silu(h·W_inᵀ) ⊙ (h·W_swigluᵀ) ) · W_outᵀ
// then y = RMSNorm_final(x), logits = y·W_headᵀ.
// The model is only read, all mutable state lives in the cache: caches may run concurrently.
#include <cmath>
#include <cstring>
#include <string>

#include "layer_ops.h"
#include "model.h"
#include "quantize.h"
#include "status.h"

namespace {

using std::to_string;

struct Call {
    tf_model* m;
    tf_cache* c;
    const float* embeddings;  // [n, H]
    int64_t n;
    const tf_forward_params* p;
    float* logits;            // [n, V] or [1, V]
};

// y [rows, w.rows] = x [rows, w.cols] · wᵀ with the kernel the weight asks for: an int8
// weight of a TF_ACT_INT8 model multiplies W8A8 (x quantized per row into the cache's
// scratch, so a decode step allocates nothing); every other weight goes through the public
// tf_matmul (W8A32 for int8). The failing tensor is named in the error.
tf_status matmul(const Call& call, const float* x, int64_t rows, const tf_matrix& w, float* y, int64_t layer,
                 const char* what) {
    const bool a8 = w.dtype == TF_DTYPE_I8 && call.m->params.activation_mode == TF_ACT_INT8;
    const tf_status s = a8 ? tf::matmul_a8(call.m->ctx, x, rows, w, y, call.c->act_q.data(),
                                           call.c->act_scales.data(), "tf_matmul_a8")
                           : tf_matmul(call.m->ctx, x, rows, &w, y);
    if (s == TF_OK) return TF_OK;
    const std::string where = layer >= 0 ? "layer " + to_string(layer) + " " + what : std::string(what);
    return tf::fail(s, "tf_model_forward: " + where + ": " + tf_last_error());
}

// Stores rows [rows, H] of keys or values at positions base.. of one layer's head-major
// cache block [n_heads, cap, d].
void store_heads(float* layer, const float* rows_in, int64_t rows, int64_t base, int64_t cap, int32_t n_heads,
                 int32_t d) {
    const int64_t H = int64_t(n_heads) * d;
    for (int32_t h = 0; h < n_heads; ++h) {
        float* dst = layer + (h * cap + base) * d;
        for (int64_t r = 0; r < rows; ++r) std::memcpy(dst + r * d, rows_in + r * H + h * d, sizeof(float) * size_t(d));
    }
}

#define TF_TRY(expr) \
    do { if (tf_status s_ = (expr); s_ != TF_OK) return s_; } while (0)

// Rows [row0, row0 + rows) of the call; the cache length is not updated here.
tf_status forward_chunk(const Call& call, int64_t row0, int64_t rows) {
    tf_model* m = call.m;
    tf_cache* c = call.c;
    tf_context* ctx = m->ctx;
    const tf_forward_params& p = *call.p;
    const int64_t H = m->params.hidden_size, F = m->params.intermediate_size, V = m->params.vocab_size;
    const int64_t L = m->params.n_layers, cap = c->capacity;
    const int32_t n_heads = m->params.n_heads, d = m->head_dim;
    const float eps = m->params.norm_eps;
    const int64_t base = c->length + row0;  // absolute position of the chunk's first row
    const bool last_chunk = row0 + rows == call.n;

    float* x = c->x.data();      // [rows, H] residual stream
    float* h = c->h.data();      // [rows, H] normed input, then sublayer output
    float* q = c->q.data();      // [rows, H]
    float* att = c->att.data();  // [rows, H]
    float* gate = c->gate.data();  // [rows, F]
    float* up = c->up.data();      // [rows, F]
    int32_t* pos = c->positions.data();

    std::memcpy(x, call.embeddings + row0 * H, sizeof(float) * size_t(rows * H));
    for (int64_t r = 0; r < rows; ++r) pos[r] = int32_t(base + r);

    for (int64_t l = 0; l < L; ++l) {
        const tf::LayerWeights& w = m->layers[size_t(l)];
        float* k_layer = c->k.get() + l * cap * H;  // [n_heads, cap, d]
        float* v_layer = c->v.get() + l * cap * H;

        // Attention block. `att` holds this chunk's keys, then its values, on their way into
        // the cache, before it receives the attention output.
        tf::rmsnorm(ctx, x, rows, H, w.input_norm.data(), eps, h);
        TF_TRY(matmul(call, h, rows, w.query, q, l, "attention.query"));
        TF_TRY(matmul(call, h, rows, w.key, att, l, "attention.key"));
        tf::rope(ctx, q, rows, n_heads, d, pos, m->rope.data());
        tf::rope(ctx, att, rows, n_heads, d, pos, m->rope.data());
        store_heads(k_layer, att, rows, base, cap, n_heads, d);
        TF_TRY(matmul(call, h, rows, w.value, att, l, "attention.value"));
        store_heads(v_layer, att, rows, base, cap, n_heads, d);
        const bool control = p.key_control != nullptr && p.control_mode != TF_CONTROL_NONE &&
                             (p.layer_mask == nullptr || p.layer_mask[l] != 0);
        tf::AttentionArgs a{q,
                            rows,
                            base,
                            k_layer,
                            v_layer,
                            /*kv_row_stride=*/d,
                            /*kv_head_stride=*/cap * d,
                            base + rows,
                            n_heads,
                            d,
                            control ? p.key_control : nullptr,
                            control ? p.control_mode : int32_t(TF_CONTROL_NONE),
                            att};
        tf::attention(ctx, a, c->scores.get(), c->attn_slots);
        TF_TRY(matmul(call, att, rows, w.dense, h, l, "attention.dense"));
        tf::add(ctx, x, h, rows * H);

        // MLP block (SwiGLU: dense_in is the gate, swiglu the linear branch, dense_out down).
        tf::rmsnorm(ctx, x, rows, H, w.post_norm.data(), eps, h);
        TF_TRY(matmul(call, h, rows, w.dense_in, gate, l, "mlp.dense_in"));
        TF_TRY(matmul(call, h, rows, w.swiglu, up, l, "mlp.swiglu"));
        tf::swiglu(ctx, gate, up, rows * F, gate);
        TF_TRY(matmul(call, gate, rows, w.dense_out, h, l, "mlp.dense_out"));
        tf::add(ctx, x, h, rows * H);

        if (p.layer_outputs) {  // [L, n, H]
            std::memcpy(p.layer_outputs + (l * call.n + row0) * H, x, sizeof(float) * size_t(rows * H));
        }
    }

    // Final norm and head. With logits_rows = 1 and no final_hidden only the call's last row
    // matters, so earlier chunks stop here and the last one normalises a single row.
    if (p.logits_rows == 0 || p.final_hidden) {
        tf::rmsnorm(ctx, x, rows, H, m->final_norm.data(), eps, h);
        if (p.final_hidden) std::memcpy(p.final_hidden + row0 * H, h, sizeof(float) * size_t(rows * H));
        if (p.logits_rows == 0) return matmul(call, h, rows, m->lm_head, call.logits + row0 * V, -1, "lm_head");
        if (last_chunk) return matmul(call, h + (rows - 1) * H, 1, m->lm_head, call.logits, -1, "lm_head");
        return TF_OK;
    }
    if (!last_chunk) return TF_OK;
    tf::rmsnorm(ctx, x + (rows - 1) * H, 1, H, m->final_norm.data(), eps, h);
    return matmul(call, h, 1, m->lm_head, call.logits, -1, "lm_head");
}

}  // namespace

extern "C" {

TF_API void tf_forward_params_init(tf_forward_params* params) {
    if (!params) return;
    std::memset(params, 0, sizeof *params);
    params->control_mode = TF_CONTROL_NONE;
    params->logits_rows = 0;
}

TF_API tf_status tf_model_forward(tf_model* model, tf_cache* cache, const float* embeddings, int64_t n,
                                  const tf_forward_params* params, float* logits) {
    TF_CHECK_ARG(model != nullptr, "tf_model_forward: model is NULL");
    TF_CHECK_ARG(cache != nullptr, "tf_model_forward: cache is NULL");
    TF_CHECK_ARG(embeddings != nullptr, "tf_model_forward: embeddings is NULL");
    TF_CHECK_ARG(logits != nullptr, "tf_model_forward: logits is NULL");
    if (!model->finalized) {
        return tf::fail(TF_ERR_STATE, "tf_model_forward: the model is not finalized (call tf_model_finalize)");
    }
    TF_CHECK_ARG(cache->model == model, "tf_model_forward: the cache was created for another model");
    TF_CHECK_ARG(n >= 1, "tf_model_forward: n must be >= 1, got " + to_string(n));
    tf_forward_params defaults;
    tf_forward_params_init(&defaults);
    const tf_forward_params* p = params ? params : &defaults;
    TF_CHECK_ARG(p->control_mode == TF_CONTROL_NONE || p->control_mode == TF_CONTROL_LOG_ADD ||
                     p->control_mode == TF_CONTROL_MULT,
                 "tf_model_forward: params->control_mode " + to_string(p->control_mode) + " is unknown");
    TF_CHECK_ARG(p->logits_rows == 0 || p->logits_rows == 1,
                 "tf_model_forward: params->logits_rows must be 0 (all rows) or 1 (last row), got " +
                     to_string(p->logits_rows));
    if (n > cache->capacity - cache->length) {
        return tf::fail(TF_ERR_OUT_OF_RANGE, "tf_model_forward: cache length " + to_string(cache->length) + " + n " +
                                                 to_string(n) + " exceeds the cache capacity " +
                                                 to_string(cache->capacity) + " (max_positions " +
                                                 to_string(model->params.max_positions) + ")");
    }
    const int64_t total = cache->length + n;
    if (p->key_control != nullptr && p->control_mode != TF_CONTROL_NONE) {
        for (int64_t t = 0; t < total; ++t) {
            TF_CHECK_ARG(std::isfinite(p->key_control[t]) && p->key_control[t] >= 0,
                         "tf_model_forward: params->key_control[" + to_string(t) + "] = " +
                             to_string(p->key_control[t]) + " must be finite and >= 0");
        }
    }
    try {
        const int64_t chunk = std::max<int64_t>(1, cache->chunk_rows);
        TF_TRY(tf::cache_reserve_rows(cache, std::min(n, chunk)));
        const Call call{model, cache, embeddings, n, p, logits};
        for (int64_t row0 = 0; row0 < n; row0 += chunk) {
            // On failure the cache length is unchanged: the rows written past it are garbage.
            TF_TRY(forward_chunk(call, row0, std::min(chunk, n - row0)));
        }
    } catch (const std::exception& e) {  // nothing above throws by design; never let it cross the ABI
        return tf::fail(TF_ERR_INTERNAL, std::string("tf_model_forward: ") + e.what());
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_model_forward: unknown exception");
    }
    cache->length = total;
    return tf::ok();
}

}  // extern "C"
