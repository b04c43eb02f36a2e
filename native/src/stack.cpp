// tf_stack: the transformer layers with their options, and the one forward loop of every
// backend: each op goes through the context's backend table (backend.h; the CPU's kernels or
// the CUDA plugin's ops on device memory), which stack_create asked whether it runs them.
//
// Per layer l, for the R rows of one round (the rows of every item, stacked):
//   h = RMSNorm_in(x);  q = h·Wqᵀ;  k = h·Wkᵀ;  v = h·Wvᵀ
//   RoPE(q), RoPE(k) at the rows' positions; k, v stored into each item's cache (post-RoPE keys)
//   x += attention(q, the item's cached keys and values) · Woᵀ       (per item: its own cache)
//   h = RMSNorm_post(x);  x += ( silu(h·W_gateᵀ) ⊙ (h·W_upᵀ) ) · W_downᵀ
// then y = RMSNorm_final(x) (if any), and logits = y·W_headᵀ (if a head) or y itself.
// Every matmul runs once over the R stacked rows, so a weight is read once per round for all
// items; everything else is row-wise or per item. A single forward is a batch of one. An item
// is cut into the chunks it would have alone, and each of its rows goes through the matmul
// arithmetic its own call would use: a round stacks the one-row parts first and multiplies
// their rows with the decode arithmetic (matmul_rows_decode, kernels.h), the other parts' rows
// together with the prefill arithmetic, which does not depend on the other rows. So every item
// gets the bits of its own call, whatever shares the batch (batch invariance;
// native/tests/test_batch_invariance.cpp). The stack is only read: all
// mutable state (keys, values, scratch) is in caches.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "backend.h"
#include "cuda_backend.h"
#include "dtype.h"
#include "kernels.h"
#include "layer_ops.h"
#include "model.h"
#include "status.h"

using std::to_string;

#define TF_TRY(expr) \
    do { if (tf_status s_ = (expr); s_ != TF_OK) return s_; } while (0)

tf_stack::~tf_stack() {
    device.upload.reset();  // its buffers need the device, which the context owns
    tf::context_release(ctx);
}

