// The model and its KV cache: a tiny random model (V 50, H 16, 2 layers, 2 heads, F 42,
// 32 positions; f32 and bf16 weights) against a naive double-precision forward written
// plainly below; prefill vs decode steps, captures, truncate / copy_prefix, chunked prefill,
// AtMan controls, concurrent caches, allocation-free decode, and error cases.
#include <atomic>
#include <cstring>
#include <new>
#include <string>
#include <thread>

#include "model.h"  // internal: to shrink tf_cache::chunk_rows and exercise chunked prefill
#include "test_util.h"

// GCC flags free() in a replaced operator delete as "mismatched" with the builtin new it
// assumes; the replacement pair below is malloc/free throughout.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// ---- Allocation counter: every operator new in the process while g_counting is set. ----
static std::atomic<bool> g_counting{false};
static std::atomic<long> g_allocs{0};
void* operator new(size_t n) {
    if (g_counting.load(std::memory_order_relaxed)) g_allocs.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace {

constexpr int32_t V = 50, H = 16, L = 2, NH = 2, D = H / NH, F = 42, POS = 32, P = 3;
constexpr float EPS = 1e-5f;

uint16_t to_bf16(float f) {  // round to nearest even
    uint32_t b;
    std::memcpy(&b, &f, 4);
    b += 0x7fffu + ((b >> 16) & 1u);
    return uint16_t(b >> 16);
}
float from_bf16(uint16_t h) {
    uint32_t b = uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &b, 4);
    return f;
}
uint16_t to_f16_exact(float f) {  // only for normal values with <= 10 mantissa bits
    uint32_t b;
    std::memcpy(&b, &f, 4);
    const uint32_t sign = (b >> 16) & 0x8000u, exp = (b >> 23) & 0xffu, mant = b & 0x7fffffu;
    return uint16_t(sign | ((exp - 112u) << 10) | (mant >> 13));
}

std::vector<float> make_rope_table() {
    std::vector<float> t(size_t(POS) * D);
    for (int p = 0; p < POS; ++p)
        for (int i = 0; i < D / 2; ++i) {
            const float inv_freq = 1.0f / std::pow(10000.f, float(2 * i) / float(D));
            const float angle = float(p) * inv_freq;  // the float32 angle of docs/spec/tfree.md §5
            t[p * D + 2 * i] = std::cos(angle);
            t[p * D + 2 * i + 1] = std::sin(angle);
        }
    return t;
}

using Mat = std::vector<double>;  // row-major

// The weights as the runtime sees them (after bf16 rounding), in double.
struct RefWeights {
    Mat emb, lm, final_norm;
    struct Layer {
        Mat in_norm, q, k, v, o, post_norm, w_in, w_up, w_out;
    };
    std::vector<Layer> layers{size_t(L)};
    std::vector<float> rope;
};

// y [n, rows] = x [n, cols] · Wᵀ
Mat linear(const Mat& x, int64_t n, const Mat& w, int64_t rows, int64_t cols) {
    Mat y(size_t(n * rows));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t r = 0; r < rows; ++r) {
            double s = 0;
            for (int64_t c = 0; c < cols; ++c) s += x[i * cols + c] * w[r * cols + c];
            y[i * rows + r] = s;
        }
    return y;
}

Mat rmsnorm(const Mat& x, int64_t n, const Mat& w) {
    Mat y(x.size());
    for (int64_t i = 0; i < n; ++i) {
        double ss = 0;
        for (int c = 0; c < H; ++c) ss += x[i * H + c] * x[i * H + c];
        const double inv = 1.0 / std::sqrt(ss / H + EPS);
        for (int c = 0; c < H; ++c) y[i * H + c] = x[i * H + c] * inv * w[c];
    }
    return y;
}

void rope(Mat& x, int64_t n, const std::vector<float>& table) {
    for (int64_t p = 0; p < n; ++p)
        for (int h = 0; h < NH; ++h)
            for (int i = 0; i < D / 2; ++i) {
                double* u = &x[p * H + h * D + 2 * i];
                const double c = table[p * D + 2 * i], s = table[p * D + 2 * i + 1];
                const double a = u[0], b = u[1];
                u[0] = a * c - b * s;
                u[1] = a * s + b * c;
            }
}

struct RefOut {
    Mat logits, layers, final_hidden;  // [n, V], [L, n, H], [n, H]
};

