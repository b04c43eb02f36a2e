// Loading the CUDA plugin (libtfree4j_cuda.so) with dlopen. libtfree4j links no CUDA library,
// so a machine without CUDA runs the CPU backend with nothing extra installed; only a CUDA
// context (or tf_backend_available(TF_BACKEND_CUDA)) looks for the plugin. Then the CUDA
// backend table (backend.h): the forward's ops as calls of the plugin's op_* on device memory.
#include "cuda_backend.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <mutex>

#include "dtype.h"
#include "model.h"

#if defined(__unix__) || defined(__APPLE__)
#include <dlfcn.h>
#define TFREE4J_HAS_DLOPEN 1
#endif

namespace tf {
namespace cuda {

namespace {

constexpr const char* kPluginEnv = "TFREE4J_CUDA_PLUGIN";
constexpr const char* kPluginFile = "libtfree4j_cuda.so";

struct Loaded {
    const tf_cuda_plugin* plugin = nullptr;
    std::string why;  // set when plugin is NULL
};

#if defined(TFREE4J_HAS_DLOPEN)
// The plugin's path: the environment variable, else the file next to libtfree4j itself.
std::string plugin_path(std::string* origin) {
    if (const char* env = std::getenv(kPluginEnv); env != nullptr && env[0] != '\0') {
        *origin = std::string("(from ") + kPluginEnv + ")";
        return env;
    }
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&tf_version), &info) != 0 && info.dli_fname != nullptr) {
        std::string self(info.dli_fname);
        const size_t slash = self.rfind('/');
        *origin = "(next to " + self + ")";
        return (slash == std::string::npos ? std::string() : self.substr(0, slash + 1)) + kPluginFile;
    }
    *origin = "(on the library search path)";
    return kPluginFile;
}
#endif

Loaded load() {
    Loaded r;
#if defined(TFREE4J_HAS_DLOPEN)
    std::string origin;
    const std::string path = plugin_path(&origin);
    // RTLD_LOCAL: the plugin's statically linked CUDA runtime stays private to it.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* err = dlerror();
        r.why = "the CUDA plugin " + path + " " + origin + " cannot be loaded: " + (err ? err : "unknown dlopen error") +
                " (a build without nvcc has no plugin; set " + kPluginEnv + " to its path)";
        return r;
    }
    auto get = reinterpret_cast<tf_cuda_plugin_get_fn>(dlsym(handle, "tf_cuda_plugin_get"));
    if (get == nullptr) {
        r.why = "the CUDA plugin " + path + " has no symbol tf_cuda_plugin_get (not a tfree4j CUDA plugin?)";
        return r;  // the handle stays open: unloading a half-initialised library buys nothing
    }
    const tf_cuda_plugin* p = get(TF_CUDA_PLUGIN_VERSION);
    if (p == nullptr || p->version != TF_CUDA_PLUGIN_VERSION) {
        r.why = "the CUDA plugin " + path + " does not implement plugin interface version " +
                std::to_string(TF_CUDA_PLUGIN_VERSION) + " (plugin and libtfree4j come from different builds)";
        return r;
    }
    r.plugin = p;
#else
    r.why = "the CUDA plugin needs dlopen, which this platform's build does not use";
#endif
    return r;
}

}  // namespace

const tf_cuda_plugin* plugin(std::string* why) {
    static std::once_flag once;
    static Loaded loaded;
    std::call_once(once, [] {
        try {
            loaded = load();
        } catch (...) {
            loaded.plugin = nullptr;
            loaded.why = "out of memory while loading the CUDA plugin";
        }
    });
    if (loaded.plugin == nullptr && why != nullptr) *why = loaded.why;
    return loaded.plugin;
}

}  // namespace cuda
}  // namespace tf

// ---- Device memory and the forward's backend table ------------------------------------------

#define TF_TRY_OK(expr) \
    do { if (tf_status s_ = (expr); s_ != TF_OK) return s_; } while (0)