namespace tf {
namespace {

std::string shape(int64_t r, int64_t c) { return "[" + to_string(r) + ", " + to_string(c) + "]"; }

tf_status check_params(const tf_stack_params* p, const std::string& fn) {
    const std::string f = fn + ": params->";
    TF_CHECK_ARG(p->hidden_size >= 1, f + "hidden_size must be >= 1, got " + to_string(p->hidden_size));
    TF_CHECK_ARG(p->n_layers >= 1, f + "n_layers must be >= 1, got " + to_string(p->n_layers));
    TF_CHECK_ARG(p->activation_mode == TF_ACT_FLOAT || p->activation_mode == TF_ACT_INT8,
                 f + "activation_mode must be TF_ACT_FLOAT (0) or TF_ACT_INT8 (1), got " + to_string(p->activation_mode));
    TF_CHECK_ARG(p->n_heads >= 1, f + "n_heads must be >= 1, got " + to_string(p->n_heads));
    TF_CHECK_ARG(p->hidden_size % p->n_heads == 0, f + "hidden_size " + to_string(p->hidden_size) +
                                                       " is not a multiple of n_heads " + to_string(p->n_heads));
    const int32_t d = p->hidden_size / p->n_heads;
    TF_CHECK_ARG(d % 2 == 0, f + "head_dim = hidden_size / n_heads = " + to_string(d) + " must be even (RoPE pairs)");
    TF_CHECK_ARG(p->n_kv_heads >= 0 && (p->n_kv_heads == 0 || p->n_heads % p->n_kv_heads == 0),
                 f + "n_kv_heads " + to_string(p->n_kv_heads) + " must divide n_heads " + to_string(p->n_heads) +
                     " (0 = n_heads)");
    TF_CHECK_ARG(p->intermediate_size >= 1,
                 f + "intermediate_size must be >= 1, got " + to_string(p->intermediate_size));
    TF_CHECK_ARG(p->max_positions >= 1, f + "max_positions must be >= 1, got " + to_string(p->max_positions));
    TF_CHECK_ARG(std::isfinite(p->norm_eps) && p->norm_eps >= 0, f + "norm_eps must be finite and >= 0");
    TF_CHECK_ARG(p->rope_kind == TF_ROPE_INTERLEAVED || p->rope_kind == TF_ROPE_ROTATE_HALF,
                 f + "rope_kind " + to_string(p->rope_kind) + " is unknown");
    if (p->rope_table != nullptr) {
        const int64_t n = int64_t(p->max_positions) * d;
        for (int64_t i = 0; i < n; ++i) {
            TF_CHECK_ARG(std::isfinite(p->rope_table[i]), f + "rope_table[" + to_string(i) +
                                                              "] is not finite (expected [max_positions, head_dim/2, 2])");
        }
    } else {
        TF_CHECK_ARG(std::isfinite(p->rope_theta) && p->rope_theta > 0,
                     f + "rope_theta must be finite and > 0, got " + to_string(p->rope_theta));
        TF_CHECK_ARG(p->rope_scaling == TF_ROPE_SCALING_NONE || p->rope_scaling == TF_ROPE_SCALING_LLAMA3,
                     f + "rope_scaling " + to_string(p->rope_scaling) + " is unknown");
        if (p->rope_scaling == TF_ROPE_SCALING_LLAMA3) {
            TF_CHECK_ARG(std::isfinite(p->rope_factor) && p->rope_factor >= 1,
                         f + "rope_factor must be >= 1, got " + to_string(p->rope_factor));
            TF_CHECK_ARG(std::isfinite(p->rope_low_freq_factor) && std::isfinite(p->rope_high_freq_factor) &&
                             p->rope_low_freq_factor > 0 && p->rope_high_freq_factor > p->rope_low_freq_factor,
                         f + "rope_high_freq_factor must exceed rope_low_freq_factor > 0, got " +
                             to_string(p->rope_high_freq_factor) + " and " + to_string(p->rope_low_freq_factor));
            TF_CHECK_ARG(p->rope_original_max_positions >= 1, f + "rope_original_max_positions must be >= 1, got " +
                                                                  to_string(p->rope_original_max_positions));
        }
    }
    TF_CHECK_ARG(p->attention_kind == TF_ATTENTION_CAUSAL || p->attention_kind == TF_ATTENTION_NON_CAUSAL,
                 f + "attention_kind " + to_string(p->attention_kind) + " is unknown");
    TF_CHECK_ARG(p->window >= 0, f + "window must be >= 0, got " + to_string(p->window));
    TF_CHECK_ARG(p->window == 0 || p->attention_kind == TF_ATTENTION_CAUSAL,
                 f + "window needs attention_kind TF_ATTENTION_CAUSAL");
    TF_CHECK_ARG(p->final_norm == 0 || p->final_norm == 1, f + "final_norm must be 0 or 1, got " + to_string(p->final_norm));
    TF_CHECK_ARG(p->vocab_size >= 0, f + "vocab_size must be >= 0 (0 = no head), got " + to_string(p->vocab_size));
    const char* names[] = {p->layer_prefix, p->input_norm_name, p->query_name, p->key_name, p->value_name,
                           p->output_name, p->post_norm_name, p->gate_name, p->up_name, p->down_name};
    for (const char* name : names) TF_CHECK_ARG(name != nullptr, f + "a layer tensor name (or layer_prefix) is NULL");
    TF_CHECK_ARG(!p->final_norm || p->final_norm_name != nullptr, f + "final_norm_name is NULL");
    TF_CHECK_ARG(p->vocab_size == 0 || p->head_name != nullptr, f + "head_name is NULL");
    return TF_OK;
}

// Builds the slot table: layer by layer in StackLayer order, then the final norm and the head.
void build_slots(tf_stack* s) {
    const int64_t H = s->params.hidden_size, F = s->params.intermediate_size, V = s->params.vocab_size;
    const int64_t KV = int64_t(s->n_kv_heads) * s->head_dim;
    const std::string kv_text = KV == H ? "[H, H]" : "[n_kv_heads·head_dim, H]";
    auto mat = [&](const std::string& name, int64_t r, int64_t c, const std::string& sym, tf_matrix* dst) {
        s->slots.push_back({name, r, c, sym + " = " + shape(r, c), dst, nullptr, false});
    };
    auto vec = [&](const std::string& name, std::vector<float>* dst) {
        dst->assign(size_t(H), 0.0f);
        s->slots.push_back({name, 1, H, "[H] = [" + to_string(H) + "]", nullptr, dst, false});
    };
    const std::string* n = s->names;  // layer_prefix, then the nine layer tensors
    for (size_t l = 0; l < s->layers.size(); ++l) {
        const std::string p = n[0] + to_string(l) + ".";
        StackLayer& w = s->layers[l];
        vec(p + n[1], &w.input_norm);
        mat(p + n[2], H, H, "[H, H]", &w.query);
        mat(p + n[3], KV, H, kv_text, &w.key);
        mat(p + n[4], KV, H, kv_text, &w.value);
        mat(p + n[5], H, H, "[H, H]", &w.output);
        vec(p + n[6], &w.post_norm);
        mat(p + n[7], F, H, "[F, H]", &w.gate);
        mat(p + n[8], F, H, "[F, H]", &w.up);
        mat(p + n[9], H, F, "[H, F]", &w.down);
    }
    if (s->params.final_norm) vec(n[10], &s->final_norm);
    if (V > 0) mat(n[11], V, H, "[V, H]", &s->head);
    for (size_t i = 0; i < s->slots.size(); ++i) s->slot_index.emplace(s->slots[i].name, i);
    s->host.weights.assign(s->slots.size(), tf_matrix{});
}

// ---- The forward ----------------------------------------------------------------------------

// One round's context: the stack, its backend and tensors there, the cache whose scratch the
// round uses, the caller's name.
struct Round {
    tf_stack* s;
    const Backend* be;
    const StackTensors* t;
    tf_cache* scratch;
    const char* fn;
    const StackItem* items;  // the call's items (errors name "item b" in a batch)
    bool batch;
};

// The input x [rows, cols] of one or more matmuls (q, k and v share the normed input; gate and
// up share theirs). For W8A8 it is quantized once, into the scratch cache, when the first int8
// weight needs it; the matmuls sharing it run before another Input is quantized. Rows
// [0, small) belong to one-row parts (decode steps), the rest to parts of >= 2 rows.
struct Input {
    const float* x;
    int64_t rows;
    int64_t small;
    bool quantized = false;
};

// A tensor as errors name it: "layer 3 attention.query", "lm_head" (names without ".weight").
std::string tensor_label(const tf_stack& s, size_t slot) {
    auto bare = [](std::string name) {
        const std::string suffix = ".weight";
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            name.resize(name.size() - suffix.size());
        }
        return name;
    };
    const size_t layer_slots = s.layers.size() * size_t(kLayerSlots);
    if (slot >= layer_slots) return bare(s.slots[slot].name);
    return "layer " + to_string(slot / kLayerSlots) + " " + bare(s.names[1 + slot % kLayerSlots]);
}

// y [rows, w.rows] = in.x · wᵀ of the weight in `slot` with the kernel it asks for: an int8
// weight of a TF_ACT_INT8 stack multiplies W8A8 (x quantized per row into the scratch, so a
// decode step allocates nothing); every other weight goes through the backend's matmul (W8A32
// for int8). The error names the tensor.
// On the CPU the one-row parts' rows [0, in.small) get the decode arithmetic, the others the
// prefill one (m >= 2), so each row gets the arithmetic of its item's own call (kernels.h).
// W8A8 products are exact in int32: both arithmetics give the same bits, one call does.
tf_status matmul(const Round& r, Input& in, size_t slot, float* y) {
    const tf_matrix& w = r.t->weights[slot];
    const bool a8 = w.dtype == TF_DTYPE_I8 && r.s->params.activation_mode == TF_ACT_INT8;
    tf_status st = TF_OK;
    if (!a8) {
        const bool split = in.small > 0 && r.be->host_memory;
        if (split) matmul_decode(r.s->ctx, in.x, in.small, w, y);
        const int64_t from = split ? in.small : 0;
        if (from < in.rows) st = r.be->matmul(r.s->ctx, in.x + from * w.cols, in.rows - from, w, y + from * w.rows);
    } else {
        if (!in.quantized) st = r.be->quantize(r.scratch, in.x, in.rows, w.cols);
        in.quantized = st == TF_OK;
        if (st == TF_OK) st = r.be->matmul_a8(r.scratch, in.rows, w, y);
    }
    if (st == TF_OK) return TF_OK;
    return fail(st, std::string(r.fn) + ": " + tensor_label(*r.s, slot) + ": " + tf_last_error());
}

tf_status matmul(const Round& r, const float* x, int64_t rows, int64_t small, size_t slot, float* y) {
    Input in{x, rows, small};
    return matmul(r, in, slot, y);
}

// The rows of x [rows, ...] that a matmul of a part of `rows` rows computes with the decode
// arithmetic: one row alone, else none (see Input).
int64_t small_rows(int64_t rows) { return rows == 1 ? 1 : 0; }

// One item's rows in one round.
struct Part {
    const StackItem* item;
    int64_t row0, rows;  // the item's rows [row0, row0 + rows) of this round
    int64_t off;         // their first row in the stacked scratch
    int64_t base;        // cache index of row0
};

// The first row of an item whose output is written: logits_rows = 0 means every row, k > 0
// the last k rows.
int64_t first_out_row(const StackItem& it) {
    const int32_t k = it.params->logits_rows;
    return k == 0 ? 0 : std::max<int64_t>(0, it.n - k);
}

// Attention of one part's queries q [rows, H] over layer l of its cache (keys up to
// base + rows − 1 already stored), with its key controls where its layer mask applies them.
tf_status part_attention(const Round& r, const Part& p, int64_t l, const float* q, float* out) {
    const tf_stack* s = r.s;
    const tf_cache* c = p.item->cache;
    const tf_forward_params& fp = *p.item->params;
    const int32_t d = s->head_dim;
    const int64_t block = c->capacity * s->n_kv_heads * d;  // one layer's keys
    const bool control = fp.key_control != nullptr && fp.control_mode != TF_CONTROL_NONE &&
                         (fp.layer_mask == nullptr || fp.layer_mask[l] != 0);
    AttentionArgs a{q,
                    p.rows,
                    p.base,
                    c->keys + l * block,  // [n_kv, capacity, d]
                    c->values + l * block,
                    /*kv_row_stride=*/d,
                    /*kv_head_stride=*/c->capacity * d,
                    /*kv_len=*/p.base + p.rows,
                    s->params.n_heads,
                    d,
                    control ? c->control : nullptr,
                    control ? fp.control_mode : int32_t(TF_CONTROL_NONE),
                    out};
    a.n_kv_heads = s->n_kv_heads;
    a.causal = s->params.attention_kind == TF_ATTENTION_CAUSAL;
    a.window = s->params.window;
    a.ring = c->window > 0 ? c->capacity : 0;
    const tf_status st = r.be->attention(s->ctx, c, a);
    if (st == TF_OK) return TF_OK;
    return fail(st, std::string(r.fn) + ": layer " + to_string(l) + " attention: " + tf_last_error());
}

// Rows the head computes in one stacked matmul at most when it gathers several items' rows
// (bounds the gathered [rows, V] buffer).
constexpr int64_t kHeadRows = 256;

// Logits of `rows` rows of y (backend memory) into host memory: in place on a host backend,
// else through the scratch's logits rows.
tf_status head_rows(const Round& r, const float* y, int64_t rows, float* host_out) {
    const int64_t small = small_rows(rows);  // one row: the decode arithmetic, as its own call
    const size_t head_slot = r.s->slots.size() - 1;
    if (r.be->host_memory) return matmul(r, y, rows, small, head_slot, host_out);
    TF_TRY(matmul(r, y, rows, small, head_slot, r.scratch->buf.logits));
    return r.be->to_host(r.s->ctx, host_out, r.scratch->buf.logits,
                         sizeof(float) * size_t(rows * r.s->params.vocab_size));
}

// The output rows of the parts from y [R, H]: logits through the head, or y's rows themselves.
// A part with one output row runs alone (the one-row matmul its own call would use); parts
// with more are multiplied together, straight into the output when alone, else gathered into
// consecutive rows (of the scratch's q, free by now) and scattered back.
tf_status write_outputs(const Round& r, const Part* parts, int32_t n_parts, const float* y) {
    const tf_stack* s = r.s;
    const int64_t H = s->params.hidden_size, V = s->params.vocab_size;
    struct Rows {
        int64_t from, count;  // rows of y and their count
        float* to;            // the item's output row
    };
    auto rows_of = [&](const Part& p) {
        const int64_t first = first_out_row(*p.item), lo = std::max(p.row0, first);
        return Rows{p.off + lo - p.row0, p.row0 + p.rows - lo, p.item->out + (lo - first) * (V > 0 ? V : H)};
    };
    std::vector<float> logits;  // used only when several parts share one head matmul
    int32_t i = 0;
    while (i < n_parts) {
        const Rows a = rows_of(parts[i]);
        if (a.count <= 0) {
            ++i;
        } else if (V == 0) {
            TF_TRY(r.be->to_host(s->ctx, a.to, y + a.from * H, sizeof(float) * size_t(a.count * H)));
            ++i;
        } else if (a.count == 1) {
            TF_TRY(head_rows(r, y + a.from * H, 1, a.to));
            ++i;
        } else {
            int32_t j = i + 1;
            int64_t rows = a.count;
            while (j < n_parts) {
                const int64_t c = rows_of(parts[j]).count;
                if (c < 2 || rows + c > kHeadRows) break;
                rows += c;
                ++j;
            }
            if (j == i + 1) {
                TF_TRY(head_rows(r, y + a.from * H, a.count, a.to));
            } else {
                float* gathered = r.scratch->buf.q;
                int64_t at = 0;
                for (int32_t k = i; k < j; ++k) {
                    const Rows b = rows_of(parts[k]);
                    const size_t bytes = sizeof(float) * size_t(b.count * H);
                    TF_TRY(r.be->copy_blocks(s->ctx, gathered + at * H, bytes, y + b.from * H, bytes, bytes, 1));
                    at += b.count;
                }
                logits.resize(size_t(rows * V));
                TF_TRY(head_rows(r, gathered, rows, logits.data()));
                at = 0;
                for (int32_t k = i; k < j; ++k) {
                    const Rows b = rows_of(parts[k]);
                    std::memcpy(b.to, logits.data() + at * V, sizeof(float) * size_t(b.count * V));
                    at += b.count;
                }
            }
            i = j;
        }
    }
    return TF_OK;
}

// One round: the parts' rows stacked into the scratch cache's buffers ([R, H], [R, F]), every
// op through the backend table; the first `small` rows are those of one-row parts (see Input).
tf_status run_round(const Round& r, const Part* parts, int32_t n_parts, int64_t R, int64_t small) {
    const tf_stack* s = r.s;
    const Backend& be = *r.be;
    tf_context* ctx = s->ctx;
    tf_cache* sc = r.scratch;
    const Scratch& b = sc->buf;
    const int64_t H = s->params.hidden_size, F = s->params.intermediate_size, L = s->params.n_layers;
    const int32_t n_heads = s->params.n_heads, n_kv = s->n_kv_heads, d = s->head_dim, kind = s->params.rope_kind;
    const int64_t KV = int64_t(n_kv) * d;
    const float eps = s->params.norm_eps;
    float* x = b.x;      // [R, H] residual stream
    float* h = b.h;      // [R, H] normed input, then sublayer output
    float* q = b.q;      // [R, H] queries
    float* att = b.att;  // [R, KV] keys, then values, on their way into the caches; then [R, H] attention
    float* gate = b.gate;  // [R, F]
    float* up = b.up;      // [R, F]
    int32_t* pos = sc->positions.data();  // host; the backend's copy is b.positions
    for (int32_t i = 0; i < n_parts; ++i) {
        const Part& p = parts[i];
        TF_TRY(be.to_backend(ctx, x + p.off * H, p.item->input + p.row0 * H, sizeof(float) * size_t(p.rows * H)));
        for (int64_t k = 0; k < p.rows; ++k) {
            pos[p.off + k] = p.item->positions ? p.item->positions[p.row0 + k] : int32_t(p.base + k);
        }
        const tf_forward_params& fp = *p.item->params;
        if (fp.key_control != nullptr && fp.control_mode != TF_CONTROL_NONE) {
            TF_TRY(be.controls(p.item->cache, fp.key_control, p.base + p.rows));
        }
    }
    TF_TRY(be.begin_round(sc, R));
    auto norm = [&](size_t slot) { return static_cast<const float*>(r.t->weights[slot].data); };
    for (int64_t l = 0; l < L; ++l) {
        const size_t slot = size_t(l * kLayerSlots);  // the layer's first slot (input norm)

        TF_TRY(be.rmsnorm(ctx, x, R, H, norm(slot), eps, h));
        Input normed{h, R, small};  // shared by q, k and v: quantized once for W8A8
        TF_TRY(matmul(r, normed, slot + 1, q));
        TF_TRY(matmul(r, normed, slot + 2, att));
        TF_TRY(be.rope(ctx, kind, q, R, n_heads, d, b.positions, r.t->rope));
        TF_TRY(be.rope(ctx, kind, att, R, n_kv, d, b.positions, r.t->rope));
        for (int32_t i = 0; i < n_parts; ++i) {
            const tf_cache* c = parts[i].item->cache;
            TF_TRY(be.store_heads(ctx, c, c->keys + l * c->capacity * KV, att + parts[i].off * KV, parts[i].rows,
                                  parts[i].base, n_kv, d));
        }
        TF_TRY(matmul(r, normed, slot + 3, att));
        for (int32_t i = 0; i < n_parts; ++i) {
            const tf_cache* c = parts[i].item->cache;
            TF_TRY(be.store_heads(ctx, c, c->values + l * c->capacity * KV, att + parts[i].off * KV, parts[i].rows,
                                  parts[i].base, n_kv, d));
        }
        for (int32_t i = 0; i < n_parts; ++i) {
            TF_TRY(part_attention(r, parts[i], l, q + parts[i].off * H, att + parts[i].off * H));
        }
        TF_TRY(matmul(r, att, R, small, slot + 4, h));
        TF_TRY(be.add(ctx, x, h, R * H));

        TF_TRY(be.rmsnorm(ctx, x, R, H, norm(slot + 5), eps, h));
        Input post{h, R, small};  // shared by gate and up
        TF_TRY(matmul(r, post, slot + 6, gate));
        TF_TRY(matmul(r, post, slot + 7, up));
        TF_TRY(be.swiglu(ctx, gate, up, R * F, gate));
        TF_TRY(matmul(r, gate, R, small, slot + 8, h));
        TF_TRY(be.add(ctx, x, h, R * H));

        for (int32_t i = 0; i < n_parts; ++i) {  // layer_outputs [L, n, H]
            const Part& p = parts[i];
            if (float* lo = p.item->params->layer_outputs) {
                TF_TRY(be.to_host(ctx, lo + (l * p.item->n + p.row0) * H, x + p.off * H,
                                  sizeof(float) * size_t(p.rows * H)));
            }
        }
    }
    const float* y = x;
    if (s->params.final_norm) {
        TF_TRY(be.rmsnorm(ctx, x, R, H, norm(size_t(L * kLayerSlots)), eps, h));
        y = h;
    }
    for (int32_t i = 0; i < n_parts; ++i) {
        const Part& p = parts[i];
        if (float* fh = p.item->params->final_hidden) {
            TF_TRY(be.to_host(ctx, fh + p.row0 * H, y + p.off * H, sizeof(float) * size_t(p.rows * H)));
        }
    }
    TF_TRY(write_outputs(r, parts, n_parts, y));
    int64_t bad = -1;
    TF_TRY(be.end_round(sc, &bad));
    if (bad < 0) return TF_OK;
    for (int32_t i = 0; i < n_parts; ++i) {  // the stacked row's item, and its row there
        const Part& p = parts[i];
        if (bad < p.off || bad >= p.off + p.rows) continue;
        const std::string item = r.batch ? "item " + to_string(p.item - r.items) + ": " : "";
        return fail(TF_ERR_INVALID_ARGUMENT, std::string(r.fn) + ": " + item + "a W8A8 matmul input (tf_matmul_a8) row " +
                                                 to_string(p.row0 + bad - p.off) + " holds a NaN or infinite value");
    }
    return fail(TF_ERR_INVALID_ARGUMENT, std::string(r.fn) + ": a W8A8 matmul input holds a NaN or infinite value");
}

// Checks one item; at() prefixes the errors (built only on failure: a decode step allocates nothing).
template <typename Prefix>
tf_status check_item(const tf_stack* s, const StackItem& it, const Prefix& at) {
    const tf_cache* c = it.cache;
    const tf_forward_params* p = it.params;
    TF_CHECK_ARG(c != nullptr, at() + "cache is NULL");
    TF_CHECK_ARG(it.input != nullptr, at() + "embeddings (input) is NULL");
    TF_CHECK_ARG(it.out != nullptr, at() + "logits (out) is NULL");
    TF_CHECK_ARG(c->stack == s, at() + "the cache was created for another model (or stack)");
    TF_CHECK_ARG(it.n >= 1, at() + "n must be >= 1, got " + to_string(it.n));
    TF_CHECK_ARG(p->control_mode == TF_CONTROL_NONE || p->control_mode == TF_CONTROL_LOG_ADD ||
                     p->control_mode == TF_CONTROL_MULT,
                 at() + "params->control_mode " + to_string(p->control_mode) + " is unknown");
    TF_CHECK_ARG(p->logits_rows >= 0,
                 at() + "params->logits_rows must be 0 (all rows) or k > 0 (the last k), got " + to_string(p->logits_rows));
    const int64_t total = c->length + it.n;
    if (c->window == 0 && it.n > c->capacity - c->length) {
        return fail(TF_ERR_OUT_OF_RANGE, at() + "cache length " + to_string(c->length) + " + n " + to_string(it.n) +
                                             " exceeds the cache capacity " + to_string(c->capacity) +
                                             " (max_positions " + to_string(s->params.max_positions) + ")");
    }
    if (it.positions == nullptr && total > s->params.max_positions) {
        return fail(TF_ERR_OUT_OF_RANGE, at() + "cache length " + to_string(c->length) + " + n " + to_string(it.n) +
                                             " exceeds max_positions " + to_string(s->params.max_positions));
    }
    for (int64_t i = 0; it.positions != nullptr && i < it.n; ++i) {
        if (it.positions[i] < 0 || it.positions[i] >= s->params.max_positions) {
            return fail(TF_ERR_OUT_OF_RANGE, at() + "positions[" + to_string(i) + "] = " + to_string(it.positions[i]) +
                                                 " is outside [0, max_positions = " +
                                                 to_string(s->params.max_positions) + ")");
        }
    }
    if (p->key_control != nullptr && p->control_mode != TF_CONTROL_NONE) {
        for (int64_t t = 0; t < total; ++t) {
            TF_CHECK_ARG(std::isfinite(p->key_control[t]) && p->key_control[t] >= 0,
                         at() + "params->key_control[" + to_string(t) + "] = " + to_string(p->key_control[t]) +
                             " must be finite and >= 0");
        }
    }
    return TF_OK;
}

}  // namespace

