// The transformer forward (docs/spec/tfree.md §5) entirely on the device: tf_model weights uploaded once
// (dtype kept: f32, bf16, f16, or int8 + f32 scales), KV caches and scratch in device memory;
// a forward copies the embeddings in and the logits (plus requested captures) out.
// The layer loop is native/src/stack.cpp's, with the device kernels, and so is the batching:
// the rows of all items of a call are stacked, so every weight is read once per round:
//   h = RMSNorm_in(x); q, k, v = h·W{q,k,v}ᵀ; RoPE(q, k) at absolute positions; k, v into the
//   head-major cache [n_heads, capacity, d]; x += attention(...)·W_denseᵀ;
//   h = RMSNorm_post(x); x += (silu(h·W_inᵀ) ⊙ h·W_swigluᵀ)·W_outᵀ; logits = RMSNorm(x)·W_headᵀ.
// Long inputs run in chunks of kChunkRows rows (bounded scratch; causal, so same result).
// The plugin runs only tf_model's T-FREE stack (cuda_plugin.h's weight list): tf_stack with its
// other options is refused on a CUDA context (TF_ERR_UNSUPPORTED, native/src/stack.cpp).
// A TF_ACT_INT8 model multiplies its int8 weights W8A8: the matmul input is quantized per row
// on the device; a non-finite row is recorded in a device flag, checked once per forward.
#include <algorithm>
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

// One item's rows in one round (as native/src/stack.cpp's Part): every matmul of a round runs
// once over the rows of all its parts, stacked in the scratch of the first item's cache.
struct Part {
    const tf_cuda_forward_item* item;
    const float* control;     // device [length + n] or nullptr
    int64_t first_controlled;
    int64_t row0, rows;       // the item's rows [row0, row0 + rows)
    int64_t off;              // their first row in the stacked scratch
    int64_t base;             // absolute position of row0
};

// A round's context: the model, the cache lending its scratch, its W8A8 bad-row flag.
struct Round {
    tf_cuda_model* m;
    tf_cuda_cache* scratch;
    unsigned long long* bad;  // device flag: first bad W8A8 input row of the round
};

tf_status matmul(const Round& r, const float* x, int64_t rows, const DevMatrix& w, float* y) {
    cudaStream_t s = r.m->dev->stream;
    if (w.dtype == TF_DTYPE_I8 && r.m->params.activation_mode == TF_ACT_INT8) {
        int8_t* q = r.scratch->act_q.as<int8_t>();
        float* sx = r.scratch->act_s.as<float>();
        TFC_TRY(launch_quantize(s, DevMatrix{x, nullptr, rows, w.cols, TF_DTYPE_F32}, q, sx, r.bad));
        return launch_matmul_a8(s, q, sx, rows, w, y);
    }
    return launch_matmul(s, x, rows, w, y);
}

int64_t first_logits_row(const tf_cuda_forward_item& it) {
    const int32_t k = it.params->logits_rows;
    return k == 0 ? 0 : (it.n - k > 0 ? it.n - k : 0);
}

// Attention of one part's queries over layer l of its own cache.
tf_status part_attention(const Round& r, const Part& p, int64_t l, const float* q, float* out) {
    tf_cuda_cache* c = p.item->cache;
    const tf_forward_params& fp = *p.item->params;
    const int64_t cap = c->capacity, H = c->H;
    const int32_t n_heads = int32_t(c->n_heads), d = int32_t(c->d);
    const int64_t kv_len = p.base + p.rows;
    const bool control = p.control != nullptr && (fp.layer_mask == nullptr || fp.layer_mask[l] != 0);
    const AttentionDev a{q,        p.rows,  p.base,     c->k.as<float>() + l * cap * H, c->v.as<float>() + l * cap * H,
                         d,        cap * d, kv_len,     n_heads,                        d,
                         control ? p.control : nullptr,
                         control ? fp.control_mode : int32_t(TF_CONTROL_NONE),
                         control ? p.first_controlled : kv_len,
                         out};
    TFC_TRY(c->attn.reserve(attention_scratch_bytes(a)));  // grows only: decode steps reuse it
    return launch_attention(r.m->dev->stream, a, c->attn.as<void>());
}

