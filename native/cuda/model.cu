// The transformer forward (spec §5) entirely on the device: tf_model weights uploaded once
// (dtype kept: f32, bf16, f16, or int8 + f32 scales), KV caches and scratch in device memory;
// a forward copies the embeddings in and the logits (plus requested captures) out.
// The layer loop is native/src/forward.cpp's, with the device kernels:
//   h = RMSNorm_in(x); q, k, v = h·W{q,k,v}ᵀ; RoPE(q, k) at absolute positions; k, v into the
//   head-major cache [n_heads, capacity, d]; x += attention(...)·W_denseᵀ;
//   h = RMSNorm_post(x); x += (silu(h·W_inᵀ) ⊙ h·W_swigluᵀ)·W_outᵀ; logits = RMSNorm(x)·W_headᵀ.
// Long inputs run in chunks of kChunkRows rows (bounded scratch; causal, so same result).
// A TF_ACT_INT8 model multiplies its int8 weights W8A8: the matmul input is quantized per row
// on the device; a non-finite row is recorded in a device flag, checked once per forward.
#include <climits>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "common.cuh"

using namespace tfc;

namespace {

constexpr int64_t kChunkRows = 256;

// One weight in device memory.
struct DevWeight {
    DeviceBuffer data, scales;
    DevMatrix m{};
    tf_status load(const tf_matrix& w) {
        const size_t bytes = size_t(w.rows * w.cols * dtype_bytes(w.dtype));
        TFC_TRY(data.reserve(bytes + 16));
        TFC_CHECK(cudaMemcpy(data.as<void>(), w.data, bytes, cudaMemcpyHostToDevice));
        if (w.dtype == TF_DTYPE_I8) {
            TFC_TRY(scales.reserve(size_t(w.rows) * sizeof(float)));
            TFC_CHECK(cudaMemcpy(scales.as<void>(), w.scales, size_t(w.rows) * sizeof(float), cudaMemcpyHostToDevice));
        }
        m = DevMatrix{data.as<void>(), w.dtype == TF_DTYPE_I8 ? scales.as<float>() : nullptr, w.rows, w.cols, w.dtype};
        return TF_OK;
    }
};

struct DevLayer {
    DevWeight input_norm, query, key, value, dense, post_norm, dense_in, swiglu, dense_out;
};

}  // namespace

struct tf_cuda_model {
    tf_cuda_device* dev;
    tf_model_params params;  // rope_table points at host memory that may be gone: not used
    int32_t head_dim;
    DeviceBuffer rope;       // [max_positions, d/2, 2]
    DevWeight embedding, final_norm, lm_head;
    std::vector<DevLayer> layers;
    DeviceBuffer embed_ids, embed_rows, embed_offsets, embed_out;  // tf_model_embed scratch
};

struct tf_cuda_cache {
    tf_cuda_device* dev;
    int64_t capacity;
    int64_t L, H, F, V, n_heads, d;
    DeviceBuffer k, v;  // [L, n_heads, capacity, d]
    int64_t rows = 0;   // scratch rows reserved
    DeviceBuffer x, h, q, att, gate, up, act_q, act_s, logits, attn, control, bad;
};

