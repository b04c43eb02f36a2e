// tf_model_forward: the spec §5 forward of n new words on top of a KV cache.
//
// Per layer l, for the rows of one chunk at absolute positions base .. base+rows−1:
//   h = RMSNorm_in(x);  q = h·Wqᵀ;  k = h·Wkᵀ;  v = h·Wvᵀ
//   RoPE(q), RoPE(k) at the absolute positions; k, v stored into the cache (post-RoPE keys)
//   x += attention(q, K[l][0..base+rows), V[l][...]) · Wdenseᵀ      (causal, key controls)
//   h = RMSNorm_post(x);  x += ( silu(h·W_inᵀ) ⊙ (h·W_swigluᵀ) ) · W_outᵀ
// then y = RMSNorm_final(x), logits = y·W_headᵀ.
// The model is only read, all mutable state lives in the cache: caches may run concurrently.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "cuda_backend.h"
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

// The input x [rows, cols] of one or more matmuls (q, k and v share the normed input; dense_in
// and swiglu share theirs). For W8A8 it is quantized once, into the cache's scratch, when the
// first int8 weight needs it; the matmuls sharing it must run before another Input is
// quantized (they are consecutive in the forward).
struct Input {
    const float* x;
    int64_t rows;
    bool quantized = false;
};

// y [rows, w.rows] = in.x [rows, w.cols] · wᵀ with the kernel the weight asks for: an int8
// weight of a TF_ACT_INT8 model multiplies W8A8 (x quantized per row into the cache's scratch,
// so a decode step allocates nothing); every other weight goes through the public tf_matmul
// (W8A32 for int8). The failing tensor is named in the error.
tf_status matmul(const Call& call, Input& in, const tf_matrix& w, float* y, int64_t layer, const char* what) {
    const bool a8 = w.dtype == TF_DTYPE_I8 && call.m->params.activation_mode == TF_ACT_INT8;
    tf_status s = TF_OK;
    if (!a8) {
        s = tf_matmul(call.m->ctx, in.x, in.rows, &w, y);
    } else {
        int8_t* qx = call.c->act_q.data();
        float* sx = call.c->act_scales.data();
        if (!in.quantized) s = tf::quantize_activations(call.m->ctx, in.x, in.rows, w.cols, qx, sx, "tf_matmul_a8");
        in.quantized = s == TF_OK;
        if (s == TF_OK) tf::matmul_a8_quantized(call.m->ctx, qx, sx, in.rows, w, y);
    }
    if (s == TF_OK) return TF_OK;
    const std::string where = layer >= 0 ? "layer " + to_string(layer) + " " + what : std::string(what);
    return tf::fail(s, "tf_model_forward: " + where + ": " + tf_last_error());
}

