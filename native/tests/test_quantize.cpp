// tf_quantize_rows and tf_matmul_a8 (docs/spec/atman-dtm.md §B.3, Part C item 27):
//   - ties away from zero on hand-computed rows, for f32 / bf16 / f16 input;
//   - random rows of odd widths against a quantizer written plainly below, bit for bit, at
//     every SIMD level (AVX-512 with and without VNNI where the CPU has it) and 1 / 3 threads;
//   - round-trip error <= scale/2, all-zero rows, int8-representable matrices come back
//     unchanged, NaN / Inf rejected naming the (first) row;
//   - tf_matmul_a8 against an independent W8A8 computation (quantized here, int64 sums), bit
//     for bit at every level, including -128 weights and the int32 limit (cols = 131072);
//   - tf_matmul_a8 against the f32 tf_matmul of the dequantized weights within a derived
//     error bound; argument errors.
#include <cstring>
#include <limits>

#include "context.h"  // internal: to switch tf_context::vnni off and compare both AVX-512 kernels
#include "dtype.h"
#include "test_util.h"

namespace {

struct Ctx {
    int32_t simd;
    int32_t threads;
    bool vnni;
    tf_context* ctx;
};

std::string name(const Ctx& c) {
    return std::string(tft::simd_name(c.simd)) + (c.vnni ? "+vnni" : "") + " x" + std::to_string(c.threads);
}

// Every level × {1, 3} threads; at the AVX-512 level also the non-VNNI kernel when the CPU
// has VNNI. The first entry is scalar x1.
std::vector<Ctx> make_contexts() {
    std::vector<Ctx> out;
    for (int32_t s : tft::simd_levels()) {
        for (int32_t t : {1, 3}) {
            tf_context* c = tft::make_context(s, t);
            if (!c) continue;
            out.push_back({s, t, c->vnni, c});
            if (c->vnni) {
                tf_context* plain = tft::make_context(s, t);
                plain->vnni = false;
                out.push_back({s, t, false, plain});
            }
        }
    }
    for (const Ctx& c : out) std::printf("  context %s\n", name(c).c_str());
    return out;
}

// ---- The independent quantizer: scale = max|v| / 127 (f32 division), q = the f32 quotient
// v / scale rounded half away from zero (in double, where |q| + 0.5 is exact). ----
double round_half_away(double t) {
    const double a = std::floor(std::fabs(t) + 0.5);
    return t < 0 ? -a : a;
}

void reference_quantize_row(const float* v, int64_t cols, int8_t* q, float* scale) {
    float amax = 0.0f;
    for (int64_t c = 0; c < cols; ++c) amax = std::max(amax, std::fabs(v[c]));
    const float s = amax / 127.0f;
    *scale = s;
    for (int64_t c = 0; c < cols; ++c) {
        const double r = s == 0.0f ? 0.0 : round_half_away(double(v[c] / s));
        q[c] = int8_t(std::min(127.0, std::max(-127.0, r)));
    }
}

// A matrix of f32 values stored as dtype (bf16 / f16 rounded), with the values it holds.
struct Source {
    int32_t dtype;
    int64_t rows, cols;
    std::vector<uint8_t> bytes;
    std::vector<float> value;  // [rows, cols] exactly what the dtype holds