namespace {

tf_status reserve_rows(tf_cuda_cache* c, int64_t rows) {
    if (rows > c->rows) {
        // reserve() frees a buffer before allocating its successor: if an allocation fails
        // below, rows = 0 makes the next call (say, a decode step after a failed long prefill)
        // reserve every buffer again instead of running kernels on a freed one.
        c->rows = 0;
        const size_t nh = size_t(rows * c->H) * sizeof(float), nf = size_t(rows * c->F) * sizeof(float);
        TFC_TRY(c->x.reserve(nh));
        TFC_TRY(c->h.reserve(nh));
        TFC_TRY(c->q.reserve(nh));
        TFC_TRY(c->att.reserve(nh));
        TFC_TRY(c->gate.reserve(nf));
        TFC_TRY(c->up.reserve(nf));
        TFC_TRY(c->act_q.reserve(size_t(rows * (c->H > c->F ? c->H : c->F))));
        TFC_TRY(c->act_s.reserve(size_t(rows) * sizeof(float)));
        TFC_TRY(c->logits.reserve(size_t(rows * c->V) * sizeof(float)));
        c->rows = rows;
    }
    TFC_TRY(c->bad.reserve(sizeof(unsigned long long)));
    return TF_OK;
}

// One forward item's state while it runs.
struct Run {
    tf_cuda_model* m;
    tf_cuda_cache* c;
    const tf_cuda_forward_item* item;
    const float* control;    // device [length + n] or nullptr
    int64_t first_controlled;
    unsigned long long* bad; // device flag: first bad W8A8 input row
};

tf_status matmul(const Run& r, const float* x, int64_t rows, const DevMatrix& w, float* y) {
    cudaStream_t s = r.m->dev->stream;
    if (w.dtype == TF_DTYPE_I8 && r.m->params.activation_mode == TF_ACT_INT8) {
        int8_t* q = r.c->act_q.as<int8_t>();
        float* sx = r.c->act_s.as<float>();
        TFC_TRY(launch_quantize(s, DevMatrix{x, nullptr, rows, w.cols, TF_DTYPE_F32}, q, sx, r.bad));
        return launch_matmul_a8(s, q, sx, rows, w, y);
    }
    return launch_matmul(s, x, rows, w, y);
}

int64_t first_logits_row(const tf_cuda_forward_item& it) {
    const int32_t k = it.params->logits_rows;
    return k == 0 ? 0 : (it.n - k > 0 ? it.n - k : 0);
}

// Rows [row0, row0 + rows) of the item.
tf_status forward_chunk(const Run& r, int64_t row0, int64_t rows) {
    tf_cuda_model* m = r.m;
    tf_cuda_cache* c = r.c;
    const tf_cuda_forward_item& it = *r.item;
    const tf_forward_params& p = *it.params;
    cudaStream_t s = m->dev->stream;
    const int64_t H = c->H, F = c->F, V = c->V, cap = c->capacity;
    const int32_t n_heads = int32_t(c->n_heads), d = int32_t(c->d);
    const float eps = m->params.norm_eps;
    const int64_t base = it.length + row0;
    float *x = c->x.as<float>(), *h = c->h.as<float>(), *q = c->q.as<float>(), *att = c->att.as<float>();
    float *gate = c->gate.as<float>(), *up = c->up.as<float>();
    const float* rope = m->rope.as<float>();

    TFC_CHECK(cudaMemcpyAsync(x, it.embeddings + row0 * H, size_t(rows * H) * sizeof(float), cudaMemcpyHostToDevice, s));
    for (int64_t l = 0; l < c->L; ++l) {
        const DevLayer& w = m->layers[size_t(l)];
        float* k_layer = c->k.as<float>() + l * cap * H;
        float* v_layer = c->v.as<float>() + l * cap * H;
        TFC_TRY(launch_rmsnorm(s, x, rows, H, static_cast<const float*>(w.input_norm.m.data), eps, h));
        TFC_TRY(matmul(r, h, rows, w.query.m, q));
        TFC_TRY(matmul(r, h, rows, w.key.m, att));
        TFC_TRY(launch_rope_from(s, q, rows, n_heads, d, base, rope));
        TFC_TRY(launch_rope_from(s, att, rows, n_heads, d, base, rope));
        TFC_TRY(launch_store_heads(s, k_layer, att, rows, base, cap, n_heads, d));
        TFC_TRY(matmul(r, h, rows, w.value.m, att));
        TFC_TRY(launch_store_heads(s, v_layer, att, rows, base, cap, n_heads, d));
        const bool control = r.control != nullptr && (p.layer_mask == nullptr || p.layer_mask[l] != 0);
        const AttentionDev a{q,        rows,    base,       k_layer, v_layer, d, cap * d, base + rows, n_heads, d,
                             control ? r.control : nullptr,
                             control ? p.control_mode : int32_t(TF_CONTROL_NONE),
                             control ? r.first_controlled : base + rows,
                             att};
        TFC_TRY(c->attn.reserve(attention_scratch_bytes(a)));  // grows only: decode steps reuse it
        TFC_TRY(launch_attention(s, a, c->attn.as<void>()));
        TFC_TRY(matmul(r, att, rows, w.dense.m, h));
        TFC_TRY(launch_add(s, x, h, rows * H));
        TFC_TRY(launch_rmsnorm(s, x, rows, H, static_cast<const float*>(w.post_norm.m.data), eps, h));
        TFC_TRY(matmul(r, h, rows, w.dense_in.m, gate));
        TFC_TRY(matmul(r, h, rows, w.swiglu.m, up));
        TFC_TRY(launch_swiglu(s, gate, up, rows * F, gate));
        TFC_TRY(matmul(r, gate, rows, w.dense_out.m, h));
        TFC_TRY(launch_add(s, x, h, rows * H));
        if (p.layer_outputs) {  // [L, n, H]
            TFC_TRY(download(s, p.layer_outputs + (l * it.n + row0) * H, x, size_t(rows * H)));
        }
    }
    const float* final_norm = static_cast<const float*>(m->final_norm.m.data);
    const int64_t first = first_logits_row(it);
    const int64_t lo = row0 > first ? row0 : first;
    const int64_t count = row0 + rows - lo;
    if (p.final_hidden) {
        TFC_TRY(launch_rmsnorm(s, x, rows, H, final_norm, eps, h));
        TFC_TRY(download(s, p.final_hidden + row0 * H, h, size_t(rows * H)));
    }
    if (count <= 0) return TF_OK;
    float* hl = h + (lo - row0) * H;
    if (!p.final_hidden) TFC_TRY(launch_rmsnorm(s, x + (lo - row0) * H, count, H, final_norm, eps, hl));
    float* dl = c->logits.as<float>();
    TFC_TRY(matmul(r, hl, count, m->lm_head.m, dl));
    return download(s, it.logits + (lo - first) * V, dl, size_t(count * V));
}

tf_status forward_item(tf_cuda_model* m, const tf_cuda_forward_item& it) {
    tf_cuda_cache* c = it.cache;
    cudaStream_t s = m->dev->stream;
    const tf_forward_params& p = *it.params;
    const int64_t total = it.length + it.n;
    TFC_TRY(reserve_rows(c, it.n < kChunkRows ? it.n : kChunkRows));
    Run r{m, c, &it, nullptr, total, c->bad.as<unsigned long long>()};
    const unsigned long long none = ULLONG_MAX;
    TFC_CHECK(cudaMemcpyAsync(r.bad, &none, sizeof none, cudaMemcpyHostToDevice, s));
    if (p.key_control != nullptr && p.control_mode != TF_CONTROL_NONE) {
        float* dc = nullptr;
        TFC_TRY(upload(s, c->control, p.key_control, size_t(total), &dc));
        r.control = dc;
        r.first_controlled = first_controlled(p.key_control, total);
    }
    for (int64_t row0 = 0; row0 < it.n; row0 += kChunkRows) {
        TFC_TRY(forward_chunk(r, row0, it.n - row0 < kChunkRows ? it.n - row0 : kChunkRows));
    }
    unsigned long long bad = none;
    TFC_CHECK(cudaMemcpyAsync(&bad, r.bad, sizeof bad, cudaMemcpyDeviceToHost, s));
    TFC_CHECK(cudaStreamSynchronize(s));
    if (bad != none) {
        return fail(TF_ERR_INVALID_ARGUMENT, "a W8A8 matmul input (tf_matmul_a8) row " + std::to_string(bad) +
                                                 " holds a NaN or infinite value");
    }
    return TF_OK;
}

}  // namespace