// A matmul whose input no other matmul shares.
tf_status matmul(const Call& call, const float* x, int64_t rows, const tf_matrix& w, float* y, int64_t layer,
                 const char* what) {
    Input in{x, rows};
    return matmul(call, in, w, y, layer, what);
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

// The first row of the call whose logits are written: logits_rows = 0 means every row, k > 0
// the last k rows.
// Attention of `rows` queries q [rows, H] at absolute positions base .. over layer l of cache
// c (keys 0 .. base + rows − 1 already stored), with p's key controls where its layer mask
// applies them; out [rows, H].
void cache_attention(tf_context* ctx, tf_cache* c, int64_t l, const float* q, int64_t rows, int64_t base,
                     const tf_forward_params& p, float* out) {
    const tf_model* m = c->model;
    const int64_t H = m->params.hidden_size, cap = c->capacity;
    const int32_t d = m->head_dim;
    const bool control = p.key_control != nullptr && p.control_mode != TF_CONTROL_NONE &&
                         (p.layer_mask == nullptr || p.layer_mask[l] != 0);
    tf::AttentionArgs a{q,
                        rows,
                        base,
                        c->k.get() + l * cap * H,  // [n_heads, cap, d]
                        c->v.get() + l * cap * H,
                        /*kv_row_stride=*/d,
                        /*kv_head_stride=*/cap * d,
                        base + rows,
                        m->params.n_heads,
                        d,
                        control ? p.key_control : nullptr,
                        control ? p.control_mode : int32_t(TF_CONTROL_NONE),
                        out};
    tf::attention(ctx, a, c->scores.get(), c->attn_slots);
}

int64_t first_logits_row(const Call& call) {
    const int32_t k = call.p->logits_rows;
    return k == 0 ? 0 : std::max<int64_t>(0, call.n - k);
}

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
        Input normed{h, rows};  // shared by q, k and v: quantized once for W8A8
        TF_TRY(matmul(call, normed, w.query, q, l, "attention.query"));
        TF_TRY(matmul(call, normed, w.key, att, l, "attention.key"));
        tf::rope(ctx, q, rows, n_heads, d, pos, m->rope.data());
        tf::rope(ctx, att, rows, n_heads, d, pos, m->rope.data());
        store_heads(k_layer, att, rows, base, cap, n_heads, d);
        TF_TRY(matmul(call, normed, w.value, att, l, "attention.value"));
        store_heads(v_layer, att, rows, base, cap, n_heads, d);
        cache_attention(ctx, c, l, q, rows, base, p, att);
        TF_TRY(matmul(call, att, rows, w.dense, h, l, "attention.dense"));
        tf::add(ctx, x, h, rows * H);

        // MLP block (SwiGLU: dense_in is the gate, swiglu the linear branch, dense_out down).
        tf::rmsnorm(ctx, x, rows, H, w.post_norm.data(), eps, h);
        Input post{h, rows};  // shared by dense_in and swiglu
        TF_TRY(matmul(call, post, w.dense_in, gate, l, "mlp.dense_in"));
        TF_TRY(matmul(call, post, w.swiglu, up, l, "mlp.swiglu"));
        tf::swiglu(ctx, gate, up, rows * F, gate);
        TF_TRY(matmul(call, gate, rows, w.dense_out, h, l, "mlp.dense_out"));
        tf::add(ctx, x, h, rows * H);

        if (p.layer_outputs) {  // [L, n, H]
            std::memcpy(p.layer_outputs + (l * call.n + row0) * H, x, sizeof(float) * size_t(rows * H));
        }
    }

    // Final norm and head, for the rows of this chunk among the call's last logits_rows rows
    // (all rows with 0). Without final_hidden only those rows are normalised.
    const int64_t first = first_logits_row(call);
    const int64_t lo = std::max(row0, first);  // first row of this chunk that gets logits
    const int64_t count = row0 + rows - lo;
    if (p.final_hidden) {
        tf::rmsnorm(ctx, x, rows, H, m->final_norm.data(), eps, h);
        std::memcpy(p.final_hidden + row0 * H, h, sizeof(float) * size_t(rows * H));
    }
    if (count <= 0) return TF_OK;
    float* hl = h + (lo - row0) * H;
    if (!p.final_hidden) tf::rmsnorm(ctx, x + (lo - row0) * H, count, H, m->final_norm.data(), eps, hl);
    return matmul(call, hl, count, m->lm_head, call.logits + (lo - first) * V, -1, "lm_head");
}

// ------------------------------------------------------------------------------------------
// Batched forward (tf_model_forward_batch): several sequences, each on its own cache, with every
// matmul run once over all their rows stacked, so a weight matrix is streamed once per round for
// all items instead of once per item. Everything per position (norms, rope, residual adds) is
// row-wise; attention runs per item on its own cache and controls. Each item is cut into the
// same chunks it would have alone, and a matmul computes every row of a multi-row call the same
// way whatever the other rows are, so an item's results equal its own tf_model_forward call.

// One item's rows in one round.
struct Part {
    const Call* call;
    int64_t row0, rows;  // the item's rows [row0, row0 + rows) of this round
    int64_t off;         // their first row in the stacked buffers
    int64_t base;        // absolute position of row0
};

// Stacked scratch of a round: [R, H] residual, normed input, queries, attention; [R, F] MLP.
struct Stack {
    std::vector<float> x, h, q, att, gate, up;
    std::vector<int32_t> positions;
    std::vector<float> head_in, head_out;  // the lm_head's gathered rows [<= kHeadRows, H] and logits
};

// Rows the lm_head computes in one stacked matmul at most (bounds the [rows, V] buffer).
constexpr int64_t kHeadRows = 256;

