// A stand-in for libtfree4j_cuda that runs every entry point on libtfree4j's own CPU API, so
// that the CUDA tests (native/tests/cuda/) run on machines without a GPU and check everything
// on libtfree4j's side of the plugin interface: the dispatch of each kernel, the one layer
// loop driving the CUDA backend table op by op (weights uploaded by name, caches and scratch in
// plugin buffers), its "supported" answers and their errors, argument passing, cache lengths,
// copy_prefix, batched items, the dictionary branch, error prefixes. ctest loads it through
// TFREE4J_CUDA_PLUGIN (tests *_fake_plugin). It proves nothing about the GPU kernels themselves.
//
// Contracts of cuda_plugin.h it honours like the real plugin: host copies of uploaded tensors
// and patterns may be freed after the copy (buffers are its own memory).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
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

// Device memory is host memory here: a buffer is a malloc'd block, copies are memcpy, and the
// forward's ops run libtfree4j's public CPU kernels on it.
tf_status buffer_create(tf_cuda_device*, int64_t bytes, tf_cuda_buffer** out, void** data) {
    void* p = std::malloc(size_t(bytes));
    if (p == nullptr) {
        g_error = "fake plugin: out of memory";
        return TF_ERR_OUT_OF_MEMORY;
    }
    *out = static_cast<tf_cuda_buffer*>(p);
    *data = p;
    return TF_OK;
}
void buffer_free(tf_cuda_buffer* b) { std::free(b); }
tf_status copy(tf_cuda_device*, void* dst, const void* src, int64_t bytes, int32_t kind) {
    if (kind < TF_CUDA_TO_DEVICE || kind > TF_CUDA_ON_DEVICE) {
        g_error = "fake plugin: copy kind " + std::to_string(kind);
        return TF_ERR_INTERNAL;
    }
    std::memcpy(dst, src, size_t(bytes));
    return TF_OK;
}
tf_status copy_2d(tf_cuda_device*, void* dst, int64_t dp, const void* src, int64_t sp, int64_t width, int64_t height) {
    for (int64_t r = 0; r < height; ++r) {
        std::memcpy(static_cast<char*>(dst) + r * dp, static_cast<const char*>(src) + r * sp, size_t(width));
    }
    return TF_OK;
}
tf_status synchronize(tf_cuda_device*) { return TF_OK; }

