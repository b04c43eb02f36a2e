// The CPU's backend table (backend.h): the forward's ops on host memory, each the internal
// kernel of its public function (validated once by stack_check instead of per call). It runs
// every configuration a stack can have.
#include <algorithm>
#include <cstring>
#include <string>

#include "backend.h"
#include "model.h"
#include "quantize.h"
#include "status.h"

namespace tf {
namespace {

std::string supports_all(const tf_context*, Op, const tf_stack_params&) { return ""; }

tf_status cache_alloc(tf_cache* c, size_t kv) {
    try {  // allocated without initialisation: the OS commits pages only as positions are filled
        c->k.reset(new float[kv]);
        c->v.reset(new float[kv]);
        c->attn_slots = attention_scratch_slots(c->ctx);
        c->scores.reset(new float[size_t(c->attn_slots) * size_t(c->capacity)]);
    } catch (const std::exception&) {
        return fail(TF_ERR_OUT_OF_MEMORY, "out of memory for a cache of " + std::to_string(c->capacity) +
                                              " positions (" + std::to_string(2 * kv * sizeof(float)) +
                                              " bytes of K/V)");
    }
    c->keys = c->k.get();
    c->values = c->v.get();
    return TF_OK;
}

tf_status reserve_rows(tf_cache* c, int64_t rows) {
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
    c->buf = Scratch{c->x.data(),     c->h.data(),          c->q.data(),         c->att.data(), c->gate.data(),
                     c->up.data(),    c->act_q.data(),      c->act_scales.data(), c->positions.data()};
    return TF_OK;
}

tf_status copy(tf_context*, void* dst, const void* src, size_t bytes) {
    std::memcpy(dst, src, bytes);
    return TF_OK;
}

tf_status copy_blocks(tf_context*, void* dst, size_t dst_pitch, const void* src, size_t src_pitch, size_t width,
                      size_t height) {
    for (size_t b = 0; b < height; ++b) {
        std::memcpy(static_cast<char*>(dst) + b * dst_pitch, static_cast<const char*>(src) + b * src_pitch, width);
    }
    return TF_OK;
}

tf_status begin_round(tf_cache*, int64_t) { return TF_OK; }  // positions are already in host memory

tf_status end_round(tf_cache*, int64_t* bad_row) {  // quantize failed at once
    *bad_row = -1;
    return TF_OK;
}

tf_status controls(tf_cache* c, const float* host, int64_t) {
    c->control = host;
    return TF_OK;
}

tf_status rmsnorm_op(tf_context* ctx, const float* x, int64_t n, int64_t dim, const float* w, float eps, float* out) {
    rmsnorm(ctx, x, n, dim, w, eps, out);
    return TF_OK;
}

tf_status matmul_op(tf_context* ctx, const float* x, int64_t m, const tf_matrix& w, float* y) {
    return tf_matmul(ctx, x, m, &w, y);
}

tf_status quantize_op(tf_cache* sc, const float* x, int64_t rows, int64_t cols) {
    return quantize_activations(sc->ctx, x, rows, cols, sc->buf.act_q, sc->buf.act_scales, "tf_matmul_a8");
}

tf_status matmul_a8_op(tf_cache* sc, int64_t m, const tf_matrix& w, float* y) {
    matmul_a8_quantized(sc->ctx, sc->buf.act_q, sc->buf.act_scales, m, w, y);
    return TF_OK;
}

tf_status rope_op(tf_context* ctx, int32_t kind, float* x, int64_t n, int32_t n_heads, int32_t d,
                  const int32_t* positions, const float* table) {
    (kind == TF_ROPE_ROTATE_HALF ? rope_rotate_half : rope)(ctx, x, n, n_heads, d, positions, table);
    return TF_OK;
}

// Rows [n, n_heads·d] of keys or values at cache indices base.. of one layer's head-major
// block [n_heads, capacity, d] (a ring wraps at capacity).
tf_status store_heads(tf_context*, const tf_cache* c, float* block, const float* in, int64_t n, int64_t base,
                      int32_t n_heads, int32_t d) {
    const int64_t width = int64_t(n_heads) * d, cap = c->capacity;
    for (int32_t h = 0; h < n_heads; ++h) {
        for (int64_t r = 0; r < n; ++r) {
            const int64_t slot = c->window > 0 ? (base + r) % cap : base + r;
            std::memcpy(block + (h * cap + slot) * d, in + r * width + h * d, sizeof(float) * size_t(d));
        }
    }
    return TF_OK;
}

tf_status attention_op(tf_context* ctx, const tf_cache* c, const AttentionArgs& a) {
    attention(ctx, a, c->scores.get(), c->attn_slots);
    return TF_OK;
}

tf_status swiglu_op(tf_context* ctx, const float* gate, const float* up, int64_t count, float* out) {
    swiglu(ctx, gate, up, count, out);
    return TF_OK;
}

tf_status add_op(tf_context* ctx, float* x, const float* y, int64_t count) {
    add(ctx, x, y, count);
    return TF_OK;
}

constexpr Backend make_cpu_backend() {
    Backend b{};
    b.name = "CPU";
    b.host_memory = true;
    b.unsupported = supports_all;
    b.cache_alloc = cache_alloc;
    b.reserve_rows = reserve_rows;
    b.to_backend = copy;
    b.to_host = copy;
    b.copy_blocks = copy_blocks;
    b.begin_round = begin_round;
    b.end_round = end_round;
    b.controls = controls;
    b.rmsnorm = rmsnorm_op;
    b.matmul = matmul_op;
    b.quantize = quantize_op;
    b.matmul_a8 = matmul_a8_op;
    b.rope = rope_op;
    b.store_heads = store_heads;
    b.attention = attention_op;
    b.swiglu = swiglu_op;
    b.add = add_op;
    return b;
}

}  // namespace

const Backend cpu_backend = make_cpu_backend();

const char* op_name(Op op) {
    static const char* const names[] = {"embed", "rmsnorm", "matmul", "rope", "attention", "swiglu", "add", "head"};
    return names[int32_t(op)];
}

tf_status check_supported(const tf_context* ctx, const tf_stack_params& p, const Op* ops, int n_ops, const char* fn) {
    const Backend& be = backend_of(ctx);
    for (int i = 0; i < n_ops; ++i) {
        const std::string why = be.unsupported(ctx, ops[i], p);
        if (!why.empty()) {
            return fail(TF_ERR_UNSUPPORTED, std::string(fn) + ": the " + be.name + " backend cannot run this stack: " +
                                                op_name(ops[i]) + ": " + why);
        }
    }
    return TF_OK;
}

}  // namespace tf