tf_status set_slot(WeightSlot& slot, const tf_matrix* w, int32_t activation_mode, bool gathered, const char* fn) {
    const std::string pre = std::string(fn) + ": " + slot.name + ": ";
    TF_CHECK_ARG(w != nullptr, pre + "w is NULL");
    TF_CHECK_ARG(w->data != nullptr, pre + "data is NULL");
    TF_CHECK_ARG(w->dtype >= TF_DTYPE_F32 && w->dtype <= TF_DTYPE_I8, pre + "unknown dtype " + to_string(w->dtype));
    if (slot.vector) {
        // A [H] norm weight; accepted as [1, H] (the header's convention) or [H, 1].
        TF_CHECK_ARG((w->rows == 1 && w->cols == slot.cols) || (w->cols == 1 && w->rows == slot.cols),
                     pre + "shape " + shape(w->rows, w->cols) + ", expected " + slot.shape_text +
                         " given as rows = 1, cols = " + to_string(slot.cols));
        TF_CHECK_ARG(w->dtype != TF_DTYPE_I8, pre + "a norm weight must be f32, bf16 or f16, got i8");
        float* dst = slot.vector->data();
        const auto* half = static_cast<const uint16_t*>(w->data);
        for (int64_t i = 0; i < slot.cols; ++i) {
            switch (w->dtype) {
                case TF_DTYPE_F32: dst[i] = static_cast<const float*>(w->data)[i]; break;
                case TF_DTYPE_BF16: dst[i] = bf16_to_f32(half[i]); break;
                default: dst[i] = f16_to_f32(half[i]); break;
            }
        }
    } else {
        TF_CHECK_ARG(w->rows == slot.rows && w->cols == slot.cols,
                     pre + "shape " + shape(w->rows, w->cols) + " (" + dtype_name(w->dtype) + "), expected " +
                         slot.shape_text);
        TF_CHECK_ARG(w->dtype != TF_DTYPE_I8 || w->scales != nullptr, pre + "i8 weights need per-row scales");
        // W8A8 sums int8 products in int32 (see tf_matmul_a8); a gathered table never multiplies.
        TF_CHECK_ARG(w->dtype != TF_DTYPE_I8 || activation_mode != TF_ACT_INT8 || gathered || w->cols <= 131072,
                     pre + "i8 weights with " + to_string(w->cols) +
                         " columns exceed the 131072 of TF_ACT_INT8 (W8A8) matmuls");
        *slot.matrix = *w;  // referenced in place: the caller keeps the data alive
    }
    slot.set = true;
    return TF_OK;
}