    tf_matrix mat() const { return tf_matrix{bytes.data(), nullptr, rows, cols, dtype}; }
};

Source make_source(int32_t dtype, int64_t rows, int64_t cols, const std::vector<float>& v) {
    Source s{dtype, rows, cols, {}, {}};
    const size_t n = size_t(rows * cols);
    s.bytes.resize(n * size_t(tf::dtype_size(dtype)) + 1);
    s.value.resize(n);
    for (size_t i = 0; i < n; ++i) {
        if (dtype == TF_DTYPE_F32) {
            std::memcpy(s.bytes.data() + 4 * i, &v[i], 4);
            s.value[i] = v[i];
        } else {
            const uint16_t h = dtype == TF_DTYPE_BF16 ? tf::f32_to_bf16(v[i]) : tf::f32_to_f16(v[i]);
            std::memcpy(s.bytes.data() + 2 * i, &h, 2);
            s.value[i] = dtype == TF_DTYPE_BF16 ? tf::bf16_to_f32(h) : tf::f16_to_f32(h);
        }
    }
    return s;
}

// Hand-computed rows whose scale is exact (max 127 -> 1, max 254 -> 2): halves round away
// from zero, the float just below one half rounds to 0.
void test_hand_values(const std::vector<Ctx>& ctxs) {
    const float below_half = std::nextafter(0.5f, 0.0f);  // 0.49999997
    struct Row {
        std::vector<float> v;
        std::vector<int> q;
        float scale;
        bool f32_only;  // values bf16 / f16 cannot hold exactly
    };
    const std::vector<Row> rows = {
        {{127, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 126.5f, -126.5f, 0.0f, -0.0f, 3.0f, -100.5f},
         {127, 1, -1, 2, -2, 3, -3, 127, -127, 0, 0, 3, -101},
         1.0f,
         false},
        {{254, 1, -1, 3, -3, 5, -5, -254, 2.5f, 253, 0.75f},
         {127, 1, -1, 2, -2, 3, -3, -127, 1, 127, 0},
         2.0f,
         false},
        {{-127, below_half, -below_half, std::nextafter(1.5f, 0.0f), std::nextafter(2.5f, 3.0f), std::nextafter(2.5f, 2.0f)},
         {-127, 0, 0, 1, 3, 2},
         1.0f,
         true},
    };
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16}) {
        for (const Row& row : rows) {
            if (row.f32_only && dtype != TF_DTYPE_F32) continue;
            const int64_t cols = int64_t(row.v.size());
            const Source src = make_source(dtype, 1, cols, row.v);
            TFT_CHECK(src.value == row.v);  // the hand values are exact in every dtype used
            const tf_matrix m = src.mat();
            for (const Ctx& c : ctxs) {
                std::vector<int8_t> q(size_t(cols), 99);
                float scale = -1.0f;
                TFT_CHECK_OK(tf_quantize_rows(c.ctx, &m, q.data(), &scale));
                TFT_CHECK(scale == row.scale);
                for (int64_t k = 0; k < cols; ++k) {
                    if (q[size_t(k)] != row.q[size_t(k)]) {
                        std::fprintf(stderr, "  %s %s: %.9g -> %d, want %d\n", tf::dtype_name(dtype), name(c).c_str(),
                                     double(row.v[size_t(k)]), q[size_t(k)], row.q[size_t(k)]);
                        ++tft::g_failures;
                    }
                }
            }
        }
    }
}