// The naive forward of docs/spec/tfree.md §5 over all n positions at once (no cache), with the key controls.
// `knocked_out` >= 0 deletes that key from every layer's and head's softmax (it is skipped, not
// weighted 0): the AtMan knockout of atman-dtm Part C item 4.
RefOut ref_forward(const RefWeights& w, const std::vector<float>& emb, int64_t n, const float* m = nullptr,
                   int32_t mode = TF_CONTROL_NONE, const uint8_t* mask = nullptr, int64_t knocked_out = -1) {
    RefOut out;
    Mat x(emb.begin(), emb.begin() + n * H);
    out.layers.resize(size_t(L * n * H));
    for (int l = 0; l < L; ++l) {
        const auto& lw = w.layers[l];
        Mat h = rmsnorm(x, n, lw.in_norm);
        Mat q = linear(h, n, lw.q, H, H), k = linear(h, n, lw.k, H, H), v = linear(h, n, lw.v, H, H);
        rope(q, n, w.rope);
        rope(k, n, w.rope);
        const bool ctl = m && mode != TF_CONTROL_NONE && (!mask || mask[l]);
        Mat att(size_t(n * H), 0.0);
        for (int64_t i = 0; i < n; ++i)
            for (int hd = 0; hd < NH; ++hd) {
                std::vector<double> a(size_t(i + 1));
                for (int64_t t = 0; t <= i; ++t) {
                    double dot = 0;
                    for (int c = 0; c < D; ++c) dot += q[i * H + hd * D + c] * k[t * H + hd * D + c];
                    a[t] = dot / std::sqrt(double(D));
                }
                if (ctl && mode == TF_CONTROL_LOG_ADD)
                    for (int64_t t = 0; t <= i; ++t) a[t] = m[t] > 0 ? a[t] + std::log(double(m[t])) : -INFINITY;
                if (ctl && mode == TF_CONTROL_MULT) {
                    double mu = a[0];
                    for (double s : a) mu = std::min(mu, s);
                    for (int64_t t = 0; t <= i; ++t) a[t] = (a[t] - mu) * m[t];
                }
                double mx = -INFINITY, sum = 0;
                for (int64_t t = 0; t <= i; ++t)
                    if (t != knocked_out) mx = std::max(mx, a[t]);
                if (!(mx > -INFINITY)) continue;
                for (int64_t t = 0; t <= i; ++t)
                    if (t != knocked_out) sum += (a[t] = std::exp(a[t] - mx));
                for (int64_t t = 0; t <= i; ++t) {
                    if (t == knocked_out) continue;
                    for (int c = 0; c < D; ++c) att[i * H + hd * D + c] += a[t] / sum * v[t * H + hd * D + c];
                }
            }
        Mat o = linear(att, n, lw.o, H, H);
        for (size_t e = 0; e < x.size(); ++e) x[e] += o[e];
        h = rmsnorm(x, n, lw.post_norm);
        Mat g = linear(h, n, lw.w_in, F, H), u = linear(h, n, lw.w_up, F, H);
        for (size_t e = 0; e < g.size(); ++e) g[e] = g[e] / (1.0 + std::exp(-g[e])) * u[e];
        Mat dn = linear(g, n, lw.w_out, H, F);
        for (size_t e = 0; e < x.size(); ++e) x[e] += dn[e];
        std::copy(x.begin(), x.end(), out.layers.begin() + l * n * H);
    }
    out.final_hidden = rmsnorm(x, n, w.final_norm);
    out.logits = linear(out.final_hidden, n, w.lm, V, H);
    return out;
}

std::vector<float> to_float(const Mat& m) { return std::vector<float>(m.begin(), m.end()); }

// A model with random weights of one dtype; owns the weight memory the model reads in place.
struct TestModel {
    std::vector<std::vector<float>> f32;
    std::vector<std::vector<uint16_t>> u16;
    RefWeights ref;
    tf_model* model = nullptr;
    ~TestModel() { tf_model_free(model); }
};

tf_model_params model_params(const std::vector<float>& rope_table) {
    tf_model_params p;
    tf_model_params_init(&p);
    p.vocab_size = V;
    p.hidden_size = H;
    p.n_layers = L;
    p.n_heads = NH;
    p.intermediate_size = F;
    p.max_positions = POS;
    p.norm_eps = EPS;
    p.rope_table = rope_table.data();
    return p;
}

// Sets every weight (except `skip`) in state-dict order; finalizes unless a weight is skipped.
void build(TestModel& tm, tf_context* ctx, int32_t dtype, uint32_t seed, const std::string& skip = "") {
    tm.ref.rope = make_rope_table();
    tf_model_params p = model_params(tm.ref.rope);
    TFT_CHECK_OK(tf_model_create(ctx, &p, &tm.model));
    std::mt19937 rng(seed);
    auto set = [&](const std::string& name, int64_t rows, int64_t cols, bool norm, Mat& dst) {
        std::vector<float> vals(size_t(rows * cols));
        if (norm) {  // k/64, exact in bf16 and f16
            std::uniform_int_distribution<int> k(32, 96);
            for (float& v : vals) v = float(k(rng)) / 64.f;
        } else {
            const float a = std::sqrt(3.0f / float(cols)) * (name.find("embedding") != std::string::npos ? 2.f : 1.f);
            std::uniform_real_distribution<float> u(-a, a);
            for (float& v : vals) v = u(rng);
        }
        tf_matrix w{};
        w.rows = norm ? 1 : rows;
        w.cols = norm ? rows * cols : cols;
        if (dtype == TF_DTYPE_F32) {
            tm.f32.push_back(vals);
            w.data = tm.f32.back().data();
            w.dtype = TF_DTYPE_F32;
        } else {
            // bf16 model; the post-attention norms go in as f16 to cover that conversion.
            const bool f16 = norm && name.find("post_attention") != std::string::npos;
            std::vector<uint16_t> h(vals.size());
            for (size_t e = 0; e < vals.size(); ++e) {
                h[e] = f16 ? to_f16_exact(vals[e]) : to_bf16(vals[e]);
                if (!f16) vals[e] = from_bf16(h[e]);
            }
            tm.u16.push_back(h);
            w.data = tm.u16.back().data();
            w.dtype = f16 ? TF_DTYPE_F16 : TF_DTYPE_BF16;
        }
        dst.assign(vals.begin(), vals.end());
        if (name != skip) TFT_CHECK_OK(tf_model_set_weight(tm.model, name.c_str(), &w));
    };
    set("transformer.embeddings.embedding.weight", V, H, false, tm.ref.emb);
    for (int l = 0; l < L; ++l) {
        const std::string pre = "transformer.layers." + std::to_string(l) + ".";
        auto& lw = tm.ref.layers[l];
        set(pre + "input_layernorm.weight", H, 1, true, lw.in_norm);
        set(pre + "attention.query.weight", H, H, false, lw.q);
        set(pre + "attention.key.weight", H, H, false, lw.k);
        set(pre + "attention.value.weight", H, H, false, lw.v);
        set(pre + "attention.dense.weight", H, H, false, lw.o);
        set(pre + "post_attention_layernorm.weight", H, 1, true, lw.post_norm);
        set(pre + "mlp.dense_in.weight", F, H, false, lw.w_in);
        set(pre + "mlp.swiglu.weight", F, H, false, lw.w_up);
        set(pre + "mlp.dense_out.weight", H, F, false, lw.w_out);
    }
    set("transformer.norm.weight", H, 1, true, tm.ref.final_norm);
    set("lm_head.weight", V, H, false, tm.ref.lm);
    if (skip.empty()) TFT_CHECK_OK(tf_model_finalize(tm.model));
}

