// tf_stack with the options other model families need: grouped-query attention, rotate-half
// RoPE with llama3 frequency scaling, a sliding window over a ring cache, non-causal attention
// over a segment, explicit positions, no head / no final norm. A tiny random stack (H 32,
// 4 heads of 8, 2 kv heads, F 40, 2 layers) against a naive double-precision forward written
// plainly below, over the whole sequence at once (no cache); then prefill vs decode steps,
// chunked prefill and ring wraparound beyond the window; then the errors.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "test_util.h"

namespace {

constexpr int32_t H = 32, NH = 4, NKV = 2, D = H / NH, F = 40, L = 2, V = 30, POS = 64;
constexpr float EPS = 1e-5f;

struct Options {
    int32_t rope_kind = TF_ROPE_ROTATE_HALF;
    bool llama3 = false;
    int32_t n_kv_heads = NKV;
    bool causal = true;
    int32_t window = 0;
    bool final_norm = true;
    bool head = true;
};

// llama3 parameters chosen so that head_dim 8's four frequencies (wavelengths 2π·{1, 10, 100,
// 1000}) fall into all three bands: kept (< 32), blended (32 .. 128), divided (> 128).
constexpr float THETA = 10000.f, FACTOR = 8.f, LOW = 1.f, HIGH = 4.f;
constexpr int32_t ORIGINAL = 128;

using Mat = std::vector<double>;  // row-major

// The weights of the test stack, f32 (as set) and in double for the reference.
struct Weights {
    struct Layer {
        std::vector<float> in_norm, q, k, v, o, post_norm, gate, up, down;
    };
    std::vector<Layer> layers{size_t(L)};
    std::vector<float> final_norm, head;
};

Weights make_weights(uint32_t seed) {
    Weights w;
    uint32_t s = seed;
    auto r = [&](size_t n, float scale) { return tft::random_floats(n, s++, -scale, scale); };
    for (auto& l : w.layers) {
        l.in_norm = tft::random_floats(H, s++, 0.5f, 1.5f);
        l.q = r(size_t(H * H), 0.3f);
        l.k = r(size_t(H * H), 0.3f);  // [n_kv_heads·D, H]: the first rows of [H, H]
        l.v = r(size_t(H * H), 0.3f);
        l.o = r(size_t(H * H), 0.3f);
        l.post_norm = tft::random_floats(H, s++, 0.5f, 1.5f);
        l.gate = r(size_t(F * H), 0.3f);
        l.up = r(size_t(F * H), 0.3f);
        l.down = r(size_t(H * F), 0.3f);
    }
    w.final_norm = tft::random_floats(H, s++, 0.5f, 1.5f);
    w.head = r(size_t(V * H), 0.3f);
    return w;
}

// ---- The reference: plain loops in double ----

// y [n, rows] = x [n, cols] · Wᵀ
Mat linear(const Mat& x, int64_t n, const std::vector<float>& w, int64_t rows, int64_t cols) {
    Mat y(size_t(n * rows));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t r = 0; r < rows; ++r) {
            double s = 0;
            for (int64_t c = 0; c < cols; ++c) s += x[size_t(i * cols + c)] * w[size_t(r * cols + c)];
            y[size_t(i * rows + r)] = s;
        }
    return y;
}

Mat rmsnorm(const Mat& x, int64_t n, const std::vector<float>& w) {
    Mat y(x.size());
    for (int64_t i = 0; i < n; ++i) {
        double ss = 0;
        for (int c = 0; c < H; ++c) ss += x[size_t(i * H + c)] * x[size_t(i * H + c)];
        const double inv = 1.0 / std::sqrt(ss / H + EPS);
        for (int c = 0; c < H; ++c) y[size_t(i * H + c)] = x[size_t(i * H + c)] * inv * w[size_t(c)];
    }
    return y;
}

// inv_freq[i] = theta^(-2i/D), with Llama 3.1's scaling written out.
double inv_freq(int i, bool llama3) {
    const double f = std::pow(double(THETA), -2.0 * i / D);
    if (!llama3) return f;
    const double wavelen = 2 * M_PI / f;
    if (wavelen < ORIGINAL / HIGH) return f;             // high frequencies: kept
    if (wavelen > ORIGINAL / LOW) return f / FACTOR;     // low frequencies: divided
    const double smooth = (ORIGINAL / wavelen - LOW) / (HIGH - LOW);
    return (1 - smooth) * f / FACTOR + smooth * f;       // between: blended
}

