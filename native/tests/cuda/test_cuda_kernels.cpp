// Every kernel of tfree4j.h on a CUDA context against the same call on a scalar CPU context,
// over odd shapes (tails, non-multiples of 16 bytes, one row, many rows) and every dtype.
// Tolerances (why each one):
//   - bit-exact where the GPU does the CPU's float operations in the CPU's order: embedding
//     sums (adds only; the int8 scale product is kept unfused), RoPE (products then sum,
//     unfused), add, quantize_rows (max, one IEEE division, round half away), W8A8 matmul
//     (exact int32 sums, then the same two products);
//   - matmul: |y − y_ref| <= bound · Σ_c |x_c·w_c| with y_ref the double-precision product
//     of the same (widened) values: bound = 2·n·2^-24 for the f32 GEMV (accumulation, also
//     covering tensor cores' truncating f32 accumulation in the GEMM); + 2^-20 for the TF32
//     GEMM (x, and f32 weights, split into two TF32 halves: residual ~2^-22) and + 2^-15 for
//     the bf16 GEMM (x split into two bf16 halves: residual ~2^-17);
//   - expf vs std::exp (sigmoid, SwiGLU, softmax) differ by a few ulp: 1e-6 relative;
//   - RMSNorm: the double sum of squares in another order can move the mean by one float
//     ulp: 2e-6 relative;
//   - attention: scores and the weighted sum in another order (online softmax): 5e-5 of
//     the value scale (values in [-1, 1]);
//   - word scores: sigmoid ulps and A in another summation order: 1e-5 relative.
// Exits 77 (skipped) without a CUDA device.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "cuda_test_util.h"
#include "dtype.h"

namespace {

tf_context* g_cpu = nullptr;
tf_context* g_gpu = nullptr;

// A random weight matrix of the given dtype and its values as the kernels read them.
struct Weight {
    std::vector<float> f32;
    std::vector<uint16_t> half;
    std::vector<int8_t> i8;
    std::vector<float> scales;
    std::vector<double> value;  // [rows, cols] widened (· scale for i8)
    tf_matrix m{};
};

Weight make_weight(int64_t rows, int64_t cols, int32_t dtype, uint32_t seed) {
    Weight w;
    std::vector<float> r = tft::random_floats(size_t(rows * cols), seed);
    w.value.resize(r.size());
    const void* data = nullptr;
    if (dtype == TF_DTYPE_F32) {
        w.f32 = r;
        data = w.f32.data();
    } else if (dtype == TF_DTYPE_BF16 || dtype == TF_DTYPE_F16) {
        for (float v : r) w.half.push_back(dtype == TF_DTYPE_BF16 ? tf::f32_to_bf16(v) : tf::f32_to_f16(v));
        data = w.half.data();
    } else {
        std::vector<float> s = tft::random_floats(size_t(rows), seed + 1, 0.001f, 0.02f);
        w.scales = s;
        for (float v : r) w.i8.push_back(int8_t(std::lround(v * 127.0f)));
        data = w.i8.data();
    }
    for (int64_t i = 0; i < rows * cols; ++i) {
        double v = tf::load_as_f32(data, dtype, i);
        if (dtype == TF_DTYPE_I8) v *= w.scales[size_t(i / cols)];
        w.value[size_t(i)] = v;
    }
    w.m = tf_matrix{data, dtype == TF_DTYPE_I8 ? w.scales.data() : nullptr, rows, cols, dtype};
    return w;
}

void test_matmul() {
    struct Shape {
        int64_t m, rows, cols;
    };
    // GEMV (m <= 8): scalar tails (cols 53, 61) and 16-byte loads (128, 256); GEMM (m > 8):
    // partial 64×64 tiles and K tails.
    const Shape shapes[] = {{1, 37, 53}, {1, 64, 128}, {3, 33, 72}, {8, 40, 256}, {9, 70, 61},
                            {64, 128, 256}, {130, 65, 97}, {2, 1, 1}};
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16, TF_DTYPE_I8}) {
        for (const Shape& s : shapes) {
            Weight w = make_weight(s.rows, s.cols, dtype, uint32_t(7 + s.m + s.rows));
            std::vector<float> x = tft::random_floats(size_t(s.m * s.cols), uint32_t(s.cols));
            std::vector<float> y(size_t(s.m * s.rows)), y_cpu(y.size()), want(y.size());
            std::vector<double> bound(y.size());
            TFT_CHECK_OK(tf_matmul(g_gpu, x.data(), s.m, &w.m, y.data()));
            TFT_CHECK_OK(tf_matmul(g_cpu, x.data(), s.m, &w.m, y_cpu.data()));
            const bool gemm = s.m > 8;
            double rel = double(s.cols) * std::ldexp(1.0, -24) * 2;
            // Split-x MMAs: residual 2^-16 of |x| (bf16 halves) or 2^-21 (TF32 halves, and the
            // omitted lo·lo term of split f32 weights), doubled for safety.
            if (gemm) rel += dtype == TF_DTYPE_BF16 ? std::ldexp(1.0, -15) : std::ldexp(1.0, -20);
            for (int64_t i = 0; i < s.m; ++i)
                for (int64_t r = 0; r < s.rows; ++r) {
                    double acc = 0, mag = 0;
                    for (int64_t c = 0; c < s.cols; ++c) {
                        const double t = double(x[size_t(i * s.cols + c)]) * w.value[size_t(r * s.cols + c)];
                        acc += t;
                        mag += std::fabs(t);
                    }
                    want[size_t(i * s.rows + r)] = float(acc);
                    bound[size_t(i * s.rows + r)] = rel * mag + 1e-7;
                }
            const std::string what = std::string("matmul ") + tf::dtype_name(dtype) + " m=" + std::to_string(s.m) +
                                     " rows=" + std::to_string(s.rows) + " cols=" + std::to_string(s.cols);
            tfc_test::within((what + " vs double").c_str(), y.data(), want.data(), bound.data(), y.size());
            // The CPU result carries its own f32 rounding (n·2^-24 of the magnitude): add it.
            for (size_t k = 0; k < bound.size(); ++k) bound[k] *= 2;
            tfc_test::within((what + " vs CPU").c_str(), y.data(), y_cpu.data(), bound.data(), y.size());
        }
    }
}