// What the public CPU kernels below cannot do: tf_rope is interleaved only, tf_attention is
// causal over all keys with one kv head per head. (The real plugin lacks the same.)
int32_t op_unsupported(tf_cuda_device*, int32_t op, const tf_stack_params* p, char* why, int32_t cap) {
    std::string reason;
    if (op == TF_CUDA_OP_ROPE && p->rope_kind != TF_ROPE_INTERLEAVED) reason = "fake plugin: interleaved RoPE only";
    if (op == TF_CUDA_OP_ATTENTION) {
        if (p->attention_kind != TF_ATTENTION_CAUSAL) reason = "fake plugin: causal attention only";
        if (p->window > 0) reason = "fake plugin: no sliding window";
        if (p->n_kv_heads != 0 && p->n_kv_heads != p->n_heads) reason = "fake plugin: no grouped-query attention";
    }
    if (op < 0 || op >= TF_CUDA_OP_COUNT) reason = "fake plugin: unknown op " + std::to_string(op);
    std::snprintf(why, size_t(cap), "%s", reason.c_str());
    return reason.empty() ? 0 : 1;
}
tf_status op_embed(tf_cuda_device*, const tf_matrix* t, const int32_t* ids, int64_t n_rows, int32_t p,
                   const int32_t* rw, int64_t n_words, float* out) {
    FAKE_TRY(tf_embed_sum(cpu(), t, ids, n_rows, p, rw, n_words, out));
    return TF_OK;
}
tf_status op_quantize(tf_cuda_device*, const float* x, int64_t rows, int64_t cols, int8_t* q, float* s, uint64_t* bad) {
    const int64_t row = first_bad_row(x, TF_DTYPE_F32, rows, cols);
    if (row >= 0) {
        *bad = std::min<uint64_t>(*bad, uint64_t(row));
        return TF_OK;
    }
    const tf_matrix src{x, nullptr, rows, cols, TF_DTYPE_F32};
    FAKE_TRY(tf_quantize_rows(cpu(), &src, q, s));
    return TF_OK;
}
// W8A8 on quantized rows, the documented arithmetic: exact int32 sums, then (acc · sx) · sw.
tf_status op_matmul_a8(tf_cuda_device*, const int8_t* q, const float* sx, int64_t m, const tf_matrix* w, float* y) {
    const auto* qw = static_cast<const int8_t*>(w->data);
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t r = 0; r < w->rows; ++r) {
            int32_t acc = 0;
            for (int64_t c = 0; c < w->cols; ++c) acc += int32_t(q[i * w->cols + c]) * int32_t(qw[r * w->cols + c]);
            y[i * w->rows + r] = float(acc) * sx[i] * w->scales[r];
        }
    }
    return TF_OK;
}
tf_status op_rope(tf_cuda_device*, float* x, int64_t n, int32_t nh, int32_t hd, const int32_t* pos, const float* t) {
    int32_t max_pos = 0;
    for (int64_t i = 0; i < n; ++i) max_pos = std::max(max_pos, pos[i]);
    FAKE_TRY(tf_rope(cpu(), x, n, nh, hd, pos, t, int64_t(max_pos) + 1));
    return TF_OK;
}
tf_status op_store_heads(tf_cuda_device*, float* block, const float* rows, int64_t n, int64_t base, int64_t cap,
                         int32_t nh, int32_t hd) {
    for (int64_t r = 0; r < n; ++r)
        for (int32_t h = 0; h < nh; ++h)
            std::memcpy(block + (h * cap + base + r) * hd, rows + (r * nh + h) * hd, sizeof(float) * size_t(hd));
    return TF_OK;
}
// tf_attention wants keys and values as rows [kv_len, n_heads·d]: gathered from the strides.
tf_status op_attention(tf_cuda_device*, const tf_cuda_attention* a) {
    const int64_t width = int64_t(a->n_heads) * a->head_dim;
    std::vector<float> k(size_t(a->kv_len * width)), v(k.size());
    for (int64_t t = 0; t < a->kv_len; ++t)
        for (int32_t h = 0; h < a->n_heads; ++h)
            for (int32_t c = 0; c < a->head_dim; ++c) {
                const int64_t from = h * a->kv_head_stride + t * a->kv_row_stride + c;
                k[size_t(t * width + h * a->head_dim + c)] = a->k[from];
                v[size_t(t * width + h * a->head_dim + c)] = a->v[from];
            }
    FAKE_TRY(tf_attention(cpu(), a->q, a->n_q, a->q_pos0, k.data(), v.data(), a->kv_len, a->n_heads, a->head_dim,
                          a->key_control, a->control_mode, a->out));
    return TF_OK;
}

tf_status measure_limits(tf_cuda_device*, double* hbm, double* bf16, double* i8) {
    *hbm = 1;
    *bf16 = 1;
    *i8 = 1;
    return TF_OK;
}

constexpr tf_cuda_plugin make_table() {
    tf_cuda_plugin t{};
    t.version = TF_CUDA_PLUGIN_VERSION;
    t.last_error = last_error;
    t.device_count = device_count;
    t.device_create = device_create;
    t.device_free = device_free;
    t.device_name = device_name;
    t.embed_sum = embed_sum;
    t.matmul = matmul;
    t.quantize_rows = quantize_rows;
    t.matmul_a8 = matmul_a8;
    t.rmsnorm = rmsnorm;
    t.rope = rope;
    t.attention = attention;
    t.swiglu = swiglu;
    t.add = add;
    t.sigmoid = sigmoid;
    t.softmax = softmax;
    t.word_scores = word_scores;
    t.dictionary_create = dictionary_create;
    t.dictionary_free = dictionary_free;
    t.dictionary_scores = dictionary_scores;
    t.buffer_create = buffer_create;
    t.buffer_free = buffer_free;
    t.copy = copy;
    t.copy_2d = copy_2d;
    t.synchronize = synchronize;
    t.op_unsupported = op_unsupported;
    t.op_embed = op_embed;
    t.op_rmsnorm = rmsnorm;  // the host-pointer kernels work on "device" memory here
    t.op_matmul = matmul;
    t.op_quantize = op_quantize;
    t.op_matmul_a8 = op_matmul_a8;
    t.op_rope = op_rope;
    t.op_store_heads = op_store_heads;
    t.op_attention = op_attention;
    t.op_swiglu = swiglu;
    t.op_add = add;
    t.measure_limits = measure_limits;
    return t;
}

const tf_cuda_plugin kTable = make_table();

}  // namespace

extern "C" __attribute__((visibility("default"))) const tf_cuda_plugin* tf_cuda_plugin_get(int32_t version) {
    return version == TF_CUDA_PLUGIN_VERSION ? &kTable : nullptr;
}
