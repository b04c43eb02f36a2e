// The plugin's exported entry (tf_cuda_plugin_get), its error state, the device context,
// and the kernel entry points of the host-pointer API: copy in, launch, copy out, synchronise.
#include <climits>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "common.cuh"

namespace tfc {

namespace {
thread_local std::string g_error;
}

tf_status fail(tf_status code, const std::string& msg) {
    try {
        g_error = msg;
    } catch (...) {
    }
    return code;
}

std::string plugin_error_text() { return g_error; }

tf_status cuda_fail(const char* call, cudaError_t err, const char* file, int line) {
    // Reported here, so cleared: TFC_LAUNCHED reads cudaGetLastError, which returns the last
    // error of any runtime call on this thread (an out-of-memory cudaMalloc the caller has
    // handled would otherwise fail the next kernel launch). Sticky errors stay regardless.
    (void)cudaGetLastError();
    tf_status code = TF_ERR_INTERNAL;
    if (err == cudaErrorMemoryAllocation) code = TF_ERR_OUT_OF_MEMORY;
    if (err == cudaErrorNoDevice || err == cudaErrorInsufficientDriver || err == cudaErrorInvalidDevice ||
        err == cudaErrorInitializationError || err == cudaErrorCompatNotSupportedOnDevice ||
        err == cudaErrorNoKernelImageForDevice || err == cudaErrorUnsupportedPtxVersion ||
        err == cudaErrorSystemDriverMismatch) {
        code = TF_ERR_UNSUPPORTED;
    }
    const char* base = std::strrchr(file, '/');
    return fail(code, std::string(call) + " failed: " + cudaGetErrorString(err) + " (" + cudaGetErrorName(err) + ", " +
                          (base ? base + 1 : file) + ":" + std::to_string(line) + ")");
}

void group_rows_by_word(const int32_t* row_word, int64_t n_rows, int64_t n_words, std::vector<int32_t>& word_rows,
                        std::vector<int32_t>& word_offsets) {
    word_offsets.assign(size_t(n_words + 1), 0);
    for (int64_t r = 0; r < n_rows; ++r) ++word_offsets[size_t(row_word[r]) + 1];
    for (int64_t w = 0; w < n_words; ++w) word_offsets[size_t(w + 1)] += word_offsets[size_t(w)];
    std::vector<int32_t> next(word_offsets.begin(), word_offsets.end() - 1);
    word_rows.resize(size_t(n_rows));
    for (int64_t r = 0; r < n_rows; ++r) word_rows[size_t(next[size_t(row_word[r])]++)] = int32_t(r);
}

// Launch-free check that this build has code the device can run (SASS for its architecture
// or PTX it can JIT): cudaFuncGetAttributes fails with cudaErrorNoKernelImageForDevice if not.
__global__ void probe_kernel() {}

int64_t first_controlled(const float* key_control, int64_t n) {
    for (int64_t t = 0; t < n; ++t) {
        if (key_control[t] != 1.0f) return t;
    }
    return n;
}

}  // namespace tfc

namespace {

using namespace tfc;

// A host tf_matrix copied into two scratch slots (data, scales) as a DevMatrix.
tf_status put_matrix(tf_cuda_device* d, int data_slot, int scales_slot, const tf_matrix& w, DevMatrix* out) {
    const size_t bytes = size_t(w.rows * w.cols * dtype_bytes(w.dtype));
    char* data = nullptr;
    TFC_TRY(upload(d->stream, d->scratch[data_slot], static_cast<const char*>(w.data), bytes, &data));
    float* scales = nullptr;
    if (w.dtype == TF_DTYPE_I8) TFC_TRY(upload(d->stream, d->scratch[scales_slot], w.scales, size_t(w.rows), &scales));
    *out = DevMatrix{data, scales, w.rows, w.cols, w.dtype};
    return TF_OK;
}

template <class T>
tf_status reserve(tf_cuda_device* d, int slot, size_t count, T** out) {
    TFC_TRY(d->scratch[slot].reserve(count * sizeof(T) + 16));
    *out = d->scratch[slot].as<T>();
    return TF_OK;
}

tf_status finish(tf_cuda_device* d) {
    TFC_CHECK(cudaStreamSynchronize(d->stream));
    return TF_OK;
}

const char* plugin_last_error() { return g_error.c_str(); }

tf_status plugin_device_count(int32_t* count) {
    int n = 0;
    const cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        try {  // the message is a std::string: nothing may throw through the C boundary
            cuda_fail("cudaGetDeviceCount", e, __FILE__, __LINE__);
        } catch (...) {
        }
        return TF_ERR_UNSUPPORTED;
    }
    *count = n;
    return TF_OK;
}

