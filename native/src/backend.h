// The per-op backend table under the one layer loop (stack.cpp's run_round): the loop is
// written once and calls these ops on pointers into the backend's memory — host memory on the
// CPU (backend_cpu.cpp: the kernels of kernels.h), device memory on CUDA (cuda_backend.cpp:
// the plugin's op_* entry points, cuda_plugin.h). A backend says per op whether it runs a
// stack's configuration; stack_create asks before anything runs, so a configuration a backend
// lacks is TF_ERR_UNSUPPORTED naming the op, never a wrong result.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "context.h"
#include "cuda_plugin.h"
#include "layer_ops.h"
#include "tfree4j.h"

namespace tf {

// The ops of the recipe, as the "supported" question names them (same values as tf_cuda_op).
enum class Op : int32_t {
    embed = TF_CUDA_OP_EMBED,
    rmsnorm = TF_CUDA_OP_RMSNORM,
    matmul = TF_CUDA_OP_MATMUL,
    rope = TF_CUDA_OP_ROPE,
    attention = TF_CUDA_OP_ATTENTION,
    swiglu = TF_CUDA_OP_SWIGLU,
    add = TF_CUDA_OP_ADD,
    head = TF_CUDA_OP_HEAD,
};
const char* op_name(Op op);

// A round's scratch in the backend's memory, for the cache's scratch_rows rows.
struct Scratch {
    float *x = nullptr, *h = nullptr, *q = nullptr, *att = nullptr;  // [rows, H]
    float *gate = nullptr, *up = nullptr;                            // [rows, F]
    int8_t* act_q = nullptr;                                         // W8A8: [rows, max(H, F)]
    float* act_scales = nullptr;                                     // W8A8: [rows]
    int32_t* positions = nullptr;  // [rows] the round's positions (the CPU: the cache's host array)
    float* logits = nullptr;       // device backends: [rows, V] head output on its way to the host
    uint64_t* bad = nullptr;       // device backends: first W8A8 input row that is not finite
};

// A stack's tensors as the loop reads them, in the backend's memory: one matrix per weight slot
// (in slot order; a norm weight is a [1, H] f32 matrix) and the RoPE table.
struct StackTensors {
    std::vector<tf_matrix> weights;
    const float* rope = nullptr;
};

struct Backend {
    const char* name;    // "CPU", "CUDA": errors say which backend refused
    bool host_memory;    // the backend's memory is the host's (outputs are written in place)
    // "" when the backend runs `op` for stacks with params p, else why not.
    std::string (*unsupported)(const tf_context* ctx, Op op, const tf_stack_params& p);

    // A cache's memory: K/V of kv_floats each (c->keys, c->values), then its scratch (c->buf)
    // grown to `rows` rows. TF_ERR_OUT_OF_MEMORY names what did not fit.
    tf_status (*cache_alloc)(tf_cache* c, size_t kv_floats);
    tf_status (*reserve_rows)(tf_cache* c, int64_t rows);

    // Copies between host memory and the backend's, and within the backend's.
    tf_status (*to_backend)(tf_context* ctx, void* dst, const void* host, size_t bytes);
    tf_status (*to_host)(tf_context* ctx, void* host, const void* src, size_t bytes);
    tf_status (*copy_blocks)(tf_context* ctx, void* dst, size_t dst_pitch, const void* src, size_t src_pitch,
                             size_t width, size_t height);

    // A round starts after the loop wrote its positions into the cache's host array; it ends
    // with *bad_row = the first stacked row a W8A8 quantization found not finite (or -1) where
    // the backend reports that late (the CPU fails at once).
    tf_status (*begin_round)(tf_cache* scratch, int64_t rows);
    tf_status (*end_round)(tf_cache* scratch, int64_t* bad_row);
    // An item's key controls [n] (host) in the backend's memory, kept in c->control.
    tf_status (*controls)(tf_cache* c, const float* host, int64_t n);

    // The ops (arguments checked by stack_check; pointers in the backend's memory).
    tf_status (*rmsnorm)(tf_context* ctx, const float* x, int64_t n, int64_t dim, const float* w, float eps,
                         float* out);
    tf_status (*matmul)(tf_context* ctx, const float* x, int64_t m, const tf_matrix& w, float* y);
    tf_status (*quantize)(tf_cache* scratch, const float* x, int64_t rows, int64_t cols);  // into act_q / act_scales
    tf_status (*matmul_a8)(tf_cache* scratch, int64_t m, const tf_matrix& w, float* y);
    tf_status (*rope)(tf_context* ctx, int32_t kind, float* x, int64_t n, int32_t n_heads, int32_t head_dim,
                      const int32_t* positions, const float* table);
    // rows [n, n_heads·head_dim] into the cache's head-major block at indices base.. (a ring wraps)
    tf_status (*store_heads)(tf_context* ctx, const tf_cache* c, float* block, const float* rows, int64_t n,
                             int64_t base, int32_t n_heads, int32_t head_dim);
    tf_status (*attention)(tf_context* ctx, const tf_cache* c, const AttentionArgs& a);
    tf_status (*swiglu)(tf_context* ctx, const float* gate, const float* up, int64_t count, float* out);
    tf_status (*add)(tf_context* ctx, float* x, const float* y, int64_t count);
};

extern const Backend cpu_backend;   // backend_cpu.cpp
extern const Backend cuda_backend;  // cuda_backend.cpp

inline const Backend& backend_of(const tf_context* ctx) {
    return ctx->backend == TF_BACKEND_CUDA ? cuda_backend : cpu_backend;
}

// TF_ERR_UNSUPPORTED "<fn>: the <backend> backend cannot run this stack: <op>: <why>" for the
// first op of `ops` the context's backend lacks, else TF_OK.
tf_status check_supported(const tf_context* ctx, const tf_stack_params& p, const Op* ops, int n_ops, const char* fn);

}  // namespace tf