// Random rows of odd widths in every dtype: every level equals the independent quantizer bit
// for bit; round trip within scale/2; the absmax element maps to ±127.
void test_random_rows(const std::vector<Ctx>& ctxs) {
    int cases = 0;
    uint32_t seed = 10;
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16}) {
        for (int64_t cols : {1, 7, 8, 15, 16, 17, 31, 33, 64, 100, 257, 1031}) {
            for (int64_t rows : {1, 3, 37}) {
                ++seed;
                // Rows of very different magnitudes (f16 stays in range), some rows all zero.
                std::mt19937 rng(seed);
                std::vector<float> v = tft::random_floats(size_t(rows * cols), seed);
                for (int64_t r = 0; r < rows; ++r) {
                    const float mag = dtype == TF_DTYPE_F16 ? std::ldexp(1.0f, int(rng() % 16) - 8)
                                                            : std::ldexp(1.0f, int(rng() % 60) - 30);
                    const bool zero = rows > 1 && r % 5 == 2;
                    for (int64_t c = 0; c < cols; ++c) v[size_t(r * cols + c)] = zero ? 0.0f : v[size_t(r * cols + c)] * mag;
                }
                const Source src = make_source(dtype, rows, cols, v);
                std::vector<int8_t> want_q(size_t(rows * cols));
                std::vector<float> want_s(static_cast<size_t>(rows));
                for (int64_t r = 0; r < rows; ++r) {
                    reference_quantize_row(src.value.data() + r * cols, cols, want_q.data() + r * cols, &want_s[size_t(r)]);
                }
                const tf_matrix m = src.mat();
                for (const Ctx& c : ctxs) {
                    std::vector<int8_t> q(size_t(rows * cols), 99);
                    std::vector<float> s(size_t(rows), -1.0f);
                    TFT_CHECK_OK(tf_quantize_rows(c.ctx, &m, q.data(), s.data()));
                    ++cases;
                    if (q != want_q || std::memcmp(s.data(), want_s.data(), s.size() * 4) != 0) {
                        std::fprintf(stderr, "  %s %s rows=%lld cols=%lld differs from the reference quantizer\n",
                                     tf::dtype_name(dtype), name(c).c_str(), (long long)rows, (long long)cols);
                        ++tft::g_failures;
                    }
                }
                // Properties of the (identical) result.
                for (int64_t r = 0; r < rows; ++r) {
                    const float s = want_s[size_t(r)];
                    int max_q = 0;
                    for (int64_t c = 0; c < cols; ++c) {
                        const int8_t q = want_q[size_t(r * cols + c)];
                        const double back = double(q) * double(s);
                        TFT_CHECK(std::isfinite(back));
                        // |v − q·s| <= s/2, up to the rounding of the f32 quotient v / s (|v/s| <= 127:
                        // at most 2^-17 of s).
                        const double err = std::fabs(double(src.value[size_t(r * cols + c)]) - back);
                        if (!(err <= double(s) * (0.5 + std::ldexp(1.0, -16)))) {
                            std::fprintf(stderr, "  round trip: v=%.9g q=%d s=%.9g err=%.3g\n",
                                         double(src.value[size_t(r * cols + c)]), q, double(s), err);
                            ++tft::g_failures;
                        }
                        max_q = std::max(max_q, std::abs(int(q)));
                    }
                    if (s == 0.0f) {
                        TFT_CHECK(max_q == 0);
                    } else {
                        TFT_CHECK(max_q == 127);
                    }
                }
            }
        }
    }
    std::printf("  random rows: %d quantizations checked\n", cases);
}

// All-zero rows (+0 and -0) and rows so small that max / 127 underflows: scale 0, q 0, and
// dequantized zeros (no NaN).
void test_zero_rows(const std::vector<Ctx>& ctxs) {
    const float tiny = std::numeric_limits<float>::denorm_min();
    const std::vector<float> v = {0, 0, 0, 0, 0, -0.0f, 0, -0.0f, tiny, -tiny, 0, tiny, 1, 0, 0, -1};
    const Source src = make_source(TF_DTYPE_F32, 4, 4, v);
    const tf_matrix m = src.mat();
    for (const Ctx& c : ctxs) {
        std::vector<int8_t> q(16, 99);
        std::vector<float> s(4, -1.0f);
        TFT_CHECK_OK(tf_quantize_rows(c.ctx, &m, q.data(), s.data()));
        TFT_CHECK(s[0] == 0.0f && s[1] == 0.0f && s[2] == 0.0f && !std::signbit(s[0]));
        TFT_CHECK(s[3] == 1.0f / 127.0f);
        for (int k = 0; k < 12; ++k) {
            TFT_CHECK(q[size_t(k)] == 0);
            const float back = float(q[size_t(k)]) * s[size_t(k / 4)];
            TFT_CHECK(back == 0.0f && !std::isnan(back));
        }
        TFT_CHECK(q[12] == 127 && q[13] == 0 && q[14] == 0 && q[15] == -127);
    }
}