tf_status plugin_device_create(int32_t ordinal, tf_cuda_device** out) {
    *out = nullptr;
    int n = 0;
    TFC_CHECK(cudaGetDeviceCount(&n));
    if (ordinal < 0 || ordinal >= n) {
        return fail(TF_ERR_UNSUPPORTED, "CUDA device " + std::to_string(ordinal) + " does not exist (" +
                                            std::to_string(n) + " device(s))");
    }
    int major = 0;
    TFC_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, ordinal));
    if (major < 8) {
        return fail(TF_ERR_UNSUPPORTED, "CUDA device " + std::to_string(ordinal) + " has compute capability " +
                                            std::to_string(major) + ".x; the plugin's kernels need 8.0 or newer");
    }
    TFC_CHECK(cudaSetDevice(ordinal));
    cudaFuncAttributes attr{};
    if (const cudaError_t e = cudaFuncGetAttributes(&attr, probe_kernel); e != cudaSuccess) {
        cuda_fail("cudaFuncGetAttributes (is the plugin built for this GPU's architecture? CMAKE_CUDA_ARCHITECTURES)",
                  e, __FILE__, __LINE__);
        return TF_ERR_UNSUPPORTED;
    }
    auto* d = new (std::nothrow) tf_cuda_device();
    if (d == nullptr) return fail(TF_ERR_OUT_OF_MEMORY, "out of host memory");
    d->ordinal = ordinal;
    const cudaError_t e = cudaStreamCreateWithFlags(&d->stream, cudaStreamNonBlocking);
    if (e != cudaSuccess) {
        delete d;
        return cuda_fail("cudaStreamCreateWithFlags", e, __FILE__, __LINE__);
    }
    *out = d;
    return TF_OK;
}

void plugin_device_free(tf_cuda_device* d) {
    if (d == nullptr) return;
    cudaSetDevice(d->ordinal);
    cudaStreamSynchronize(d->stream);
    for (DeviceBuffer& b : d->scratch) b.release();
    cudaStreamDestroy(d->stream);
    delete d;
}

tf_status plugin_device_name(tf_cuda_device* d, char* buf, int32_t cap) {
    cudaDeviceProp prop{};
    TFC_CHECK(cudaGetDeviceProperties(&prop, d->ordinal));
    if (cap > 0) {
        std::strncpy(buf, prop.name, size_t(cap) - 1);
        buf[cap - 1] = '\0';
    }
    return TF_OK;
}

tf_status plugin_embed_sum(tf_cuda_device* d, const tf_matrix* table, const int32_t* ids, int64_t n_rows,
                           int32_t population, const int32_t* row_word, int64_t n_words, float* out) {
    return on_device(d, "embed_sum", [&]() -> tf_status {
        if (n_rows > INT32_MAX) return fail(TF_ERR_UNSUPPORTED, "more than 2^31 embedding rows");
        std::vector<int32_t> word_rows, word_offsets;
        group_rows_by_word(row_word, n_rows, n_words, word_rows, word_offsets);
        DevMatrix t;
        TFC_TRY(put_matrix(d, 0, 1, *table, &t));
        int32_t *di = nullptr, *dr = nullptr, *dof = nullptr;
        float* dout = nullptr;
        TFC_TRY(upload(d->stream, d->scratch[2], ids, size_t(n_rows * population), &di));
        TFC_TRY(upload(d->stream, d->scratch[3], word_rows.data(), word_rows.size(), &dr));
        TFC_TRY(upload(d->stream, d->scratch[4], word_offsets.data(), word_offsets.size(), &dof));
        TFC_TRY(reserve(d, 5, size_t(n_words * table->cols), &dout));
        TFC_TRY(launch_embed(d->stream, t, di, population, dr, dof, n_words, dout));
        TFC_TRY(download(d->stream, out, dout, size_t(n_words * table->cols)));
        return finish(d);
    });
}

