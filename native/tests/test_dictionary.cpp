// tf_dictionary (the packed CPU layout of native/src/dictionary_cpu.cpp): every score must
// have exactly the bits tf_word_scores gives on the same context — random dictionaries of odd
// sizes (not a multiple of the 16-word blocks), empty I or E sets, long words, repeated ids,
// vocabularies on both sides of 65536 (uint16 and int32 ids), 1 and 3 threads, every SIMD
// level this CPU has, 1, 5, 8 and 17 rows per call (several rows take the interleaved rows
// kernel: one batch of 5, one full batch of 8, two full and a partial one). Also: create rejects malformed patterns with
// tf_word_scores' messages, argument checks, and the layout's size.
#include <cstring>
#include <limits>

#include "test_patterns.h"
#include "test_util.h"

namespace {

using Ctx = tft::LevelContext;

using tft::Dict;

// Random words: mostly short (many share a (|I|, |E|) group), some long (up to max_ids), a
// third with no edge ids, some with no non-edge ids, some with one id repeated; ids biased to
// the top of the vocabulary so that ids near 65535 / above 65536 occur.
Dict random_dict(int64_t n_words, int32_t V, int max_ids, uint32_t seed) {
    std::mt19937 rng(seed);
    Dict d;
    std::vector<int32_t> i, e;
    auto id = [&]() { return rng() % 4 == 0 ? V - 1 - int32_t(rng() % uint32_t(std::min(V, 64))) : int32_t(rng() % uint32_t(V)); };
    for (int64_t w = 0; w < n_words; ++w) {
        const uint32_t kind = rng() % 10;
        i.resize(kind == 0 ? 0 : kind < 8 ? rng() % 12 : rng() % uint32_t(max_ids + 1));
        e.resize(rng() % 3 == 0 ? 0 : rng() % 21);
        for (auto& v : i) v = id();
        for (auto& v : e) v = id();
        if (kind == 9 && !i.empty()) {
            for (auto& v : i) v = i[0];  // one id many times
        }
        d.add(i, e, int32_t(1 + rng() % 12));
    }
    return d;
}

bool same_bits(const char* what, const Ctx& c, const float* got, const float* want, size_t n) {
    if (std::memcmp(got, want, n * sizeof(float)) == 0) return true;
    size_t k = 0;
    while (std::memcmp(&got[k], &want[k], sizeof(float)) == 0) ++k;
    std::fprintf(stderr, "  %s %s x%d: score %zu of %zu got %.9g want %.9g\n", what, tft::simd_name(c.simd), c.threads,
                 k, n, double(got[k]), double(want[k]));
    ++tft::g_failures;
    return false;
}

// tf_dictionary_scores vs tf_word_scores row by row, same context, bit for bit.
void check_against_word_scores(const std::vector<Ctx>& ctxs, const Dict& d, int32_t V, int32_t P, float lambda,
                               int64_t n_rows, uint32_t seed) {
    const tf_word_patterns p = d.view();
    const size_t nw = size_t(d.size());
    // Rows with a wide logit range (some a ≈ 0, some ≈ 1), one row with exact zeros.
    std::vector<float> logits = tft::random_floats(size_t(n_rows * V), seed, -14.f, 8.f);
    if (n_rows > 1) std::fill(logits.begin() + V, logits.begin() + 2 * V, 0.0f);
    for (const Ctx& c : ctxs) {
        tf_dictionary* dict = nullptr;
        TFT_CHECK_OK(tf_dictionary_create(c.ctx, &p, V, P, &dict));
        if (!dict) continue;
        TFT_CHECK(tf_dictionary_words(dict) == d.size());
        std::vector<float> want(size_t(n_rows) * nw, NAN), got(size_t(n_rows) * nw + 1, NAN);
        for (int64_t r = 0; r < n_rows; ++r) {
            TFT_CHECK_OK(tf_word_scores(c.ctx, logits.data() + r * V, V, &p, P, lambda, want.data() + size_t(r) * nw));
        }
        got.back() = 12345.0f;  // a guard after the last score: never written
        TFT_CHECK_OK(tf_dictionary_scores(dict, logits.data(), n_rows, lambda, got.data()));
        same_bits("dictionary scores", c, got.data(), want.data(), want.size());
        TFT_CHECK(got.back() == 12345.0f);
        // Row by row gives the same bits as all rows in one call.
        if (n_rows > 1) {
            std::vector<float> one(nw);
            TFT_CHECK_OK(tf_dictionary_scores(dict, logits.data() + (n_rows - 1) * V, 1, lambda, one.data()));
            same_bits("last row alone", c, one.data(), want.data() + size_t(n_rows - 1) * nw, nw);
        }
        // The edge weight belongs to the call: the same dictionary scores another weight exactly.
        const float lambda2 = lambda * 0.5f + 0.25f;
        for (int64_t r = 0; r < n_rows; ++r) {
            TFT_CHECK_OK(tf_word_scores(c.ctx, logits.data() + r * V, V, &p, P, lambda2, want.data() + size_t(r) * nw));
        }
        TFT_CHECK_OK(tf_dictionary_scores(dict, logits.data(), n_rows, lambda2, got.data()));
        same_bits("dictionary scores, second edge weight", c, got.data(), want.data(), want.size());
        tf_dictionary_free(dict);
    }
}

void test_random(const std::vector<Ctx>& ctxs) {
    struct Case {
        int64_t n_words;
        int32_t V, P, max_ids;
    };
    const Case cases[] = {{1, 5, 1, 3},         {15, 100, 4, 30},      {17, 1000, 3, 60},
                          {333, 65535, 10, 90}, {1001, 65536, 10, 40}, {2051, 65537, 10, 40},
                          {5003, 100000, 4, 200}, {40009, 32000, 10, 60}};
    uint32_t seed = 100;
    for (const Case& cs : cases) {
        const Dict d = random_dict(cs.n_words, cs.V, cs.max_ids, ++seed);
        for (float lambda : {1.0f, 0.8f}) {
            for (int64_t rows : {1, 5, 8, 17}) {
                check_against_word_scores(ctxs, d, cs.V, cs.P, lambda, rows, seed * 7 + uint32_t(rows));
            }
        }
    }
    // Every word in one group, and a word with no ids at all (s = 0).
    Dict same;
    for (int w = 0; w < 37; ++w) same.add({w % 7, 3, w % 5}, {1, w % 9}, 1 + w % 4);
    same.add({}, {}, 2);
    check_against_word_scores(ctxs, same, 9, 2, 0.8f, 5, 3);
}

// The hand example of test_scores.cpp (V = 8, P = 2, λ = 0.8), against hand-computed values:
// an independent check that the packed layout puts each score at its own word.
void test_hand_example(const std::vector<Ctx>& ctxs) {
    const float l3 = std::log(3.0f);
    const std::vector<float> logits = {0, l3, -l3, 0, l3, -l3, 0, 0};
    Dict d;
    d.add({0, 1}, {}, 1);
    d.add({2}, {3, 4}, 2);
    d.add({1, 4, 6}, {1}, 3);
    const tf_word_patterns p = d.view();
    const float want[3] = {0.625f - 2.75f / 6.0f, -0.375f, 2.6f / 6.0f - 0.7f};
    for (const Ctx& c : ctxs) {
        tf_dictionary* dict = nullptr;
        TFT_CHECK_OK(tf_dictionary_create(c.ctx, &p, 8, 2, &dict));
        float got[3];
        TFT_CHECK_OK(tf_dictionary_scores(dict, logits.data(), 1, 0.8f, got));
        tft::close("hand example", got, want, 3, 2e-6);
        TFT_CHECK(tf_dictionary_bytes(dict) > 0);
        tf_dictionary_free(dict);
    }
}

void test_malformed(const std::vector<Ctx>& ctxs) {
    Dict good;
    good.add({0, 1}, {2}, 1);
    good.add({3}, {4, 5}, 2);
    good.add({6, 7}, {}, 1);
    good.add({1}, {1}, 1);
    for (const Ctx& c : ctxs) {
        tf_dictionary* dict = reinterpret_cast<tf_dictionary*>(&good);  // must be reset to NULL on failure
        auto create = [&](const Dict& d) {
            const tf_word_patterns p = d.view();
            dict = reinterpret_cast<tf_dictionary*>(&good);
            const tf_status s = tf_dictionary_create(c.ctx, &p, 8, 2, &dict);
            if (s != TF_OK) TFT_CHECK(dict == nullptr);
            return s;
        };
        TFT_CHECK_OK(create(good));
        tf_dictionary_free(dict);
        Dict d = good;
        d.offsets[0] = 1;
        TFT_CHECK(tft::has_error(create(d), TF_ERR_INVALID_ARGUMENT, "tf_dictionary_create: patterns.offsets[0] = 1 must be 0"));
        d = good;
        d.edge_offsets[0] = -1;
        TFT_CHECK(tft::has_error(create(d), TF_ERR_INVALID_ARGUMENT, "patterns.edge_offsets[0] = -1 must be 0"));
        d = good;
        d.offsets[2] = 1000;  // far beyond the ids, then back: found before any id is read
        TFT_CHECK(tft::has_error(create(d), TF_ERR_INVALID_ARGUMENT, "tf_dictionary_create: word 2: patterns.offsets decrease"));
        d = good;
        d.edge_offsets[1] = 5;
        TFT_CHECK(tft::has_error(create(d), TF_ERR_INVALID_ARGUMENT, "word 1: patterns.edge_offsets decrease"));
        d = good;
        d.n_trigrams[3] = 0;
        TFT_CHECK(tft::has_error(create(d), TF_ERR_INVALID_ARGUMENT, "word 3: patterns.n_trigrams[3] = 0 must be >= 1"));
        d = good;
        d.ids[3] = 8;
        TFT_CHECK(tft::has_error(create(d), TF_ERR_INVALID_ARGUMENT, "word 2: patterns.ids[3] = 8 is out of [0, 8)"));
        d.ids[2] = -5;
        TFT_CHECK(tft::has_error(create(d), TF_ERR_INVALID_ARGUMENT, "word 1: patterns.ids[2] = -5"));
        d = good;
        d.edge_ids[3] = 9;
        TFT_CHECK(tft::has_error(create(d), TF_ERR_INVALID_ARGUMENT, "word 3: patterns.edge_ids[3] = 9"));
        const tf_word_patterns gp = good.view();
        tf_dictionary* out = nullptr;
        TFT_CHECK(tft::has_error(tf_dictionary_create(nullptr, &gp, 8, 2, &out), TF_ERR_INVALID_ARGUMENT, "ctx is NULL"));
        TFT_CHECK(tft::has_error(tf_dictionary_create(c.ctx, nullptr, 8, 2, &out), TF_ERR_INVALID_ARGUMENT,
                            "patterns is NULL"));
        TFT_CHECK(tft::has_error(tf_dictionary_create(c.ctx, &gp, 8, 2, nullptr), TF_ERR_INVALID_ARGUMENT, "out is NULL"));
        TFT_CHECK(tft::has_error(tf_dictionary_create(c.ctx, &gp, 0, 2, &out), TF_ERR_INVALID_ARGUMENT, "vocab = 0"));
        TFT_CHECK(tft::has_error(tf_dictionary_create(c.ctx, &gp, 8, 0, &out), TF_ERR_INVALID_ARGUMENT,
                            "population = 0"));
        tf_word_patterns bp = gp;
        bp.n_words = -1;
        TFT_CHECK(tft::has_error(tf_dictionary_create(c.ctx, &bp, 8, 2, &out), TF_ERR_INVALID_ARGUMENT, "n_words = -1"));
        bp = gp;
        bp.n_words = std::numeric_limits<int64_t>::max();
        TFT_CHECK(tft::has_error(tf_dictionary_create(c.ctx, &bp, 8, 2, &out), TF_ERR_INVALID_ARGUMENT,
                            "n_words is too large"));
        bp = gp;
        bp.ids = nullptr;
        TFT_CHECK(tft::has_error(tf_dictionary_create(c.ctx, &bp, 8, 2, &out), TF_ERR_INVALID_ARGUMENT,
                            "patterns.ids is NULL"));
        bp = gp;
        bp.edge_offsets = nullptr;
        TFT_CHECK(tft::has_error(tf_dictionary_create(c.ctx, &bp, 8, 2, &out), TF_ERR_INVALID_ARGUMENT,
                            "patterns.edge_offsets is NULL"));
        bp = gp;
        bp.n_trigrams = nullptr;
        TFT_CHECK(tft::has_error(tf_dictionary_create(c.ctx, &bp, 8, 2, &out), TF_ERR_INVALID_ARGUMENT,
                            "patterns.n_trigrams is NULL"));
        // Scoring arguments.
        TFT_CHECK_OK(tf_dictionary_create(c.ctx, &gp, 8, 2, &out));
        const std::vector<float> logits = tft::random_floats(16, 3);
        float scores[8];
        TFT_CHECK(tft::has_error(tf_dictionary_scores(nullptr, logits.data(), 1, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "tf_dictionary_scores: dict is NULL"));
        TFT_CHECK(tft::has_error(tf_dictionary_scores(out, nullptr, 1, 1.0f, scores), TF_ERR_INVALID_ARGUMENT, "logits is NULL"));
        TFT_CHECK(tft::has_error(tf_dictionary_scores(out, logits.data(), 1, 1.0f, nullptr), TF_ERR_INVALID_ARGUMENT,
                            "scores is NULL"));
        TFT_CHECK(tft::has_error(tf_dictionary_scores(out, logits.data(), -2, 1.0f, scores), TF_ERR_INVALID_ARGUMENT,
                            "n_rows = -2 is negative"));
        TFT_CHECK(tft::has_error(tf_dictionary_scores(out, logits.data(), std::numeric_limits<int64_t>::max() / 4, 1.0f, scores),
                            TF_ERR_INVALID_ARGUMENT, "is too large"));
        TFT_CHECK_OK(tf_dictionary_scores(out, nullptr, 0, 1.0f, nullptr));  // no rows: nothing to do
        TFT_CHECK_OK(tf_dictionary_scores(out, logits.data(), 2, 1.0f, scores));
        TFT_CHECK(tf_dictionary_words(out) == 4 && tf_dictionary_words(nullptr) == 0);
        TFT_CHECK(tf_dictionary_bytes(nullptr) == 0);
        tf_dictionary_free(out);
        tf_dictionary_free(nullptr);
        // An empty dictionary: scores may be NULL.
        Dict empty;
        const tf_word_patterns ep = empty.view();
        TFT_CHECK_OK(tf_dictionary_create(c.ctx, &ep, 8, 2, &out));
        TFT_CHECK(tf_dictionary_words(out) == 0);
        TFT_CHECK_OK(tf_dictionary_scores(out, logits.data(), 2, 1.0f, nullptr));
        tf_dictionary_free(out);
    }
    // Two bad words far apart in a large dictionary: the first is named at any thread count.
    Dict big = random_dict(100000, 1000, 6, 5);
    for (int64_t w : {int64_t(70000), int64_t(31234)}) {
        while (big.offsets[size_t(w)] == big.offsets[size_t(w + 1)]) ++w;  // a word with a non-edge id
        big.ids[size_t(big.offsets[size_t(w)])] = w == 70000 ? 1000 : -1;
    }
    const tf_word_patterns bpat = big.view();
    for (const Ctx& c : ctxs) {
        tf_dictionary* out = nullptr;
        TFT_CHECK(tft::has_error(tf_dictionary_create(c.ctx, &bpat, 1000, 4, &out), TF_ERR_INVALID_ARGUMENT,
                            "tf_dictionary_create: word 3123"));
    }
}

}  // namespace

int main() {
    std::vector<Ctx> ctxs = tft::contexts_at_every_level();
    TFT_CHECK(!ctxs.empty());
    test_hand_example(ctxs);
    test_random(ctxs);
    test_malformed(ctxs);
    for (const Ctx& c : ctxs) tf_context_free(c.ctx);
    return tft::finish("test_dictionary");
}
