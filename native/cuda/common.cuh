// Shared pieces of the CUDA plugin: error handling (every CUDA call checked, never abort),
// RAII device memory, the device context, dtype loads, and the launchers each .cu file
// provides to the others (all on the device's stream, device pointers).
#pragma once
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "cuda_plugin.h"
#include "tfree4j.h"

namespace tfc {

// Records msg as this thread's plugin error (cuda_plugin.h last_error) and returns code.
tf_status fail(tf_status code, const std::string& msg);
// The current message (to prefix it with context).
std::string plugin_error_text();
// A failed CUDA call: "<call> failed: <cudaGetErrorString> (<file>:<line>)". Out-of-memory
// errors map to TF_ERR_OUT_OF_MEMORY, a missing driver / device to TF_ERR_UNSUPPORTED, the
// rest to TF_ERR_INTERNAL.
tf_status cuda_fail(const char* call, cudaError_t err, const char* file, int line);

}  // namespace tfc

// Checks a CUDA runtime call; on error returns its tf_status from the enclosing function.
#define TFC_CHECK(call)                                                                 \
    do {                                                                                \
        const cudaError_t e_ = (call);                                                  \
        if (e_ != cudaSuccess) return ::tfc::cuda_fail(#call, e_, __FILE__, __LINE__); \
    } while (0)
// After a kernel launch: a bad configuration shows up in cudaGetLastError.
#define TFC_LAUNCHED(what)                                                                         \
    do {                                                                                           \
        const cudaError_t e_ = cudaGetLastError();                                                 \
        if (e_ != cudaSuccess) return ::tfc::cuda_fail("launch of " what, e_, __FILE__, __LINE__); \
    } while (0)
// Propagates a failed tf_status.
#define TFC_TRY(expr)                                 \
    do {                                              \
        const tf_status s_ = (expr);                  \
        if (s_ != TF_OK) return s_;                   \
    } while (0)

namespace tfc {

// One device allocation with one owner. reserve() grows (the old contents are dropped), so
// steady-state calls allocate nothing.
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(o.ptr_), bytes_(o.bytes_) {
        o.ptr_ = nullptr;
        o.bytes_ = 0;
    }
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
        if (this != &o) {
            release();
            ptr_ = o.ptr_;
            bytes_ = o.bytes_;
            o.ptr_ = nullptr;
            o.bytes_ = 0;
        }
        return *this;
    }
    ~DeviceBuffer() { release(); }
    tf_status reserve(size_t bytes) {
        if (bytes <= bytes_) return TF_OK;
        // Kernels queued earlier on a stream may still read the old buffer: wait for them
        // rather than rely on cudaFree's implicit synchronisation (growth is rare).
        if (ptr_ != nullptr) TFC_CHECK(cudaDeviceSynchronize());
        release();
        TFC_CHECK(cudaMalloc(&ptr_, bytes));
        bytes_ = bytes;
        return TF_OK;
    }
    void release() {
        if (ptr_ != nullptr) cudaFree(ptr_);
        ptr_ = nullptr;
        bytes_ = 0;
    }
    template <class T>
    T* as() const { return static_cast<T*>(ptr_); }
    size_t bytes() const { return bytes_; }

private:
    void* ptr_ = nullptr;
    size_t bytes_ = 0;
};

// A matrix in device memory (the tf_matrix of device pointers).
struct DevMatrix {
    const void* data;    // [rows, cols] of dtype
    const float* scales; // [rows] for I8, else nullptr
    int64_t rows, cols;
    int32_t dtype;
};

inline int64_t dtype_bytes(int32_t dtype) {
    return dtype == TF_DTYPE_F32 ? 4 : (dtype == TF_DTYPE_I8 ? 1 : 2);
}

// Element i of a raw array as float (I8 without its scale): exact widening.
__device__ __forceinline__ float load_f32(const void* data, int32_t dtype, int64_t i) {
    switch (dtype) {
        case TF_DTYPE_F32: return static_cast<const float*>(data)[i];
        case TF_DTYPE_BF16: return __uint_as_float(uint32_t(static_cast<const uint16_t*>(data)[i]) << 16);
        case TF_DTYPE_F16: return __half2float(__ushort_as_half(static_cast<const uint16_t*>(data)[i]));
        default: return float(static_cast<const int8_t*>(data)[i]);
    }
}