tf_status head_logits(const Call& owner, const std::vector<Part>& parts, const float* h, int64_t H, int64_t V,
                      std::vector<float>& sel, std::vector<float>& tmp) {
    // Per part, the rows that get logits: [lo, row0 + rows) of the call, as forward_chunk picks
    // them. A part with one such row runs alone (the one-row matmul its own call would use);
    // the others are gathered into consecutive rows, multiplied together and scattered back.
    size_t i = 0;
    while (i < parts.size()) {
        const Part& p = parts[i];
        const int64_t first = first_logits_row(*p.call);
        const int64_t lo = std::max(p.row0, first), count = p.row0 + p.rows - lo;
        if (count <= 0) {
            ++i;
            continue;
        }
        if (count == 1) {
            TF_TRY(matmul(owner, h + (p.off + lo - p.row0) * H, 1, p.call->m->lm_head, p.call->logits + (lo - first) * V,
                          -1, "lm_head"));
            ++i;
            continue;
        }
        size_t j = i;
        int64_t rows = 0;
        sel.clear();
        while (j < parts.size()) {
            const Part& q = parts[j];
            const int64_t qf = first_logits_row(*q.call), ql = std::max(q.row0, qf), qc = q.row0 + q.rows - ql;
            if (qc < 2 || (j > i && rows + qc > kHeadRows)) break;
            sel.insert(sel.end(), h + (q.off + ql - q.row0) * H, h + (q.off + q.rows) * H);
            rows += qc;
            ++j;
        }
        tmp.resize(size_t(rows * V));
        TF_TRY(matmul(owner, sel.data(), rows, p.call->m->lm_head, tmp.data(), -1, "lm_head"));
        int64_t at = 0;
        for (size_t k = i; k < j; ++k) {
            const Part& q = parts[k];
            const int64_t qf = first_logits_row(*q.call), ql = std::max(q.row0, qf), qc = q.row0 + q.rows - ql;
            std::memcpy(q.call->logits + (ql - qf) * V, tmp.data() + at * V, sizeof(float) * size_t(qc * V));
            at += qc;
        }
        i = j;
    }
    return TF_OK;
}

// `owner` is the call whose cache lends its W8A8 activation scratch (sized for the largest round)
// to every stacked matmul.
tf_status forward_round(tf_model* m, const Call& owner, const std::vector<Part>& parts, int64_t R, Stack& s) {
    tf_context* ctx = m->ctx;
    const Call& first = owner;
    const int64_t H = m->params.hidden_size, F = m->params.intermediate_size, V = m->params.vocab_size;
    const int64_t L = m->params.n_layers;
    const int32_t n_heads = m->params.n_heads, d = m->head_dim;
    const float eps = m->params.norm_eps;
    float *x = s.x.data(), *h = s.h.data(), *q = s.q.data(), *att = s.att.data();
    float *gate = s.gate.data(), *up = s.up.data();
    int32_t* pos = s.positions.data();
    for (const Part& p : parts) {
        std::memcpy(x + p.off * H, p.call->embeddings + p.row0 * H, sizeof(float) * size_t(p.rows * H));
        for (int64_t r = 0; r < p.rows; ++r) pos[p.off + r] = int32_t(p.base + r);
    }
    for (int64_t l = 0; l < L; ++l) {
        const tf::LayerWeights& w = m->layers[size_t(l)];
        tf::rmsnorm(ctx, x, R, H, w.input_norm.data(), eps, h);
        Input normed{h, R};  // shared by q, k and v: quantized once for W8A8
        TF_TRY(matmul(first, normed, w.query, q, l, "attention.query"));
        TF_TRY(matmul(first, normed, w.key, att, l, "attention.key"));
        tf::rope(ctx, q, R, n_heads, d, pos, m->rope.data());
        tf::rope(ctx, att, R, n_heads, d, pos, m->rope.data());
        for (const Part& p : parts) {
            tf_cache* c = p.call->c;
            store_heads(c->k.get() + l * c->capacity * H, att + p.off * H, p.rows, p.base, c->capacity, n_heads, d);
        }
        TF_TRY(matmul(first, normed, w.value, att, l, "attention.value"));
        for (const Part& p : parts) {
            tf_cache* c = p.call->c;
            store_heads(c->v.get() + l * c->capacity * H, att + p.off * H, p.rows, p.base, c->capacity, n_heads, d);
        }
        for (const Part& p : parts) {
            cache_attention(ctx, p.call->c, l, q + p.off * H, p.rows, p.base, *p.call->p, att + p.off * H);
        }
        TF_TRY(matmul(first, att, R, w.dense, h, l, "attention.dense"));
        tf::add(ctx, x, h, R * H);
        tf::rmsnorm(ctx, x, R, H, w.post_norm.data(), eps, h);
        Input post{h, R};  // shared by dense_in and swiglu
        TF_TRY(matmul(first, post, w.dense_in, gate, l, "mlp.dense_in"));
        TF_TRY(matmul(first, post, w.swiglu, up, l, "mlp.swiglu"));
        tf::swiglu(ctx, gate, up, R * F, gate);
        TF_TRY(matmul(first, gate, R, w.dense_out, h, l, "mlp.dense_out"));
        tf::add(ctx, x, h, R * H);
        for (const Part& p : parts) {
            if (p.call->p->layer_outputs) {
                std::memcpy(p.call->p->layer_outputs + (l * p.call->n + p.row0) * H, x + p.off * H,
                            sizeof(float) * size_t(p.rows * H));
            }
        }
    }
    tf::rmsnorm(ctx, x, R, H, m->final_norm.data(), eps, h);
    for (const Part& p : parts) {
        if (p.call->p->final_hidden) {
            std::memcpy(p.call->p->final_hidden + p.row0 * H, h + p.off * H, sizeof(float) * size_t(p.rows * H));
        }
    }
    return head_logits(owner, parts, h, H, V, s.head_in, s.head_out);
}

