// The forward's ops on device memory (cuda_plugin.h: buffer_*, copy*, synchronize, op_*).
// libtfree4j's one layer loop (native/src/stack.cpp) calls them one at a time through its CUDA
// backend table (native/src/cuda_backend.cpp), with the weights, caches and scratch in buffers
// it allocated here; each op queues its kernels on the device's stream and returns. There is
// no layer loop on this side: only launches, and the answer to "does the plugin run this op
// for these stack params?".
// W8A8: op_quantize records the first non-finite input row in a device flag that libtfree4j
// reads once per round.
#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include "common.cuh"

using namespace tfc;

struct tf_cuda_buffer {
    tf_cuda_device* dev;
    DeviceBuffer memory;
};

namespace {

DevMatrix device_matrix(const tf_matrix& w) { return DevMatrix{w.data, w.scales, w.rows, w.cols, w.dtype}; }

// Device scratch slots of the ops (the host-pointer kernels of plugin.cu use 0 .. 6).
constexpr int kEmbedSlot = 7;       // 7 .. 10: ids, word rows, word offsets, output
constexpr int kAttentionSlot = 11;  // split-K partials and MULT minima

// Why the plugin cannot run op for stacks of these params, or "".
std::string why_unsupported(int32_t op, const tf_stack_params& p) {
    const int64_t d = p.n_heads > 0 ? p.hidden_size / p.n_heads : 0;  // libtfree4j asks on checked params
    switch (op) {
        case TF_CUDA_OP_EMBED:
            return (int64_t(p.hidden_size) + 127) / 128 > 65535 ? "hidden_size exceeds the CUDA grid (65535 * 128)" : "";
        case TF_CUDA_OP_ROPE:
            return p.rope_kind == TF_ROPE_INTERLEAVED ? "" : "rotate-half RoPE has no CUDA kernel (interleaved pairs only)";
        case TF_CUDA_OP_ATTENTION:
            if (p.attention_kind != TF_ATTENTION_CAUSAL) return "non-causal attention has no CUDA kernel";
            if (p.window > 0) return "sliding-window attention (a ring cache) has no CUDA kernel";
            if (p.n_kv_heads != 0 && p.n_kv_heads != p.n_heads) {
                return "grouped-query attention (n_kv_heads " + std::to_string(p.n_kv_heads) + " < n_heads " +
                       std::to_string(p.n_heads) + ") has no CUDA kernel";
            }
            return attention_unsupported(p.n_heads, d);
        case TF_CUDA_OP_RMSNORM:
        case TF_CUDA_OP_MATMUL:  // every tf_dtype, W8A32 and W8A8
        case TF_CUDA_OP_SWIGLU:
        case TF_CUDA_OP_ADD:
        case TF_CUDA_OP_HEAD:
            return "";
        default:
            return "unknown op " + std::to_string(op);
    }
}

}  // namespace

int32_t plugin_op_unsupported(tf_cuda_device*, int32_t op, const tf_stack_params* params, char* why, int32_t cap) {
    try {
        const std::string reason = why_unsupported(op, *params);
        if (cap > 0) std::snprintf(why, size_t(cap), "%s", reason.c_str());
        return reason.empty() ? 0 : 1;
    } catch (...) {
        if (cap > 0) std::snprintf(why, size_t(cap), "out of host memory");
        return 1;
    }
}

tf_status plugin_buffer_create(tf_cuda_device* dev, int64_t bytes, tf_cuda_buffer** out, void** data) {
    *out = nullptr;
    return on_device(dev, "buffer_create", [&]() -> tf_status {
        auto* b = new tf_cuda_buffer{dev, {}};
        if (const tf_status s = b->memory.reserve(size_t(bytes)); s != TF_OK) {
            delete b;
            return s;
        }
        *out = b;
        *data = b->memory.as<void>();
        return TF_OK;
    });
}

void plugin_buffer_free(tf_cuda_buffer* b) {
    if (b == nullptr) return;
    std::lock_guard<std::mutex> lock(b->dev->mutex);
    cudaSetDevice(b->dev->ordinal);
    cudaStreamSynchronize(b->dev->stream);  // queued ops may still read it
    delete b;
}

tf_status plugin_copy(tf_cuda_device* dev, void* dst, const void* src, int64_t bytes, int32_t kind) {
    return on_device(dev, "copy", [&]() -> tf_status {
        if (bytes == 0) return TF_OK;
        const cudaMemcpyKind k = kind == TF_CUDA_TO_DEVICE ? cudaMemcpyHostToDevice
                                 : kind == TF_CUDA_TO_HOST ? cudaMemcpyDeviceToHost
                                                           : cudaMemcpyDeviceToDevice;
        TFC_CHECK(cudaMemcpyAsync(dst, src, size_t(bytes), k, dev->stream));
        if (kind == TF_CUDA_TO_HOST) TFC_CHECK(cudaStreamSynchronize(dev->stream));  // the caller reads it next
        return TF_OK;
    });
}

tf_status plugin_copy_2d(tf_cuda_device* dev, void* dst, int64_t dst_pitch, const void* src, int64_t src_pitch,
                         int64_t width, int64_t height) {
    return on_device(dev, "copy_2d", [&]() -> tf_status {
        if (width == 0 || height == 0) return TF_OK;
        TFC_CHECK(cudaMemcpy2DAsync(dst, size_t(dst_pitch), src, size_t(src_pitch), size_t(width), size_t(height),
                                    cudaMemcpyDeviceToDevice, dev->stream));
        return TF_OK;
    });
}