tf_status stack_create(tf_context* ctx, const tf_stack_params* params, const char* fn, tf_stack** out) {
    *out = nullptr;
    TF_TRY(check_params(params, fn));
    const Op ops[] = {Op::rmsnorm, Op::matmul, Op::rope, Op::attention, Op::swiglu, Op::add, Op::head};
    TF_TRY(check_supported(ctx, *params, ops, params->vocab_size > 0 ? 7 : 6, fn));
    tf_stack* s = nullptr;
    try {
        s = new tf_stack();
        s->ctx = context_retain(ctx);
        s->params = *params;
        const tf_stack_params& p = *params;
        const char* names[12] = {p.layer_prefix, p.input_norm_name, p.query_name, p.key_name,
                                 p.value_name,   p.output_name,     p.post_norm_name, p.gate_name,
                                 p.up_name,      p.down_name,       p.final_norm_name, p.head_name};
        for (int i = 0; i < 12; ++i) s->names[i] = names[i] ? names[i] : "";
        // The caller's strings and table need not outlive create: point at the copies.
        const char** copies[12] = {&s->params.layer_prefix, &s->params.input_norm_name, &s->params.query_name,
                                   &s->params.key_name,     &s->params.value_name,      &s->params.output_name,
                                   &s->params.post_norm_name, &s->params.gate_name,     &s->params.up_name,
                                   &s->params.down_name,    &s->params.final_norm_name, &s->params.head_name};
        for (int i = 0; i < 12; ++i) *copies[i] = s->names[i].c_str();
        s->head_dim = p.hidden_size / p.n_heads;
        s->n_kv_heads = p.n_kv_heads > 0 ? p.n_kv_heads : p.n_heads;
        s->rope.resize(size_t(p.max_positions) * size_t(s->head_dim));
        if (p.rope_table != nullptr) {
            std::copy(p.rope_table, p.rope_table + s->rope.size(), s->rope.begin());
        } else {
            rope_table(p, s->head_dim, s->rope.data());
        }
        s->params.rope_table = s->rope.data();
        s->host.rope = s->rope.data();
        s->layers.resize(size_t(p.n_layers));
        build_slots(s);
    } catch (const std::bad_alloc&) {
        delete s;
        return fail(TF_ERR_OUT_OF_MEMORY, std::string(fn) + ": out of memory");
    } catch (const std::exception& e) {
        delete s;
        return fail(TF_ERR_INTERNAL, std::string(fn) + ": " + e.what());
    }
    *out = s;
    return TF_OK;
}