tf_status plugin_matmul(tf_cuda_device* d, const float* x, int64_t m, const tf_matrix* w, float* y) {
    return on_device(d, "matmul", [&]() -> tf_status {
        DevMatrix dw;
        TFC_TRY(put_matrix(d, 0, 1, *w, &dw));
        float *dx = nullptr, *dy = nullptr;
        TFC_TRY(upload(d->stream, d->scratch[2], x, size_t(m * w->cols), &dx));
        TFC_TRY(reserve(d, 3, size_t(m * w->rows), &dy));
        TFC_TRY(launch_matmul(d->stream, dx, m, dw, dy));
        TFC_TRY(download(d->stream, y, dy, size_t(m * w->rows)));
        return finish(d);
    });
}

// Quantizes src (device) into q / scales; *bad_row = first non-finite row or -1.
tf_status quantize_checked(tf_cuda_device* d, const DevMatrix& src, int8_t* q, float* scales, int slot_bad,
                           int64_t* bad_row) {
    unsigned long long* dbad = nullptr;
    const unsigned long long none = ULLONG_MAX;
    TFC_TRY(upload(d->stream, d->scratch[slot_bad], &none, 1, &dbad));
    TFC_TRY(launch_quantize(d->stream, src, q, scales, dbad));
    unsigned long long bad = none;
    TFC_TRY(download(d->stream, &bad, dbad, 1));
    TFC_TRY(finish(d));
    *bad_row = bad == none ? -1 : int64_t(bad);
    return TF_OK;
}

tf_status plugin_quantize_rows(tf_cuda_device* d, const tf_matrix* src, int8_t* q, float* scales, int64_t* bad_row) {
    return on_device(d, "quantize_rows", [&]() -> tf_status {
        DevMatrix s;
        TFC_TRY(put_matrix(d, 0, 1, *src, &s));
        int8_t* dq = nullptr;
        float* ds = nullptr;
        TFC_TRY(reserve(d, 2, size_t(src->rows * src->cols), &dq));
        TFC_TRY(reserve(d, 3, size_t(src->rows), &ds));
        TFC_TRY(quantize_checked(d, s, dq, ds, 4, bad_row));
        if (*bad_row >= 0) return TF_OK;
        TFC_TRY(download(d->stream, q, dq, size_t(src->rows * src->cols)));
        TFC_TRY(download(d->stream, scales, ds, size_t(src->rows)));
        return finish(d);
    });
}

tf_status plugin_matmul_a8(tf_cuda_device* d, const float* x, int64_t m, const tf_matrix* w, float* y,
                           int64_t* bad_row) {
    return on_device(d, "matmul_a8", [&]() -> tf_status {
        DevMatrix dw;
        TFC_TRY(put_matrix(d, 0, 1, *w, &dw));
        float *dx = nullptr, *dy = nullptr, *dsx = nullptr;
        int8_t* dq = nullptr;
        TFC_TRY(upload(d->stream, d->scratch[2], x, size_t(m * w->cols), &dx));
        TFC_TRY(reserve(d, 3, size_t(m * w->rows), &dy));
        TFC_TRY(reserve(d, 4, size_t(m * w->cols), &dq));
        TFC_TRY(reserve(d, 5, size_t(m), &dsx));
        TFC_TRY(quantize_checked(d, DevMatrix{dx, nullptr, m, w->cols, TF_DTYPE_F32}, dq, dsx, 6, bad_row));
        if (*bad_row >= 0) return TF_OK;
        TFC_TRY(launch_matmul_a8(d->stream, dq, dsx, m, dw, dy));
        TFC_TRY(download(d->stream, y, dy, size_t(m * w->rows)));
        return finish(d);
    });
}