// Random words: 1..3 rows of P ids each; returns the embeddings [n, H] from tf_model_embed
// (checked against the reference sum).
std::vector<float> embed(TestModel& tm, int64_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<int32_t> ids, row_word;
    for (int64_t w = 0; w < n; ++w) {
        const int rows = 1 + int(rng() % 3);
        for (int r = 0; r < rows; ++r) {
            row_word.push_back(int32_t(w));
            for (int j = 0; j < P; ++j) ids.push_back(int32_t(rng() % V));
        }
    }
    std::vector<float> out(size_t(n * H));
    TFT_CHECK_OK(tf_model_embed(tm.model, ids.data(), int64_t(row_word.size()), P, row_word.data(), n, out.data()));
    Mat want(size_t(n * H), 0.0);
    for (size_t r = 0; r < row_word.size(); ++r)
        for (int j = 0; j < P; ++j)
            for (int c = 0; c < H; ++c) want[row_word[r] * H + c] += tm.ref.emb[ids[r * P + j] * H + c];
    auto wf = to_float(want);
    tft::close("tf_model_embed", out.data(), wf.data(), wf.size(), 1e-6);
    return out;
}

struct Fwd {
    std::vector<float> logits, layers, final_hidden;
};

// One tf_model_forward of rows [row0, row0 + n) of emb, capturing everything.
Fwd forward(tf_model* m, tf_cache* c, const std::vector<float>& emb, int64_t row0, int64_t n,
            const tf_forward_params* base = nullptr) {
    Fwd f;
    tf_forward_params p;
    tf_forward_params_init(&p);
    if (base) p = *base;
    f.logits.assign(size_t((p.logits_rows > 0 ? std::min<int64_t>(p.logits_rows, n) : n) * V), NAN);
    f.layers.assign(size_t(L * n * H), NAN);
    f.final_hidden.assign(size_t(n * H), NAN);
    p.layer_outputs = f.layers.data();
    p.final_hidden = f.final_hidden.data();
    TFT_CHECK_OK(tf_model_forward(m, c, emb.data() + row0 * H, n, &p, f.logits.data()));
    return f;
}

tf_cache* new_cache(tf_model* m, int32_t capacity = POS) {
    tf_cache* c = nullptr;
    TFT_CHECK_OK(tf_cache_create(m, capacity, &c));
    return c;
}

const float* row(const std::vector<float>& v, int64_t r, int64_t width) { return v.data() + r * width; }

