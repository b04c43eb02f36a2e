// A stand-in for libtfree4j_cuda that runs every entry point on libtfree4j's own CPU API, so
// that the CUDA tests (native/tests/cuda/) run on machines without a GPU and check everything
// on libtfree4j's side of the plugin interface: the dispatch of each kernel, argument passing,
// the weight order of model_create, cache lengths kept by the host, copy_prefix, batched
// items, the dictionary branch, error prefixes. ctest loads it through TFREE4J_CUDA_PLUGIN
// (tests *_fake_plugin). It proves nothing about the GPU kernels themselves.
//
// Contracts of cuda_plugin.h it honours like the real plugin: host copies of weights and
// patterns may be freed after create (it copies them), caches never point at their model.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "cuda_plugin.h"
#include "dtype.h"
#include "tfree4j_internal.h"

namespace {

thread_local std::string g_error;

tf_status fail(tf_status s) {
    g_error = tf_last_error();
    return s;
}
#define FAKE_TRY(expr)                            \
    do {                                          \
        const tf_status s_ = (expr);              \
        if (s_ != TF_OK) return fail(s_);         \
    } while (0)

tf_context* cpu() {  // one scalar CPU context for the process
    static tf_context* ctx = [] {
        tf_context_params p;
        tf_context_params_init(&p);
        p.simd = TF_SIMD_SCALAR;
        p.n_threads = 2;
        tf_context* c = nullptr;
        tf_context_create(&p, &c);
        return c;
    }();
    return ctx;
}

// The first row of [rows, cols] holding a NaN / inf, or -1.
int64_t first_bad_row(const void* data, int32_t dtype, int64_t rows, int64_t cols) {
    for (int64_t i = 0; i < rows * cols; ++i) {
        if (!std::isfinite(tf::load_as_f32(data, dtype, i))) return i / cols;
    }
    return -1;
}

const char* last_error() { return g_error.c_str(); }
tf_status device_count(int32_t* n) {
    *n = 1;
    return TF_OK;
}
tf_status device_create(int32_t ordinal, tf_cuda_device** out) {
    if (ordinal != 0) {
        g_error = "fake plugin: only device 0";
        return TF_ERR_UNSUPPORTED;
    }
    *out = reinterpret_cast<tf_cuda_device*>(new int(0));
    return TF_OK;
}
void device_free(tf_cuda_device* d) { delete reinterpret_cast<int*>(d); }
tf_status device_name(tf_cuda_device*, char* buf, int32_t cap) {
    std::strncpy(buf, "fake CPU-backed plugin", size_t(cap) - 1);
    buf[cap - 1] = 0;
    return TF_OK;
}

tf_status embed_sum(tf_cuda_device*, const tf_matrix* t, const int32_t* ids, int64_t n_rows, int32_t p,
                    const int32_t* rw, int64_t n_words, float* out) {
    FAKE_TRY(tf_embed_sum(cpu(), t, ids, n_rows, p, rw, n_words, out));
    return TF_OK;
}
tf_status matmul(tf_cuda_device*, const float* x, int64_t m, const tf_matrix* w, float* y) {
    FAKE_TRY(tf_matmul(cpu(), x, m, w, y));
    return TF_OK;
}
tf_status quantize_rows(tf_cuda_device*, const tf_matrix* src, int8_t* q, float* s, int64_t* bad) {
    *bad = first_bad_row(src->data, src->dtype, src->rows, src->cols);
    if (*bad >= 0) return TF_OK;
    FAKE_TRY(tf_quantize_rows(cpu(), src, q, s));
    return TF_OK;
}
tf_status matmul_a8(tf_cuda_device*, const float* x, int64_t m, const tf_matrix* w, float* y, int64_t* bad) {
    *bad = first_bad_row(x, TF_DTYPE_F32, m, w->cols);
    if (*bad >= 0) return TF_OK;
    FAKE_TRY(tf_matmul_a8(cpu(), x, m, w, y));
    return TF_OK;
}
tf_status rmsnorm(tf_cuda_device*, const float* x, int64_t n, int64_t dim, const float* w, float eps, float* out) {
    FAKE_TRY(tf_rmsnorm(cpu(), x, n, dim, w, eps, out));
    return TF_OK;
}
tf_status rope(tf_cuda_device*, float* x, int64_t n, int32_t nh, int32_t hd, const int32_t* pos, const float* t,
               int64_t tp) {
    FAKE_TRY(tf_rope(cpu(), x, n, nh, hd, pos, t, tp));
    return TF_OK;
}
tf_status attention(tf_cuda_device*, const float* q, int64_t n_q, int64_t q0, const float* k, const float* v,
                    int64_t kv, int32_t nh, int32_t hd, const float* kc, int32_t mode, float* out) {
    FAKE_TRY(tf_attention(cpu(), q, n_q, q0, k, v, kv, nh, hd, kc, mode, out));
    return TF_OK;
}
tf_status swiglu(tf_cuda_device*, const float* g, const float* u, int64_t n, float* out) {
    FAKE_TRY(tf_swiglu(cpu(), g, u, n, out));
    return TF_OK;
}
tf_status add(tf_cuda_device*, float* x, const float* y, int64_t n) {
    FAKE_TRY(tf_add(cpu(), x, y, n));
    return TF_OK;
}
tf_status sigmoid(tf_cuda_device*, const float* x, int64_t n, float* out) {
    FAKE_TRY(tf_sigmoid(cpu(), x, n, out));
    return TF_OK;
}
tf_status softmax(tf_cuda_device*, const float* x, int64_t n, float* out) {
    FAKE_TRY(tf_softmax(cpu(), x, n, out));
    return TF_OK;
}
tf_status word_scores(tf_cuda_device*, const float* l, int64_t v, const tf_word_patterns* p, int32_t pop, float e,
                      float* s) {
    FAKE_TRY(tf_word_scores(cpu(), l, v, p, pop, e, s));
    return TF_OK;
}

tf_status dictionary_create(tf_cuda_device*, const tf_word_patterns* p, int64_t v, int32_t pop,
                            tf_cuda_dictionary** out) {
    tf_dictionary* d = nullptr;
    FAKE_TRY(tf_dictionary_create(cpu(), p, v, pop, &d));
    *out = reinterpret_cast<tf_cuda_dictionary*>(d);
    return TF_OK;
}
void dictionary_free(tf_cuda_dictionary* d) { tf_dictionary_free(reinterpret_cast<tf_dictionary*>(d)); }
tf_status dictionary_scores(tf_cuda_dictionary* d, const float* l, int64_t n, float e, float* s) {
    FAKE_TRY(tf_dictionary_scores(reinterpret_cast<tf_dictionary*>(d), l, n, e, s));
    return TF_OK;
}

// A CPU model holding its own copies of the weights (the real plugin's are on the device).
struct FakeModel {
    tf_model* model = nullptr;
    std::vector<std::vector<char>> data;
    std::vector<std::vector<float>> scales;
    std::vector<float> rope;
    ~FakeModel() { tf_model_free(model); }
};

tf_status model_create(tf_cuda_device*, const tf_model_params* params, const tf_matrix* w, int64_t n,
                       tf_cuda_model** out) {
    auto* m = new FakeModel();
    const int32_t d = params->hidden_size / params->n_heads;
    m->rope.assign(params->rope_table, params->rope_table + int64_t(params->max_positions) * d);
    tf_model_params p = *params;
    p.rope_table = m->rope.data();
    if (tf_model_create(cpu(), &p, &m->model) != TF_OK) {
        delete m;
        return fail(TF_ERR_INTERNAL);
    }
    std::vector<std::string> names{"transformer.embeddings.embedding.weight"};
    for (int l = 0; l < params->n_layers; ++l) {
        const std::string pre = "transformer.layers." + std::to_string(l) + ".";
        for (const char* s : {"input_layernorm.weight", "attention.query.weight", "attention.key.weight",
                              "attention.value.weight", "attention.dense.weight", "post_attention_layernorm.weight",
                              "mlp.dense_in.weight", "mlp.swiglu.weight", "mlp.dense_out.weight"})
            names.push_back(pre + s);
    }
    names.push_back("transformer.norm.weight");
    names.push_back("lm_head.weight");
    if (int64_t(names.size()) != n) {
        delete m;
        g_error = "fake plugin: " + std::to_string(n) + " weights, expected " + std::to_string(names.size());
        return TF_ERR_INTERNAL;
    }
    m->data.reserve(size_t(n));
    m->scales.reserve(size_t(n));
    for (int64_t i = 0; i < n; ++i) {
        const tf_matrix& src = w[i];
        const size_t bytes = size_t(src.rows * src.cols * tf::dtype_size(src.dtype));
        m->data.emplace_back(static_cast<const char*>(src.data), static_cast<const char*>(src.data) + bytes);
        m->scales.emplace_back();
        if (src.dtype == TF_DTYPE_I8) m->scales.back().assign(src.scales, src.scales + src.rows);
        tf_matrix copy{m->data.back().data(), src.dtype == TF_DTYPE_I8 ? m->scales.back().data() : nullptr, src.rows,
                       src.cols, src.dtype};
        if (tf_model_set_weight(m->model, names[size_t(i)].c_str(), &copy) != TF_OK) {
            const tf_status s = fail(TF_ERR_INTERNAL);
            delete m;
            return s;
        }
    }
    if (tf_model_finalize(m->model) != TF_OK) {
        const tf_status s = fail(TF_ERR_INTERNAL);
        delete m;
        return s;
    }
    *out = reinterpret_cast<tf_cuda_model*>(m);
    return TF_OK;
}
void model_free(tf_cuda_model* m) { delete reinterpret_cast<FakeModel*>(m); }
tf_status model_embed(tf_cuda_model* m, const int32_t* ids, int64_t n_rows, int32_t p, const int32_t* rw,
                      int64_t n_words, float* out) {
    FAKE_TRY(tf_model_embed(reinterpret_cast<FakeModel*>(m)->model, ids, n_rows, p, rw, n_words, out));
    return TF_OK;
}

// A CPU cache made at first use (cache_create gets no model: the real one needs only shapes).
struct FakeCache {
    int64_t capacity;
    tf_cache* cache = nullptr;
    ~FakeCache() { tf_cache_free(cache); }
    tf_status ensure(tf_model* model) {
        if (cache == nullptr && tf_cache_create(model, int32_t(capacity), &cache) != TF_OK) return fail(TF_ERR_INTERNAL);
        return TF_OK;
    }
};

tf_status cache_create(tf_cuda_device*, const tf_model_params*, int64_t capacity, tf_cuda_cache** out) {
    *out = reinterpret_cast<tf_cuda_cache*>(new FakeCache{capacity});
    return TF_OK;
}
void cache_free(tf_cuda_cache* c) { delete reinterpret_cast<FakeCache*>(c); }

// The model a cache's first forward used (copy_prefix's dst may not have one yet).
tf_model* g_last_model = nullptr;

tf_status cache_copy_prefix(tf_cuda_cache* dst, const tf_cuda_cache* src, int64_t length) {
    auto* d = reinterpret_cast<FakeCache*>(dst);
    auto* s = reinterpret_cast<const FakeCache*>(src);
    if (s->cache == nullptr) {
        g_error = "fake plugin: copy_prefix from a cache that never ran";
        return TF_ERR_STATE;
    }
    if (d->ensure(g_last_model) != TF_OK) return TF_ERR_INTERNAL;
    FAKE_TRY(tf_cache_copy_prefix(d->cache, s->cache, length));
    return TF_OK;
}

tf_status forward(tf_cuda_model* model, int32_t n_items, const tf_cuda_forward_item* items) {
    tf_model* m = reinterpret_cast<FakeModel*>(model)->model;
    g_last_model = m;
    std::vector<tf_cache*> caches;
    std::vector<const float*> emb;
    std::vector<int64_t> n;
    std::vector<const tf_forward_params*> params;
    std::vector<float*> logits;
    for (int32_t b = 0; b < n_items; ++b) {
        auto* c = reinterpret_cast<FakeCache*>(items[b].cache);
        if (c->ensure(m) != TF_OK) return TF_ERR_INTERNAL;
        // The host owns the length (tf_cache_truncate never reaches the plugin): follow it.
        FAKE_TRY(tf_cache_truncate(c->cache, items[b].length));
        caches.push_back(c->cache);
        emb.push_back(items[b].embeddings);
        n.push_back(items[b].n);
        params.push_back(items[b].params);
        logits.push_back(items[b].logits);
    }
    const tf_status s = n_items == 1 ? tf_model_forward(m, caches[0], emb[0], n[0], params[0], logits[0])
                                     : tf_model_forward_batch(m, n_items, caches.data(), emb.data(), n.data(),
                                                              params.data(), logits.data());
    if (s != TF_OK) return fail(s);
    return TF_OK;
}

tf_status measure_limits(tf_cuda_device*, double* hbm, double* bf16, double* i8) {
    *hbm = 1;
    *bf16 = 1;
    *i8 = 1;
    return TF_OK;
}

const tf_cuda_plugin kTable = {TF_CUDA_PLUGIN_VERSION,
                               last_error,
                               device_count,
                               device_create,
                               device_free,
                               device_name,
                               embed_sum,
                               matmul,
                               quantize_rows,
                               matmul_a8,
                               rmsnorm,
                               rope,
                               attention,
                               swiglu,
                               add,
                               sigmoid,
                               softmax,
                               word_scores,
                               dictionary_create,
                               dictionary_free,
                               dictionary_scores,
                               model_create,
                               model_free,
                               model_embed,
                               cache_create,
                               cache_free,
                               cache_copy_prefix,
                               forward,
                               measure_limits};

}  // namespace

extern "C" __attribute__((visibility("default"))) const tf_cuda_plugin* tf_cuda_plugin_get(int32_t version) {
    return version == TF_CUDA_PLUGIN_VERSION ? &kTable : nullptr;
}