tf_status plugin_rmsnorm(tf_cuda_device* d, const float* x, int64_t n, int64_t dim, const float* weight, float eps,
                         float* out) {
    return on_device(d, "rmsnorm", [&]() -> tf_status {
        float *dx = nullptr, *dw = nullptr, *dout = nullptr;
        TFC_TRY(upload(d->stream, d->scratch[0], x, size_t(n * dim), &dx));
        TFC_TRY(upload(d->stream, d->scratch[1], weight, size_t(dim), &dw));
        TFC_TRY(reserve(d, 2, size_t(n * dim), &dout));
        TFC_TRY(launch_rmsnorm(d->stream, dx, n, dim, dw, eps, dout));
        TFC_TRY(download(d->stream, out, dout, size_t(n * dim)));
        return finish(d);
    });
}

tf_status plugin_rope(tf_cuda_device* d, float* x, int64_t n, int32_t n_heads, int32_t head_dim,
                      const int32_t* positions, const float* table, int64_t table_positions) {
    return on_device(d, "rope", [&]() -> tf_status {
        const size_t count = size_t(n) * size_t(n_heads) * size_t(head_dim);
        float *dx = nullptr, *dt = nullptr;
        int32_t* dp = nullptr;
        TFC_TRY(upload(d->stream, d->scratch[0], x, count, &dx));
        TFC_TRY(upload(d->stream, d->scratch[1], positions, size_t(n), &dp));
        TFC_TRY(upload(d->stream, d->scratch[2], table, size_t(table_positions * head_dim), &dt));
        TFC_TRY(launch_rope(d->stream, dx, n, n_heads, head_dim, dp, dt));
        TFC_TRY(download(d->stream, x, dx, count));
        return finish(d);
    });
}

tf_status plugin_attention(tf_cuda_device* d, const float* q, int64_t n_q, int64_t q_pos0, const float* k,
                           const float* v, int64_t kv_len, int32_t n_heads, int32_t head_dim, const float* key_control,
                           int32_t control_mode, float* out) {
    return on_device(d, "attention", [&]() -> tf_status {
        const int64_t width = int64_t(n_heads) * head_dim;
        float *dq = nullptr, *dk = nullptr, *dv = nullptr, *dc = nullptr, *dout = nullptr;
        TFC_TRY(upload(d->stream, d->scratch[0], q, size_t(n_q * width), &dq));
        TFC_TRY(upload(d->stream, d->scratch[1], k, size_t(kv_len * width), &dk));
        TFC_TRY(upload(d->stream, d->scratch[2], v, size_t(kv_len * width), &dv));
        const bool control = key_control != nullptr && control_mode != TF_CONTROL_NONE;
        if (control) TFC_TRY(upload(d->stream, d->scratch[3], key_control, size_t(kv_len), &dc));
        TFC_TRY(reserve(d, 4, size_t(n_q * width), &dout));
        AttentionDev a{dq,      n_q,     q_pos0, dk, dv, width, head_dim, kv_len, n_heads, head_dim, dc,
                       control ? control_mode : int32_t(TF_CONTROL_NONE),
                       control ? first_controlled(key_control, kv_len) : kv_len, dout};
        char* scratch = nullptr;
        TFC_TRY(reserve(d, 5, attention_scratch_bytes(a), &scratch));
        TFC_TRY(launch_attention(d->stream, a, scratch));
        TFC_TRY(download(d->stream, out, dout, size_t(n_q * width)));
        return finish(d);
    });
}

tf_status plugin_swiglu(tf_cuda_device* d, const float* gate, const float* up, int64_t count, float* out) {
    return on_device(d, "swiglu", [&]() -> tf_status {
        float *dg = nullptr, *du = nullptr, *dout = nullptr;
        TFC_TRY(upload(d->stream, d->scratch[0], gate, size_t(count), &dg));
        TFC_TRY(upload(d->stream, d->scratch[1], up, size_t(count), &du));
        TFC_TRY(reserve(d, 2, size_t(count), &dout));
        TFC_TRY(launch_swiglu(d->stream, dg, du, count, dout));
        TFC_TRY(download(d->stream, out, dout, size_t(count)));
        return finish(d);
    });
}