void test_quantize_and_a8() {
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16}) {
        for (int64_t cols : {1, 37, 128}) {
            const int64_t rows = 9;
            Weight src = make_weight(rows, cols, dtype, uint32_t(cols + dtype));
            if (dtype == TF_DTYPE_F32) std::fill(src.f32.begin(), src.f32.begin() + cols, 0.0f);  // an all-zero row
            std::vector<int8_t> q(size_t(rows * cols)), q_cpu(q.size());
            std::vector<float> s(static_cast<size_t>(rows)), s_cpu(s.size());
            TFT_CHECK_OK(tf_quantize_rows(g_gpu, &src.m, q.data(), s.data()));
            TFT_CHECK_OK(tf_quantize_rows(g_cpu, &src.m, q_cpu.data(), s_cpu.data()));
            tfc_test::bit_equal("quantize q", q.data(), q_cpu.data(), q.size());
            tfc_test::bit_equal("quantize scales", s.data(), s_cpu.data(), s.size() * sizeof(float));
        }
    }
    // A NaN row: the same error as the CPU's, naming the first bad row.
    std::vector<float> bad = tft::random_floats(4 * 10, 3);
    bad[2 * 10 + 4] = NAN;
    bad[3 * 10] = INFINITY;
    tf_matrix bm{bad.data(), nullptr, 4, 10, TF_DTYPE_F32};
    std::vector<int8_t> q(40);
    std::vector<float> s(4);
    TFT_CHECK(tf_quantize_rows(g_gpu, &bm, q.data(), s.data()) == TF_ERR_INVALID_ARGUMENT);
    const std::string gpu_msg = tf_last_error();
    TFT_CHECK(tf_quantize_rows(g_cpu, &bm, q.data(), s.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(gpu_msg == tf_last_error());

    for (int64_t m : {1, 5, 8, 9, 70}) {
        for (int64_t cols : {61, 128}) {
            Weight w = make_weight(45, cols, TF_DTYPE_I8, uint32_t(m * cols));
            std::vector<float> x = tft::random_floats(size_t(m * cols), uint32_t(m + 100), -3.0f, 3.0f);
            std::vector<float> y(size_t(m * 45)), y_cpu(y.size());
            TFT_CHECK_OK(tf_matmul_a8(g_gpu, x.data(), m, &w.m, y.data()));
            TFT_CHECK_OK(tf_matmul_a8(g_cpu, x.data(), m, &w.m, y_cpu.data()));
            tfc_test::bit_equal(("matmul_a8 m=" + std::to_string(m) + " cols=" + std::to_string(cols)).c_str(), y.data(),
                                y_cpu.data(), y.size() * sizeof(float));
        }
    }
    Weight w = make_weight(8, 10, TF_DTYPE_I8, 5);
    std::vector<float> y(4 * 8);
    TFT_CHECK(tf_matmul_a8(g_gpu, bad.data(), 4, &w.m, y.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(std::strstr(tf_last_error(), "x row 2 holds a NaN") != nullptr);
}

void test_embed() {
    const int64_t Vt = 57, Ht = 70, n_rows = 23, n_words = 6;
    const int32_t P = 3;
    std::vector<int32_t> ids(static_cast<size_t>(n_rows * P)), row_word(static_cast<size_t>(n_rows));
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = int32_t((i * 37 + 11) % Vt);
    for (int64_t r = 0; r < n_rows; ++r) row_word[size_t(r)] = int32_t((r * 5) % n_words);  // interleaved words
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16, TF_DTYPE_I8}) {
        Weight t = make_weight(Vt, Ht, dtype, 99);
        std::vector<float> out(size_t(n_words * Ht), -1.0f), out_cpu(out.size());
        TFT_CHECK_OK(tf_embed_sum(g_gpu, &t.m, ids.data(), n_rows, P, row_word.data(), n_words, out.data()));
        TFT_CHECK_OK(tf_embed_sum(g_cpu, &t.m, ids.data(), n_rows, P, row_word.data(), n_words, out_cpu.data()));
        tfc_test::bit_equal((std::string("embed ") + tf::dtype_name(dtype)).c_str(), out.data(), out_cpu.data(),
                            out.size() * sizeof(float));
    }
}

void test_elementwise() {
    for (int64_t n : {1, 5, 1000, 70001}) {
        std::vector<float> a = tft::random_floats(size_t(n), uint32_t(n), -20.f, 20.f);
        std::vector<float> b = tft::random_floats(size_t(n), uint32_t(n + 1), -2.f, 2.f);
        std::vector<float> g(static_cast<size_t>(n)), c(static_cast<size_t>(n));
        TFT_CHECK_OK(tf_sigmoid(g_gpu, a.data(), n, g.data()));
        TFT_CHECK_OK(tf_sigmoid(g_cpu, a.data(), n, c.data()));
        tft::close("sigmoid", g.data(), c.data(), size_t(n), 1e-6);
        TFT_CHECK_OK(tf_swiglu(g_gpu, a.data(), b.data(), n, g.data()));
        TFT_CHECK_OK(tf_swiglu(g_cpu, a.data(), b.data(), n, c.data()));
        tft::close("swiglu", g.data(), c.data(), size_t(n), 1e-6);
        TFT_CHECK_OK(tf_softmax(g_gpu, a.data(), n, g.data()));
        TFT_CHECK_OK(tf_softmax(g_cpu, a.data(), n, c.data()));
        tft::close("softmax", g.data(), c.data(), size_t(n), 1e-6);
        std::vector<float> x1 = a, x2 = a;
        TFT_CHECK_OK(tf_add(g_gpu, x1.data(), b.data(), n));
        TFT_CHECK_OK(tf_add(g_cpu, x2.data(), b.data(), n));
        tfc_test::bit_equal("add", x1.data(), x2.data(), x1.size() * sizeof(float));
    }
    for (int64_t dim : {1, 7, 64, 1000}) {
        const int64_t n = 5;
        std::vector<float> x = tft::random_floats(size_t(n * dim), uint32_t(dim), -3.f, 3.f);
        std::vector<float> w = tft::random_floats(size_t(dim), uint32_t(dim + 5));
        std::vector<float> g(x.size()), c(x.size());
        TFT_CHECK_OK(tf_rmsnorm(g_gpu, x.data(), n, dim, w.data(), 1e-5f, g.data()));
        TFT_CHECK_OK(tf_rmsnorm(g_cpu, x.data(), n, dim, w.data(), 1e-5f, c.data()));
        tft::close("rmsnorm", g.data(), c.data(), g.size(), 2e-6);
    }
    {  // RoPE at scattered positions, two head sizes
        for (int32_t hd : {2, 18}) {
            const int64_t n = 7, positions_n = 40;
            const int32_t nh = 3;
            std::vector<float> table = tft::random_floats(size_t(positions_n * hd), 8);
            std::vector<int32_t> pos = {0, 39, 5, 5, 17, 2, 30};
            std::vector<float> x = tft::random_floats(size_t(n * nh * hd), 9), y = x;
            TFT_CHECK_OK(tf_rope(g_gpu, x.data(), n, nh, hd, pos.data(), table.data(), positions_n));
            TFT_CHECK_OK(tf_rope(g_cpu, y.data(), n, nh, hd, pos.data(), table.data(), positions_n));
            tfc_test::bit_equal("rope", x.data(), y.data(), x.size() * sizeof(float));
        }
    }
}

void test_attention() {
    struct Case {
        int64_t n_q, q_pos0, kv_len;
        int32_t heads, d, mode;
    };
    // Prefill (n_q rows from 0), prefill on top of a cache, decode with a long cache (split-K),
    // head sizes below, at and above a warp (8, 64, 130) and the 256 limit.
    const Case cases[] = {{37, 0, 37, 3, 8, TF_CONTROL_NONE},     {37, 0, 37, 3, 8, TF_CONTROL_LOG_ADD},
                          {37, 0, 37, 3, 8, TF_CONTROL_MULT},     {20, 45, 70, 2, 64, TF_CONTROL_LOG_ADD},
                          {1, 999, 1000, 2, 64, TF_CONTROL_NONE}, {1, 999, 1000, 2, 64, TF_CONTROL_MULT},
                          {3, 600, 603, 1, 130, TF_CONTROL_LOG_ADD}, {9, 0, 9, 2, 256, TF_CONTROL_MULT},
                          {300, 0, 300, 4, 32, TF_CONTROL_NONE}};
    for (const Case& c : cases) {
        const int64_t width = int64_t(c.heads) * c.d;
        std::vector<float> q = tft::random_floats(size_t(c.n_q * width), 1, -2.f, 2.f);
        std::vector<float> k = tft::random_floats(size_t(c.kv_len * width), 2, -2.f, 2.f);
        std::vector<float> v = tft::random_floats(size_t(c.kv_len * width), 3);
        std::vector<float> ctrl(size_t(c.kv_len), 1.0f);
        for (int64_t t = 5; t < c.kv_len; t += 7) ctrl[size_t(t)] = t % 3 == 0 ? 0.0f : 0.25f;  // some removed
        std::vector<float> g(q.size()), cpu(q.size());
        const float* kc = c.mode == TF_CONTROL_NONE ? nullptr : ctrl.data();
        TFT_CHECK_OK(tf_attention(g_gpu, q.data(), c.n_q, c.q_pos0, k.data(), v.data(), c.kv_len, c.heads, c.d, kc, c.mode,
                                  g.data()));
        TFT_CHECK_OK(tf_attention(g_cpu, q.data(), c.n_q, c.q_pos0, k.data(), v.data(), c.kv_len, c.heads, c.d, kc, c.mode,
                                  cpu.data()));
        const std::string what = "attention n_q=" + std::to_string(c.n_q) + " kv=" + std::to_string(c.kv_len) +
                                 " d=" + std::to_string(c.d) + " mode=" + std::to_string(c.mode);
        tft::close(what.c_str(), g.data(), cpu.data(), g.size(), 5e-5);
    }
    // Every visible key removed: the output is 0 (the CPU's rule).
    std::vector<float> q = tft::random_floats(4 * 8, 4), k = tft::random_floats(4 * 8, 5), v = k, out(32, 1.f);
    std::vector<float> zero(4, 0.0f);
    TFT_CHECK_OK(tf_attention(g_gpu, q.data(), 4, 0, k.data(), v.data(), 4, 1, 8, zero.data(), TF_CONTROL_LOG_ADD, out.data()));
    for (float o : out) TFT_CHECK(o == 0.0f);
}

// Random CSR patterns: n_words words of 1..9 ids, 0..3 edge ids, ids in [0, vocab).
struct Patterns {
    std::vector<int64_t> off{0}, eoff{0};
    std::vector<int32_t> ids, eids, ntri;
    tf_word_patterns view{};
};

Patterns make_patterns(int64_t n_words, int64_t vocab, uint32_t seed) {
    Patterns p;
    std::mt19937 rng(seed);
    for (int64_t w = 0; w < n_words; ++w) {
        const int n = 1 + int(rng() % 9), e = int(rng() % 4);
        for (int i = 0; i < n; ++i) p.ids.push_back(int32_t(rng() % uint32_t(vocab)));
        for (int i = 0; i < e; ++i) p.eids.push_back(int32_t(rng() % uint32_t(vocab)));
        p.off.push_back(int64_t(p.ids.size()));
        p.eoff.push_back(int64_t(p.eids.size()));
        p.ntri.push_back(1 + int32_t(rng() % 6));
    }
    p.view = tf_word_patterns{p.off.data(), p.ids.data(), p.eoff.data(), p.eids.data(), p.ntri.data(), n_words};
    return p;
}

void test_scores() {
    const int32_t P = 4;
    for (int64_t n_words : {int64_t(1), int64_t(5000), int64_t(1) << 20}) {
        const int64_t vocab = n_words > 5000 ? 8192 : 1000;
        Patterns p = make_patterns(n_words, vocab, uint32_t(n_words));
        const int64_t rows = n_words > 5000 ? 2 : 3;
        std::vector<float> logits = tft::random_floats(size_t(rows * vocab), 11, -6.f, 4.f);
        std::vector<float> g(size_t(rows * n_words)), c(g.size());
        for (int64_t r = 0; r < rows; ++r) {
            TFT_CHECK_OK(tf_word_scores(g_gpu, logits.data() + r * vocab, vocab, &p.view, P, 0.5f, g.data() + r * n_words));
            TFT_CHECK_OK(tf_word_scores(g_cpu, logits.data() + r * vocab, vocab, &p.view, P, 0.5f, c.data() + r * n_words));
        }
        tft::close("word_scores", g.data(), c.data(), g.size(), 1e-5);
        // The dictionary on the device: all rows in one call, same scores.
        tf_dictionary* d = nullptr;
        TFT_CHECK_OK(tf_dictionary_create(g_gpu, &p.view, vocab, P, &d));
        TFT_CHECK(tf_dictionary_words(d) == n_words);
        std::vector<float> ds(g.size(), -1.0f);
        TFT_CHECK_OK(tf_dictionary_scores(d, logits.data(), rows, 0.5f, ds.data()));
        tft::close("dictionary_scores", ds.data(), c.data(), ds.size(), 1e-5);
        TFT_CHECK(tf_dictionary_scores(d, logits.data(), -1, 0.5f, ds.data()) == TF_ERR_INVALID_ARGUMENT);
        tf_dictionary_free(d);
    }
    // Malformed patterns are refused with the CPU's message.
    Patterns p = make_patterns(10, 100, 3);
    p.ids[4] = 100;
    std::vector<float> logits(100, 0.0f), s(10);
    TFT_CHECK(tf_word_scores(g_gpu, logits.data(), 100, &p.view, P, 1.0f, s.data()) == TF_ERR_INVALID_ARGUMENT);
    const std::string gpu_msg = tf_last_error();
    TFT_CHECK(tf_word_scores(g_cpu, logits.data(), 100, &p.view, P, 1.0f, s.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(gpu_msg == tf_last_error());
    tf_dictionary* d = nullptr;
    TFT_CHECK(tf_dictionary_create(g_gpu, &p.view, 100, P, &d) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(d == nullptr);
}

}  // namespace

int main() {
    g_gpu = tfc_test::cuda_context_or_skip("test_cuda_kernels");
    if (g_gpu == nullptr) return tfc_test::kSkipped;
    g_cpu = tft::make_context(TF_SIMD_SCALAR, 1);
    TFT_CHECK(tf_context_backend(g_gpu) == TF_BACKEND_CUDA);
    test_matmul();
    test_quantize_and_a8();
    test_embed();
    test_elementwise();
    test_attention();
    test_scores();
    tf_context_free(g_cpu);
    tf_context_free(g_gpu);
    return tft::finish("test_cuda_kernels");
}