tf_status stack_set_weight(tf_stack* s, const char* name, const tf_matrix* w, const char* fn) {
    try {
        const auto it = s->slot_index.find(name);
        if (it == s->slot_index.end()) {
            return fail(TF_ERR_INVALID_ARGUMENT, std::string(fn) + ": unknown tensor name '" + name + "' (" +
                                                     to_string(s->params.n_layers) + " layers; e.g. " +
                                                     s->slots[1].name + ")");
        }
        WeightSlot& slot = s->slots[it->second];
        TF_TRY(set_slot(slot, w, s->params.activation_mode, false, fn));
        s->host.weights[it->second] =
            slot.matrix ? *slot.matrix : tf_matrix{slot.vector->data(), nullptr, 1, slot.cols, TF_DTYPE_F32};
        s->device.mark_stale();
        return TF_OK;
    } catch (const std::bad_alloc&) {
        return fail(TF_ERR_OUT_OF_MEMORY, std::string(fn) + ": out of memory");
    }
}

const WeightSlot* stack_missing(const tf_stack* s) {
    for (const WeightSlot& slot : s->slots) {
        if (!slot.set) return &slot;
    }
    return nullptr;
}

tf_status stack_tensors(tf_stack* s, const char* fn, const StackTensors** out) {
    if (!backend_of(s->ctx).host_memory) {
        return s->device.get(s->ctx, s->host.weights.data(), s->host.weights.size(), s->rope.data(), s->rope.size(),
                             fn, out);
    }
    *out = &s->host;
    return TF_OK;
}

