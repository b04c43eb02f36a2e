// tf_cache: the per-sequence KV cache of a stack (or a model's stack) and the scratch memory of
// its forwards.
#include <algorithm>
#include <cstring>
#include <new>
#include <string>

#include "backend.h"
#include "layer_ops.h"
#include "model.h"
#include "status.h"

#define TF_TRY_STATUS(expr) \
    do { if (tf_status s_ = (expr); s_ != TF_OK) return s_; } while (0)

namespace tf {

tf_status cache_reserve_rows(tf_cache* c, int64_t rows) {
    if (rows <= c->scratch_rows) return TF_OK;
    TF_TRY_STATUS(backend_of(c->ctx).reserve_rows(c, rows));
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
    } catch (const std::bad_alloc&) {
        return fail(TF_ERR_OUT_OF_MEMORY, std::string(fn) + ": out of memory");
    }
    c->stack = s;
    c->model = model;
    c->ctx = context_retain(s->ctx);
    c->capacity = capacity;
    c->window = window;
    const Backend& be = backend_of(s->ctx);
    if (tf_status st = be.cache_alloc(c, kv); st != TF_OK) {
        delete c;
        return fail(st, std::string(fn) + ": " + tf_last_error());
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
    TF_CHECK_ARG(out != nullptr, "tf_cache_create: out is NULL");
    *out = nullptr;
    TF_CHECK_ARG(model != nullptr, "tf_cache_create: model is NULL");
    return tf::stack_cache_create(model->stack, model, capacity, "tf_cache_create", out);
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
    if (dst != src && length > 0) {
        const tf_stack* st = src->stack;
        const size_t d = size_t(st->head_dim), f = sizeof(float);
        const size_t blocks = size_t(st->params.n_layers) * size_t(st->n_kv_heads);
        // Block (layer, head) b starts at b·capacity·head_dim; the two capacities may differ.
        const tf::Backend& be = tf::backend_of(src->ctx);
        tf_status s = be.copy_blocks(src->ctx, dst->keys, size_t(dst->capacity) * d * f, src->keys,
                                     size_t(src->capacity) * d * f, size_t(length) * d * f, blocks);
        if (s == TF_OK) {
            s = be.copy_blocks(src->ctx, dst->values, size_t(dst->capacity) * d * f, src->values,
                               size_t(src->capacity) * d * f, size_t(length) * d * f, blocks);
        }
        if (s != TF_OK) return tf::fail(s, std::string("tf_cache_copy_prefix: ") + tf_last_error());
    }
    dst->length = length;
    return tf::ok();
}

}  // extern "C"