// Rotates x [n, heads·D] at positions pos.
void rope(Mat& x, int64_t n, int heads, const std::vector<int32_t>& pos, const Options& o) {
    for (int64_t p = 0; p < n; ++p)
        for (int h = 0; h < heads; ++h)
            for (int i = 0; i < D / 2; ++i) {
                const double angle = double(pos[size_t(p)]) * inv_freq(i, o.llama3);
                double* base = &x[size_t(p * heads * D + h * D)];
                double* a = o.rope_kind == TF_ROPE_INTERLEAVED ? base + 2 * i : base + i;
                double* b = o.rope_kind == TF_ROPE_INTERLEAVED ? base + 2 * i + 1 : base + i + D / 2;
                const double x0 = *a, x1 = *b;
                *a = x0 * std::cos(angle) - x1 * std::sin(angle);
                *b = x0 * std::sin(angle) + x1 * std::cos(angle);
            }
}

// The whole sequence x [n, H] at positions pos in one pass; out [n, V] or [n, H].
std::vector<float> reference(const Weights& w, const std::vector<float>& in, int64_t n,
                             const std::vector<int32_t>& pos, const Options& o) {
    const int kv = o.n_kv_heads, group = NH / kv;
    Mat x(in.begin(), in.begin() + n * H);
    for (const auto& lw : w.layers) {
        Mat h = rmsnorm(x, n, lw.in_norm);
        Mat q = linear(h, n, lw.q, H, H), k = linear(h, n, lw.k, kv * D, H), v = linear(h, n, lw.v, kv * D, H);
        rope(q, n, NH, pos, o);
        rope(k, n, kv, pos, o);
        Mat att(size_t(n * H), 0.0);
        for (int64_t i = 0; i < n; ++i)
            for (int hd = 0; hd < NH; ++hd) {
                const int kh = hd / group;  // the query head's kv head
                const int64_t hi = o.causal ? i + 1 : n;
                const int64_t lo = o.window > 0 ? std::max<int64_t>(0, hi - o.window) : 0;
                std::vector<double> a;
                for (int64_t t = lo; t < hi; ++t) {
                    double dot = 0;
                    for (int c = 0; c < D; ++c) dot += q[size_t(i * H + hd * D + c)] * k[size_t(t * kv * D + kh * D + c)];
                    a.push_back(dot / std::sqrt(double(D)));
                }
                double mx = -INFINITY, sum = 0;
                for (double s : a) mx = std::max(mx, s);
                for (double& s : a) sum += (s = std::exp(s - mx));
                for (int64_t t = lo; t < hi; ++t)
                    for (int c = 0; c < D; ++c)
                        att[size_t(i * H + hd * D + c)] += a[size_t(t - lo)] / sum * v[size_t(t * kv * D + kh * D + c)];
            }
        Mat y = linear(att, n, lw.o, H, H);
        for (size_t j = 0; j < x.size(); ++j) x[j] += y[j];
        h = rmsnorm(x, n, lw.post_norm);
        Mat g = linear(h, n, lw.gate, F, H), u = linear(h, n, lw.up, F, H);
        for (size_t j = 0; j < g.size(); ++j) g[j] = g[j] / (1 + std::exp(-g[j])) * u[j];
        y = linear(g, n, lw.down, H, F);
        for (size_t j = 0; j < x.size(); ++j) x[j] += y[j];
    }
    if (o.final_norm) x = rmsnorm(x, n, w.final_norm);
    if (o.head) x = linear(x, n, w.head, V, H);
    return std::vector<float>(x.begin(), x.end());
}

// ---- The stack under test ----