// One round over R stacked rows: the layer loop of native/src/stack.cpp with the device kernels.
tf_status run_round(const Round& r, const Part* parts, int32_t n_parts, int64_t R) {
    tf_cuda_model* m = r.m;
    tf_cuda_cache* sc = r.scratch;
    cudaStream_t s = m->dev->stream;
    const int64_t H = sc->H, F = sc->F, V = sc->V, L = sc->L;
    const int32_t n_heads = int32_t(sc->n_heads), d = int32_t(sc->d);
    const float eps = m->params.norm_eps;
    float *x = sc->x.as<float>(), *h = sc->h.as<float>(), *q = sc->q.as<float>(), *att = sc->att.as<float>();
    float *gate = sc->gate.as<float>(), *up = sc->up.as<float>();
    const float* rope = m->rope.as<float>();
    for (int32_t i = 0; i < n_parts; ++i) {
        const Part& p = parts[i];
        TFC_CHECK(cudaMemcpyAsync(x + p.off * H, p.item->embeddings + p.row0 * H, size_t(p.rows * H) * sizeof(float),
                                  cudaMemcpyHostToDevice, s));
    }
    for (int64_t l = 0; l < L; ++l) {
        const DevLayer& w = m->layers[size_t(l)];
        TFC_TRY(launch_rmsnorm(s, x, R, H, static_cast<const float*>(w.input_norm.m.data), eps, h));
        TFC_TRY(matmul(r, h, R, w.query.m, q));
        TFC_TRY(matmul(r, h, R, w.key.m, att));
        for (int32_t i = 0; i < n_parts; ++i) {  // each part at its own positions, into its own cache
            const Part& p = parts[i];
            tf_cuda_cache* c = p.item->cache;
            TFC_TRY(launch_rope_from(s, q + p.off * H, p.rows, n_heads, d, p.base, rope));
            TFC_TRY(launch_rope_from(s, att + p.off * H, p.rows, n_heads, d, p.base, rope));
            TFC_TRY(launch_store_heads(s, c->k.as<float>() + l * c->capacity * H, att + p.off * H, p.rows, p.base,
                                       c->capacity, n_heads, d));
        }
        TFC_TRY(matmul(r, h, R, w.value.m, att));
        for (int32_t i = 0; i < n_parts; ++i) {
            const Part& p = parts[i];
            tf_cuda_cache* c = p.item->cache;
            TFC_TRY(launch_store_heads(s, c->v.as<float>() + l * c->capacity * H, att + p.off * H, p.rows, p.base,
                                       c->capacity, n_heads, d));
        }
        for (int32_t i = 0; i < n_parts; ++i) {
            TFC_TRY(part_attention(r, parts[i], l, q + parts[i].off * H, att + parts[i].off * H));
        }
        TFC_TRY(matmul(r, att, R, w.dense.m, h));
        TFC_TRY(launch_add(s, x, h, R * H));
        TFC_TRY(launch_rmsnorm(s, x, R, H, static_cast<const float*>(w.post_norm.m.data), eps, h));
        TFC_TRY(matmul(r, h, R, w.dense_in.m, gate));
        TFC_TRY(matmul(r, h, R, w.swiglu.m, up));
        TFC_TRY(launch_swiglu(s, gate, up, R * F, gate));
        TFC_TRY(matmul(r, gate, R, w.dense_out.m, h));
        TFC_TRY(launch_add(s, x, h, R * H));
        for (int32_t i = 0; i < n_parts; ++i) {  // layer_outputs [L, n, H]
            const Part& p = parts[i];
            if (float* lo = p.item->params->layer_outputs) {
                TFC_TRY(download(s, lo + (l * p.item->n + p.row0) * H, x + p.off * H, size_t(p.rows * H)));
            }
        }
    }
    TFC_TRY(launch_rmsnorm(s, x, R, H, static_cast<const float*>(m->final_norm.m.data), eps, h));
    // The rows that get logits (each part's rows among its item's last logits_rows) are gathered
    // into q, so that the lm_head is read once for the round; then each part's logits go home.
    int64_t gathered = 0;
    for (int32_t i = 0; i < n_parts; ++i) {
        const Part& p = parts[i];
        if (float* fh = p.item->params->final_hidden) {
            TFC_TRY(download(s, fh + p.row0 * H, h + p.off * H, size_t(p.rows * H)));
        }
        const int64_t first = first_logits_row(*p.item), lo = p.row0 > first ? p.row0 : first;
        const int64_t count = p.row0 + p.rows - lo;
        if (count <= 0) continue;
        TFC_CHECK(cudaMemcpyAsync(q + gathered * H, h + (p.off + lo - p.row0) * H, size_t(count * H) * sizeof(float),
                                  cudaMemcpyDeviceToDevice, s));
        gathered += count;
    }
    if (gathered == 0) return TF_OK;
    float* dl = sc->logits.as<float>();
    TFC_TRY(matmul(r, q, gathered, m->lm_head.m, dl));
    gathered = 0;
    for (int32_t i = 0; i < n_parts; ++i) {
        const Part& p = parts[i];
        const int64_t first = first_logits_row(*p.item), lo = p.row0 > first ? p.row0 : first;
        const int64_t count = p.row0 + p.rows - lo;
        if (count <= 0) continue;
        TFC_TRY(download(s, p.item->logits + (lo - first) * V, dl + gathered * V, size_t(count * V)));
        gathered += count;
    }
    return TF_OK;
}