tf_status plugin_synchronize(tf_cuda_device* dev) {
    return on_device(dev, "synchronize", [&]() -> tf_status {
        TFC_CHECK(cudaStreamSynchronize(dev->stream));
        return TF_OK;
    });
}

tf_status plugin_op_embed(tf_cuda_device* dev, const tf_matrix* table, const int32_t* ids, int64_t n_rows,
                          int32_t population, const int32_t* row_word, int64_t n_words, float* out) {
    return on_device(dev, "op_embed", [&]() -> tf_status {
        cudaStream_t s = dev->stream;
        if (n_rows > INT32_MAX) return fail(TF_ERR_UNSUPPORTED, "more than 2^31 embedding rows");
        std::vector<int32_t> word_rows, word_offsets;
        group_rows_by_word(row_word, n_rows, n_words, word_rows, word_offsets);
        int32_t *di = nullptr, *dr = nullptr, *dof = nullptr;
        TFC_TRY(upload(s, dev->scratch[kEmbedSlot], ids, size_t(n_rows * population), &di));
        TFC_TRY(upload(s, dev->scratch[kEmbedSlot + 1], word_rows.data(), word_rows.size(), &dr));
        TFC_TRY(upload(s, dev->scratch[kEmbedSlot + 2], word_offsets.data(), word_offsets.size(), &dof));
        DeviceBuffer& result = dev->scratch[kEmbedSlot + 3];
        TFC_TRY(result.reserve(size_t(n_words * table->cols) * sizeof(float)));
        TFC_TRY(launch_embed(s, device_matrix(*table), di, population, dr, dof, n_words, result.as<float>()));
        TFC_TRY(download(s, out, result.as<float>(), size_t(n_words * table->cols)));
        TFC_CHECK(cudaStreamSynchronize(s));
        return TF_OK;
    });
}

tf_status plugin_op_rmsnorm(tf_cuda_device* dev, const float* x, int64_t n, int64_t dim, const float* weight, float eps,
                            float* out) {
    return on_device(dev, "op_rmsnorm", [&] { return launch_rmsnorm(dev->stream, x, n, dim, weight, eps, out); });
}

tf_status plugin_op_matmul(tf_cuda_device* dev, const float* x, int64_t m, const tf_matrix* w, float* y) {
    return on_device(dev, "op_matmul", [&] { return launch_matmul(dev->stream, x, m, device_matrix(*w), y); });
}

tf_status plugin_op_quantize(tf_cuda_device* dev, const float* x, int64_t rows, int64_t cols, int8_t* q, float* scales,
                             uint64_t* bad) {
    return on_device(dev, "op_quantize", [&] {
        return launch_quantize(dev->stream, DevMatrix{x, nullptr, rows, cols, TF_DTYPE_F32}, q, scales,
                               reinterpret_cast<unsigned long long*>(bad));
    });
}

tf_status plugin_op_matmul_a8(tf_cuda_device* dev, const int8_t* q, const float* scales, int64_t m, const tf_matrix* w,
                              float* y) {
    return on_device(dev, "op_matmul_a8",
                     [&] { return launch_matmul_a8(dev->stream, q, scales, m, device_matrix(*w), y); });
}

tf_status plugin_op_rope(tf_cuda_device* dev, float* x, int64_t n, int32_t n_heads, int32_t head_dim,
                         const int32_t* positions, const float* table) {
    return on_device(dev, "op_rope", [&] { return launch_rope(dev->stream, x, n, n_heads, head_dim, positions, table); });
}

tf_status plugin_op_store_heads(tf_cuda_device* dev, float* block, const float* rows, int64_t n, int64_t base,
                                int64_t capacity, int32_t n_heads, int32_t head_dim) {
    return on_device(dev, "op_store_heads", [&] {
        return launch_store_heads(dev->stream, block, rows, n, base, capacity, n_heads, head_dim);
    });
}

tf_status plugin_op_attention(tf_cuda_device* dev, const tf_cuda_attention* args) {
    return on_device(dev, "op_attention", [&]() -> tf_status {
        const tf_cuda_attention& c = *args;
        const AttentionDev a{c.q,         c.n_q,          c.q_pos0,           c.k,       c.v,
                             c.kv_row_stride, c.kv_head_stride, c.kv_len,      c.n_heads, c.head_dim,
                             c.key_control, c.control_mode, c.first_controlled, c.out};
        DeviceBuffer& scratch = dev->scratch[kAttentionSlot];
        TFC_TRY(scratch.reserve(attention_scratch_bytes(a)));  // grows only: decode steps reuse it
        return launch_attention(dev->stream, a, scratch.as<void>());
    });
}

tf_status plugin_op_swiglu(tf_cuda_device* dev, const float* gate, const float* up, int64_t count, float* out) {
    return on_device(dev, "op_swiglu", [&] { return launch_swiglu(dev->stream, gate, up, count, out); });
}

tf_status plugin_op_add(tf_cuda_device* dev, float* x, const float* y, int64_t count) {
    return on_device(dev, "op_add", [&] { return launch_add(dev->stream, x, y, count); });
}