tf_stack* make_stack(tf_context* ctx, const Weights& w, const Options& o) {
    tf_stack_params p;
    tf_stack_params_init(&p);
    p.hidden_size = H;
    p.n_layers = L;
    p.n_heads = NH;
    p.n_kv_heads = o.n_kv_heads;
    p.intermediate_size = F;
    p.max_positions = POS;
    p.norm_eps = EPS;
    p.rope_kind = o.rope_kind;
    p.rope_theta = THETA;
    if (o.llama3) {
        p.rope_scaling = TF_ROPE_SCALING_LLAMA3;
        p.rope_factor = FACTOR;
        p.rope_low_freq_factor = LOW;
        p.rope_high_freq_factor = HIGH;
        p.rope_original_max_positions = ORIGINAL;
    }
    p.attention_kind = o.causal ? TF_ATTENTION_CAUSAL : TF_ATTENTION_NON_CAUSAL;
    p.window = o.window;
    p.final_norm = o.final_norm ? 1 : 0;
    p.vocab_size = o.head ? V : 0;
    p.layer_prefix = "enc.layers.";  // names other than the defaults' prefix
    tf_stack* s = nullptr;
    TFT_CHECK_OK(tf_stack_create(ctx, &p, &s));
    if (!s) return nullptr;
    auto set = [&](const std::string& name, const std::vector<float>& data, int64_t rows, int64_t cols) {
        const tf_matrix m{data.data(), nullptr, rows, cols, TF_DTYPE_F32};
        TFT_CHECK_OK(tf_stack_set_weight(s, name.c_str(), &m));
    };
    for (int l = 0; l < L; ++l) {
        const auto& lw = w.layers[size_t(l)];
        const std::string pre = "enc.layers." + std::to_string(l) + ".";
        set(pre + "input_layernorm.weight", lw.in_norm, 1, H);
        set(pre + "self_attn.q_proj.weight", lw.q, H, H);
        set(pre + "self_attn.k_proj.weight", lw.k, int64_t(o.n_kv_heads) * D, H);
        set(pre + "self_attn.v_proj.weight", lw.v, int64_t(o.n_kv_heads) * D, H);
        set(pre + "self_attn.o_proj.weight", lw.o, H, H);
        set(pre + "post_attention_layernorm.weight", lw.post_norm, 1, H);
        set(pre + "mlp.gate_proj.weight", lw.gate, F, H);
        set(pre + "mlp.up_proj.weight", lw.up, F, H);
        set(pre + "mlp.down_proj.weight", lw.down, H, F);
    }
    if (o.final_norm) set("model.norm.weight", w.final_norm, 1, H);
    if (o.head) set("lm_head.weight", w.head, V, H);
    TFT_CHECK_OK(tf_stack_finalize(s));
    return s;
}

int64_t out_width(const Options& o) { return o.head ? V : H; }

// Runs rows [from, from + n) of `in` on the cache (positions NULL: the cache indices).
std::vector<float> run(tf_stack* s, tf_cache* c, const std::vector<float>& in, int64_t from, int64_t n,
                       const Options& o, const int32_t* positions = nullptr) {
    std::vector<float> out(size_t(n * out_width(o)), NAN);
    TFT_CHECK_OK(tf_stack_forward(s, c, in.data() + from * H, n, positions, nullptr, out.data()));
    return out;
}

std::vector<int32_t> iota(int64_t n, int32_t from = 0) {
    std::vector<int32_t> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[size_t(i)] = from + int32_t(i);
    return v;
}

// One configuration: prefill of n rows against the reference, then decode steps and chunked
// prefill (and for a ring every capacity chunking) against the prefill.
void check_config(tf_context* ctx, const char* what, const Options& o, int64_t n, int32_t capacity) {
    const Weights w = make_weights(11);
    tf_stack* s = make_stack(ctx, w, o);
    if (!s) return;
    const auto in = tft::random_floats(size_t(n * H), 5);
    const auto want = reference(w, in, n, iota(n), o);

    tf_cache* c = nullptr;
    TFT_CHECK_OK(tf_stack_cache_create(s, capacity, &c));
    const auto prefill = run(s, c, in, 0, n, o);
    TFT_CHECK(tf_cache_length(c) == n);
    const std::string label = std::string(what) + ": prefill vs reference";
    tft::close(label.c_str(), prefill.data(), want.data(), want.size(), 2e-4);

    if (o.causal) {  // decode step by step = the prefill's rows (to rounding: one-row matmuls)
        tf_cache* d = nullptr;
        TFT_CHECK_OK(tf_stack_cache_create(s, capacity, &d));
        std::vector<float> steps;
        for (int64_t i = 0; i < n; ++i) {
            const auto row = run(s, d, in, i, 1, o);
            steps.insert(steps.end(), row.begin(), row.end());
        }
        const std::string l2 = std::string(what) + ": decode steps vs prefill";
        tft::close(l2.c_str(), steps.data(), prefill.data(), prefill.size(), 1e-5);
        // Prefill in two calls of uneven size: the second continues the first's cache.
        TFT_CHECK_OK(tf_cache_truncate(d, 0));
        auto a = run(s, d, in, 0, 5, o);
        const auto b = run(s, d, in, 5, n - 5, o);
        a.insert(a.end(), b.begin(), b.end());
        const std::string l3 = std::string(what) + ": two calls vs prefill";
        tft::close(l3.c_str(), a.data(), prefill.data(), prefill.size(), 1e-5);
        tf_cache_free(d);
    }
    tf_cache_free(c);
    tf_stack_free(s);
}