tf_status stack_check(const tf_stack* s, int32_t n_items, const StackItem* items, const char* fn, bool batch) {
    if (!s->finalized) {
        return fail(TF_ERR_STATE, std::string(fn) + ": the model is not finalized (call tf_model_finalize or "
                                                    "tf_stack_finalize)");
    }
    for (int32_t b = 0; b < n_items; ++b) {
        TF_TRY(check_item(s, items[b], [&] { return std::string(fn) + ": " + (batch ? "item " + to_string(b) + ": " : ""); }));
        for (int32_t e = 0; e < b; ++e) {
            TF_CHECK_ARG(items[e].cache != items[b].cache,
                         std::string(fn) + ": items " + to_string(e) + " and " + to_string(b) + " share a cache");
        }
    }
    return TF_OK;
}

tf_status stack_run(tf_stack* s, int32_t n_items, const StackItem* items, const char* fn) {
    try {
        // Each item in its own chunks (as a call of its own cuts it); round r stacks every item's
        // r-th chunk. The first item's cache lends its scratch to the whole round.
        int64_t rows_max = 0, rounds = 0;
        for (int32_t b = 0; b < n_items; ++b) {
            const int64_t chunk = cache_chunk_rows(items[b].cache, items[b].n);
            rows_max += std::min(items[b].n, chunk);
            rounds = std::max(rounds, (items[b].n + chunk - 1) / chunk);
        }
        const StackTensors* tensors = nullptr;
        TF_TRY(stack_tensors(s, fn, &tensors));
        const Round round{s, &backend_of(s->ctx), tensors, items[0].cache, fn, items, n_items > 1};
        TF_TRY(cache_reserve_rows(round.scratch, rows_max));
        Part one{};
        std::vector<Part> many;  // a single item (a decode step) allocates nothing
        if (n_items > 1) many.resize(size_t(n_items));
        Part* parts = n_items > 1 ? many.data() : &one;
        for (int64_t r = 0; r < rounds; ++r) {
            // The one-row parts first, then the longer ones (see Input).
            int32_t n_parts = 0;
            int64_t off = 0, small = 0;
            for (int pass = 0; pass < 2; ++pass) {
                for (int32_t b = 0; b < n_items; ++b) {
                    const StackItem& it = items[b];
                    const int64_t chunk = cache_chunk_rows(it.cache, it.n), row0 = r * chunk;
                    if (row0 >= it.n) continue;
                    const int64_t rows = std::min(chunk, it.n - row0);
                    if ((rows == 1) != (pass == 0)) continue;
                    parts[n_parts++] = Part{&it, row0, rows, off, it.cache->length + row0};
                    off += rows;
                }
                if (pass == 0) small = off;
            }
            // On failure the cache lengths are unchanged: the rows written past them are garbage.
            TF_TRY(run_round(round, parts, n_parts, off, small));
        }
        for (int32_t b = 0; b < n_items; ++b) items[b].cache->length += items[b].n;
    } catch (const std::bad_alloc&) {
        return fail(TF_ERR_OUT_OF_MEMORY, std::string(fn) + ": out of memory");
    } catch (const std::exception& e) {  // nothing above throws by design; never let it cross the ABI
        return fail(TF_ERR_INTERNAL, std::string(fn) + ": " + e.what());
    }
    return ok();
}

}  // namespace tf