// An int8-representable matrix (values k·s, max |k| = 127 per row) quantizes to the same k;
// with power-of-two scales the scales and the dequantized values come back exactly.
void test_lossless(const std::vector<Ctx>& ctxs) {
    const int64_t rows = 9, cols = 75;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> kd(-127, 127);
    std::uniform_real_distribution<float> sd(1e-4f, 3.0f);
    for (bool pow2 : {true, false}) {
        std::vector<int8_t> k(size_t(rows * cols));
        std::vector<float> s(static_cast<size_t>(rows)), v(size_t(rows * cols));
        for (int64_t r = 0; r < rows; ++r) {
            s[size_t(r)] = pow2 ? std::ldexp(1.0f, int(r) - 4) : sd(rng);
            for (int64_t c = 0; c < cols; ++c) k[size_t(r * cols + c)] = int8_t(kd(rng));
            k[size_t(r * cols + (r * 7) % cols)] = r % 2 ? 127 : -127;  // the row's absmax
            for (int64_t c = 0; c < cols; ++c) v[size_t(r * cols + c)] = float(k[size_t(r * cols + c)]) * s[size_t(r)];
        }
        for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16}) {
            if (dtype == TF_DTYPE_BF16 && !pow2) continue;  // k·s with arbitrary s is not a bf16 value
            const Source src = make_source(dtype, rows, cols, v);
            TFT_CHECK(src.value == v);  // |k| < 2^8 times a power of two: exact in bf16
            const tf_matrix m = src.mat();
            for (const Ctx& c : ctxs) {
                std::vector<int8_t> q(size_t(rows * cols), 99);
                std::vector<float> qs(size_t(rows), -1.0f);
                TFT_CHECK_OK(tf_quantize_rows(c.ctx, &m, q.data(), qs.data()));
                TFT_CHECK(q == k);
                for (int64_t r = 0; r < rows; ++r) {
                    if (pow2) {
                        TFT_CHECK(qs[size_t(r)] == s[size_t(r)]);
                        for (int64_t cc = 0; cc < cols; ++cc)
                            TFT_CHECK(float(q[size_t(r * cols + cc)]) * qs[size_t(r)] == v[size_t(r * cols + cc)]);
                    } else {
                        // 127·s and (127·s) / 127 are each rounded once: within 2 ulps of s.
                        TFT_CHECK(std::fabs(qs[size_t(r)] - s[size_t(r)]) <= 2 * std::ldexp(s[size_t(r)], -23));
                    }
                }
            }
        }
    }
}

// NaN / ±Inf anywhere: TF_ERR_INVALID_ARGUMENT naming the smallest bad row, in every dtype.
void test_non_finite(const std::vector<Ctx>& ctxs) {
    const int64_t rows = 12, cols = 37;
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16}) {
        for (float bad : {NAN, INFINITY, -INFINITY}) {
            std::vector<float> v = tft::random_floats(size_t(rows * cols), 3);
            v[size_t(7 * cols + 36)] = bad;   // row 7, in the tail of an 8- or 16-lane pass
            v[size_t(10 * cols + 3)] = bad;   // row 10
            const Source src = make_source(dtype, rows, cols, v);
            const tf_matrix m = src.mat();
            for (const Ctx& c : ctxs) {
                std::vector<int8_t> q(size_t(rows * cols));
                std::vector<float> s(static_cast<size_t>(rows));
                TFT_CHECK(tft::has_error(tf_quantize_rows(c.ctx, &m, q.data(), s.data()), TF_ERR_INVALID_ARGUMENT,
                                    "tf_quantize_rows: row 7 holds a NaN or infinite value"));
            }
        }
    }
}

