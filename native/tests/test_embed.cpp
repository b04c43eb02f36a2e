// tf_embed_sum (docs/spec/tfree.md §4): a hand-computed case (repeated ids count twice, a word without
// rows stays zero), random cases vs a reference loop for every dtype × level × threads
// (bit-identical for f32/bf16/f16, whose sums are adds in the reference order), bad arguments.
#include <algorithm>
#include <cstring>

#include "dtype.h"
#include "test_util.h"

namespace {

struct Table {
    int32_t dtype;
    int64_t rows, cols;
    std::vector<uint8_t> bytes;
    std::vector<float> scales;
    std::vector<float> value;  // exact f32 value of every element (I8: q * scale, f32-rounded)

    tf_matrix mat() const {
        return tf_matrix{bytes.data(), dtype == TF_DTYPE_I8 ? scales.data() : nullptr, rows, cols, dtype};
    }
};

// Table from f32 values (already representable in dtype for the hand case).
Table make_table(int32_t dtype, int64_t rows, int64_t cols, const std::vector<float>& f,
                 const std::vector<int8_t>& q = {}, const std::vector<float>& scales = {}) {
    Table t{dtype, rows, cols, {}, scales, {}};
    const size_t n = size_t(rows * cols);
    t.bytes.resize(n * size_t(tf::dtype_size(dtype)) + 1);
    t.value.resize(n);
    for (size_t i = 0; i < n; ++i) {
        switch (dtype) {
            case TF_DTYPE_F32:
                std::memcpy(t.bytes.data() + 4 * i, &f[i], 4);
                t.value[i] = f[i];
                break;
            case TF_DTYPE_BF16: {
                const uint16_t h = tf::f32_to_bf16(f[i]);
                std::memcpy(t.bytes.data() + 2 * i, &h, 2);
                t.value[i] = tf::bf16_to_f32(h);
                break;
            }
            case TF_DTYPE_F16: {
                const uint16_t h = tf::f32_to_f16(f[i]);
                std::memcpy(t.bytes.data() + 2 * i, &h, 2);
                t.value[i] = tf::f16_to_f32(h);
                break;
            }
            default:
                t.bytes[i] = uint8_t(q[i]);
                t.value[i] = float(q[i]) * scales[i / size_t(cols)];
                break;
        }
    }
    return t;
}

Table random_table(int32_t dtype, int64_t rows, int64_t cols, uint32_t seed) {
    std::vector<float> f = tft::random_floats(size_t(rows * cols), seed, -2.f, 2.f);
    std::vector<int8_t> q;
    std::vector<float> scales;
    if (dtype == TF_DTYPE_I8) {
        std::mt19937 rng(seed);
        std::uniform_int_distribution<int> d(-127, 127);
        for (size_t i = 0; i < f.size(); ++i) q.push_back(int8_t(d(rng)));
        scales = tft::random_floats(size_t(rows), seed + 3, 0.001f, 0.05f);
    }
    return make_table(dtype, rows, cols, f, q, scales);
}

// The reference: per row g = Σ_j table[ids[r][j]] in f32, then out[row_word[r]] += g, in order.
std::vector<float> reference(const Table& t, const std::vector<int32_t>& ids, int32_t P,
                             const std::vector<int32_t>& row_word, int64_t n_words) {
    const int64_t H = t.cols;
    std::vector<float> out(size_t(n_words * H), 0.0f);
    std::vector<float> g(static_cast<size_t>(H));
    for (size_t r = 0; r < row_word.size(); ++r) {
        for (int64_t c = 0; c < H; ++c) {
            float s = t.value[size_t(ids[r * size_t(P)] * H + c)];
            for (int32_t j = 1; j < P; ++j) s += t.value[size_t(ids[r * size_t(P) + size_t(j)] * H + c)];
            g[size_t(c)] = s;
        }
        for (int64_t c = 0; c < H; ++c) out[size_t(row_word[r] * H + c)] += g[size_t(c)];
    }
    return out;
}

using Ctx = tft::LevelContext;

void test_hand_case(const std::vector<Ctx>& ctxs) {
    // V = 4, H = 3, P = 2. Table rows t0..t3 (small integers: exact in every dtype; the I8
    // table stores 2 · value with scale 0.5).
    const std::vector<float> f = {1, 2, 3,  //
                                  10, 20, 30,  //
                                  -1, 0, 5,  //
                                  4, -4, 8};
    std::vector<int8_t> q;
    for (float v : f) q.push_back(int8_t(2 * v));
    const std::vector<float> half(4, 0.5f);
    // Word 0 has rows [0, 1] and [1, 1] (id 1 three times), word 1 has [3, 2], word 2 none.
    const std::vector<int32_t> ids = {0, 1, 3, 2, 1, 1};
    const std::vector<int32_t> row_word = {0, 1, 0};
    // By hand: word 0 = t0 + t1 + 2·t1 = (1+30, 2+60, 3+90); word 1 = t3 + t2 = (3, -4, 13).
    const float want[9] = {31, 62, 93, 3, -4, 13, 0, 0, 0};
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16, TF_DTYPE_I8}) {
        const Table t = make_table(dtype, 4, 3, f, q, half);
        const tf_matrix mat = t.mat();
        for (const Ctx& c : ctxs) {
            std::vector<float> out(9, NAN);
            TFT_CHECK_OK(tf_embed_sum(c.ctx, &mat, ids.data(), 3, 2, row_word.data(), 3, out.data()));
            for (int k = 0; k < 9; ++k) {
                if (out[size_t(k)] != want[k]) {
                    std::fprintf(stderr, "  hand case %s %s x%d: out[%d] = %g, want %g\n", tf::dtype_name(dtype),
                                 tft::simd_name(c.simd), c.threads, k, double(out[size_t(k)]), double(want[k]));
                    ++tft::g_failures;
                }
            }
        }
    }
}

