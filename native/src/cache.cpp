// tf_cache: the per-sequence KV cache of a stack (or a model's stack) and the scratch memory of
// its forwards.
#include <algorithm>
#include <cstring>
#include <new>
#include <string>

#include "cuda_backend.h"
#include "layer_ops.h"
#include "model.h"
#include "status.h"

namespace tf {

tf_status cache_reserve_rows(tf_cache* c, int64_t rows) {
    if (rows <= c->scratch_rows) return TF_OK;
    const tf_stack_params& p = c->stack->params;
    const size_t nh = size_t(rows) * size_t(p.hidden_size);
    const size_t nf = size_t(rows) * size_t(p.intermediate_size);
    try {
        // If one of these throws, the earlier ones are merely larger than scratch_rows says:
        // still consistent.
        c->x.resize(nh);
        c->h.resize(nh);
        c->q.resize(nh);
        c->att.resize(nh);
        c->gate.resize(nf);
        c->up.resize(nf);
        c->positions.resize(size_t(rows));
        if (p.activation_mode == TF_ACT_INT8) {
            c->act_q.resize(size_t(rows) * size_t(std::max(p.hidden_size, p.intermediate_size)));
            c->act_scales.resize(size_t(rows));
        }
    } catch (const std::exception&) {  // bad_alloc or length_error
        return fail(TF_ERR_OUT_OF_MEMORY,
                    "tf_model_forward: out of memory for the scratch of " + std::to_string(rows) + " rows");
    }
    c->scratch_rows = rows;
    return TF_OK;
}

int64_t cache_chunk_rows(const tf_cache* c, int64_t n) {
    if (c->stack->params.attention_kind == TF_ATTENTION_NON_CAUSAL) return n;
    const int64_t chunk = std::max<int64_t>(1, c->chunk_rows);
    return c->window > 0 ? std::min(chunk, c->capacity - c->window + 1) : chunk;
}

tf_status stack_cache_create(tf_stack* s, tf_model* model, int32_t capacity, const char* fn, tf_cache** out) {
    using std::to_string;
    const tf_stack_params& p = s->params;
    const int64_t window = p.window;
    if (window > 0) {
        TF_CHECK_ARG(capacity >= window && capacity <= std::max(window, int64_t(p.max_positions)),
                     std::string(fn) + ": capacity " + to_string(capacity) + " must be in [window = " +
                         to_string(window) + ", max(window, max_positions = " + to_string(p.max_positions) + ")]");
    } else {
        TF_CHECK_ARG(capacity >= 1 && capacity <= p.max_positions, std::string(fn) + ": capacity " + to_string(capacity) +
                                                                       " must be in [1, max_positions = " +
                                                                       to_string(p.max_positions) + "]");
    }
    // < 2^62: no overflow
    const size_t kv = size_t(p.n_layers) * size_t(capacity) * size_t(s->n_kv_heads) * size_t(s->head_dim);
    tf_cache* c = nullptr;
    try {
        c = new tf_cache();
        c->stack = s;
        c->model = model;
        c->ctx = context_retain(s->ctx);
        c->capacity = capacity;
        c->window = window;
        c->k.reset(new float[kv]);
        c->v.reset(new float[kv]);
        c->attn_slots = attention_scratch_slots(s->ctx);
        c->scores.reset(new float[size_t(c->attn_slots) * size_t(capacity)]);
    } catch (const std::exception&) {
        delete c;
        return fail(TF_ERR_OUT_OF_MEMORY, std::string(fn) + ": out of memory for a cache of " + to_string(capacity) +
                                              " positions (" + to_string(2 * kv * sizeof(float)) + " bytes of K/V)");
    }
    // One row now, so that decode steps (n = 1) never allocate.
    if (tf_status st = cache_reserve_rows(c, 1); st != TF_OK) {
        delete c;
        return fail(st, std::string(fn) + ": out of memory for the scratch");
    }
    *out = c;
    return ok();
}

}  // namespace tf

