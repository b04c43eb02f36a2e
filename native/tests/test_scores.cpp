// tf_sigmoid, tf_softmax, tf_word_scores (docs/spec/tfree.md §6.2): a 3-word example computed by hand,
// random dictionaries (and a 1M-word one) vs a reference loop at every level × threads,
// softmax vs a double reference, sigmoid extremes, malformed patterns.
#include <algorithm>
#include <cstring>
#include <limits>

#include "test_patterns.h"
#include "test_util.h"

namespace {

using Ctx = tft::LevelContext;

using tft::Dict;

// Reference of docs/spec/tfree.md §6.2: a from a double sigmoid rounded to float, A = Σ a in double, the
// per-word sums in f32 in stored order, the score formula in f32.
std::vector<float> reference_scores(const std::vector<float>& logits, const Dict& d, int32_t P, float lambda) {
    const int64_t V = int64_t(logits.size());
    std::vector<float> a(logits.size());
    double total = 0;
    for (size_t v = 0; v < a.size(); ++v) {
        a[v] = float(1.0 / (1.0 + std::exp(-double(logits[v]))));
        total += a[v];
    }
    const float A = float(total);
    std::vector<float> out(d.n_trigrams.size());
    for (size_t w = 0; w < out.size(); ++w) {
        float si = 0, se = 0;
        for (int64_t k = d.offsets[w]; k < d.offsets[w + 1]; ++k) si += a[size_t(d.ids[size_t(k)])];
        for (int64_t k = d.edge_offsets[w]; k < d.edge_offsets[w + 1]; ++k) se += a[size_t(d.edge_ids[size_t(k)])];
        const float s = si + lambda * se;
        const int64_t pn = int64_t(P) * d.n_trigrams[w];
        out[w] = s / float(pn) + (s - A) / float(V - pn);
    }
    return out;
}

void test_hand_example(const std::vector<Ctx>& ctxs) {
    // V = 8, P = 2. sigmoid(0) = 1/2, sigmoid(ln 3) = 3/4, sigmoid(-ln 3) = 1/4, so
    // a = (.5, .75, .25, .5, .75, .25, .5, .5) and A = 4.
    const float l3 = std::log(3.0f);
    const std::vector<float> logits = {0, l3, -l3, 0, l3, -l3, 0, 0};
    Dict d;
    d.add({0, 1}, {}, 1);      // w0: n = 1
    d.add({2}, {3, 4}, 2);     // w1: n = 2
    d.add({1, 4, 6}, {1}, 3);  // w2: n = 3 (id 1 in both sets)
    const tf_word_patterns p = d.view();
    // By hand, λ = 0.8:
    //   w0: s = .5 + .75 = 1.25;              1.25/2 + (1.25 − 4)/(8 − 2) = 0.625 − 0.458333 = 0.166667
    //   w1: s = .25 + 0.8·(.5 + .75) = 1.25;  1.25/4 + (1.25 − 4)/(8 − 4) = 0.3125 − 0.6875 = −0.375
    //   w2: s = (.75 + .75 + .5) + 0.8·.75 = 2.6;  2.6/6 + (2.6 − 4)/(8 − 6) = 0.433333 − 0.7 = −0.266667
    const float want08[3] = {0.625f - 2.75f / 6.0f, -0.375f, 2.6f / 6.0f - 0.7f};
    // λ = 1: w1: s = 1.5 -> 0.375 − 0.625 = −0.25;  w2: s = 2.75 -> 0.458333 − 0.625 = −0.166667
    const float want10[3] = {0.625f - 2.75f / 6.0f, -0.25f, 2.75f / 6.0f - 0.625f};
    for (const Ctx& c : ctxs) {
        float got[3];
        TFT_CHECK_OK(tf_word_scores(c.ctx, logits.data(), 8, &p, 2, 0.8f, got));
        tft::close("hand example λ=0.8", got, want08, 3, 2e-6);
        TFT_CHECK_OK(tf_word_scores(c.ctx, logits.data(), 8, &p, 2, 1.0f, got));
        tft::close("hand example λ=1", got, want10, 3, 2e-6);
    }
    // P·n = V: the second term divides by zero, as in the reference (s < A gives −inf).
    Dict z;
    z.add({0}, {}, 4);
    const tf_word_patterns pz = z.view();
    float s = 0;
    TFT_CHECK_OK(tf_word_scores(ctxs[0].ctx, logits.data(), 8, &pz, 2, 1.0f, &s));
    TFT_CHECK(std::isinf(s) && s < 0);
}

Dict random_dict(int64_t n_words, int32_t V, int max_ids, int max_edges, uint32_t seed) {
    std::mt19937 rng(seed);
    Dict d;
    std::vector<int32_t> i, e;
    for (int64_t w = 0; w < n_words; ++w) {
        i.resize(1 + rng() % uint32_t(max_ids));
        e.resize(rng() % uint32_t(max_edges + 1));
        for (auto& v : i) v = int32_t(rng() % uint32_t(V));
        for (auto& v : e) v = int32_t(rng() % uint32_t(V));
        d.add(i, e, int32_t(1 + rng() % 12));
    }
    return d;
}

void test_random_dicts(const std::vector<Ctx>& ctxs) {
    struct Case {
        int64_t n_words;
        int32_t V, P, max_ids, max_edges;
    };
    const Case cases[] = {{1, 5, 1, 3, 0}, {37, 100, 4, 12, 4}, {5000, 1024, 4, 30, 10}, {20000, 32000, 10, 80, 30},
                          {int64_t(1) << 20, 32000, 10, 8, 3}};  // a 1M-word dictionary
    uint32_t seed = 11;
    for (const Case& cs : cases) {
        ++seed;
        const Dict d = random_dict(cs.n_words, cs.V, cs.max_ids, cs.max_edges, seed);
        const tf_word_patterns p = d.view();
        const std::vector<float> logits = tft::random_floats(size_t(cs.V), seed, -12.f, 6.f);
        for (float lambda : {0.8f, 1.0f}) {
            const std::vector<float> want = reference_scores(logits, d, cs.P, lambda);
            std::vector<float> first;
            int32_t first_simd = -1;
            for (const Ctx& c : ctxs) {
                std::vector<float> got(size_t(cs.n_words), NAN);
                TFT_CHECK_OK(tf_word_scores(c.ctx, logits.data(), cs.V, &p, cs.P, lambda, got.data()));
                // a differs from the reference by a few f32 ulps (f32 exp); scores are O(1).
                tft::close("word scores", got.data(), want.data(), want.size(), 2e-6);
                if (c.simd != first_simd) {
                    first_simd = c.simd;
                    first = got;
                } else {
                    TFT_CHECK(std::memcmp(first.data(), got.data(), got.size() * sizeof(float)) == 0);
                }
                if (c.simd == TF_SIMD_SCALAR) {
                    // The scalar level uses the same f32 recipe with std::exp: nearly bit-exact.
                    tft::close("word scores scalar", got.data(), want.data(), want.size(), 1e-6);
                }
            }
        }
    }
}

// Each word adds its ids in stored order, in f32 (docs/spec/tfree.md §6.2): with a taken from tf_sigmoid at
// the same level, scores must equal a plain word-by-word loop bit for bit, at every thread
// count. Word sizes 0..90 ids (empty I or E sets included), dictionary sizes around the task
// grain (2048).
void test_sums_bit_exact(const std::vector<Ctx>& ctxs) {
    const int32_t V = 1000, P = 3;
    const std::vector<float> logits = tft::random_floats(size_t(V), 21, -8.f, 4.f);
    for (int64_t n_words : {1, 7, 8, 9, 255, 256, 257, 2049, 70001}) {
        std::mt19937 rng{uint32_t(n_words)};
        Dict d;
        std::vector<int32_t> i, e;
        for (int64_t w = 0; w < n_words; ++w) {
            i.resize(rng() % 91);
            e.resize(rng() % 3 == 0 ? 0 : rng() % 25);
            for (auto& v : i) v = int32_t(rng() % uint32_t(V));
            for (auto& v : e) v = int32_t(rng() % uint32_t(V));
            d.add(i, e, int32_t(1 + rng() % 12));
        }
        const tf_word_patterns p = d.view();
        for (const Ctx& c : ctxs) {
            std::vector<float> a(static_cast<size_t>(V));
            TFT_CHECK_OK(tf_sigmoid(c.ctx, logits.data(), V, a.data()));
            double total = 0;
            for (float v : a) total += double(v);
            const float A = float(total);
            std::vector<float> want(static_cast<size_t>(n_words)), got(static_cast<size_t>(n_words), NAN);
            for (int64_t w = 0; w < n_words; ++w) {
                float si = 0, se = 0;
                for (int64_t k = d.offsets[size_t(w)]; k < d.offsets[size_t(w + 1)]; ++k) si += a[size_t(d.ids[size_t(k)])];
                for (int64_t k = d.edge_offsets[size_t(w)]; k < d.edge_offsets[size_t(w + 1)]; ++k) {
                    se += a[size_t(d.edge_ids[size_t(k)])];
                }
                const float s = si + 0.8f * se;
                const int64_t pn = int64_t(P) * d.n_trigrams[size_t(w)];
                want[size_t(w)] = s / float(pn) + (s - A) / float(V - pn);
            }
            TFT_CHECK_OK(tf_word_scores(c.ctx, logits.data(), V, &p, P, 0.8f, got.data()));
            if (std::memcmp(want.data(), got.data(), want.size() * sizeof(float)) != 0) {
                size_t k = 0;
                while (want[k] == got[k]) ++k;
                std::fprintf(stderr, "  sums %s x%d n=%lld: word %zu got %.9g want %.9g\n", tft::simd_name(c.simd),
                             c.threads, (long long)n_words, k, double(got[k]), double(want[k]));
                ++tft::g_failures;
            }
        }
    }
}

void test_malformed(const std::vector<Ctx>& ctxs) {
    const std::vector<float> logits = tft::random_floats(8, 3);
    Dict good;
    good.add({0, 1}, {2}, 1);
    good.add({3}, {4, 5}, 2);
    good.add({6, 7}, {}, 1);
    good.add({1}, {1}, 1);
    float scores[4];
    for (const Ctx& c : ctxs) {
        tf_context* ctx = c.ctx;
        auto run = [&](const Dict& d) {
            const tf_word_patterns p = d.view();
            return tf_word_scores(ctx, logits.data(), 8, &p, 2, 1.0f, scores);
        };
        TFT_CHECK_OK(run(good));
        Dict d = good;
        d.offsets[0] = 1;
        TFT_CHECK(tft::has_error(run(d), TF_ERR_INVALID_ARGUMENT, "patterns.offsets[0] = 1 must be 0"));
        d = good;
        d.edge_offsets[0] = -1;
        TFT_CHECK(tft::has_error(run(d), TF_ERR_INVALID_ARGUMENT, "patterns.edge_offsets[0] = -1 must be 0"));
        // Offsets that run far beyond the ids array for word 1, then come back: must be
        // rejected before any id is read (ASan would catch an out-of-bounds read).
        d = good;
        d.offsets[2] = 1000;
        TFT_CHECK(tft::has_error(run(d), TF_ERR_INVALID_ARGUMENT, "word 2: patterns.offsets decrease"));
        // A negative offset inside the array: a decrease, found before any id is read.
        d = good;
        d.offsets[1] = -3;
        TFT_CHECK(tft::has_error(run(d), TF_ERR_INVALID_ARGUMENT, "word 0: patterns.offsets decrease"));
        d = good;
        d.edge_offsets[1] = 5;
        TFT_CHECK(tft::has_error(run(d), TF_ERR_INVALID_ARGUMENT, "word 1: patterns.edge_offsets decrease"));
        d = good;
        d.n_trigrams[3] = 0;
        TFT_CHECK(tft::has_error(run(d), TF_ERR_INVALID_ARGUMENT, "word 3: patterns.n_trigrams[3] = 0 must be >= 1"));
        d = good;
        d.ids[3] = 8;
        TFT_CHECK(tft::has_error(run(d), TF_ERR_INVALID_ARGUMENT, "word 2: patterns.ids[3] = 8 is out of [0, 8)"));
        d.ids[2] = -5;  // now word 1 is the first bad one
        TFT_CHECK(tft::has_error(run(d), TF_ERR_INVALID_ARGUMENT, "word 1: patterns.ids[2] = -5"));
        d = good;
        d.edge_ids[3] = 9;
        TFT_CHECK(tft::has_error(run(d), TF_ERR_INVALID_ARGUMENT, "word 3: patterns.edge_ids[3] = 9"));
        const tf_word_patterns gp = good.view();
        TFT_CHECK(tft::has_error(tf_word_scores(nullptr, logits.data(), 8, &gp, 2, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "ctx is NULL"));
        TFT_CHECK(tft::has_error(tf_word_scores(ctx, nullptr, 8, &gp, 2, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "logits is NULL"));
        TFT_CHECK(tft::has_error(tf_word_scores(ctx, logits.data(), 8, nullptr, 2, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "patterns is NULL"));
        TFT_CHECK(tft::has_error(tf_word_scores(ctx, logits.data(), 8, &gp, 2, 1.0f, nullptr), TF_ERR_INVALID_ARGUMENT,
                            "scores is NULL"));
        TFT_CHECK(tft::has_error(tf_word_scores(ctx, logits.data(), 0, &gp, 2, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "vocab = 0"));
        TFT_CHECK(tft::has_error(tf_word_scores(ctx, logits.data(), 8, &gp, 0, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "population = 0"));
        tf_word_patterns bp = gp;
        bp.n_words = -1;
        TFT_CHECK(tft::has_error(tf_word_scores(ctx, logits.data(), 8, &bp, 2, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "n_words = -1"));
        bp = gp;
        bp.n_words = std::numeric_limits<int64_t>::max();
        TFT_CHECK(tft::has_error(tf_word_scores(ctx, logits.data(), 8, &bp, 2, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "n_words is too large"));
        bp = gp;
        bp.offsets = nullptr;
        TFT_CHECK(tft::has_error(tf_word_scores(ctx, logits.data(), 8, &bp, 2, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "patterns.offsets is NULL"));
        bp = gp;
        bp.ids = nullptr;
        TFT_CHECK(tft::has_error(tf_word_scores(ctx, logits.data(), 8, &bp, 2, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "patterns.ids is NULL"));
        bp = gp;
        bp.n_trigrams = nullptr;
        TFT_CHECK(tft::has_error(tf_word_scores(ctx, logits.data(), 8, &bp, 2, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "patterns.n_trigrams is NULL"));
        // An empty dictionary is fine.
        Dict empty;
        const tf_word_patterns ep = empty.view();
        TFT_CHECK_OK(tf_word_scores(ctx, logits.data(), 8, &ep, 2, 1.0f, nullptr));
    }
    // A large dictionary with two bad words far apart: the first one is named at any
    // thread count.
    Dict big = random_dict(100000, 1000, 6, 2, 5);
    big.ids[size_t(big.offsets[70000])] = 1000;
    big.ids[size_t(big.offsets[31234])] = -1;
    const std::vector<float> big_logits = tft::random_floats(1000, 9);
    std::vector<float> out(100000);
    const tf_word_patterns bpat = big.view();
    for (const Ctx& c : ctxs) {
        TFT_CHECK(tft::has_error(tf_word_scores(c.ctx, big_logits.data(), 1000, &bpat, 4, 1.0f, out.data()),
                            TF_ERR_INVALID_ARGUMENT, "word 31234:"));
    }
}

void test_sigmoid(const std::vector<Ctx>& ctxs) {
    const float inf = std::numeric_limits<float>::infinity();
    const std::vector<float> x = {-100.f, 100.f, -1e30f, 1e30f, 0.f, -0.f, 88.8f, -88.8f, 104.f, -104.f, 200.f, inf,
                                  -inf,   20.f,  -20.f,  1.f,   -1.f};
    for (const Ctx& c : ctxs) {
        std::vector<float> y(x.size(), NAN);
        TFT_CHECK_OK(tf_sigmoid(c.ctx, x.data(), int64_t(x.size()), y.data()));
        for (size_t i = 0; i < x.size(); ++i) {
            if (!(y[i] >= 0.0f && y[i] <= 1.0f)) {
                std::fprintf(stderr, "  sigmoid %s (%g) = %g\n", tft::simd_name(c.simd), double(x[i]), double(y[i]));
                ++tft::g_failures;
            }
            const double want = 1.0 / (1.0 + std::exp(-double(x[i])));
            TFT_CHECK(std::fabs(double(y[i]) - want) <= 4e-7 * want + 1e-44);
        }
        TFT_CHECK(y[1] == 1.0f && y[3] == 1.0f && y[11] == 1.0f);
        TFT_CHECK(y[0] > 0.0f && y[0] < 1e-40f);  // 3.7e-44, a subnormal
        TFT_CHECK(y[2] == 0.0f && y[12] == 0.0f);
        TFT_CHECK(y[4] == 0.5f && y[5] == 0.5f);
        // NaN in, NaN out.
        float nan_in = NAN, nan_out = 0;
        TFT_CHECK_OK(tf_sigmoid(c.ctx, &nan_in, 1, &nan_out));
        TFT_CHECK(std::isnan(nan_out));
        // Random values, in place, odd length: relative error of a few ulps.
        for (int64_t n : {1, 7, 8, 9, 100003}) {
            std::vector<float> v = tft::random_floats(size_t(n), uint32_t(n), -80.f, 80.f);
            const std::vector<float> orig = v;
            TFT_CHECK_OK(tf_sigmoid(c.ctx, v.data(), n, v.data()));
            for (int64_t i = 0; i < n; ++i) {
                const double want = 1.0 / (1.0 + std::exp(-double(orig[size_t(i)])));
                if (!(std::fabs(double(v[size_t(i)]) - want) <= 4e-7 * want)) {
                    std::fprintf(stderr, "  sigmoid %s (%.9g) = %.9g, want %.9g\n", tft::simd_name(c.simd),
                                 double(orig[size_t(i)]), double(v[size_t(i)]), want);
                    ++tft::g_failures;
                    break;
                }
            }
        }
    }
    TFT_CHECK(tft::has_error(tf_sigmoid(ctxs[0].ctx, nullptr, 3, nullptr), TF_ERR_INVALID_ARGUMENT, "x is NULL"));
    TFT_CHECK(tft::has_error(tf_sigmoid(ctxs[0].ctx, x.data(), -3, nullptr), TF_ERR_INVALID_ARGUMENT, "count = -3"));
    TFT_CHECK_OK(tf_sigmoid(ctxs[0].ctx, nullptr, 0, nullptr));
}

void test_softmax(const std::vector<Ctx>& ctxs) {
    for (int64_t n : {1, 7, 8, 100, 8193, 100000, 600001}) {
        const std::vector<float> x = tft::random_floats(size_t(n), uint32_t(n) + 5, -20.f, 25.f);
        // Reference: the shift x − max in f32 (as torch does; its rounding is part of the
        // result), everything after it in double.
        float mx = -INFINITY;
        double z = 0;
        for (float v : x) mx = std::max(mx, v);
        for (float v : x) z += std::exp(double(v - mx));
        std::vector<float> want(x.size());
        for (size_t i = 0; i < x.size(); ++i) want[i] = float(std::exp(double(x[i] - mx)) / z);
        std::vector<float> first;
        int32_t first_simd = -1;
        for (const Ctx& c : ctxs) {
            std::vector<float> y(x.size(), NAN);
            TFT_CHECK_OK(tf_softmax(c.ctx, x.data(), n, y.data()));
            double sum = 0;
            for (size_t i = 0; i < y.size(); ++i) sum += y[i];
            for (size_t i = 0; i < y.size(); ++i) {
                if (!(std::fabs(double(y[i]) - double(want[i])) <= 1e-6 * double(want[i]) + 1e-37)) {
                    std::fprintf(stderr, "  softmax %s n=%lld: y[%zu] = %.9g want %.9g\n", tft::simd_name(c.simd),
                                 (long long)n, i, double(y[i]), double(want[i]));
                    ++tft::g_failures;
                    break;
                }
            }
            if (!(std::fabs(sum - 1.0) < 1e-5)) { std::fprintf(stderr, "  softmax %s n=%lld: sum %.9g\n", tft::simd_name(c.simd), (long long)n, sum); ++tft::g_failures; }
            if (c.simd != first_simd) {
                first_simd = c.simd;
                first = y;
            } else {
                TFT_CHECK(std::memcmp(first.data(), y.data(), y.size() * sizeof(float)) == 0);
            }
            // In place gives the same result.
            std::vector<float> inplace = x;
            TFT_CHECK_OK(tf_softmax(c.ctx, inplace.data(), n, inplace.data()));
            TFT_CHECK(std::memcmp(inplace.data(), y.data(), y.size() * sizeof(float)) == 0);
        }
    }
    // Stability: huge logits neither overflow nor produce NaN.
    for (const Ctx& c : ctxs) {
        const float x[4] = {1000.f, 1000.f, -1000.f, -3e38f};
        float y[4];
        TFT_CHECK_OK(tf_softmax(c.ctx, x, 4, y));
        TFT_CHECK(y[0] == 0.5f && y[1] == 0.5f && y[2] == 0.0f && y[3] == 0.0f);
    }
    TFT_CHECK(tft::has_error(tf_softmax(ctxs[0].ctx, nullptr, 3, nullptr), TF_ERR_INVALID_ARGUMENT, "x is NULL"));
    float one = 2.0f;
    TFT_CHECK(tft::has_error(tf_softmax(ctxs[0].ctx, &one, 1, nullptr), TF_ERR_INVALID_ARGUMENT, "out is NULL"));
    TFT_CHECK(tft::has_error(tf_softmax(nullptr, &one, 1, &one), TF_ERR_INVALID_ARGUMENT, "ctx is NULL"));
    TFT_CHECK_OK(tf_softmax(ctxs[0].ctx, &one, 1, &one));
    TFT_CHECK(one == 1.0f);
}

}  // namespace

int main() {
    std::vector<Ctx> ctxs = tft::contexts_at_every_level();
    TFT_CHECK(!ctxs.empty());
    test_hand_example(ctxs);
    test_sigmoid(ctxs);
    test_softmax(ctxs);
    test_random_dicts(ctxs);
    test_sums_bit_exact(ctxs);
    test_malformed(ctxs);
    for (const Ctx& c : ctxs) tf_context_free(c.ctx);
    return tft::finish("test_scores");
}