tf_status plugin_add(tf_cuda_device* d, float* x, const float* y, int64_t count) {
    return on_device(d, "add", [&]() -> tf_status {
        float *dx = nullptr, *dy = nullptr;
        TFC_TRY(upload(d->stream, d->scratch[0], x, size_t(count), &dx));
        TFC_TRY(upload(d->stream, d->scratch[1], y, size_t(count), &dy));
        TFC_TRY(launch_add(d->stream, dx, dy, count));
        TFC_TRY(download(d->stream, x, dx, size_t(count)));
        return finish(d);
    });
}

tf_status plugin_sigmoid(tf_cuda_device* d, const float* x, int64_t count, float* out) {
    return on_device(d, "sigmoid", [&]() -> tf_status {
        float *dx = nullptr, *dout = nullptr;
        TFC_TRY(upload(d->stream, d->scratch[0], x, size_t(count), &dx));
        TFC_TRY(reserve(d, 1, size_t(count), &dout));
        TFC_TRY(launch_sigmoid(d->stream, dx, count, dout));
        TFC_TRY(download(d->stream, out, dout, size_t(count)));
        return finish(d);
    });
}

tf_status plugin_softmax(tf_cuda_device* d, const float* x, int64_t count, float* out) {
    return on_device(d, "softmax", [&]() -> tf_status {
        float *dx = nullptr, *dout = nullptr;
        TFC_TRY(upload(d->stream, d->scratch[0], x, size_t(count), &dx));
        TFC_TRY(reserve(d, 1, size_t(count), &dout));
        TFC_TRY(launch_softmax(d->stream, dx, count, dout));
        TFC_TRY(download(d->stream, out, dout, size_t(count)));
        return finish(d);
    });
}

// ---- word scores and the dictionary --------------------------------------------------------

// Patterns in device memory.
struct DevPatterns {
    DeviceBuffer offsets, ids, edge_offsets, edge_ids, n_trigrams;
    int64_t n_words = 0;
    tf_status upload_from(cudaStream_t s, const tf_word_patterns& p) {
        n_words = p.n_words;
        int64_t* o = nullptr;
        int32_t* i = nullptr;
        TFC_TRY(upload(s, offsets, p.offsets, size_t(p.n_words + 1), &o));
        TFC_TRY(upload(s, ids, p.ids, size_t(p.offsets[p.n_words]), &i));
        TFC_TRY(upload(s, edge_offsets, p.edge_offsets, size_t(p.n_words + 1), &o));
        TFC_TRY(upload(s, edge_ids, p.edge_ids, size_t(p.edge_offsets[p.n_words]), &i));
        TFC_TRY(upload(s, n_trigrams, p.n_trigrams, size_t(p.n_words), &i));
        return TF_OK;
    }
};

// Scores of n_rows logits rows (host) against device patterns: rows go through in groups
// small enough for the scratch ([rows, vocab] sigmoids and [rows, n_words] scores).
tf_status score_rows(cudaStream_t s, const DevPatterns& p, const float* logits, int64_t n_rows, int64_t vocab,
                     int32_t population, float edge_weight, float* scores, DeviceBuffer& b_logits, DeviceBuffer& b_a,
                     DeviceBuffer& b_total, DeviceBuffer& b_scores) {
    const int64_t per_row = vocab + p.n_words;
    int64_t group = (int64_t(64) << 20) / (per_row > 0 ? per_row : 1);  // ~256 MB of floats
    group = group < 1 ? 1 : (group > 1024 ? 1024 : group);
    for (int64_t r0 = 0; r0 < n_rows; r0 += group) {
        const int64_t rows = n_rows - r0 < group ? n_rows - r0 : group;
        float *dl = nullptr, *da = nullptr, *ds = nullptr;
        double* dt = nullptr;
        TFC_TRY(upload(s, b_logits, logits + r0 * vocab, size_t(rows * vocab), &dl));
        TFC_TRY(b_a.reserve(size_t(rows * vocab) * sizeof(float)));
        TFC_TRY(b_total.reserve(size_t(rows) * sizeof(double)));
        TFC_TRY(b_scores.reserve(size_t(rows * p.n_words) * sizeof(float)));
        da = b_a.as<float>();
        dt = b_total.as<double>();
        ds = b_scores.as<float>();
        TFC_TRY(launch_sigmoid_sum_rows(s, dl, rows, vocab, da, dt));
        TFC_TRY(launch_word_scores(s, da, dt, rows, vocab, p.offsets.as<int64_t>(), p.ids.as<int32_t>(),
                                   p.edge_offsets.as<int64_t>(), p.edge_ids.as<int32_t>(), p.n_trigrams.as<int32_t>(),
                                   p.n_words, population, edge_weight, ds));
        TFC_TRY(download(s, scores + r0 * p.n_words, ds, size_t(rows * p.n_words)));
        TFC_CHECK(cudaStreamSynchronize(s));
    }
    return TF_OK;
}