// Everything that compares the runtime with the reference and with itself, on one model.
void test_forward(tf_context* ctx, int32_t dtype, std::vector<float>* logits_out) {
    TestModel tm;
    build(tm, ctx, dtype, 1234);
    const int64_t n = 20;
    auto emb = embed(tm, n, 99);
    RefOut ref = ref_forward(tm.ref, emb, n);

    // Prefill of n words == the naive full forward; captures too.
    tf_cache* c = new_cache(tm.model);
    Fwd full = forward(tm.model, c, emb, 0, n);
    TFT_CHECK(tf_cache_length(c) == n);
    auto rl = to_float(ref.logits), rh = to_float(ref.final_hidden), ry = to_float(ref.layers);
    tft::close("prefill logits vs reference", full.logits.data(), rl.data(), rl.size(), 1e-4);
    tft::close("final_hidden vs reference", full.final_hidden.data(), rh.data(), rh.size(), 1e-4);
    tft::close("layer_outputs vs reference", full.layers.data(), ry.data(), ry.size(), 1e-4);
    *logits_out = full.logits;

    // Prefill k, then n − k decode steps == prefill of n (the KV-cache path).
    tf_cache* d = new_cache(tm.model);
    const int64_t k = 7;
    Fwd pre = forward(tm.model, d, emb, 0, k);
    tft::close("prefill k", pre.logits.data(), full.logits.data(), pre.logits.size(), 1e-5);
    for (int64_t i = k; i < n; ++i) {
        Fwd step = forward(tm.model, d, emb, i, 1);
        tft::close("decode step logits", step.logits.data(), row(full.logits, i, V), V, 1e-5);
        tft::close("decode step final_hidden", step.final_hidden.data(), row(full.final_hidden, i, H), H, 1e-5);
        for (int l = 0; l < L; ++l)
            tft::close("decode step layer_outputs", row(step.layers, l, H), row(full.layers, l * n + i, H), H, 1e-5);
    }
    TFT_CHECK(tf_cache_length(d) == n);

    // logits_rows = 1: the last row only (also without captures).
    {
        tf_cache* e = new_cache(tm.model);
        tf_forward_params p;
        tf_forward_params_init(&p);
        p.logits_rows = 1;
        std::vector<float> last(V, NAN);
        TFT_CHECK_OK(tf_model_forward(tm.model, e, emb.data(), n, &p, last.data()));
        tft::close("logits_rows = 1", last.data(), row(full.logits, n - 1, V), V, 1e-6);
        TFT_CHECK_OK(tf_model_forward(tm.model, e, emb.data(), 1, nullptr, last.data()));  // params NULL = defaults
        tf_cache_free(e);
    }

    // Truncate + recompute gives the same logits.
    TFT_CHECK_OK(tf_cache_truncate(c, 10));
    TFT_CHECK(tf_cache_length(c) == 10);
    Fwd again = forward(tm.model, c, emb, 10, n - 10);
    tft::close("truncate + recompute", again.logits.data(), row(full.logits, 10, V), size_t((n - 10) * V), 1e-5);

    // copy_prefix into a smaller cache, then continue there.
    tf_cache* e = new_cache(tm.model, 24);
    TFT_CHECK_OK(tf_cache_copy_prefix(e, c, 12));
    TFT_CHECK(tf_cache_length(e) == 12 && tf_cache_length(c) == n);
    Fwd cont = forward(tm.model, e, emb, 12, n - 12);
    tft::close("copy_prefix + continue", cont.logits.data(), row(full.logits, 12, V), size_t((n - 12) * V), 1e-5);
    TFT_CHECK_OK(tf_cache_copy_prefix(e, e, 5));  // onto itself = truncate
    TFT_CHECK(tf_cache_length(e) == 5);

    // Chunked prefill (the internal chunking of long prefills) gives the same result.
    tf_cache* ch = new_cache(tm.model);
    ch->chunk_rows = 3;
    Fwd chunked = forward(tm.model, ch, emb, 0, n);
    tft::close("chunked logits", chunked.logits.data(), full.logits.data(), full.logits.size(), 1e-6);
    tft::close("chunked layers", chunked.layers.data(), full.layers.data(), full.layers.size(), 1e-6);
    tft::close("chunked final", chunked.final_hidden.data(), full.final_hidden.data(), full.final_hidden.size(), 1e-6);
    {
        TFT_CHECK_OK(tf_cache_truncate(ch, 0));
        tf_forward_params p;
        tf_forward_params_init(&p);
        p.logits_rows = 1;
        std::vector<float> last(V, NAN);
        TFT_CHECK_OK(tf_model_forward(tm.model, ch, emb.data(), n, &p, last.data()));
        tft::close("chunked logits_rows = 1", last.data(), row(full.logits, n - 1, V), V, 1e-6);
        // logits_rows = k: the last k rows, across chunk boundaries; k >= n means all rows.
        for (int32_t k : {2, 5, 7, int32_t(n), int32_t(n + 4)}) {
            for (int64_t chunk : {int64_t{3}, int64_t{256}}) {
                tf_cache* kc = new_cache(tm.model);
                kc->chunk_rows = chunk;
                p.logits_rows = k;
                const int64_t rows = std::min<int64_t>(k, n);
                std::vector<float> got(size_t(rows * V) + 1, NAN);
                TFT_CHECK_OK(tf_model_forward(tm.model, kc, emb.data(), n, &p, got.data()));
                tft::close("logits_rows = k", got.data(), row(full.logits, n - rows, V), size_t(rows * V), 1e-6);
                TFT_CHECK(std::isnan(got.back()));  // nothing written past [min(k, n), V]
                tf_cache_free(kc);
            }
        }
    }

    // AtMan controls in the forward vs the reference, in both modes, all layers or layer 1
    // only; and prefill vs decode steps agree under controls (μ over causal keys in MULT).
    std::vector<float> m(size_t(n), 1.f);
    m[3] = 0.f;
    m[5] = 0.1f;
    m[9] = 2.5f;
    const uint8_t only_1[L] = {0, 1}, all[L] = {1, 1};
    for (int32_t mode : {TF_CONTROL_LOG_ADD, TF_CONTROL_MULT}) {
        for (const uint8_t* mask : {static_cast<const uint8_t*>(nullptr), only_1}) {
            RefOut rc = ref_forward(tm.ref, emb, n, m.data(), mode, mask);
            tf_forward_params p;
            tf_forward_params_init(&p);
            p.key_control = m.data();
            p.control_mode = mode;
            p.layer_mask = mask;
            tf_cache* x = new_cache(tm.model);
            Fwd got = forward(tm.model, x, emb, 0, n, &p);
            auto want = to_float(rc.logits);
            tft::close(mode == TF_CONTROL_LOG_ADD ? "LOG_ADD forward" : "MULT forward", got.logits.data(), want.data(),
                       want.size(), 1e-4);
            // Layer 0 is untouched when masked out.
            if (mask) tft::close("masked layer 0", got.layers.data(), full.layers.data(), size_t(n * H), 1e-6);
            // The control changes something (key 3 is removed / pulled to the row minimum).
            TFT_CHECK(tft::max_rel_diff(got.logits.data(), full.logits.data(), full.logits.size()) > 1e-3);
            tf_cache_truncate(x, 0);
            forward(tm.model, x, emb, 0, 8, &p);  // key_control is indexed by absolute position
            for (int64_t i = 8; i < n; ++i) {
                Fwd step = forward(tm.model, x, emb, i, 1, &p);
                tft::close("controlled decode", step.logits.data(), row(got.logits, i, V), V, 1e-5);
            }
            tf_cache_free(x);
        }
        // An all-ones mask equals the NULL mask.
        tf_forward_params p;
        tf_forward_params_init(&p);
        p.key_control = m.data();
        p.control_mode = mode;
        tf_cache* a = new_cache(tm.model);
        tf_cache* b = new_cache(tm.model);
        Fwd fa = forward(tm.model, a, emb, 0, n, &p);
        p.layer_mask = all;
        Fwd fb = forward(tm.model, b, emb, 0, n, &p);
        TFT_CHECK(fa.logits == fb.logits);
        tf_cache_free(a);
        tf_cache_free(b);
    }

    // Part C items 4 and 5: LOG_ADD with factor 0 is a knockout of the key from every layer
    // and head (rows other than the key's own equal a reference that skips the key); MULT with
    // factor 0 only pulls the key to the row minimum, which is something else.
    {
        const int64_t gone = 6;
        std::vector<float> z(size_t(n), 1.f);
        z[gone] = 0.f;
        auto knock = to_float(ref_forward(tm.ref, emb, n, nullptr, TF_CONTROL_NONE, nullptr, gone).logits);
        TFT_CHECK(tft::max_rel_diff(row(knock, n - 1, V), row(full.logits, n - 1, V), V) > 1e-3);  // it matters
        for (int32_t mode : {TF_CONTROL_LOG_ADD, TF_CONTROL_MULT}) {
            tf_forward_params p;
            tf_forward_params_init(&p);
            p.key_control = z.data();
            p.control_mode = mode;
            tf_cache* kc = new_cache(tm.model);
            Fwd got = forward(tm.model, kc, emb, 0, n, &p);
            double worst = 0;
            for (int64_t i = 0; i < n; ++i) {
                if (i == gone) continue;
                worst = std::max(worst, tft::max_rel_diff(row(got.logits, i, V), row(knock, i, V), V));
            }
            if (mode == TF_CONTROL_LOG_ADD) {
                TFT_CHECK(worst < 1e-4);
            } else {
                TFT_CHECK(worst > 1e-3);
            }
            tf_cache_free(kc);
        }
    }

    tf_cache_free(c);
    tf_cache_free(d);
    tf_cache_free(e);
    tf_cache_free(ch);
}