// Checks one item as tf_model_forward checks its arguments.
tf_status check_item(tf_model* model, tf_cache* cache, const float* embeddings, int64_t n, const tf_forward_params* p,
                     const float* logits, int32_t b) {
    const std::string at = "tf_model_forward_batch: item " + to_string(b) + ": ";
    TF_CHECK_ARG(cache != nullptr, at + "cache is NULL");
    TF_CHECK_ARG(embeddings != nullptr, at + "embeddings is NULL");
    TF_CHECK_ARG(logits != nullptr, at + "logits is NULL");
    TF_CHECK_ARG(cache->model == model, at + "the cache was created for another model");
    TF_CHECK_ARG(n >= 1, at + "n must be >= 1, got " + to_string(n));
    TF_CHECK_ARG(p->control_mode == TF_CONTROL_NONE || p->control_mode == TF_CONTROL_LOG_ADD ||
                     p->control_mode == TF_CONTROL_MULT,
                 at + "params->control_mode " + to_string(p->control_mode) + " is unknown");
    TF_CHECK_ARG(p->logits_rows >= 0,
                 at + "params->logits_rows must be 0 (all rows) or k > 0 (the last k), got " + to_string(p->logits_rows));
    if (n > cache->capacity - cache->length) {
        return tf::fail(TF_ERR_OUT_OF_RANGE, at + "cache length " + to_string(cache->length) + " + n " + to_string(n) +
                                                 " exceeds the cache capacity " + to_string(cache->capacity));
    }
    if (p->key_control != nullptr && p->control_mode != TF_CONTROL_NONE) {
        for (int64_t t = 0; t < cache->length + n; ++t) {
            TF_CHECK_ARG(std::isfinite(p->key_control[t]) && p->key_control[t] >= 0,
                         at + "params->key_control[" + to_string(t) + "] = " + to_string(p->key_control[t]) +
                             " must be finite and >= 0");
        }
    }
    return TF_OK;
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
    TF_CHECK_ARG(p->logits_rows >= 0,
                 "tf_model_forward: params->logits_rows must be 0 (all rows) or k > 0 (the last k), got " +
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
    if (tf::cuda::active(model->ctx)) {  // the whole forward on the device
        TF_TRY(tf::cuda_upload(model, "tf_model_forward"));
        const tf_cuda_forward_item item{cache->cuda, cache->length, embeddings, n, p, logits};
        TF_TRY(tf::cuda::result(model->ctx, model->ctx->plugin->forward(model->cuda, 1, &item), "tf_model_forward"));
        cache->length = total;
        return tf::ok();
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

TF_API tf_status tf_model_forward_batch(tf_model* model, int32_t n_items, tf_cache* const* caches,
                                        const float* const* embeddings, const int64_t* n,
                                        const tf_forward_params* const* params, float* const* logits) {
    TF_CHECK_ARG(model != nullptr, "tf_model_forward_batch: model is NULL");
    if (!model->finalized) {
        return tf::fail(TF_ERR_STATE, "tf_model_forward_batch: the model is not finalized (call tf_model_finalize)");
    }
    TF_CHECK_ARG(n_items >= 1, "tf_model_forward_batch: n_items must be >= 1, got " + to_string(n_items));
    TF_CHECK_ARG(caches != nullptr && embeddings != nullptr && n != nullptr && logits != nullptr,
                 "tf_model_forward_batch: caches, embeddings, n and logits must not be NULL");
    tf_forward_params defaults;
    tf_forward_params_init(&defaults);
    try {
        std::vector<Call> calls;
        calls.reserve(size_t(n_items));
        for (int32_t b = 0; b < n_items; ++b) {
            const tf_forward_params* p = params && params[b] ? params[b] : &defaults;
            TF_TRY(check_item(model, caches[b], embeddings[b], n[b], p, logits[b], b));
            for (int32_t e = 0; e < b; ++e) {
                TF_CHECK_ARG(caches[e] != caches[b], "tf_model_forward_batch: items " + to_string(e) + " and " +
                                                         to_string(b) + " share a cache");
            }
            calls.push_back(Call{model, caches[b], embeddings[b], n[b], p, logits[b]});
        }
        if (tf::cuda::active(model->ctx)) {  // the whole batch on the device
            TF_TRY(tf::cuda_upload(model, "tf_model_forward_batch"));
            std::vector<tf_cuda_forward_item> items;
            for (const Call& c : calls) items.push_back({c.c->cuda, c.c->length, c.embeddings, c.n, c.p, c.logits});
            TF_TRY(tf::cuda::result(model->ctx, model->ctx->plugin->forward(model->cuda, n_items, items.data()),
                                    "tf_model_forward_batch"));
            for (const Call& c : calls) c.c->length += c.n;
            return tf::ok();
        }
        // Each item in its own chunks (as tf_model_forward cuts it); round r stacks every item's r-th chunk.
        int64_t rows_max = 0, rounds = 0;
        for (const Call& c : calls) {
            const int64_t chunk = std::max<int64_t>(1, c.c->chunk_rows);
            rows_max += std::min(c.n, chunk);
            rounds = std::max(rounds, (c.n + chunk - 1) / chunk);
        }
        // W8A8 matmuls quantize their input rows into a cache's scratch: the first item's cache
        // serves every stacked matmul, so it needs room for a whole round.
        if (model->params.activation_mode == TF_ACT_INT8) TF_TRY(tf::cache_reserve_rows(calls[0].c, rows_max));
        const size_t H = size_t(model->params.hidden_size), F = size_t(model->params.intermediate_size);
        Stack s;
        s.x.resize(size_t(rows_max) * H);
        s.h.resize(size_t(rows_max) * H);
        s.q.resize(size_t(rows_max) * H);
        s.att.resize(size_t(rows_max) * H);
        s.gate.resize(size_t(rows_max) * F);
        s.up.resize(size_t(rows_max) * F);
        s.positions.resize(size_t(rows_max));
        std::vector<Part> parts;
        for (int64_t r = 0; r < rounds; ++r) {
            parts.clear();
            int64_t off = 0;
            for (const Call& c : calls) {
                const int64_t chunk = std::max<int64_t>(1, c.c->chunk_rows);
                const int64_t row0 = r * chunk;
                if (row0 >= c.n) continue;
                const int64_t rows = std::min(chunk, c.n - row0);
                parts.push_back(Part{&c, row0, rows, off, c.c->length + row0});
                off += rows;
            }
            TF_TRY(forward_round(model, calls[0], parts, off, s));
        }
        for (const Call& c : calls) c.c->length += c.n;
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_model_forward_batch: out of memory for the stacked scratch");
    } catch (const std::exception& e) {
        return tf::fail(TF_ERR_INTERNAL, std::string("tf_model_forward_batch: ") + e.what());
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_model_forward_batch: unknown exception");
    }
    return tf::ok();
}

}  // extern "C"