void test_random(const std::vector<Ctx>& ctxs) {
    struct Shape {
        int64_t V, H, n_words;
        int32_t P;
    };
    const Shape shapes[] = {{7, 1, 1, 1}, {50, 13, 4, 3}, {300, 64, 9, 4}, {1000, 333, 17, 10}, {97, 700, 3, 2}, {5000, 1100, 40, 10}};
    uint32_t seed = 1;
    int cases = 0;
    for (const Shape& s : shapes) {
        for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16, TF_DTYPE_I8}) {
            ++seed;
            const Table t = random_table(dtype, s.V, s.H, seed);
            std::mt19937 rng(seed);
            // Rows in a shuffled word order, 0..5 rows per word (some words get none).
            std::vector<int32_t> row_word;
            for (int64_t w = 0; w < s.n_words; ++w) {
                const int k = int(rng() % 6);
                for (int i = 0; i < k; ++i) row_word.push_back(int32_t(w));
            }
            std::shuffle(row_word.begin(), row_word.end(), rng);
            std::vector<int32_t> ids(row_word.size() * size_t(s.P));
            for (auto& id : ids) id = int32_t(rng() % uint32_t(s.V));
            const std::vector<float> want = reference(t, ids, s.P, row_word, s.n_words);
            const tf_matrix mat = t.mat();
            for (const Ctx& c : ctxs) {
                std::vector<float> out(size_t(s.n_words * s.H), NAN);
                TFT_CHECK_OK(tf_embed_sum(c.ctx, &mat, ids.data(), int64_t(row_word.size()), s.P, row_word.data(),
                                          s.n_words, out.data()));
                ++cases;
                if (dtype == TF_DTYPE_I8) {
                    // The SIMD paths may fuse q·scale into the add (one rounding less).
                    tft::close("embed i8", out.data(), want.data(), want.size(), 1e-5);
                } else if (std::memcmp(out.data(), want.data(), want.size() * sizeof(float)) != 0) {
                    std::fprintf(stderr, "  embed %s %s x%d V=%lld H=%lld: not bit-identical to the reference\n",
                                 tf::dtype_name(dtype), tft::simd_name(c.simd), c.threads, (long long)s.V,
                                 (long long)s.H);
                    tft::close("embed", out.data(), want.data(), want.size(), 0.0);
                    ++tft::g_failures;
                }
            }
        }
    }
    std::printf("  random: %d embeddings checked\n", cases);
}