// 4 threads, each with its own cache on one model, equal sequential runs bit for bit.
void test_concurrency(tf_context* ctx) {
    TestModel tm;
    build(tm, ctx, TF_DTYPE_BF16, 77);
    const int n_threads = 4, n = 24;
    std::vector<std::vector<float>> embs, seq(n_threads), par(n_threads);
    for (int t = 0; t < n_threads; ++t) embs.push_back(embed(tm, n, 500 + t));
    auto run = [&](int t, std::vector<float>& out) {
        tf_cache* c = nullptr;
        if (tf_cache_create(tm.model, POS, &c) != TF_OK) return;
        out.assign(size_t(n * V), NAN);
        bool ok = tf_model_forward(tm.model, c, embs[t].data(), 10, nullptr, out.data()) == TF_OK;
        for (int i = 10; i < n && ok; ++i)
            ok = tf_model_forward(tm.model, c, embs[t].data() + i * H, 1, nullptr, out.data() + i * V) == TF_OK;
        tf_cache_free(c);
    };
    for (int t = 0; t < n_threads; ++t) run(t, seq[t]);
    std::vector<std::thread> threads;
    for (int t = 0; t < n_threads; ++t) threads.emplace_back(run, t, std::ref(par[t]));
    for (auto& th : threads) th.join();
    for (int t = 0; t < n_threads; ++t) {
        TFT_CHECK(par[t].size() == size_t(n * V));
        TFT_CHECK(par[t] == seq[t]);
        if (t > 0) TFT_CHECK(seq[t] != seq[0]);
    }
}

// A decode step (n = 1) allocates nothing; a prefill larger than any before grows the scratch.
void test_no_alloc(tf_context* ctx) {
    TestModel tm;
    build(tm, ctx, TF_DTYPE_F32, 5);
    auto emb = embed(tm, 12, 3);
    tf_cache* c = new_cache(tm.model);
    std::vector<float> logits(size_t(12 * V)), layers(size_t(L * H)), hidden(H);
    std::vector<float> m(12, 0.5f);
    tf_forward_params p;
    tf_forward_params_init(&p);
    p.key_control = m.data();
    p.control_mode = TF_CONTROL_MULT;
    p.layer_outputs = layers.data();
    p.final_hidden = hidden.data();
    g_allocs = 0;
    g_counting = true;
    tf_status s1 = tf_model_forward(tm.model, c, emb.data(), 1, &p, logits.data());  // first call ever: decode
    tf_status s2 = tf_model_forward(tm.model, c, emb.data() + H, 1, nullptr, logits.data());
    g_counting = false;
    TFT_CHECK(s1 == TF_OK && s2 == TF_OK);
    if (g_allocs != 0) std::fprintf(stderr, "  decode steps allocated %ld times\n", g_allocs.load());
    TFT_CHECK(g_allocs == 0);
    TFT_CHECK_OK(tf_model_forward(tm.model, c, emb.data() + 2 * H, 8, nullptr, logits.data()));  // grows scratch
    g_allocs = 0;
    g_counting = true;
    s1 = tf_model_forward(tm.model, c, emb.data() + 10 * H, 1, &p, logits.data());
    g_counting = false;
    TFT_CHECK(s1 == TF_OK && g_allocs == 0);
    tf_cache_free(c);
}

bool error_mentions(const char* word) {
    const bool found = std::strstr(tf_last_error(), word) != nullptr;
    if (!found) std::fprintf(stderr, "  error '%s' does not mention '%s'\n", tf_last_error(), word);
    return found;
}