// A ring of capacity == window runs one row at a time; a larger ring several. Both wrap many
// times over 40 positions and agree with the windowed reference.
void check_ring(tf_context* ctx) {
    Options o;
    o.window = 4;
    o.llama3 = true;
    for (int32_t capacity : {4, 5, 9}) {
        const std::string what = "window 4, ring capacity " + std::to_string(capacity);
        check_config(ctx, what.c_str(), o, 40, capacity);
    }
    // Truncating a ring: by at most capacity − window positions, or to 0.
    const Weights w = make_weights(11);
    tf_stack* s = make_stack(ctx, w, o);
    tf_cache* c = nullptr;
    TFT_CHECK_OK(tf_stack_cache_create(s, 6, &c));
    const auto in = tft::random_floats(size_t(20 * H), 5);
    const auto all = run(s, c, in, 0, 20, o);
    TFT_CHECK(tft::has_error(tf_cache_truncate(c, 17), TF_ERR_INVALID_ARGUMENT, "at most capacity - window = 2"));
    TFT_CHECK_OK(tf_cache_truncate(c, 18));  // drop 2: positions 18, 19 again
    const auto again = run(s, c, in, 18, 2, o);
    tft::close("ring truncate then continue", again.data(), all.data() + 18 * V, size_t(2 * V), 1e-5);
    tf_cache* small = nullptr;
    TFT_CHECK(tft::has_error(tf_stack_cache_create(s, 3, &small), TF_ERR_INVALID_ARGUMENT, "window") && !small);
    tf_cache_free(c);
    tf_stack_free(s);
}

// Non-causal: one call is a segment whose rows see each other both ways; after a truncate to 0
// the next segment starts afresh, here at explicit positions.
void check_non_causal(tf_context* ctx) {
    Options o;
    o.causal = false;
    o.head = false;  // hidden states out
    check_config(ctx, "non-causal segment", o, 7, 16);
    const Weights w = make_weights(11);
    tf_stack* s = make_stack(ctx, w, o);
    tf_cache* c = nullptr;
    TFT_CHECK_OK(tf_stack_cache_create(s, 16, &c));
    const auto in = tft::random_floats(size_t(12 * H), 9);
    run(s, c, in, 0, 5, o);
    TFT_CHECK_OK(tf_cache_truncate(c, 0));
    const auto pos = iota(7, 20);
    const auto got = run(s, c, in, 5, 7, o, pos.data());
    const std::vector<float> second(in.begin() + 5 * H, in.end());
    const auto want = reference(w, second, 7, pos, o);
    tft::close("non-causal second segment at positions 20..26", got.data(), want.data(), want.size(), 2e-4);
    tf_cache_free(c);
    tf_stack_free(s);
}