void test_bad_arguments(tf_context* ctx) {
    const Table t = random_table(TF_DTYPE_F32, 10, 4, 3);
    const tf_matrix mat = t.mat();
    std::vector<int32_t> ids = {1, 2, 3, 4};
    std::vector<int32_t> row_word = {0, 1};
    std::vector<float> out(8);
    auto call = [&](const tf_matrix* m, const int32_t* i, int64_t n_rows, int32_t P, const int32_t* rw, int64_t nw,
                    float* o) { return tf_embed_sum(ctx, m, i, n_rows, P, rw, nw, o); };
    TFT_CHECK_OK(call(&mat, ids.data(), 2, 2, row_word.data(), 2, out.data()));
    TFT_CHECK(tft::has_error(tf_embed_sum(nullptr, &mat, ids.data(), 2, 2, row_word.data(), 2, out.data()),
                        TF_ERR_INVALID_ARGUMENT, "ctx is NULL"));
    TFT_CHECK(tft::has_error(call(nullptr, ids.data(), 2, 2, row_word.data(), 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "table is NULL"));
    TFT_CHECK(tft::has_error(call(&mat, nullptr, 2, 2, row_word.data(), 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "ids is NULL"));
    TFT_CHECK(tft::has_error(call(&mat, ids.data(), 2, 2, nullptr, 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "row_word is NULL"));
    TFT_CHECK(tft::has_error(call(&mat, ids.data(), 2, 2, row_word.data(), 2, nullptr), TF_ERR_INVALID_ARGUMENT,
                        "out is NULL"));
    TFT_CHECK(tft::has_error(call(&mat, ids.data(), -1, 2, row_word.data(), 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "n_rows = -1"));
    TFT_CHECK(tft::has_error(call(&mat, ids.data(), 2, 0, row_word.data(), 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "population = 0"));
    TFT_CHECK(tft::has_error(call(&mat, ids.data(), 2, 2, row_word.data(), -2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "n_words = -2"));
    TFT_CHECK(tft::has_error(call(&mat, ids.data(), int64_t(1) << 62, 4, row_word.data(), 2, out.data()),
                        TF_ERR_INVALID_ARGUMENT, "overflows"));
    ids[3] = 10;  // == V
    TFT_CHECK(tft::has_error(call(&mat, ids.data(), 2, 2, row_word.data(), 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "ids[3] = 10 (row 1) is out of [0, 10)"));
    ids[3] = 4;
    ids[0] = -1;
    TFT_CHECK(tft::has_error(call(&mat, ids.data(), 2, 2, row_word.data(), 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "ids[0] = -1"));
    ids[0] = 1;
    row_word[1] = 2;
    TFT_CHECK(tft::has_error(call(&mat, ids.data(), 2, 2, row_word.data(), 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "row_word[1] = 2 is out of [0, 2)"));
    row_word[1] = -1;
    TFT_CHECK(tft::has_error(call(&mat, ids.data(), 2, 2, row_word.data(), 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "row_word[1] = -1"));
    row_word[1] = 1;
    tf_matrix bad = mat;
    bad.dtype = TF_DTYPE_I8;
    TFT_CHECK(tft::has_error(call(&bad, ids.data(), 2, 2, row_word.data(), 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "table.scales is NULL"));
    bad = mat;
    bad.dtype = -3;
    TFT_CHECK(tft::has_error(call(&bad, ids.data(), 2, 2, row_word.data(), 2, out.data()), TF_ERR_INVALID_ARGUMENT,
                        "table.dtype -3"));
    // No rows: every word is zero; no rows and no words: nothing to do.
    out.assign(8, 7.0f);
    TFT_CHECK_OK(call(&mat, nullptr, 0, 2, nullptr, 2, out.data()));
    TFT_CHECK(out[0] == 0.0f && out[7] == 0.0f);
    TFT_CHECK_OK(call(&mat, nullptr, 0, 2, nullptr, 0, nullptr));
}

}  // namespace

int main() {
    std::vector<Ctx> ctxs = tft::contexts_at_every_level();
    TFT_CHECK(!ctxs.empty());
    test_hand_case(ctxs);
    test_random(ctxs);
    test_bad_arguments(ctxs[0].ctx);
    for (const Ctx& c : ctxs) tf_context_free(c.ctx);
    return tft::finish("test_embed");
}