void test_errors(tf_context* ctx) {
    auto rope_table = make_rope_table();
    tf_model_params p = model_params(rope_table);
    tf_model* m = nullptr;
    // Params.
    TFT_CHECK(tf_model_create(ctx, nullptr, &m) == TF_ERR_INVALID_ARGUMENT && m == nullptr);
    TFT_CHECK(tf_model_create(nullptr, &p, &m) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_model_create(ctx, &p, nullptr) == TF_ERR_INVALID_ARGUMENT);
    {
        tf_model_params q = p;
        q.n_heads = 3;
        TFT_CHECK(tf_model_create(ctx, &q, &m) == TF_ERR_INVALID_ARGUMENT && error_mentions("n_heads"));
        q.n_heads = 16;  // head_dim 1: odd
        TFT_CHECK(tf_model_create(ctx, &q, &m) == TF_ERR_INVALID_ARGUMENT && error_mentions("even"));
        q = p;
        q.rope_table = nullptr;
        TFT_CHECK(tf_model_create(ctx, &q, &m) == TF_ERR_INVALID_ARGUMENT && error_mentions("rope_table"));
        q = p;
        q.vocab_size = 0;
        TFT_CHECK(tf_model_create(ctx, &q, &m) == TF_ERR_INVALID_ARGUMENT && error_mentions("vocab_size"));
        q = p;
        q.norm_eps = -1.f;
        TFT_CHECK(tf_model_create(ctx, &q, &m) == TF_ERR_INVALID_ARGUMENT && error_mentions("norm_eps"));
    }

    // Missing weight at finalize: the error names the first missing one.
    TestModel tm;
    build(tm, ctx, TF_DTYPE_F32, 3, "transformer.layers.1.mlp.swiglu.weight");
    TFT_CHECK(tf_model_finalize(tm.model) == TF_ERR_STATE);
    TFT_CHECK(error_mentions("transformer.layers.1.mlp.swiglu.weight"));
    tf_cache* c = new_cache(tm.model);
    std::vector<float> emb(size_t(POS * H), 0.1f), logits(size_t(POS * V));
    TFT_CHECK(tf_model_forward(tm.model, c, emb.data(), 1, nullptr, logits.data()) == TF_ERR_STATE);
    TFT_CHECK(error_mentions("finalize"));

    // Bad set_weight calls.
    std::vector<float> data(size_t(F * H), 0.01f);
    tf_matrix w{data.data(), nullptr, F, H, TF_DTYPE_F32};
    TFT_CHECK(tf_model_set_weight(tm.model, "transformer.layers.2.mlp.swiglu.weight", &w) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("unknown tensor name 'transformer.layers.2.mlp.swiglu.weight'"));
    TFT_CHECK(tf_model_set_weight(tm.model, "lm_head.bias", &w) == TF_ERR_INVALID_ARGUMENT);
    w.rows = H;  // [H, H] where [F, H] is expected
    TFT_CHECK(tf_model_set_weight(tm.model, "transformer.layers.1.mlp.swiglu.weight", &w) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("transformer.layers.1.mlp.swiglu.weight"));
    TFT_CHECK(error_mentions("[F, H] = [42, 16]"));
    w.rows = F;
    w.dtype = 9;
    TFT_CHECK(tf_model_set_weight(tm.model, "transformer.layers.1.mlp.swiglu.weight", &w) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("dtype"));
    w.dtype = TF_DTYPE_I8;  // i8 without scales
    TFT_CHECK(tf_model_set_weight(tm.model, "transformer.layers.1.mlp.swiglu.weight", &w) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("scales"));
    w.dtype = TF_DTYPE_F32;
    w.data = nullptr;
    TFT_CHECK(tf_model_set_weight(tm.model, "transformer.layers.1.mlp.swiglu.weight", &w) == TF_ERR_INVALID_ARGUMENT);
    w.data = data.data();
    TFT_CHECK(tf_model_set_weight(tm.model, nullptr, &w) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_model_set_weight(tm.model, "lm_head.weight", nullptr) == TF_ERR_INVALID_ARGUMENT);
    tf_matrix norm{data.data(), nullptr, 1, H + 1, TF_DTYPE_F32};
    TFT_CHECK(tf_model_set_weight(tm.model, "transformer.norm.weight", &norm) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("transformer.norm.weight") && error_mentions("[H] = [16]"));
    norm.cols = H;
    norm.dtype = TF_DTYPE_I8;
    TFT_CHECK(tf_model_set_weight(tm.model, "transformer.norm.weight", &norm) == TF_ERR_INVALID_ARGUMENT);
    norm.dtype = TF_DTYPE_F32;
    TFT_CHECK_OK(tf_model_set_weight(tm.model, "transformer.norm.weight", &norm));
    // Now complete it and finalize.
    TFT_CHECK_OK(tf_model_set_weight(tm.model, "transformer.layers.1.mlp.swiglu.weight", &w));
    TFT_CHECK_OK(tf_model_finalize(tm.model));

    // Caches.
    tf_cache* bad = nullptr;
    TFT_CHECK(tf_cache_create(tm.model, POS + 1, &bad) == TF_ERR_INVALID_ARGUMENT && bad == nullptr);
    TFT_CHECK(error_mentions("capacity"));
    TFT_CHECK(tf_cache_create(tm.model, 0, &bad) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_cache_create(nullptr, 4, &bad) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_cache_create(tm.model, 4, nullptr) == TF_ERR_INVALID_ARGUMENT);
    tf_cache* small = new_cache(tm.model, 6);
    TFT_CHECK_OK(tf_model_forward(tm.model, small, emb.data(), 4, nullptr, logits.data()));
    // Exceeding the capacity: OUT_OF_RANGE and the length unchanged.
    TFT_CHECK(tf_model_forward(tm.model, small, emb.data(), 3, nullptr, logits.data()) == TF_ERR_OUT_OF_RANGE);
    TFT_CHECK(error_mentions("capacity 6"));
    TFT_CHECK(tf_cache_length(small) == 4);
    TFT_CHECK_OK(tf_model_forward(tm.model, small, emb.data(), 2, nullptr, logits.data()));
    TFT_CHECK(tf_cache_length(small) == 6);
    TFT_CHECK(tf_model_forward(tm.model, small, emb.data(), 1, nullptr, logits.data()) == TF_ERR_OUT_OF_RANGE);
    TFT_CHECK(tf_cache_length(small) == 6);

    // Bad forward arguments leave the cache untouched.
    tf_forward_params fp;
    tf_forward_params_init(&fp);
    TFT_CHECK(fp.key_control == nullptr && fp.control_mode == TF_CONTROL_NONE && fp.layer_mask == nullptr &&
              fp.layer_outputs == nullptr && fp.final_hidden == nullptr && fp.logits_rows == 0);
    const int64_t len = tf_cache_length(c);
    std::vector<float> kc(size_t(POS), 1.f);
    kc[2] = -1.f;
    fp.key_control = kc.data();
    fp.control_mode = TF_CONTROL_LOG_ADD;
    TFT_CHECK(tf_model_forward(tm.model, c, emb.data(), 3, &fp, logits.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("key_control[2]"));
    kc[2] = 1.f;
    fp.control_mode = 7;
    TFT_CHECK(tf_model_forward(tm.model, c, emb.data(), 3, &fp, logits.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("control_mode"));
    fp.control_mode = TF_CONTROL_NONE;
    fp.logits_rows = -1;
    TFT_CHECK(tf_model_forward(tm.model, c, emb.data(), 3, &fp, logits.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("logits_rows"));
    TFT_CHECK(tf_model_forward(tm.model, c, emb.data(), 0, nullptr, logits.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_model_forward(tm.model, c, nullptr, 1, nullptr, logits.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_model_forward(tm.model, c, emb.data(), 1, nullptr, nullptr) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_model_forward(nullptr, c, emb.data(), 1, nullptr, logits.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_model_forward(tm.model, nullptr, emb.data(), 1, nullptr, logits.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_cache_length(c) == len);

    // A cache of another model.
    TestModel other;
    build(other, ctx, TF_DTYPE_F32, 4);
    TFT_CHECK(tf_model_forward(other.model, c, emb.data(), 1, nullptr, logits.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("another model"));
    tf_cache* oc = new_cache(other.model);
    TFT_CHECK(tf_cache_copy_prefix(oc, small, 1) == TF_ERR_INVALID_ARGUMENT);

    // truncate / copy_prefix bounds.
    TFT_CHECK(tf_cache_truncate(small, 7) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_cache_truncate(small, -1) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_cache_truncate(nullptr, 0) == TF_ERR_INVALID_ARGUMENT);
    tf_cache* tiny = new_cache(tm.model, 2);
    TFT_CHECK(tf_cache_copy_prefix(tiny, small, 3) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("dst capacity"));
    TFT_CHECK(tf_cache_copy_prefix(c, tiny, 1) == TF_ERR_INVALID_ARGUMENT);  // tiny is empty
    TFT_CHECK(tf_cache_copy_prefix(nullptr, tiny, 0) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_cache_length(nullptr) == 0);

    // Embedding through the model: bad arguments are reported with the model's prefix.
    TFT_CHECK(tf_model_embed(tm.model, nullptr, 1, P, nullptr, 1, logits.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("tf_model_embed"));
    TFT_CHECK(tf_model_embed(nullptr, nullptr, 1, P, nullptr, 1, logits.data()) == TF_ERR_INVALID_ARGUMENT);

    tf_cache_free(c);
    tf_cache_free(small);
    tf_cache_free(oc);
    tf_cache_free(tiny);
    tf_cache_free(nullptr);
    tf_model_free(nullptr);
}

// tf_model_forward_batch: several items with different prefixes, lengths, controls, captures
// and chunking in one call equal their separate tf_model_forward calls bit for bit (items of
// >= 2 rows), and leave the caches as the separate calls do (a later decode step agrees).
void test_batch(tf_context* ctx, int32_t dtype) {
    TestModel tm;
    build(tm, ctx, dtype, 777);
    const int64_t n = 24;
    auto emb = embed(tm, n, 31);
    struct ItemSpec {
        int64_t prefix, rows;
        int32_t mode;
        bool mask, last_only;
        int64_t chunk;
    };
    const std::vector<ItemSpec> specs = {
        {0, 24, TF_CONTROL_NONE, false, false, 256},
        {10, 14, TF_CONTROL_LOG_ADD, false, false, 256},
        {5, 7, TF_CONTROL_MULT, true, false, 256},
        {20, 2, TF_CONTROL_LOG_ADD, false, true, 256},
        {2, 20, TF_CONTROL_LOG_ADD, false, true, 256},   // logits of the last 3 rows (last_only: see below)
        {3, 21, TF_CONTROL_MULT, false, false, 4},  // several rounds: chunks of 4 rows
    };
    std::vector<float> m(size_t(n), 1.f);
    m[4] = 0.f;
    m[11] = 0.2f;
    m[21] = 3.f;
    const uint8_t mask[L] = {0, 1};
    const int32_t B = int32_t(specs.size());
    std::vector<tf_cache*> alone(static_cast<size_t>(B)), together(static_cast<size_t>(B));
    std::vector<Fwd> want(static_cast<size_t>(B)), got(static_cast<size_t>(B));
    std::vector<tf_forward_params> params(static_cast<size_t>(B));
    tf_cache* full = new_cache(tm.model);
    forward(tm.model, full, emb, 0, n);
    for (int32_t b = 0; b < B; ++b) {
        const ItemSpec& sp = specs[size_t(b)];
        tf_forward_params_init(&params[size_t(b)]);
        params[size_t(b)].key_control = sp.mode == TF_CONTROL_NONE ? nullptr : m.data();
        params[size_t(b)].control_mode = sp.mode;
        params[size_t(b)].layer_mask = sp.mask ? mask : nullptr;
        params[size_t(b)].logits_rows = sp.last_only ? (sp.rows > 2 ? 3 : 1) : 0;
        for (tf_cache** c : {&alone[size_t(b)], &together[size_t(b)]}) {
            *c = new_cache(tm.model);
            TFT_CHECK_OK(tf_cache_copy_prefix(*c, full, sp.prefix));
            (*c)->chunk_rows = sp.chunk;
        }
        want[size_t(b)] = forward(tm.model, alone[size_t(b)], emb, sp.prefix, sp.rows, &params[size_t(b)]);
    }
    std::vector<const float*> embs(static_cast<size_t>(B));
    std::vector<int64_t> ns(static_cast<size_t>(B));
    std::vector<const tf_forward_params*> ps(static_cast<size_t>(B));
    std::vector<float*> outs(static_cast<size_t>(B));
    std::vector<tf_forward_params> captured = params;
    for (int32_t b = 0; b < B; ++b) {
        const ItemSpec& sp = specs[size_t(b)];
        Fwd& g = got[size_t(b)];
        g.logits.assign(size_t((sp.last_only ? (sp.rows > 2 ? 3 : 1) : sp.rows) * V), NAN);
        g.layers.assign(size_t(L * sp.rows * H), NAN);
        g.final_hidden.assign(size_t(sp.rows * H), NAN);
        captured[size_t(b)].layer_outputs = g.layers.data();
        captured[size_t(b)].final_hidden = g.final_hidden.data();
        embs[size_t(b)] = emb.data() + sp.prefix * H;
        ns[size_t(b)] = sp.rows;
        ps[size_t(b)] = &captured[size_t(b)];
        outs[size_t(b)] = g.logits.data();
    }
    TFT_CHECK_OK(tf_model_forward_batch(tm.model, B, together.data(), embs.data(), ns.data(), ps.data(), outs.data()));
    for (int32_t b = 0; b < B; ++b) {
        TFT_CHECK(got[size_t(b)].logits == want[size_t(b)].logits);
        TFT_CHECK(got[size_t(b)].layers == want[size_t(b)].layers);
        TFT_CHECK(got[size_t(b)].final_hidden == want[size_t(b)].final_hidden);
        TFT_CHECK(tf_cache_length(together[size_t(b)]) == tf_cache_length(alone[size_t(b)]));
    }
    // The caches hold the same keys and values: a decode step on each agrees bit for bit.
    for (int32_t b = 0; b < B; ++b) {
        const ItemSpec& sp = specs[size_t(b)];
        if (sp.prefix + sp.rows >= n) continue;
        Fwd x = forward(tm.model, alone[size_t(b)], emb, sp.prefix + sp.rows, 1, &params[size_t(b)]);
        Fwd y = forward(tm.model, together[size_t(b)], emb, sp.prefix + sp.rows, 1, &params[size_t(b)]);
        TFT_CHECK(x.logits == y.logits);
    }
    // A one-row item alone takes the decode kernels: equal to rounding only.
    {
        tf_cache* a = new_cache(tm.model);
        tf_cache* c1 = new_cache(tm.model);
        tf_cache* c2 = new_cache(tm.model);
        TFT_CHECK_OK(tf_cache_copy_prefix(a, full, 9));
        TFT_CHECK_OK(tf_cache_copy_prefix(c1, full, 9));
        TFT_CHECK_OK(tf_cache_copy_prefix(c2, full, 3));
        Fwd one = forward(tm.model, a, emb, 9, 1);
        std::vector<float> l1(static_cast<size_t>(V)), l2(static_cast<size_t>(5 * V));
        tf_cache* cs[2] = {c1, c2};
        const float* es[2] = {emb.data() + 9 * H, emb.data() + 3 * H};
        int64_t nn[2] = {1, 5};
        float* ls[2] = {l1.data(), l2.data()};
        TFT_CHECK_OK(tf_model_forward_batch(tm.model, 2, cs, es, nn, nullptr, ls));
        tft::close("one-row item in a batch", l1.data(), one.logits.data(), size_t(V), 1e-5);
        // Errors: no cache length changes.
        tf_cache* same[2] = {c1, c1};
        TFT_CHECK(tf_model_forward_batch(tm.model, 2, same, es, nn, nullptr, ls) == TF_ERR_INVALID_ARGUMENT);
        TFT_CHECK(error_mentions("share a cache"));
        int64_t bad[2] = {1, 0};
        TFT_CHECK(tf_model_forward_batch(tm.model, 2, cs, es, bad, nullptr, ls) == TF_ERR_INVALID_ARGUMENT);
        TFT_CHECK(error_mentions("item 1"));
        int64_t huge[2] = {1, POS};
        TFT_CHECK(tf_model_forward_batch(tm.model, 2, cs, es, huge, nullptr, ls) == TF_ERR_OUT_OF_RANGE);
        TFT_CHECK(tf_model_forward_batch(tm.model, 0, cs, es, nn, nullptr, ls) == TF_ERR_INVALID_ARGUMENT);
        TFT_CHECK(tf_model_forward_batch(tm.model, 2, nullptr, es, nn, nullptr, ls) == TF_ERR_INVALID_ARGUMENT);
        TFT_CHECK(tf_model_forward_batch(nullptr, 2, cs, es, nn, nullptr, ls) == TF_ERR_INVALID_ARGUMENT);
        TFT_CHECK(tf_cache_length(c1) == 10 && tf_cache_length(c2) == 8);
        tf_cache_free(a);
        tf_cache_free(c1);
        tf_cache_free(c2);
    }
    for (int32_t b = 0; b < B; ++b) {
        tf_cache_free(alone[size_t(b)]);
        tf_cache_free(together[size_t(b)]);
    }
    tf_cache_free(full);
}

}  // namespace

int main() {
    std::vector<float> scalar_logits[2];
    for (int32_t simd : tft::simd_levels()) {
        for (int32_t threads : {1, 3}) {
            tf_context* ctx = tft::make_context(simd, threads);
            if (!ctx) continue;
            std::printf("  %s x%d\n", tft::simd_name(simd), threads);
            for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16}) {
                std::vector<float> logits;
                test_forward(ctx, dtype, &logits);
                auto& base = scalar_logits[dtype == TF_DTYPE_BF16];
                if (simd == TF_SIMD_SCALAR && threads == 1) base = logits;
                else tft::close("logits vs scalar x1", logits.data(), base.data(), base.size(), 1e-5);
            }
            test_batch(ctx, TF_DTYPE_F32);
            test_batch(ctx, TF_DTYPE_BF16);
            test_concurrency(ctx);
            test_no_alloc(ctx);
            test_errors(ctx);
            tf_context_free(ctx);
        }
    }
    return tft::finish("test_model");
}