template <int D>
__device__ __forceinline__ float widen(const void* data, int64_t i) {
    if constexpr (D == TF_DTYPE_F32) return static_cast<const float*>(data)[i];
    if constexpr (D == TF_DTYPE_BF16) return __uint_as_float(uint32_t(static_cast<const uint16_t*>(data)[i]) << 16);
    if constexpr (D == TF_DTYPE_F16) return __half2float(__ushort_as_half(static_cast<const uint16_t*>(data)[i]));
    if constexpr (D == TF_DTYPE_I8) return float(static_cast<const int8_t*>(data)[i]);
}

inline unsigned grid_for(int64_t n, int threads) { return unsigned((n + threads - 1) / threads); }

// Sums v over the warp (all 32 lanes participate).
__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}
__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// ---- launchers (device pointers, enqueued on `stream`, no synchronisation) ----------------

// Embedding (embed.cu): out [n_words, H] zeroed and summed per word in row order:
// word_rows [n_rows] the rows of each word in order, grouped; word_offsets [n_words + 1].
tf_status launch_embed(cudaStream_t s, const DevMatrix& table, const int32_t* ids, int32_t population,
                       const int32_t* word_rows, const int32_t* word_offsets, int64_t n_words, float* out);

// y [m, w.rows] = x [m, w.cols] · wᵀ (matmul.cu: GEMV for small m, tensor-core GEMM otherwise).
tf_status launch_matmul(cudaStream_t s, const float* x, int64_t m, const DevMatrix& w, float* y);
// W8A8 (matmul.cu): qx [m, w.cols] int8, sx [m] from launch_quantize, w I8; y [m, w.rows].
tf_status launch_matmul_a8(cudaStream_t s, const int8_t* qx, const float* sx, int64_t m, const DevMatrix& w, float* y);
// quantize.cu: q [rows, cols], scales [rows] of src (f32/bf16/f16); *bad (device, int64,
// initialised by the caller to INT64_MAX) gets the smallest row holding a NaN / inf.
tf_status launch_quantize(cudaStream_t s, const DevMatrix& src, int8_t* q, float* scales,
                          unsigned long long* bad);

// elementwise.cu
tf_status launch_rmsnorm(cudaStream_t s, const float* x, int64_t n, int64_t dim, const float* weight, float eps,
                         float* out);
tf_status launch_rope(cudaStream_t s, float* x, int64_t n, int32_t n_heads, int32_t head_dim, const int32_t* positions,
                      const float* table);
// As launch_rope, positions pos0 .. pos0 + n − 1 (the forward's rows; no positions array).
tf_status launch_rope_from(cudaStream_t s, float* x, int64_t n, int32_t n_heads, int32_t head_dim, int64_t pos0,
                           const float* table);
tf_status launch_swiglu(cudaStream_t s, const float* gate, const float* up, int64_t count, float* out);
tf_status launch_add(cudaStream_t s, float* x, const float* y, int64_t count);
tf_status launch_sigmoid(cudaStream_t s, const float* x, int64_t count, float* out);
// softmax of one vector; scratch: 2 floats + 1 double of device memory.
tf_status launch_softmax(cudaStream_t s, const float* x, int64_t count, float* out);
// rows [rows, n_heads*d] → head-major cache block [n_heads, cap, d] at positions base..
tf_status launch_store_heads(cudaStream_t s, float* layer, const float* rows_in, int64_t rows, int64_t base,
                             int64_t cap, int32_t n_heads, int32_t d);

// attention.cu. Element c of head h of key t is k[h*head_stride + t*row_stride + c].
struct AttentionDev {
    const float* q;  // [n_q, n_heads*d]
    int64_t n_q, q_pos0;
    const float* k;
    const float* v;
    int64_t row_stride, head_stride, kv_len;
    int32_t n_heads, head_dim;
    const float* key_control;  // device [kv_len] or nullptr
    int32_t control_mode;
    int64_t first_controlled;  // MULT: first key with m != 1 (queries before it are unchanged)
    float* out;                // [n_q, n_heads*d]
};
// "" if launch_attention can run heads of this shape, else why not.
std::string attention_unsupported(int64_t n_heads, int64_t head_dim);
// Needs scratch for split-K partials and MULT minima; see attention_scratch_bytes.
size_t attention_scratch_bytes(const AttentionDev& a);
tf_status launch_attention(cudaStream_t s, const AttentionDev& a, void* scratch);

