// tf_attention: against a plain double reference (softmax over the causal keys) at every SIMD
// level, in prefill (n_q = kv_len) and decode (n_q = 1, q_pos0 > 0) shapes, with the AtMan
// controls of docs/spec/atman-dtm.md §A.2, and with bad arguments.
#include <cstring>
#include <set>
#include <tuple>

#include "test_util.h"

namespace {

struct Shape {
    int64_t n_q, q_pos0, kv_len;
    int32_t heads, d;
};

// Plain reference in double. `removed` keys are deleted outright (not merely weighted 0).
std::vector<float> ref_attention(const std::vector<float>& q, const std::vector<float>& k, const std::vector<float>& v,
                                 const Shape& s, const float* m, int32_t mode, const std::set<int64_t>& removed = {}) {
    const int64_t W = int64_t(s.heads) * s.d;
    std::vector<float> out(size_t(s.n_q * W), 0.f);
    for (int64_t i = 0; i < s.n_q; ++i)
        for (int32_t h = 0; h < s.heads; ++h) {
            const int64_t j = s.q_pos0 + i;
            std::vector<int64_t> keys;
            std::vector<double> a;
            for (int64_t t = 0; t <= j; ++t) {
                if (removed.count(t)) continue;
                double dot = 0;
                for (int32_t c = 0; c < s.d; ++c) dot += double(q[i * W + h * s.d + c]) * k[t * W + h * s.d + c];
                keys.push_back(t);
                a.push_back(dot / std::sqrt(double(s.d)));
            }
            if (m && mode == TF_CONTROL_MULT) {
                double mu = a.empty() ? 0 : a[0];
                for (double x : a) mu = std::min(mu, x);  // over the causal keys only
                for (size_t e = 0; e < a.size(); ++e) a[e] = (a[e] - mu) * m[keys[e]];
            }
            std::vector<double> w(a.size());
            double mx = -INFINITY, sum = 0;
            for (size_t e = 0; e < a.size(); ++e) {
                if (m && mode == TF_CONTROL_LOG_ADD) a[e] = m[keys[e]] > 0 ? a[e] + std::log(double(m[keys[e]])) : -INFINITY;
                mx = std::max(mx, a[e]);
            }
            if (!(mx > -INFINITY)) continue;  // nothing visible: zeros
            for (size_t e = 0; e < a.size(); ++e) sum += (w[e] = std::exp(a[e] - mx));
            for (int32_t c = 0; c < s.d; ++c) {
                double o = 0;
                for (size_t e = 0; e < a.size(); ++e) o += w[e] / sum * v[keys[e] * W + h * s.d + c];
                out[i * W + h * s.d + c] = float(o);
            }
        }
    return out;
}

std::vector<float> run(tf_context* ctx, const std::vector<float>& q, const std::vector<float>& k,
                       const std::vector<float>& v, const Shape& s, const float* m = nullptr,
                       int32_t mode = TF_CONTROL_NONE) {
    std::vector<float> out(size_t(s.n_q * s.heads * s.d), NAN);
    TFT_CHECK_OK(tf_attention(ctx, q.data(), s.n_q, s.q_pos0, k.data(), v.data(), s.kv_len, s.heads, s.d, m, mode,
                              out.data()));
    return out;
}

struct Data {
    std::vector<float> q, k, v;
};

Data random_data(const Shape& s, uint32_t seed, float scale = 1.5f) {
    const size_t W = size_t(s.heads) * s.d;
    return {tft::random_floats(size_t(s.n_q) * W, seed, -scale, scale),
            tft::random_floats(size_t(s.kv_len) * W, seed + 1, -scale, scale),
            tft::random_floats(size_t(s.kv_len) * W, seed + 2)};
}

const std::vector<Shape> kShapes = {
    {1, 0, 1, 1, 2},       // one key
    {9, 0, 9, 2, 6},       // prefill, d not a multiple of 8
    {37, 0, 37, 3, 34},    // prefill, d = 32 + 2
    {21, 0, 21, 2, 128},   // prefill, 7B head_dim
    {1, 40, 41, 4, 16},    // decode
    {1, 63, 64, 2, 80},    // decode, d = 64 + 16
    {3, 5, 20, 2, 10},     // a middle block: the keys past q_pos0 + i stay invisible
    {70, 0, 70, 1, 48},    // more keys than one block of the SIMD weighted sum (64)
    {2, 149, 151, 3, 40},  // decode-like over 150 keys, d = 32 + 8
};

void test_plain(tf_context* ctx, tf_context* scalar) {
    uint32_t seed = 10;
    for (const Shape& s : kShapes) {
        Data x = random_data(s, seed += 3);
        auto want = ref_attention(x.q, x.k, x.v, s, nullptr, TF_CONTROL_NONE);
        auto got = run(ctx, x.q, x.k, x.v, s);
        tft::close("attention vs reference", got.data(), want.data(), got.size(), 1e-5);
        auto base = run(scalar, x.q, x.k, x.v, s);
        tft::close("attention vs scalar", got.data(), base.data(), got.size(), 1e-5);
        // Garbage beyond the visible keys must not matter: poison rows > q_pos0 + n_q − 1.
        Data y = x;
        for (int64_t t = s.q_pos0 + s.n_q; t < s.kv_len; ++t)
            for (int64_t c = 0; c < int64_t(s.heads) * s.d; ++c) y.k[t * s.heads * s.d + c] = y.v[t * s.heads * s.d + c] = NAN;
        auto poisoned = run(ctx, y.q, y.k, y.v, s);
        TFT_CHECK(std::memcmp(poisoned.data(), got.data(), sizeof(float) * got.size()) == 0);
        // Decode of the last row equals the last row of the prefill.
        if (s.q_pos0 == 0 && s.n_q > 1) {
            Shape last{1, s.n_q - 1, s.kv_len, s.heads, s.d};
            std::vector<float> q_last(x.q.end() - s.heads * s.d, x.q.end());
            auto dec = run(ctx, q_last, x.k, x.v, last);
            tft::close("decode vs prefill", dec.data(), got.data() + (s.n_q - 1) * s.heads * s.d, dec.size(), 1e-6);
        }
    }
}

void test_controls(tf_context* ctx) {
    uint32_t seed = 100;
    for (const Shape& s : kShapes) {
        Data x = random_data(s, seed += 3);
        auto plain = run(ctx, x.q, x.k, x.v, s);
        // Factor 1 changes nothing, bit for bit in both modes (MULT skips the row shift where
        // every visible factor is 1: atman-dtm Part C item 1).
        std::vector<float> ones(size_t(s.kv_len), 1.f);
        auto l1 = run(ctx, x.q, x.k, x.v, s, ones.data(), TF_CONTROL_LOG_ADD);
        TFT_CHECK(std::memcmp(l1.data(), plain.data(), sizeof(float) * plain.size()) == 0);
        auto m1 = run(ctx, x.q, x.k, x.v, s, ones.data(), TF_CONTROL_MULT);
        TFT_CHECK(std::memcmp(m1.data(), plain.data(), sizeof(float) * plain.size()) == 0);
        // Causality: a control on the last key leaves every row that cannot see it bit-identical
        // to the uncontrolled rows, in both modes (Part C item 3; what AtMan prefix reuse needs).
        std::vector<float> last = ones;
        last.back() = 0.25f;
        for (int32_t mode : {TF_CONTROL_LOG_ADD, TF_CONTROL_MULT}) {
            auto got = run(ctx, x.q, x.k, x.v, s, last.data(), mode);
            const int64_t W = int64_t(s.heads) * s.d;
            for (int64_t i = 0; i < s.n_q; ++i) {
                if (s.q_pos0 + i >= s.kv_len - 1) continue;  // this row sees the controlled key
                TFT_CHECK(std::memcmp(got.data() + i * W, plain.data() + i * W, sizeof(float) * size_t(W)) == 0);
            }
        }
        auto n1 = run(ctx, x.q, x.k, x.v, s, ones.data(), TF_CONTROL_NONE);  // NONE ignores the factors
        TFT_CHECK(std::memcmp(n1.data(), plain.data(), sizeof(float) * plain.size()) == 0);

        // Random factors in both modes vs the reference (some zeros, some amplifications).
        auto m = tft::random_floats(size_t(s.kv_len), seed + 7, 0.f, 3.f);
        for (size_t t = 1; t < m.size(); t += 4) m[t] = 0.f;
        for (int32_t mode : {TF_CONTROL_LOG_ADD, TF_CONTROL_MULT}) {
            auto want = ref_attention(x.q, x.k, x.v, s, m.data(), mode);
            auto got = run(ctx, x.q, x.k, x.v, s, m.data(), mode);
            tft::close(mode == TF_CONTROL_LOG_ADD ? "LOG_ADD random" : "MULT random", got.data(), want.data(),
                       got.size(), 2e-5);
        }

        // LOG_ADD with factor 0 = the key deleted from the sequence.
        if (s.kv_len > 2) {
            const int64_t gone = s.kv_len / 2;
            std::vector<float> z = ones;
            z[size_t(gone)] = 0.f;
            auto want = ref_attention(x.q, x.k, x.v, s, nullptr, TF_CONTROL_NONE, {gone});
            auto got = run(ctx, x.q, x.k, x.v, s, z.data(), TF_CONTROL_LOG_ADD);
            tft::close("LOG_ADD 0 = key removed", got.data(), want.data(), got.size(), 1e-5);
        }
    }
}

// With v_t = e_t (one-hot, d >= kv_len) the output row is the attention distribution itself.
void test_weights(tf_context* ctx) {
    const Shape s{12, 0, 12, 2, 16};
    Data x = random_data(s, 7, 2.f);
    const int64_t W = s.heads * s.d;
    std::fill(x.v.begin(), x.v.end(), 0.f);
    for (int64_t t = 0; t < s.kv_len; ++t)
        for (int32_t h = 0; h < s.heads; ++h) x.v[t * W + h * s.d + t] = 1.f;
    auto p = run(ctx, x.q, x.k, x.v, s);
    const int64_t key = 4;

    // LOG_ADD factor m: p' = m·p / Σ m·p.
    std::vector<float> m(size_t(s.kv_len), 1.f);
    m[key] = 0.25f;
    m[7] = 2.5f;
    auto pl = run(ctx, x.q, x.k, x.v, s, m.data(), TF_CONTROL_LOG_ADD);
    for (int64_t i = 0; i < s.n_q; ++i)
        for (int32_t h = 0; h < s.heads; ++h) {
            const float* row = &p[i * W + h * s.d];
            double z = 0;
            for (int64_t t = 0; t <= i; ++t) z += m[t] * double(row[t]);
            for (int64_t t = 0; t < s.d; ++t) {
                const double want = t <= i ? m[t] * double(row[t]) / z : 0.0;
                TFT_CHECK(std::fabs(pl[i * W + h * s.d + t] - want) < 1e-6);
            }
        }

    // Amplification (> 1) raises the key's weight in every row that sees it, in both modes.
    // (MULT leaves it unchanged only where the key is the row minimum.)
    std::vector<float> amp(size_t(s.kv_len), 1.f);
    amp[key] = 3.f;
    for (int32_t mode : {TF_CONTROL_LOG_ADD, TF_CONTROL_MULT}) {
        auto pa = run(ctx, x.q, x.k, x.v, s, amp.data(), mode);
        int raised = 0;
        for (int64_t i = key + 1; i < s.n_q; ++i)
            for (int32_t h = 0; h < s.heads; ++h) {
                const float before = p[i * W + h * s.d + key], after = pa[i * W + h * s.d + key];
                TFT_CHECK(after >= before - 1e-7f);
                raised += after > before;
            }
        TFT_CHECK(raised >= (s.n_q - key - 1) * s.heads - 2);
    }

    // Every visible key removed (row 0 sees key 0 only): zeros, not NaN.
    std::vector<float> kill(size_t(s.kv_len), 1.f);
    kill[0] = 0.f;
    auto pk = run(ctx, x.q, x.k, x.v, s, kill.data(), TF_CONTROL_LOG_ADD);
    for (int64_t c = 0; c < W; ++c) TFT_CHECK(pk[c] == 0.f);
    for (int64_t i = 1; i < s.n_q; ++i) TFT_CHECK(pk[i * W + 0] == 0.f && std::fabs(pk[i * W + i] - 0) >= 0.f);
}

// MULT takes μ over the causal keys: a future key with the lowest score must not matter.
void test_mult_causal_min(tf_context* ctx) {
    // d = 2, one head. q·k/sqrt(2) with q = (sqrt 2, 0): scores are the keys' first entries.
    const Shape s{3, 0, 3, 1, 2};
    const float r2 = std::sqrt(2.f);
    std::vector<float> q = {r2, 0.f, r2, 0.f, r2, 0.f};
    std::vector<float> k = {1.f, 0.f, 2.f, 0.f, -5.f, 0.f};  // key 2 (future for row 1) scores −5
    std::vector<float> v = {1.f, 0.f, 0.f, 1.f, 7.f, 7.f};
    std::vector<float> m = {0.f, 1.f, 1.f};
    auto out = run(ctx, q, k, v, s, m.data(), TF_CONTROL_MULT);
    // Row 1: μ = min(1, 2) = 1 → b = ((1−1)·0, (2−1)·1) = (0, 1) → p = (1, e)/(1 + e).
    const double e = std::exp(1.0);
    TFT_CHECK(std::fabs(out[2] - 1.0 / (1.0 + e)) < 1e-6 && std::fabs(out[3] - e / (1.0 + e)) < 1e-6);
    // Part C item 7: the reference's μ over the whole row (−5, a future key's score) would give
    // b = (0, 7), p ≈ (0.0009, 0.9991): different numbers, on purpose.
    const double full_row_p0 = 1.0 / (1.0 + std::exp(7.0));
    TFT_CHECK(std::fabs(out[2] - full_row_p0) > 0.2);
    // Row 0: one key, its own μ: b = 0 → p = 1.
    TFT_CHECK(std::fabs(out[0] - 1.f) < 1e-6 && std::fabs(out[1]) < 1e-6);
    // Row 2 sees key 2: μ = −5, b = ((1+5)·0, (2+5)·1, 0) = (0, 7, 0).
    const double z = 2.0 + std::exp(7.0);
    TFT_CHECK(std::fabs(out[4] - (1.0 + 7.0) / z) < 1e-5 && std::fabs(out[5] - (std::exp(7.0) + 7.0) / z) < 1e-5);
    // Decode of row 1 alone (kv_len 2, the future key not even present) agrees.
    const Shape d1{1, 1, 2, 1, 2};
    std::vector<float> q1 = {r2, 0.f};
    auto dec = run(ctx, q1, k, v, d1, m.data(), TF_CONTROL_MULT);
    TFT_CHECK(std::fabs(dec[0] - out[2]) < 1e-7 && std::fabs(dec[1] - out[3]) < 1e-7);
}

bool error_mentions(const char* word) {
    const bool found = std::strstr(tf_last_error(), word) != nullptr;
    if (!found) std::fprintf(stderr, "  error '%s' does not mention '%s'\n", tf_last_error(), word);
    return found;
}

void test_bad_args(tf_context* ctx) {
    std::vector<float> q(64, 0.1f), k(64, 0.1f), v(64, 0.1f), out(64), m(4, 1.f);
    auto call = [&](const float* qq, int64_t n_q, int64_t pos0, const float* kk, const float* vv, int64_t kv, int32_t heads,
                    int32_t d, const float* mm, int32_t mode, float* o) {
        return tf_attention(ctx, qq, n_q, pos0, kk, vv, kv, heads, d, mm, mode, o);
    };
    TFT_CHECK_OK(call(q.data(), 2, 2, k.data(), v.data(), 4, 2, 8, m.data(), TF_CONTROL_MULT, out.data()));
    TFT_CHECK(tf_attention(nullptr, q.data(), 1, 0, k.data(), v.data(), 1, 1, 2, nullptr, 0, out.data()) ==
              TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(call(nullptr, 1, 0, k.data(), v.data(), 1, 1, 2, nullptr, 0, out.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("q is NULL"));
    TFT_CHECK(call(q.data(), 1, 0, nullptr, v.data(), 1, 1, 2, nullptr, 0, out.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("k is NULL"));
    TFT_CHECK(call(q.data(), 1, 0, k.data(), nullptr, 1, 1, 2, nullptr, 0, out.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(call(q.data(), 1, 0, k.data(), v.data(), 1, 1, 2, nullptr, 0, nullptr) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("out is NULL"));
    TFT_CHECK(call(q.data(), 2, 3, k.data(), v.data(), 4, 2, 8, nullptr, 0, out.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("q_pos0 + n_q"));
    TFT_CHECK(call(q.data(), -1, 0, k.data(), v.data(), 4, 2, 8, nullptr, 0, out.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(call(q.data(), 1, -1, k.data(), v.data(), 4, 2, 8, nullptr, 0, out.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(call(q.data(), 1, INT64_MAX, k.data(), v.data(), 4, 2, 8, nullptr, 0, out.data()) ==
              TF_ERR_INVALID_ARGUMENT);  // no overflow in q_pos0 + n_q
    TFT_CHECK(call(q.data(), 1, 0, k.data(), v.data(), 4, 2, 7, nullptr, 0, out.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("head_dim"));
    TFT_CHECK(call(q.data(), 1, 0, k.data(), v.data(), 4, 0, 8, nullptr, 0, out.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("n_heads"));
    TFT_CHECK(call(q.data(), 1, 0, k.data(), v.data(), 4, 2, 8, m.data(), 3, out.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("control_mode"));
    for (float bad : {-0.5f, NAN, INFINITY}) {
        m[2] = bad;
        TFT_CHECK(call(q.data(), 1, 0, k.data(), v.data(), 4, 2, 8, m.data(), TF_CONTROL_LOG_ADD, out.data()) ==
                  TF_ERR_INVALID_ARGUMENT);
        TFT_CHECK(error_mentions("key_control[2]"));
    }
    m[2] = 1.f;
    TFT_CHECK_OK(call(q.data(), 0, 4, k.data(), v.data(), 4, 2, 8, nullptr, 0, out.data()));  // no queries
}

// Every prefill row has exactly the bits of that row run alone (n_q = 1), with and without
// controls: the multi-query path (two queries per task at the AVX2 level, sharing key loads)
// must not change a query's arithmetic. Includes a pair whose first query has every key removed.
void test_rows_alone(tf_context* ctx) {
    uint32_t seed = 700;
    for (const Shape& s : kShapes) {
        if (s.n_q < 2) continue;
        Data x = random_data(s, seed += 3);
        auto m = tft::random_floats(size_t(s.kv_len), seed + 5, 0.f, 3.f);
        for (size_t t = 2; t < m.size(); t += 5) m[t] = 0.f;
        std::vector<float> first_gone(size_t(s.kv_len), 1.f);  // query 0 (q_pos0 = 0) sees only key 0
        first_gone[0] = 0.f;
        const int64_t W = int64_t(s.heads) * s.d;
        struct Control { const float* m; int32_t mode; };
        for (Control c : {Control{nullptr, TF_CONTROL_NONE}, Control{m.data(), TF_CONTROL_LOG_ADD},
                          Control{m.data(), TF_CONTROL_MULT}, Control{first_gone.data(), TF_CONTROL_LOG_ADD}}) {
            auto all = run(ctx, x.q, x.k, x.v, s, c.m, c.mode);
            for (int64_t i = 0; i < s.n_q; ++i) {
                Shape one{1, s.q_pos0 + i, s.kv_len, s.heads, s.d};
                std::vector<float> qi(x.q.begin() + i * W, x.q.begin() + (i + 1) * W);
                auto alone = run(ctx, qi, x.k, x.v, one, c.m, c.mode);
                if (std::memcmp(alone.data(), all.data() + i * W, sizeof(float) * size_t(W)) != 0) {
                    std::printf("  row %lld of n_q = %lld, d = %d, mode %d differs from the row alone\n",
                                (long long)i, (long long)s.n_q, s.d, c.mode);
                    ++tft::g_failures;
                }
            }
        }
    }
}
}  // namespace

int main() {
    tf_context* scalar = tft::make_context(TF_SIMD_SCALAR, 1);
    for (int32_t simd : tft::simd_levels()) {
        for (int32_t threads : {1, 3}) {
            tf_context* ctx = tft::make_context(simd, threads);
            if (!ctx) continue;
            std::printf("  %s x%d\n", tft::simd_name(simd), threads);
            test_plain(ctx, scalar);
            test_controls(ctx);
            test_rows_alone(ctx);
            test_weights(ctx);
            test_mult_causal_min(ctx);
            test_bad_args(ctx);
            tf_context_free(ctx);
        }
    }
    tf_context_free(scalar);
    return tft::finish("test_attention");
}