tf_status plugin_word_scores(tf_cuda_device* d, const float* logits, int64_t vocab, const tf_word_patterns* patterns,
                             int32_t population, float edge_weight, float* scores) {
    return on_device(d, "word_scores", [&]() -> tf_status {
        DevPatterns p;  // one call: uploaded and freed here (tf_dictionary keeps them)
        TFC_TRY(p.upload_from(d->stream, *patterns));
        return score_rows(d->stream, p, logits, 1, vocab, population, edge_weight, scores, d->scratch[0],
                          d->scratch[1], d->scratch[2], d->scratch[3]);
    });
}

}  // namespace

struct tf_cuda_dictionary {
    tf_cuda_device* dev;
    DevPatterns patterns;
    int64_t vocab;
    int32_t population;
    DeviceBuffer logits, a, total, scores;  // scratch of dictionary_scores, grown on demand
};

namespace {

tf_status plugin_dictionary_create(tf_cuda_device* d, const tf_word_patterns* patterns, int64_t vocab,
                                   int32_t population, tf_cuda_dictionary** out) {
    *out = nullptr;
    return on_device(d, "dictionary_create", [&]() -> tf_status {
        auto* dict = new tf_cuda_dictionary{d, {}, vocab, population, {}, {}, {}, {}};
        tf_status s = dict->patterns.upload_from(d->stream, *patterns);
        if (s == TF_OK) s = finish(d);
        if (s != TF_OK) {
            delete dict;
            return s;
        }
        *out = dict;
        return TF_OK;
    });
}

void plugin_dictionary_free(tf_cuda_dictionary* dict) {
    if (dict == nullptr) return;
    std::lock_guard<std::mutex> lock(dict->dev->mutex);
    cudaSetDevice(dict->dev->ordinal);
    delete dict;
}

tf_status plugin_dictionary_scores(tf_cuda_dictionary* dict, const float* logits, int64_t n_rows, float edge_weight,
                                   float* scores) {
    return on_device(dict->dev, "dictionary_scores", [&]() -> tf_status {
        return score_rows(dict->dev->stream, dict->patterns, logits, n_rows, dict->vocab, dict->population,
                          edge_weight, scores, dict->logits, dict->a, dict->total, dict->scores);
    });
}

tf_status plugin_measure_limits(tf_cuda_device* d, double* hbm_gbs, double* bf16_tflops, double* int8_tops) {
    return on_device(d, "measure_limits",
                     [&]() -> tf_status { return measure_limits(d->ordinal, d->stream, hbm_gbs, bf16_tflops, int8_tops); });
}

}  // namespace

// ops.cu
tf_status plugin_buffer_create(tf_cuda_device* dev, int64_t bytes, tf_cuda_buffer** out, void** data);
void plugin_buffer_free(tf_cuda_buffer* buffer);
tf_status plugin_copy(tf_cuda_device* dev, void* dst, const void* src, int64_t bytes, int32_t kind);
tf_status plugin_copy_2d(tf_cuda_device* dev, void* dst, int64_t dst_pitch, const void* src, int64_t src_pitch,
                         int64_t width, int64_t height);