void test_quantize_bad_arguments(tf_context* ctx) {
    std::vector<float> v(8, 1.0f);
    std::vector<int8_t> q(8);
    std::vector<float> s(2);
    tf_matrix m{v.data(), nullptr, 2, 4, TF_DTYPE_F32};
    TFT_CHECK(tft::has_error(tf_quantize_rows(nullptr, &m, q.data(), s.data()), TF_ERR_INVALID_ARGUMENT, "ctx is NULL"));
    TFT_CHECK(tft::has_error(tf_quantize_rows(ctx, nullptr, q.data(), s.data()), TF_ERR_INVALID_ARGUMENT, "src is NULL"));
    TFT_CHECK(tft::has_error(tf_quantize_rows(ctx, &m, nullptr, s.data()), TF_ERR_INVALID_ARGUMENT, "q is NULL"));
    TFT_CHECK(tft::has_error(tf_quantize_rows(ctx, &m, q.data(), nullptr), TF_ERR_INVALID_ARGUMENT, "scales is NULL"));
    tf_matrix i8 = m;
    i8.dtype = TF_DTYPE_I8;
    i8.scales = s.data();
    TFT_CHECK(tft::has_error(tf_quantize_rows(ctx, &i8, q.data(), s.data()), TF_ERR_INVALID_ARGUMENT, "already int8"));
    tf_matrix neg = m;
    neg.cols = -1;
    TFT_CHECK(tft::has_error(tf_quantize_rows(ctx, &neg, q.data(), s.data()), TF_ERR_INVALID_ARGUMENT, "negative shape"));
    tf_matrix empty = m;
    empty.rows = 0;
    TFT_CHECK_OK(tf_quantize_rows(ctx, &empty, nullptr, nullptr));
}

// ---- W8A8 ----

// Int8 weights with random scales; values cover the whole int8 range, -128 included.
struct Int8Weights {
    int64_t rows, cols;
    std::vector<int8_t> q;
    std::vector<float> scales;
    tf_matrix mat() const { return tf_matrix{q.data(), scales.data(), rows, cols, TF_DTYPE_I8}; }
};

Int8Weights make_int8(int64_t rows, int64_t cols, uint32_t seed) {
    Int8Weights w{rows, cols, std::vector<int8_t>(size_t(rows * cols)), std::vector<float>(size_t(rows))};
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> qd(-128, 127);
    std::uniform_real_distribution<float> sd(0.001f, 0.02f);
    for (auto& v : w.q) v = int8_t(qd(rng));
    for (auto& s : w.scales) s = sd(rng);
    return w;
}

// y[i, r] = (float(Σ qx·qw) · sx[i]) · sw[r] with x quantized by the reference quantizer and
// the dot products summed in int64.
std::vector<float> reference_a8(const std::vector<float>& x, int64_t m, const Int8Weights& w) {
    std::vector<int8_t> qx(size_t(m * w.cols));
    std::vector<float> sx(static_cast<size_t>(m));
    for (int64_t i = 0; i < m; ++i) reference_quantize_row(x.data() + i * w.cols, w.cols, qx.data() + i * w.cols, &sx[size_t(i)]);
    std::vector<float> y(size_t(m * w.rows));
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t r = 0; r < w.rows; ++r) {
            int64_t acc = 0;
            for (int64_t c = 0; c < w.cols; ++c) acc += int64_t(qx[size_t(i * w.cols + c)]) * w.q[size_t(r * w.cols + c)];
            TFT_CHECK(acc >= INT32_MIN && acc <= INT32_MAX);
            const float p = float(acc) * sx[size_t(i)];
            y[size_t(i * w.rows + r)] = p * w.scales[size_t(r)];
        }
    }
    return y;
}

bool same_bits(const char* what, const std::vector<float>& got, const std::vector<float>& want) {
    if (got.size() == want.size() && std::memcmp(got.data(), want.data(), got.size() * 4) == 0) return true;
    for (size_t k = 0; k < std::min(got.size(), want.size()); ++k) {
        if (std::memcmp(&got[k], &want[k], 4) != 0) {
            std::fprintf(stderr, "  %s: y[%zu] = %.9g, want %.9g\n", what, k, double(got[k]), double(want[k]));
            break;
        }
    }
    ++tft::g_failures;
    return false;
}