tf_status plugin_model_create(tf_cuda_device* dev, const tf_model_params* params, const tf_matrix* weights,
                              int64_t n_weights, tf_cuda_model** out) {
    *out = nullptr;
    return on_device(dev, "model_create", [&]() -> tf_status {
        const int64_t L = params->n_layers;
        if (n_weights != 9 * L + 3) return fail(TF_ERR_INTERNAL, "model_create: wrong weight count");
        std::unique_ptr<tf_cuda_model> owner(new tf_cuda_model());  // freed if a step below throws
        tf_cuda_model* m = owner.get();
        m->dev = dev;
        m->params = *params;
        m->head_dim = params->hidden_size / params->n_heads;
        m->layers.resize(size_t(L));
        auto load_all = [&]() -> tf_status {
            const size_t rope = size_t(params->max_positions) * size_t(m->head_dim);
            TFC_TRY(m->rope.reserve(rope * sizeof(float)));
            TFC_CHECK(cudaMemcpy(m->rope.as<void>(), params->rope_table, rope * sizeof(float), cudaMemcpyHostToDevice));
            TFC_TRY(m->embedding.load(weights[0]));
            for (int64_t l = 0; l < L; ++l) {
                const tf_matrix* w = weights + 1 + 9 * l;
                DevLayer& d = m->layers[size_t(l)];
                DevWeight* dst[9] = {&d.input_norm, &d.query,    &d.key,    &d.value,    &d.dense,
                                     &d.post_norm,  &d.dense_in, &d.swiglu, &d.dense_out};
                for (int i = 0; i < 9; ++i) TFC_TRY(dst[i]->load(w[i]));
            }
            TFC_TRY(m->final_norm.load(weights[1 + 9 * L]));
            TFC_TRY(m->lm_head.load(weights[2 + 9 * L]));
            // cudaMemcpy from pageable memory may return before its DMA lands, and it runs on the
            // legacy stream, which the device's non-blocking stream does not wait for: drain it.
            TFC_CHECK(cudaDeviceSynchronize());
            return TF_OK;
        };
        const tf_status s = load_all();
        if (s != TF_OK) return fail(s, std::string("uploading the weights: ") + plugin_error_text());
        *out = owner.release();
        return TF_OK;
    });
}

void plugin_model_free(tf_cuda_model* m) {
    if (m == nullptr) return;
    std::lock_guard<std::mutex> lock(m->dev->mutex);
    cudaSetDevice(m->dev->ordinal);
    delete m;
}