extern "C" {

TF_API tf_status tf_cache_create(tf_model* model, int32_t capacity, tf_cache** out) {
    using std::to_string;
    TF_CHECK_ARG(out != nullptr, "tf_cache_create: out is NULL");
    *out = nullptr;
    TF_CHECK_ARG(model != nullptr, "tf_cache_create: model is NULL");
    if (!tf::cuda::active(model->ctx)) return tf::stack_cache_create(model->stack, model, capacity, "tf_cache_create", out);
    const tf_model_params& p = model->params;
    TF_CHECK_ARG(capacity >= 1 && capacity <= p.max_positions,
                 "tf_cache_create: capacity " + to_string(capacity) + " must be in [1, max_positions = " +
                     to_string(p.max_positions) + "]");
    tf_cache* c = new (std::nothrow) tf_cache();
    if (c == nullptr) return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_cache_create: out of memory");
    c->stack = model->stack;
    c->model = model;
    c->ctx = tf::context_retain(model->ctx);
    c->capacity = capacity;
    c->cuda_plugin = model->ctx->plugin;
    const tf_status s = model->ctx->plugin->cache_create(model->ctx->cuda, &model->params, capacity, &c->cuda);
    if (s != TF_OK) {
        delete c;
        return tf::cuda::result(model->ctx, s, "tf_cache_create");
    }
    *out = c;
    return tf::ok();
}

TF_API void tf_cache_free(tf_cache* cache) { delete cache; }

TF_API int64_t tf_cache_length(const tf_cache* cache) { return cache ? cache->length : 0; }

TF_API tf_status tf_cache_truncate(tf_cache* cache, int64_t length) {
    TF_CHECK_ARG(cache != nullptr, "tf_cache_truncate: cache is NULL");
    TF_CHECK_ARG(length >= 0 && length <= cache->length, "tf_cache_truncate: length " + std::to_string(length) +
                                                             " must be in [0, current length " +
                                                             std::to_string(cache->length) + "]");
    // A ring still holds the keys the next query needs (its last `window`) only if fewer than
    // capacity − window + 1 later positions overwrote them.
    TF_CHECK_ARG(cache->window == 0 || length == 0 || cache->length - length <= cache->capacity - cache->window,
                 "tf_cache_truncate: a ring cache (window " + std::to_string(cache->window) + ", capacity " +
                     std::to_string(cache->capacity) + ") can drop at most capacity - window = " +
                     std::to_string(cache->capacity - cache->window) + " positions (or all)");
    cache->length = length;  // rows >= length become garbage and are overwritten by the next forward
    return tf::ok();
}

TF_API tf_status tf_cache_copy_prefix(tf_cache* dst, const tf_cache* src, int64_t length) {
    using std::to_string;
    TF_CHECK_ARG(dst != nullptr, "tf_cache_copy_prefix: dst is NULL");
    TF_CHECK_ARG(src != nullptr, "tf_cache_copy_prefix: src is NULL");
    TF_CHECK_ARG(dst->stack == src->stack, "tf_cache_copy_prefix: dst and src belong to different models (stacks)");
    TF_CHECK_ARG(src->window == 0 || src->length <= src->capacity,
                 "tf_cache_copy_prefix: src is a ring cache that has wrapped (length " + to_string(src->length) +
                     " > capacity " + to_string(src->capacity) + ")");
    TF_CHECK_ARG(length >= 0 && length <= src->length, "tf_cache_copy_prefix: length " + to_string(length) +
                                                           " must be in [0, src length " + to_string(src->length) + "]");
    TF_CHECK_ARG(length <= dst->capacity, "tf_cache_copy_prefix: length " + to_string(length) +
                                              " exceeds dst capacity " + to_string(dst->capacity));
    if (dst != src && dst->cuda != nullptr) {
        if (length > 0) {
            const tf_context* ctx = src->ctx;
            const tf_status s = ctx->plugin->cache_copy_prefix(dst->cuda, src->cuda, length);
            if (s != TF_OK) return tf::cuda::result(ctx, s, "tf_cache_copy_prefix");
        }
    } else if (dst != src) {
        const tf_stack* st = src->stack;
        const size_t d = size_t(st->head_dim);
        const size_t blocks = size_t(st->params.n_layers) * size_t(st->n_kv_heads);
        // Block (layer, head) b starts at b·capacity·head_dim; the two capacities may differ.
        for (size_t b = 0; b < blocks; ++b) {
            std::memcpy(dst->k.get() + b * size_t(dst->capacity) * d, src->k.get() + b * size_t(src->capacity) * d,
                        size_t(length) * d * sizeof(float));
            std::memcpy(dst->v.get() + b * size_t(dst->capacity) * d, src->v.get() + b * size_t(src->capacity) * d,
                        size_t(length) * d * sizeof(float));
        }
    }
    dst->length = length;
    return tf::ok();
}

}  // extern "C"