// Odd shapes (cols not a multiple of 32 / 64, m = 1, 3, 17, prefill row blocks and the GEMM's
// edge tiles): every level and thread count equals the independent computation bit for bit;
// since that computation takes each x row alone, this also shows that a row's result does not
// depend on the other rows of its call.
void test_a8_shapes(const std::vector<Ctx>& ctxs) {
    int cases = 0;
    uint32_t seed = 500;
    struct Shape {
        int64_t m, rows, cols;
    };
    std::vector<Shape> shapes;
    for (int64_t m : {1, 2, 3, 17})
        for (int64_t cols : {1, 31, 33, 63, 64, 65, 100, 257})
            for (int64_t rows : {1, 5, 64, 67}) shapes.push_back({m, rows, cols});
    shapes.push_back({9, 203, 4099});  // several L2 row blocks of 62 rows
    shapes.push_back({1, 203, 4099});
    // The AVX2 prefill GEMM's edges (panels of 24 weight rows in blocks of 96, 512-column
    // blocks whose int32 sums carry over in y, 24-row x blocks in 4-row tiles): rows just
    // below / above a panel and a block, odd columns one past a column block, m with every
    // tail tile (m mod 4 = 1, 2, 3) and several x blocks.
    for (const Shape& sh : std::vector<Shape>{{5, 23, 513},
                                              {6, 24, 512},
                                              {7, 25, 1025},
                                              {4, 47, 511},
                                              {25, 49, 1},
                                              {26, 96, 2},
                                              {27, 97, 1537},
                                              {50, 130, 515},
                                              {73, 71, 1030},
                                              {5, 95, 513},
                                              {9, 120, 1025},
                                              {30, 193, 515}})
        shapes.push_back(sh);
    for (const Shape& sh : shapes) {
        ++seed;
        const Int8Weights w = make_int8(sh.rows, sh.cols, seed);
        std::vector<float> x = tft::random_floats(size_t(sh.m * sh.cols), seed * 3u, -2.0f, 2.0f);
        if (sh.m > 2) std::fill(x.begin() + sh.cols, x.begin() + 2 * sh.cols, 0.0f);  // an all-zero x row
        const std::vector<float> want = reference_a8(x, sh.m, w);
        const tf_matrix mat = w.mat();
        for (const Ctx& c : ctxs) {
            std::vector<float> y(size_t(sh.m * sh.rows), NAN);
            TFT_CHECK_OK(tf_matmul_a8(c.ctx, x.data(), sh.m, &mat, y.data()));
            ++cases;
            const std::string what = name(c) + " m=" + std::to_string(sh.m) + " rows=" + std::to_string(sh.rows) +
                                     " cols=" + std::to_string(sh.cols);
            same_bits(what.c_str(), y, want);
        }
    }
    std::printf("  W8A8 shapes: %d matmuls checked\n", cases);
}

// The int32 limit: cols = 131072 of x = 127 against w = -128 (or 127) sums to ±2.13e9.
void test_a8_extremes(const std::vector<Ctx>& ctxs) {
    const int64_t cols = 131072, rows = 5, m = 2;
    Int8Weights w{rows, cols, std::vector<int8_t>(size_t(rows * cols)), std::vector<float>(size_t(rows), 1.0f)};
    for (int64_t c = 0; c < cols; ++c) {
        w.q[size_t(0 * cols + c)] = -128;
        w.q[size_t(1 * cols + c)] = 127;
        w.q[size_t(2 * cols + c)] = c % 2 ? -128 : 127;
        w.q[size_t(3 * cols + c)] = int8_t(int(c % 256) - 128);
        w.q[size_t(4 * cols + c)] = c == cols - 1 ? -128 : 0;  // only the last column counts
    }
    std::vector<float> x(size_t(m * cols), 127.0f);
    for (int64_t c = 0; c < cols; ++c) x[size_t(cols + c)] = -127.0f;  // row 1 all -127 (quantized: -127)
    const std::vector<float> want = reference_a8(x, m, w);
    TFT_CHECK(want[0] == float(int64_t(127) * -128 * cols));  // -2130706432
    const tf_matrix mat = w.mat();
    for (const Ctx& c : ctxs) {
        std::vector<float> y(size_t(m * rows), NAN);
        TFT_CHECK_OK(tf_matmul_a8(c.ctx, x.data(), m, &mat, y.data()));
        same_bits(("extremes " + name(c)).c_str(), y, want);
        TFT_CHECK_OK(tf_matmul_a8(c.ctx, x.data(), 1, &mat, y.data()));  // the decode path
        same_bits(("extremes m=1 " + name(c)).c_str(), std::vector<float>(y.begin(), y.begin() + rows),
                  std::vector<float>(want.begin(), want.begin() + rows));
    }
}