void test_errors(tf_context* ctx) {
    tf_stack_params p;
    tf_stack_params_init(&p);
    TFT_CHECK(p.n_kv_heads == 0 && p.rope_kind == TF_ROPE_ROTATE_HALF && p.final_norm == 1 && p.vocab_size == 0 &&
              std::strcmp(p.query_name, "self_attn.q_proj.weight") == 0);
    p.hidden_size = H;
    p.n_layers = L;
    p.n_heads = NH;
    p.intermediate_size = F;
    p.max_positions = POS;
    tf_stack* s = nullptr;
    p.n_kv_heads = 3;
    TFT_CHECK(tft::has_error(tf_stack_create(ctx, &p, &s), TF_ERR_INVALID_ARGUMENT, "n_kv_heads") && s == nullptr);
    p.n_kv_heads = 0;
    p.attention_kind = TF_ATTENTION_NON_CAUSAL;
    p.window = 4;
    TFT_CHECK(tft::has_error(tf_stack_create(ctx, &p, &s), TF_ERR_INVALID_ARGUMENT, "window"));
    p.attention_kind = TF_ATTENTION_CAUSAL;
    p.window = 0;
    p.rope_scaling = TF_ROPE_SCALING_LLAMA3;
    p.rope_high_freq_factor = 0.5f;
    TFT_CHECK(tft::has_error(tf_stack_create(ctx, &p, &s), TF_ERR_INVALID_ARGUMENT, "rope_high_freq_factor"));
    p.rope_scaling = TF_ROPE_SCALING_NONE;
    p.rope_kind = 7;
    TFT_CHECK(tft::has_error(tf_stack_create(ctx, &p, &s), TF_ERR_INVALID_ARGUMENT, "rope_kind"));
    p.rope_kind = TF_ROPE_ROTATE_HALF;
    p.query_name = nullptr;
    TFT_CHECK(tft::has_error(tf_stack_create(ctx, &p, &s), TF_ERR_INVALID_ARGUMENT, "name"));
    p.query_name = "self_attn.q_proj.weight";
    TFT_CHECK(tft::has_error(tf_stack_create(ctx, nullptr, &s), TF_ERR_INVALID_ARGUMENT, "params"));
    TFT_CHECK_OK(tf_stack_create(ctx, &p, &s));

    std::vector<float> data(size_t(H * H), 0.1f);
    const tf_matrix m{data.data(), nullptr, H, H, TF_DTYPE_F32};
    TFT_CHECK(tft::has_error(tf_stack_set_weight(s, "model.layers.2.self_attn.q_proj.weight", &m),
                             TF_ERR_INVALID_ARGUMENT, "unknown tensor name 'model.layers.2.self_attn.q_proj.weight'"));
    TFT_CHECK(tft::has_error(tf_stack_set_weight(s, "model.layers.0.mlp.up_proj.weight", &m), TF_ERR_INVALID_ARGUMENT,
                             "[F, H] = [40, 32]"));
    TFT_CHECK(tft::has_error(tf_stack_finalize(s), TF_ERR_STATE, "model.layers.0.input_layernorm.weight"));
    tf_cache* c = nullptr;
    TFT_CHECK_OK(tf_stack_cache_create(s, 8, &c));
    std::vector<float> in(static_cast<size_t>(H), 0.f), out(static_cast<size_t>(H));
    TFT_CHECK(tft::has_error(tf_stack_forward(s, c, in.data(), 1, nullptr, nullptr, out.data()), TF_ERR_STATE,
                             "finalize"));
    tf_cache* big = nullptr;
    TFT_CHECK(tft::has_error(tf_stack_cache_create(s, POS + 1, &big), TF_ERR_INVALID_ARGUMENT, "capacity") && !big);
    tf_cache_free(c);
    tf_stack_free(s);

    // Forward arguments, on a finalized stack.
    Options o;
    const Weights w = make_weights(3);
    s = make_stack(ctx, w, o);
    TFT_CHECK_OK(tf_stack_cache_create(s, 4, &c));
    std::vector<float> logits(size_t(8 * V));
    in.assign(size_t(8 * H), 0.1f);
    TFT_CHECK(tft::has_error(tf_stack_forward(s, c, in.data(), 5, nullptr, nullptr, logits.data()),
                             TF_ERR_OUT_OF_RANGE, "capacity 4"));
    const int32_t bad_pos[2] = {3, POS};
    TFT_CHECK(tft::has_error(tf_stack_forward(s, c, in.data(), 2, bad_pos, nullptr, logits.data()),
                             TF_ERR_OUT_OF_RANGE, "positions[1]"));
    TFT_CHECK(tft::has_error(tf_stack_forward(s, c, in.data(), 0, nullptr, nullptr, logits.data()),
                             TF_ERR_INVALID_ARGUMENT, "n must be >= 1"));
    TFT_CHECK(tft::has_error(tf_stack_forward(s, nullptr, in.data(), 1, nullptr, nullptr, logits.data()),
                             TF_ERR_INVALID_ARGUMENT, "cache is NULL"));
    TFT_CHECK(tf_cache_length(c) == 0);
    tf_stack* other = make_stack(ctx, w, o);
    TFT_CHECK(tft::has_error(tf_stack_forward(other, c, in.data(), 1, nullptr, nullptr, logits.data()),
                             TF_ERR_INVALID_ARGUMENT, "another model (or stack)"));
    tf_cache_free(c);
    tf_stack_free(other);
    tf_stack_free(s);
    tf_stack_free(nullptr);
}

}  // namespace

int main() {
    for (int32_t simd : tft::simd_levels()) {
        for (int32_t threads : {1, 3}) {
            tf_context* ctx = tft::make_context(simd, threads);
            if (!ctx) continue;
            std::printf("  %s x%d\n", tft::simd_name(simd), threads);
            Options o;
            o.rope_kind = TF_ROPE_INTERLEAVED;
            o.n_kv_heads = NH;
            check_config(ctx, "interleaved RoPE, no GQA", o, 12, 16);
            o = Options{};
            check_config(ctx, "GQA, rotate-half RoPE", o, 12, 16);
            o.llama3 = true;
            check_config(ctx, "GQA, rotate-half RoPE, llama3", o, 12, 16);
            o.final_norm = false;
            o.head = false;
            check_config(ctx, "no final norm, no head", o, 12, 16);
            check_ring(ctx);
            check_non_causal(ctx);
            test_errors(ctx);
            tf_context_free(ctx);
        }
    }
    return tft::finish("test_stack");
}