namespace tf {
namespace cuda {

void Buffers::release() {
    for (tf_cuda_buffer* b : list) plugin->buffer_free(b);
    list.clear();
    data.clear();
}

tf_status Buffers::add(tf_context* ctx, size_t bytes, void** out) {
    plugin = ctx->plugin;
    tf_cuda_buffer* b = nullptr;
    void* d = nullptr;
    if (tf_status s = ctx->plugin->buffer_create(ctx->cuda, int64_t(std::max<size_t>(bytes, 1)), &b, &d); s != TF_OK) {
        return fail(s, std::string("device memory (") + std::to_string(bytes) + " bytes): " + ctx->plugin->last_error());
    }
    try {
        list.push_back(b);
        data.push_back(d);
    } catch (...) {
        ctx->plugin->buffer_free(b);
        return fail(TF_ERR_OUT_OF_MEMORY, "out of memory");
    }
    *out = d;
    return TF_OK;
}

namespace {

// A plugin call's status as the loop reports it: "CUDA <op>: <the plugin's message>".
tf_status op_result(const tf_context* ctx, tf_status s, const char* op) {
    if (s == TF_OK) return TF_OK;
    return fail(s, std::string("CUDA ") + op + ": " + ctx->plugin->last_error());
}

tf_status unsupported_op(const char* op, const std::string& why) {
    return fail(TF_ERR_UNSUPPORTED, std::string("CUDA ") + op + ": " + why);
}

std::string unsupported(const tf_context* ctx, Op op, const tf_stack_params& p) {
    char why[256] = {0};
    if (ctx->plugin->op_unsupported(ctx->cuda, int32_t(op), &p, why, int32_t(sizeof why)) == 0) return "";
    return why[0] != '\0' ? why : "the plugin does not say why";
}

tf_status to_device(tf_context* ctx, void* dst, const void* host, size_t bytes) {
    return op_result(ctx, ctx->plugin->copy(ctx->cuda, dst, host, int64_t(bytes), TF_CUDA_TO_DEVICE), "copy to device");
}

tf_status to_host(tf_context* ctx, void* host, const void* src, size_t bytes) {
    return op_result(ctx, ctx->plugin->copy(ctx->cuda, host, src, int64_t(bytes), TF_CUDA_TO_HOST), "copy to host");
}

tf_status copy_blocks(tf_context* ctx, void* dst, size_t dst_pitch, const void* src, size_t src_pitch, size_t width,
                      size_t height) {
    const tf_status s = height == 1 ? ctx->plugin->copy(ctx->cuda, dst, src, int64_t(width), TF_CUDA_ON_DEVICE)
                                    : ctx->plugin->copy_2d(ctx->cuda, dst, int64_t(dst_pitch), src, int64_t(src_pitch),
                                                           int64_t(width), int64_t(height));
    return op_result(ctx, s, "copy on device");
}

// The device caches' chunk: the device's scratch per round stays bounded (the plugin's GEMM
// reaches its speed well below it).
constexpr int64_t kDeviceChunkRows = 256;

tf_status cache_alloc(tf_cache* c, size_t kv) {
    void* p = nullptr;
    TF_TRY_OK(c->device_kv.add(c->ctx, kv * sizeof(float), &p));
    c->keys = static_cast<float*>(p);
    TF_TRY_OK(c->device_kv.add(c->ctx, kv * sizeof(float), &p));
    c->values = static_cast<float*>(p);
    TF_TRY_OK(c->device_kv.add(c->ctx, size_t(c->capacity) * sizeof(float), &p));  // key controls: data[2]
    c->chunk_rows = kDeviceChunkRows;
    return TF_OK;
}

tf_status reserve_rows(tf_cache* c, int64_t rows) {
    const tf_stack_params& p = c->stack->params;
    const size_t H = size_t(p.hidden_size), F = size_t(p.intermediate_size), R = size_t(rows);
    c->scratch_rows = 0;  // the old buffers go first: a failure below leaves none
    c->buf = Scratch{};
    c->device_scratch.release();
    try {
        c->positions.resize(R);  // the host copy the loop writes
    } catch (const std::exception&) {
        return fail(TF_ERR_OUT_OF_MEMORY, "out of memory for the scratch of " + std::to_string(rows) + " rows");
    }
    Scratch b;
    void* d = nullptr;
    auto add = [&](size_t bytes, auto** out) -> tf_status {
        TF_TRY_OK(c->device_scratch.add(c->ctx, bytes, &d));
        *out = static_cast<std::remove_reference_t<decltype(**out)>*>(d);
        return TF_OK;
    };
    for (float** f : {&b.x, &b.h, &b.q, &b.att}) TF_TRY_OK(add(R * H * sizeof(float), f));
    for (float** f : {&b.gate, &b.up}) TF_TRY_OK(add(R * F * sizeof(float), f));
    TF_TRY_OK(add(R * std::max(H, F), &b.act_q));
    TF_TRY_OK(add(R * sizeof(float), &b.act_scales));
    TF_TRY_OK(add(R * sizeof(int32_t), &b.positions));
    TF_TRY_OK(add(R * size_t(std::max(p.vocab_size, 1)) * sizeof(float), &b.logits));
    TF_TRY_OK(add(sizeof(uint64_t), &b.bad));
    c->buf = b;
    return TF_OK;
}

tf_status begin_round(tf_cache* sc, int64_t rows) {
    const uint64_t none = UINT64_MAX;
    TF_TRY_OK(to_device(sc->ctx, sc->buf.positions, sc->positions.data(), size_t(rows) * sizeof(int32_t)));
    return to_device(sc->ctx, sc->buf.bad, &none, sizeof none);
}

tf_status end_round(tf_cache* sc, int64_t* bad_row) {
    uint64_t bad = UINT64_MAX;
    TF_TRY_OK(to_host(sc->ctx, &bad, sc->buf.bad, sizeof bad));
    TF_TRY_OK(op_result(sc->ctx, sc->ctx->plugin->synchronize(sc->ctx->cuda), "synchronize"));
    *bad_row = bad == UINT64_MAX ? -1 : int64_t(bad);
    return TF_OK;
}

tf_status controls(tf_cache* c, const float* host, int64_t n) {
    float* dst = static_cast<float*>(c->device_kv.data[2]);
    TF_TRY_OK(to_device(c->ctx, dst, host, size_t(n) * sizeof(float)));
    c->control = dst;
    c->first_controlled = n;
    for (int64_t t = 0; t < n; ++t) {
        if (host[t] != 1.0f) {
            c->first_controlled = t;
            break;
        }
    }
    return TF_OK;
}

// The ops: one plugin call each (the plugin queues the kernels on the device's stream).
#define CUDA_OP(ctx, name, ...) op_result(ctx, (ctx)->plugin->op_##name((ctx)->cuda, __VA_ARGS__), #name)

tf_status rmsnorm(tf_context* ctx, const float* x, int64_t n, int64_t dim, const float* w, float eps, float* out) {
    return CUDA_OP(ctx, rmsnorm, x, n, dim, w, eps, out);
}
tf_status matmul(tf_context* ctx, const float* x, int64_t m, const tf_matrix& w, float* y) {
    return CUDA_OP(ctx, matmul, x, m, &w, y);
}
tf_status quantize(tf_cache* c, const float* x, int64_t rows, int64_t cols) {
    return CUDA_OP(c->ctx, quantize, x, rows, cols, c->buf.act_q, c->buf.act_scales, c->buf.bad);
}
tf_status matmul_a8(tf_cache* c, int64_t m, const tf_matrix& w, float* y) {
    return CUDA_OP(c->ctx, matmul_a8, c->buf.act_q, c->buf.act_scales, m, &w, y);
}
tf_status swiglu(tf_context* ctx, const float* gate, const float* up, int64_t count, float* out) {
    return CUDA_OP(ctx, swiglu, gate, up, count, out);
}
tf_status add(tf_context* ctx, float* x, const float* y, int64_t count) { return CUDA_OP(ctx, add, x, y, count); }

// The ops that check the configuration again: never a wrong result, even if asked wrongly.
tf_status rope(tf_context* ctx, int32_t kind, float* x, int64_t n, int32_t n_heads, int32_t d,
               const int32_t* positions, const float* table) {
    if (kind != TF_ROPE_INTERLEAVED) return unsupported_op("rope", "only interleaved pairs");
    return CUDA_OP(ctx, rope, x, n, n_heads, d, positions, table);
}

tf_status store_heads(tf_context* ctx, const tf_cache* c, float* block, const float* rows, int64_t n, int64_t base,
                      int32_t n_heads, int32_t d) {
    if (c->window > 0) return unsupported_op("store_heads", "ring caches (a sliding window)");
    return CUDA_OP(ctx, store_heads, block, rows, n, base, c->capacity, n_heads, d);
}

tf_status attention(tf_context* ctx, const tf_cache* c, const AttentionArgs& a) {
    if (!a.causal || a.window != 0 || a.ring != 0 || (a.n_kv_heads != 0 && a.n_kv_heads != a.n_heads)) {
        return unsupported_op("attention", "only causal attention over all keys, one kv head per head");
    }
    const bool control = a.key_control != nullptr && a.control_mode != TF_CONTROL_NONE;
    const tf_cuda_attention args{a.q, a.n_q, a.q_pos0, a.k, a.v, a.kv_row_stride, a.kv_head_stride, a.kv_len,
                                 a.n_heads, a.head_dim, control ? a.key_control : nullptr,
                                 control ? a.control_mode : int32_t(TF_CONTROL_NONE),
                                 control ? std::min(c->first_controlled, a.kv_len) : a.kv_len, a.out};
    return CUDA_OP(ctx, attention, &args);
}

constexpr Backend make_cuda_backend() {
    Backend b{};
    b.name = "CUDA";
    b.host_memory = false;
    b.unsupported = unsupported;
    b.cache_alloc = cache_alloc;
    b.reserve_rows = reserve_rows;
    b.to_backend = to_device;
    b.to_host = to_host;
    b.copy_blocks = copy_blocks;
    b.begin_round = begin_round;
    b.end_round = end_round;
    b.controls = controls;
    b.rmsnorm = rmsnorm;
    b.matmul = matmul;
    b.quantize = quantize;
    b.matmul_a8 = matmul_a8;
    b.rope = rope;
    b.store_heads = store_heads;
    b.attention = attention;
    b.swiglu = swiglu;
    b.add = add;
    return b;
}

}  // namespace

tf_status Resident::get(tf_context* ctx, const tf_matrix* host, size_t n, const float* rope, size_t rope_floats,
                        const char* fn, const StackTensors** out) {
    std::lock_guard<std::mutex> lock(mutex);
    if (upload != nullptr && !stale) {
        *out = &upload->tensors;
        return TF_OK;
    }
    upload.reset();  // free first, so that two copies never need to fit
    auto run = [&](Upload& up) -> tf_status {
        up.tensors.weights.resize(n);
        void* d = nullptr;
        for (size_t i = 0; i < n; ++i) {
            const tf_matrix& w = host[i];
            const size_t bytes = size_t(w.rows * w.cols * dtype_size(w.dtype));
            TF_TRY_OK(up.buffers.add(ctx, bytes + 16, &d));  // + 16: a vector load may read past a row
            TF_TRY_OK(to_device(ctx, d, w.data, bytes));
            up.tensors.weights[i] = tf_matrix{d, nullptr, w.rows, w.cols, w.dtype};
            if (w.dtype == TF_DTYPE_I8) {
                TF_TRY_OK(up.buffers.add(ctx, size_t(w.rows) * sizeof(float), &d));
                TF_TRY_OK(to_device(ctx, d, w.scales, size_t(w.rows) * sizeof(float)));
                up.tensors.weights[i].scales = static_cast<const float*>(d);
            }
        }
        if (rope != nullptr) {
            TF_TRY_OK(up.buffers.add(ctx, rope_floats * sizeof(float), &d));
            TF_TRY_OK(to_device(ctx, d, rope, rope_floats * sizeof(float)));
            up.tensors.rope = static_cast<const float*>(d);
        }
        return op_result(ctx, ctx->plugin->synchronize(ctx->cuda), "synchronize");
    };
    try {
        auto up = std::make_unique<Upload>();
        if (const tf_status s = run(*up); s != TF_OK) {
            return fail(s, std::string(fn) + ": uploading the weights: " + tf_last_error());
        }
        upload = std::move(up);
    } catch (const std::bad_alloc&) {
        return fail(TF_ERR_OUT_OF_MEMORY, std::string(fn) + ": out of memory");
    }
    stale = false;
    *out = &upload->tensors;
    return TF_OK;
}

}  // namespace cuda

const Backend cuda_backend = cuda::make_cuda_backend();

}  // namespace tf