// W8A8 against the f32 matmul of the dequantized weights (tf_matmul with the I8 weights):
// x = qx·sx + e with |e| <= sx/2 (·(1 + 2^-16), the quotient's rounding), so
//   |y_a8 − y_f32| <= sw·(sx/2)(1 + 2^-16)·Σ|qw|            (activation quantization)
//                   + (cols + 8)·2^-24·Σ|x·w|                 (f32 accumulation of y_f32)
//                   + 3·2^-24·|y_a8|                           (int -> float and two products)
void test_a8_vs_float(const std::vector<Ctx>& ctxs) {
    const int64_t m = 5, rows = 70, cols = 300;
    const Int8Weights w = make_int8(rows, cols, 91);
    std::vector<float> x = tft::random_floats(size_t(m * cols), 92);
    const tf_matrix mat = w.mat();
    std::vector<int8_t> qx(size_t(m * cols));
    std::vector<float> sx(static_cast<size_t>(m));
    for (int64_t i = 0; i < m; ++i) reference_quantize_row(x.data() + i * cols, cols, qx.data() + i * cols, &sx[size_t(i)]);
    for (const Ctx& c : ctxs) {
        std::vector<float> ya8(size_t(m * rows)), yf(size_t(m * rows));
        TFT_CHECK_OK(tf_matmul_a8(c.ctx, x.data(), m, &mat, ya8.data()));
        TFT_CHECK_OK(tf_matmul(c.ctx, x.data(), m, &mat, yf.data()));
        double worst = 0;
        bool differs = false;
        for (int64_t i = 0; i < m; ++i) {
            for (int64_t r = 0; r < rows; ++r) {
                double sum_abs_q = 0, sum_abs_xw = 0;
                for (int64_t cc = 0; cc < cols; ++cc) {
                    const double q = w.q[size_t(r * cols + cc)];
                    sum_abs_q += std::fabs(q);
                    sum_abs_xw += std::fabs(double(x[size_t(i * cols + cc)]) * q * w.scales[size_t(r)]);
                }
                const double a8 = ya8[size_t(i * rows + r)], f = yf[size_t(i * rows + r)];
                const double bound = w.scales[size_t(r)] * sx[size_t(i)] * 0.5 * (1 + std::ldexp(1.0, -16)) * sum_abs_q +
                                     (double(cols) + 8) * std::ldexp(1.0, -24) * sum_abs_xw +
                                     3 * std::ldexp(1.0, -24) * std::fabs(a8);
                const double d = std::fabs(a8 - f);
                worst = std::max(worst, d / bound);
                differs |= a8 != f;
                if (!(d <= bound)) {
                    std::fprintf(stderr, "  %s W8A8 vs f32 y[%lld, %lld]: %.9g vs %.9g (bound %.3g)\n", name(c).c_str(),
                                 (long long)i, (long long)r, a8, f, bound);
                    ++tft::g_failures;
                }
            }
        }
        TFT_CHECK(differs);  // the activations really were quantized
        if (c.simd == TF_SIMD_SCALAR && c.threads == 1) std::printf("  W8A8 vs f32: worst error %.2f of the bound\n", worst);
    }
}