// scoring.cu: per row r, a[r] [vocab] = sigmoid(logits[r]), total[r] = Σ a[r] (double, one
// deterministic block per row). logits, a [n_rows, vocab].
tf_status launch_sigmoid_sum_rows(cudaStream_t s, const float* logits, int64_t n_rows, int64_t vocab, float* a,
                                  double* total);
// scores [n_rows, n_words] of rows whose a / total are at a + r*vocab / total[r].
tf_status launch_word_scores(cudaStream_t s, const float* a, const double* total, int64_t n_rows, int64_t vocab,
                             const int64_t* offsets, const int32_t* ids, const int64_t* edge_offsets,
                             const int32_t* edge_ids, const int32_t* n_trigrams, int64_t n_words, int32_t population,
                             float edge_weight, float* scores);

// bench_limits.cu
tf_status measure_limits(int ordinal, cudaStream_t s, double* hbm_gbs, double* bf16_tflops, double* int8_tops);

}  // namespace tfc

// The plugin's per-device state (cuda_plugin.h tf_cuda_device).
struct tf_cuda_device {
    int ordinal = 0;
    cudaStream_t stream = nullptr;
    std::mutex mutex;  // one call at a time per device (the stream and scratch are shared)
    // Scratch of the kernel entry points (host pointer API), grown on demand, reused.
    tfc::DeviceBuffer scratch[12];
};

namespace tfc {

// Runs body (returning tf_status) with the device's mutex held and the device current on
// this thread; a C++ exception becomes a status (none may cross the plugin boundary).
template <class F>
tf_status on_device(tf_cuda_device* dev, const char* what, F&& body) {
    try {
        std::lock_guard<std::mutex> lock(dev->mutex);
        TFC_CHECK(cudaSetDevice(dev->ordinal));
        // A stale error from an earlier call on this thread (see cuda_fail) is not this call's.
        (void)cudaGetLastError();
        const tf_status s = body();
        if (s != TF_OK) {
            // Copies into the caller's memory queued before the failure must land before the
            // caller gets control back (the plugin's calls are synchronous to the caller).
            (void)cudaStreamSynchronize(dev->stream);
            (void)cudaGetLastError();
        }
        return s;
    } catch (const std::bad_alloc&) {
        return fail(TF_ERR_OUT_OF_MEMORY, std::string(what) + ": out of host memory");
    } catch (...) {
        return fail(TF_ERR_INTERNAL, std::string(what) + ": unexpected exception");
    }
}

// Grows buf to hold count T's and copies them from host (async on s; pageable host memory
// makes the copy complete before the call returns).
template <class T>
tf_status upload(cudaStream_t s, DeviceBuffer& buf, const T* host, size_t count, T** out) {
    TFC_TRY(buf.reserve(count * sizeof(T) + 16));
    if (count > 0) TFC_CHECK(cudaMemcpyAsync(buf.as<void>(), host, count * sizeof(T), cudaMemcpyHostToDevice, s));
    *out = buf.as<T>();
    return TF_OK;
}

template <class T>
tf_status download(cudaStream_t s, T* host, const T* device, size_t count) {
    if (count > 0) TFC_CHECK(cudaMemcpyAsync(host, device, count * sizeof(T), cudaMemcpyDeviceToHost, s));
    return TF_OK;
}

// Groups embedding rows by word, keeping row order (a stable counting sort):
// word_rows [n_rows], word_offsets [n_words + 1].
void group_rows_by_word(const int32_t* row_word, int64_t n_rows, int64_t n_words, std::vector<int32_t>& word_rows,
                        std::vector<int32_t>& word_offsets);

// Index of the first key whose control factor is not 1 (n if none): MULT leaves query rows
// before it unchanged.
int64_t first_controlled(const float* key_control, int64_t n);

}  // namespace tfc