// Every item in its own chunks of kChunkRows; round k stacks every item's k-th chunk. The
// first item's cache lends its scratch (grown to the widest round) to every round.
tf_status forward_items(tf_cuda_model* m, int32_t n_items, const tf_cuda_forward_item* items) {
    cudaStream_t s = m->dev->stream;
    std::vector<Part> parts(static_cast<size_t>(n_items));
    int64_t rows_max = 0, rounds = 0;
    for (int32_t b = 0; b < n_items; ++b) {
        const tf_cuda_forward_item& it = items[b];
        rows_max += it.n < kChunkRows ? it.n : kChunkRows;
        rounds = std::max(rounds, (it.n + kChunkRows - 1) / kChunkRows);
        Part& p = parts[size_t(b)];
        p.item = &it;
        p.control = nullptr;
        p.first_controlled = it.length + it.n;
        const tf_forward_params& fp = *it.params;
        if (fp.key_control != nullptr && fp.control_mode != TF_CONTROL_NONE) {
            float* dc = nullptr;
            TFC_TRY(upload(s, it.cache->control, fp.key_control, size_t(it.length + it.n), &dc));
            p.control = dc;
            p.first_controlled = first_controlled(fp.key_control, it.length + it.n);
        }
    }
    tf_cuda_cache* sc = items[0].cache;
    TFC_TRY(reserve_rows(sc, rows_max));
    const Round r{m, sc, sc->bad.as<unsigned long long>()};
    const unsigned long long none = ULLONG_MAX;
    std::vector<Part> round_parts;
    for (int64_t k = 0; k < rounds; ++k) {
        round_parts.clear();
        int64_t off = 0;
        for (const Part& whole : parts) {
            const int64_t row0 = k * kChunkRows, n = whole.item->n;
            if (row0 >= n) continue;
            Part p = whole;
            p.row0 = row0;
            p.rows = n - row0 < kChunkRows ? n - row0 : kChunkRows;
            p.off = off;
            p.base = whole.item->length + row0;
            round_parts.push_back(p);
            off += p.rows;
        }
        TFC_CHECK(cudaMemcpyAsync(r.bad, &none, sizeof none, cudaMemcpyHostToDevice, s));
        TFC_TRY(run_round(r, round_parts.data(), int32_t(round_parts.size()), off));
        unsigned long long bad = none;
        TFC_CHECK(cudaMemcpyAsync(&bad, r.bad, sizeof bad, cudaMemcpyDeviceToHost, s));
        TFC_CHECK(cudaStreamSynchronize(s));
        if (bad == none) continue;
        for (const Part& p : round_parts) {  // the stacked row's item, and its row there
            if (int64_t(bad) < p.off || int64_t(bad) >= p.off + p.rows) continue;
            const std::string item = n_items > 1 ? "item " + std::to_string(p.item - items) + ": " : "";
            return fail(TF_ERR_INVALID_ARGUMENT, item + "a W8A8 matmul input (tf_matmul_a8) row " +
                                                     std::to_string(p.row0 + int64_t(bad) - p.off) +
                                                     " holds a NaN or infinite value");
        }
        return fail(TF_ERR_INVALID_ARGUMENT, "a W8A8 matmul input (tf_matmul_a8) holds a NaN or infinite value");
    }
    return TF_OK;
}

// The ops of the forward recipe (run_round), each with its answer to "can you run this model?":
// "" or why not. model_create asks them all before uploading a weight, so a model the device
// cannot run is TF_ERR_UNSUPPORTED naming the op, never a wrong result later. What the recipe
// itself fixes: tf_model's T-FREE stack (interleaved RoPE from its table, causal attention over
// all earlier positions, as many kv heads as heads); tf_stack's other options never reach the
// plugin (tf_stack_create refuses a CUDA context).
struct ForwardOp {
    const char* name;
    std::string (*unsupported)(const tf_model_params& p);
};

const ForwardOp kForwardOps[] = {
    {"embedding", [](const tf_model_params& p) -> std::string {
         return (int64_t(p.hidden_size) + 127) / 128 > 65535 ? "hidden_size exceeds the CUDA grid (65535 * 128)" : "";
     }},
    {"rmsnorm", [](const tf_model_params&) -> std::string { return ""; }},
    {"matmul", [](const tf_model_params&) -> std::string { return ""; }},  // every tf_dtype, W8A32 and W8A8
    {"rope", [](const tf_model_params& p) -> std::string {
         return p.rope_table == nullptr ? "no RoPE table (the plugin runs the interleaved table of tf_model)" : "";
     }},
    {"attention", [](const tf_model_params& p) -> std::string {
         return attention_unsupported(p.n_heads, p.hidden_size / p.n_heads);
     }},
    {"swiglu", [](const tf_model_params&) -> std::string { return ""; }},
    {"add", [](const tf_model_params&) -> std::string { return ""; }},
};

}  // namespace

tf_status plugin_model_create(tf_cuda_device* dev, const tf_model_params* params, const tf_matrix* weights,
                              int64_t n_weights, tf_cuda_model** out) {
    *out = nullptr;
    return on_device(dev, "model_create", [&]() -> tf_status {
        const int64_t L = params->n_layers;
        if (n_weights != 9 * L + 3) return fail(TF_ERR_INTERNAL, "model_create: wrong weight count");
        for (const ForwardOp& op : kForwardOps) {
            const std::string why = op.unsupported(*params);
            if (!why.empty()) return fail(TF_ERR_UNSUPPORTED, std::string("model_create: ") + op.name + ": " + why);
        }
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
    return on_device(m->dev, "forward", [&]() -> tf_status { return forward_items(m, n_items, items); });
}