tf_status plugin_synchronize(tf_cuda_device* dev);
int32_t plugin_op_unsupported(tf_cuda_device* dev, int32_t op, const tf_stack_params* params, char* why, int32_t cap);
tf_status plugin_op_embed(tf_cuda_device* dev, const tf_matrix* table, const int32_t* ids, int64_t n_rows,
                          int32_t population, const int32_t* row_word, int64_t n_words, float* out);
tf_status plugin_op_rmsnorm(tf_cuda_device* dev, const float* x, int64_t n, int64_t dim, const float* weight, float eps,
                            float* out);
tf_status plugin_op_matmul(tf_cuda_device* dev, const float* x, int64_t m, const tf_matrix* w, float* y);
tf_status plugin_op_quantize(tf_cuda_device* dev, const float* x, int64_t rows, int64_t cols, int8_t* q, float* scales,
                             uint64_t* bad);
tf_status plugin_op_matmul_a8(tf_cuda_device* dev, const int8_t* q, const float* scales, int64_t m, const tf_matrix* w,
                              float* y);
tf_status plugin_op_rope(tf_cuda_device* dev, float* x, int64_t n, int32_t n_heads, int32_t head_dim,
                         const int32_t* positions, const float* table);
tf_status plugin_op_store_heads(tf_cuda_device* dev, float* block, const float* rows, int64_t n, int64_t base,
                                int64_t capacity, int32_t n_heads, int32_t head_dim);
tf_status plugin_op_attention(tf_cuda_device* dev, const tf_cuda_attention* args);
tf_status plugin_op_swiglu(tf_cuda_device* dev, const float* gate, const float* up, int64_t count, float* out);
tf_status plugin_op_add(tf_cuda_device* dev, float* x, const float* y, int64_t count);

namespace {

// The table, field by field (adding an entry point is one line here and one in cuda_plugin.h).
tf_cuda_plugin make_table() {
    tf_cuda_plugin t{};
    t.version = TF_CUDA_PLUGIN_VERSION;
    t.last_error = plugin_last_error;
    t.device_count = plugin_device_count;
    t.device_create = plugin_device_create;
    t.device_free = plugin_device_free;
    t.device_name = plugin_device_name;
    t.embed_sum = plugin_embed_sum;
    t.matmul = plugin_matmul;
    t.quantize_rows = plugin_quantize_rows;
    t.matmul_a8 = plugin_matmul_a8;
    t.rmsnorm = plugin_rmsnorm;
    t.rope = plugin_rope;
    t.attention = plugin_attention;
    t.swiglu = plugin_swiglu;
    t.add = plugin_add;
    t.sigmoid = plugin_sigmoid;
    t.softmax = plugin_softmax;
    t.word_scores = plugin_word_scores;
    t.dictionary_create = plugin_dictionary_create;
    t.dictionary_free = plugin_dictionary_free;
    t.dictionary_scores = plugin_dictionary_scores;
    t.buffer_create = plugin_buffer_create;
    t.buffer_free = plugin_buffer_free;
    t.copy = plugin_copy;
    t.copy_2d = plugin_copy_2d;
    t.synchronize = plugin_synchronize;
    t.op_unsupported = plugin_op_unsupported;
    t.op_embed = plugin_op_embed;
    t.op_rmsnorm = plugin_op_rmsnorm;
    t.op_matmul = plugin_op_matmul;
    t.op_quantize = plugin_op_quantize;
    t.op_matmul_a8 = plugin_op_matmul_a8;
    t.op_rope = plugin_op_rope;
    t.op_store_heads = plugin_op_store_heads;
    t.op_attention = plugin_op_attention;
    t.op_swiglu = plugin_op_swiglu;
    t.op_add = plugin_op_add;
    t.measure_limits = plugin_measure_limits;
    return t;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const tf_cuda_plugin* tf_cuda_plugin_get(int32_t version) {
    static const tf_cuda_plugin table = make_table();
    return version == TF_CUDA_PLUGIN_VERSION ? &table : nullptr;
}
