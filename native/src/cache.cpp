// tf_cache: the per-sequence KV cache and the scratch memory of its forwards.
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
    const tf_model_params& p = c->model->params;
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

}  // namespace tf

extern "C" {

TF_API tf_status tf_cache_create(tf_model* model, int32_t capacity, tf_cache** out) {
    using std::to_string;
    TF_CHECK_ARG(out != nullptr, "tf_cache_create: out is NULL");
    *out = nullptr;
    TF_CHECK_ARG(model != nullptr, "tf_cache_create: model is NULL");
    const tf_model_params& p = model->params;
    TF_CHECK_ARG(capacity >= 1 && capacity <= p.max_positions,
                 "tf_cache_create: capacity " + to_string(capacity) + " must be in [1, max_positions = " +
                     to_string(p.max_positions) + "]");
    const size_t kv = size_t(p.n_layers) * size_t(capacity) * size_t(p.hidden_size);  // < 2^62: no overflow
    tf_cache* c = nullptr;
    if (tf::cuda::active(model->ctx)) {
        c = new (std::nothrow) tf_cache();
        if (c == nullptr) return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_cache_create: out of memory");
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
    try {
        c = new tf_cache();
        c->model = model;
        c->ctx = tf::context_retain(model->ctx);
        c->capacity = capacity;
        c->k.reset(new float[kv]);
        c->v.reset(new float[kv]);
        c->attn_slots = tf::attention_scratch_slots(model->ctx);
        c->scores.reset(new float[size_t(c->attn_slots) * size_t(capacity)]);
    } catch (const std::exception&) {
        delete c;
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_cache_create: out of memory for a cache of " + to_string(capacity) +
                                                  " positions (" + to_string(2 * kv * sizeof(float)) + " bytes of K/V)");
    }
    // One row now, so that decode steps (n = 1) never allocate.
    if (tf_status s = tf::cache_reserve_rows(c, 1); s != TF_OK) {
        delete c;
        return tf::fail(s, "tf_cache_create: out of memory for the scratch");
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
    cache->length = length;  // rows >= length become garbage and are overwritten by the next forward
    return tf::ok();
}

TF_API tf_status tf_cache_copy_prefix(tf_cache* dst, const tf_cache* src, int64_t length) {
    using std::to_string;
    TF_CHECK_ARG(dst != nullptr, "tf_cache_copy_prefix: dst is NULL");
    TF_CHECK_ARG(src != nullptr, "tf_cache_copy_prefix: src is NULL");
    TF_CHECK_ARG(dst->model == src->model, "tf_cache_copy_prefix: dst and src belong to different models");
    TF_CHECK_ARG(length >= 0 && length <= src->length, "tf_cache_copy_prefix: length " + to_string(length) +
                                                           " must be in [0, src length " + to_string(src->length) + "]");
    TF_CHECK_ARG(length <= dst->capacity, "tf_cache_copy_prefix: length " + to_string(length) +
                                              " exceeds dst capacity " + to_string(dst->capacity));
    if (dst != src && dst->cuda != nullptr) {
        if (length > 0) {
            const tf_context* ctx = src->model->ctx;
            const tf_status s = ctx->plugin->cache_copy_prefix(dst->cuda, src->cuda, length);
            if (s != TF_OK) return tf::cuda::result(ctx, s, "tf_cache_copy_prefix");
        }
    } else if (dst != src) {
        const tf_model_params& p = src->model->params;
        const size_t d = size_t(src->model->head_dim);
        const size_t blocks = size_t(p.n_layers) * size_t(p.n_heads);
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