extern "C" {

TF_API void tf_stack_params_init(tf_stack_params* params) {
    if (!params) return;
    std::memset(params, 0, sizeof *params);
    params->norm_eps = 1e-5f;
    params->rope_kind = TF_ROPE_ROTATE_HALF;
    params->rope_theta = 10000.0f;
    params->rope_scaling = TF_ROPE_SCALING_NONE;
    params->rope_factor = 8.0f;
    params->rope_low_freq_factor = 1.0f;
    params->rope_high_freq_factor = 4.0f;
    params->rope_original_max_positions = 8192;
    params->attention_kind = TF_ATTENTION_CAUSAL;
    params->final_norm = 1;
    params->activation_mode = TF_ACT_FLOAT;
    params->layer_prefix = "model.layers.";
    params->input_norm_name = "input_layernorm.weight";
    params->query_name = "self_attn.q_proj.weight";
    params->key_name = "self_attn.k_proj.weight";
    params->value_name = "self_attn.v_proj.weight";
    params->output_name = "self_attn.o_proj.weight";
    params->post_norm_name = "post_attention_layernorm.weight";
    params->gate_name = "mlp.gate_proj.weight";
    params->up_name = "mlp.up_proj.weight";
    params->down_name = "mlp.down_proj.weight";
    params->final_norm_name = "model.norm.weight";
    params->head_name = "lm_head.weight";
}

TF_API tf_status tf_stack_create(tf_context* ctx, const tf_stack_params* params, tf_stack** out) {
    TF_CHECK_ARG(out != nullptr, "tf_stack_create: out is NULL");
    *out = nullptr;
    TF_CHECK_ARG(ctx != nullptr, "tf_stack_create: ctx is NULL");
    TF_CHECK_ARG(params != nullptr, "tf_stack_create: params is NULL");
    TF_TRY(tf::stack_create(ctx, params, "tf_stack_create", out));
    return tf::ok();
}

TF_API void tf_stack_free(tf_stack* stack) { delete stack; }

TF_API tf_status tf_stack_set_weight(tf_stack* stack, const char* name, const tf_matrix* w) {
    TF_CHECK_ARG(stack != nullptr, "tf_stack_set_weight: stack is NULL");
    TF_CHECK_ARG(name != nullptr, "tf_stack_set_weight: name is NULL");
    TF_TRY(tf::stack_set_weight(stack, name, w, "tf_stack_set_weight"));
    return tf::ok();
}

TF_API tf_status tf_stack_finalize(tf_stack* stack) {
    TF_CHECK_ARG(stack != nullptr, "tf_stack_finalize: stack is NULL");
    if (const tf::WeightSlot* missing = tf::stack_missing(stack)) {
        return tf::fail(TF_ERR_STATE, "tf_stack_finalize: weight " + missing->name + " " + missing->shape_text +
                                          " has not been set");
    }
    const tf::StackTensors* tensors = nullptr;  // a device backend uploads the weights now
    TF_TRY(tf::stack_tensors(stack, "tf_stack_finalize", &tensors));
    stack->finalized = true;
    return tf::ok();
}

TF_API tf_status tf_stack_cache_create(tf_stack* stack, int32_t capacity, tf_cache** out) {
    TF_CHECK_ARG(out != nullptr, "tf_stack_cache_create: out is NULL");
    *out = nullptr;
    TF_CHECK_ARG(stack != nullptr, "tf_stack_cache_create: stack is NULL");
    return tf::stack_cache_create(stack, nullptr, capacity, "tf_stack_cache_create", out);
}

TF_API tf_status tf_stack_forward(tf_stack* stack, tf_cache* cache, const float* input, int64_t n,
                                  const int32_t* positions, const tf_forward_params* params, float* out) {
    TF_CHECK_ARG(stack != nullptr, "tf_stack_forward: stack is NULL");
    tf_forward_params defaults;
    tf_forward_params_init(&defaults);
    const tf::StackItem item{cache, input, n, positions, params ? params : &defaults, out};
    TF_TRY(tf::stack_check(stack, 1, &item, "tf_stack_forward", false));
    return tf::stack_run(stack, 1, &item, "tf_stack_forward");
}

}  // extern "C"