tf_status plugin_model_embed(tf_cuda_model* m, const int32_t* ids, int64_t n_rows, int32_t population,
                             const int32_t* row_word, int64_t n_words, float* out) {
    return on_device(m->dev, "model_embed", [&]() -> tf_status {
        cudaStream_t s = m->dev->stream;
        if (n_rows > INT32_MAX) return fail(TF_ERR_UNSUPPORTED, "more than 2^31 embedding rows");
        std::vector<int32_t> word_rows, word_offsets;
        group_rows_by_word(row_word, n_rows, n_words, word_rows, word_offsets);
        int32_t *di = nullptr, *dr = nullptr, *dof = nullptr;
        TFC_TRY(upload(s, m->embed_ids, ids, size_t(n_rows * population), &di));
        TFC_TRY(upload(s, m->embed_rows, word_rows.data(), word_rows.size(), &dr));
        TFC_TRY(upload(s, m->embed_offsets, word_offsets.data(), word_offsets.size(), &dof));
        const int64_t H = m->params.hidden_size;
        TFC_TRY(m->embed_out.reserve(size_t(n_words * H) * sizeof(float)));
        TFC_TRY(launch_embed(s, m->embedding.m, di, population, dr, dof, n_words, m->embed_out.as<float>()));
        TFC_TRY(download(s, out, m->embed_out.as<float>(), size_t(n_words * H)));
        TFC_CHECK(cudaStreamSynchronize(s));
        return TF_OK;
    });
}

tf_status plugin_cache_create(tf_cuda_device* dev, const tf_model_params* params, int64_t capacity,
                              tf_cuda_cache** out) {
    *out = nullptr;
    return on_device(dev, "cache_create", [&]() -> tf_status {
        auto* c = new tf_cuda_cache();
        c->dev = dev;
        c->capacity = capacity;
        c->L = params->n_layers;
        c->H = params->hidden_size;
        c->F = params->intermediate_size;
        c->V = params->vocab_size;
        c->n_heads = params->n_heads;
        c->d = c->H / c->n_heads;
        const size_t kv = size_t(c->L * capacity * c->H) * sizeof(float);
        tf_status s = c->k.reserve(kv);
        if (s == TF_OK) s = c->v.reserve(kv);
        if (s == TF_OK) s = reserve_rows(c, 1);  // decode steps then allocate nothing,
        if (s == TF_OK) s = c->control.reserve(size_t(capacity) * sizeof(float) + 16);  // with key controls too
        if (s != TF_OK) {
            delete c;
            return fail(s, "a cache of " + std::to_string(capacity) + " positions (" + std::to_string(2 * kv) +
                               " bytes of K/V): " + plugin_error_text());
        }
        *out = c;
        return TF_OK;
    });
}

void plugin_cache_free(tf_cuda_cache* c) {
    if (c == nullptr) return;
    std::lock_guard<std::mutex> lock(c->dev->mutex);
    cudaSetDevice(c->dev->ordinal);
    delete c;
}

tf_status plugin_cache_copy_prefix(tf_cuda_cache* dst, const tf_cuda_cache* src, int64_t length) {
    return on_device(dst->dev, "cache_copy_prefix", [&]() -> tf_status {
        // Block (layer, head) b starts at b·capacity·d in each cache; one 2D copy per tensor.
        const size_t row = size_t(length * src->d) * sizeof(float);
        const size_t blocks = size_t(src->L * src->n_heads);
        const size_t dpitch = size_t(dst->capacity * dst->d) * sizeof(float);
        const size_t spitch = size_t(src->capacity * src->d) * sizeof(float);
        cudaStream_t s = dst->dev->stream;
        TFC_CHECK(cudaMemcpy2DAsync(dst->k.as<void>(), dpitch, src->k.as<void>(), spitch, row, blocks,
                                    cudaMemcpyDeviceToDevice, s));
        TFC_CHECK(cudaMemcpy2DAsync(dst->v.as<void>(), dpitch, src->v.as<void>(), spitch, row, blocks,
                                    cudaMemcpyDeviceToDevice, s));
        TFC_CHECK(cudaStreamSynchronize(s));
        return TF_OK;
    });
}

tf_status plugin_forward(tf_cuda_model* m, int32_t n_items, const tf_cuda_forward_item* items) {
    return on_device(m->dev, "forward", [&]() -> tf_status {
        // Items run one after the other (each weight is read once per item; stacking the items'
        // rows into shared matmuls as the CPU does is a later optimisation).
        for (int32_t b = 0; b < n_items; ++b) {
            const tf_status s = forward_item(m, items[b]);
            if (s != TF_OK) {
                return n_items > 1 ? fail(s, "item " + std::to_string(b) + ": " + plugin_error_text()) : s;
            }
        }
        return TF_OK;
    });
}