void test_a8_bad_arguments(tf_context* ctx) {
    const Int8Weights w = make_int8(4, 8, 5);
    tf_matrix mat = w.mat();
    std::vector<float> x(16, 1.0f), y(8, 0.0f);
    TFT_CHECK(tft::has_error(tf_matmul_a8(nullptr, x.data(), 2, &mat, y.data()), TF_ERR_INVALID_ARGUMENT, "ctx is NULL"));
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, nullptr, 2, &mat, y.data()), TF_ERR_INVALID_ARGUMENT, "x is NULL"));
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, x.data(), 2, nullptr, y.data()), TF_ERR_INVALID_ARGUMENT, "w is NULL"));
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, x.data(), 2, &mat, nullptr), TF_ERR_INVALID_ARGUMENT, "y is NULL"));
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, x.data(), -1, &mat, y.data()), TF_ERR_INVALID_ARGUMENT, "m = -1"));
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, x.data(), int64_t(1) << 62, &mat, y.data()), TF_ERR_INVALID_ARGUMENT,
                        "x size"));
    tf_matrix bad = mat;
    bad.scales = nullptr;
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, x.data(), 2, &bad, y.data()), TF_ERR_INVALID_ARGUMENT, "w.scales is NULL"));
    std::vector<float> f32(32, 0.5f);
    tf_matrix fw{f32.data(), nullptr, 4, 8, TF_DTYPE_F32};
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, x.data(), 2, &fw, y.data()), TF_ERR_INVALID_ARGUMENT,
                        "w must be TF_DTYPE_I8, got f32"));
    fw.dtype = TF_DTYPE_BF16;
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, x.data(), 2, &fw, y.data()), TF_ERR_INVALID_ARGUMENT, "got bf16"));
    std::vector<int8_t> wide(131073, 1);
    std::vector<float> one(1, 1.0f), xw(131073, 1.0f), yw(1);
    tf_matrix too_wide{wide.data(), one.data(), 1, 131073, TF_DTYPE_I8};
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, xw.data(), 1, &too_wide, yw.data()), TF_ERR_INVALID_ARGUMENT,
                        "w.cols = 131073 exceeds 131072"));
    // A non-finite activation names its x row.
    x[13] = NAN;
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, x.data(), 2, &mat, y.data()), TF_ERR_INVALID_ARGUMENT,
                        "tf_matmul_a8: x row 1 holds a NaN or infinite value"));
    x[13] = -INFINITY;
    TFT_CHECK(tft::has_error(tf_matmul_a8(ctx, x.data(), 2, &mat, y.data()), TF_ERR_INVALID_ARGUMENT, "x row 1"));
    x[13] = 1.0f;
    // Empty products are fine: m = 0 with NULL x / y; cols = 0 gives zeros.
    TFT_CHECK_OK(tf_matmul_a8(ctx, nullptr, 0, &mat, nullptr));
    bad = mat;
    bad.cols = 0;
    y.assign(8, 5.0f);
    TFT_CHECK_OK(tf_matmul_a8(ctx, nullptr, 2, &bad, y.data()));
    TFT_CHECK(y[0] == 0.0f && y[7] == 0.0f);
    TFT_CHECK(tf_last_error()[0] == '\0');
}

}  // namespace

int main() {
    std::vector<Ctx> ctxs = make_contexts();
    TFT_CHECK(!ctxs.empty() && ctxs[0].simd == TF_SIMD_SCALAR && ctxs[0].threads == 1);
    test_hand_values(ctxs);
    test_random_rows(ctxs);
    test_zero_rows(ctxs);
    test_lossless(ctxs);
    test_non_finite(ctxs);
    test_quantize_bad_arguments(ctxs[0].ctx);
    test_a8_shapes(ctxs);
    test_a8_extremes(ctxs);
    test_a8_vs_float(ctxs);
    test_a8_bad_arguments(ctxs[0].ctx);
    for (const Ctx& c : ctxs) tf_context_free(c.ctx);
    return tft::finish("test_quantize");
}
