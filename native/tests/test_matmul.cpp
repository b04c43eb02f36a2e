// tf_matmul: every dtype × every SIMD level × thread counts {1, 3} against a plain
// double-precision loop, SIMD vs scalar agreement, thread-count invariance, exact widening of
// every bf16 / f16 / i8 bit pattern, the dtype.h conversions, and bad arguments.
#include <cstring>

#include "dtype.h"
#include "test_util.h"

namespace {

// A weight matrix in one dtype plus the exact values it represents (in double).
struct Weights {
    int32_t dtype = TF_DTYPE_F32;
    int64_t rows = 0, cols = 0;
    std::vector<uint8_t> bytes;
    std::vector<float> scales;
    std::vector<double> value;  // dequantised, exact

    tf_matrix mat() const {
        tf_matrix m;
        m.data = bytes.data();
        m.scales = dtype == TF_DTYPE_I8 ? scales.data() : nullptr;
        m.rows = rows;
        m.cols = cols;
        m.dtype = dtype;
        return m;
    }
};

Weights make_weights(int32_t dtype, int64_t rows, int64_t cols, uint32_t seed) {
    Weights w;
    w.dtype = dtype;
    w.rows = rows;
    w.cols = cols;
    const size_t n = size_t(rows * cols);
    w.bytes.resize(n * size_t(tf::dtype_size(dtype)) + 1);
    w.value.resize(n);
    std::vector<float> f = tft::random_floats(n, seed);
    std::mt19937 rng(seed + 1);
    if (dtype == TF_DTYPE_I8) {
        std::uniform_int_distribution<int> q(-127, 127);
        std::uniform_real_distribution<float> s(0.001f, 0.02f);
        w.scales.resize(size_t(rows));
        for (auto& v : w.scales) v = s(rng);
        auto* d = reinterpret_cast<int8_t*>(w.bytes.data());
        for (size_t i = 0; i < n; ++i) {
            d[i] = int8_t(q(rng));
            w.value[i] = double(d[i]) * double(w.scales[i / size_t(cols)]);
        }
    } else if (dtype == TF_DTYPE_F32) {
        std::memcpy(w.bytes.data(), f.data(), n * 4);
        for (size_t i = 0; i < n; ++i) w.value[i] = f[i];
    } else {
        auto* d = reinterpret_cast<uint16_t*>(w.bytes.data());
        for (size_t i = 0; i < n; ++i) {
            if (dtype == TF_DTYPE_BF16) {
                d[i] = tf::f32_to_bf16(f[i]);
                w.value[i] = tf::bf16_to_f32(d[i]);
            } else {
                d[i] = tf::f32_to_f16(f[i]);
                w.value[i] = tf::f16_to_f32(d[i]);
            }
        }
    }
    return w;
}

// Plain double-precision reference and the error budget of an f32 accumulation:
// |y - ref| <= (cols + 8) · 2^-24 · Σ|x·w| (recursive-summation bound, +scale rounding).
void reference(const std::vector<float>& x, int64_t m, const Weights& w, std::vector<double>& ref,
               std::vector<double>& bound) {
    ref.assign(size_t(m * w.rows), 0.0);
    bound.assign(size_t(m * w.rows), 0.0);
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t r = 0; r < w.rows; ++r) {
            double s = 0, a = 0;
            for (int64_t c = 0; c < w.cols; ++c) {
                const double p = double(x[size_t(i * w.cols + c)]) * w.value[size_t(r * w.cols + c)];
                s += p;
                a += std::fabs(p);
            }
            ref[size_t(i * w.rows + r)] = s;
            bound[size_t(i * w.rows + r)] = (double(w.cols) + 8.0) * std::ldexp(1.0, -24) * a;
        }
    }
}

using Ctx = tft::LevelContext;

void test_random_shapes(const std::vector<Ctx>& ctxs) {
    int cases = 0;
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16, TF_DTYPE_I8}) {
        uint32_t seed = 1000u * uint32_t(dtype + 1);
        for (int64_t m : {1, 2, 3, 5, 17}) {
            for (int64_t cols : {1, 7, 16, 33, 170, 257}) {
                for (int64_t rows : {1, 5, 64, 100}) {
                    ++seed;
                    const Weights w = make_weights(dtype, rows, cols, seed);
                    const std::vector<float> x = tft::random_floats(size_t(m * cols), seed * 7u);
                    std::vector<double> ref, bound;
                    reference(x, m, w, ref, bound);
                    const tf_matrix mat = w.mat();
                    std::vector<float> scalar_y, first_y;
                    int32_t first_simd = -1;
                    for (const Ctx& c : ctxs) {
                        std::vector<float> y(size_t(m * rows), NAN);
                        TFT_CHECK_OK(tf_matmul(c.ctx, x.data(), m, &mat, y.data()));
                        ++cases;
                        for (size_t k = 0; k < y.size(); ++k) {
                            if (!(std::fabs(double(y[k]) - ref[k]) <= bound[k] + 1e-30)) {
                                std::fprintf(stderr,
                                             "  %s %s x%d m=%lld cols=%lld rows=%lld: y[%zu] = %.9g, want %.9g "
                                             "(budget %.3g)\n",
                                             tf::dtype_name(dtype), tft::simd_name(c.simd), c.threads,
                                             (long long)m, (long long)cols, (long long)rows, k, double(y[k]),
                                             ref[k], bound[k]);
                                ++tft::g_failures;
                                break;
                            }
                        }
                        if (c.simd == TF_SIMD_SCALAR && c.threads == 1) scalar_y = y;
                        // SIMD vs scalar: both within budget of the truth, so within 2 budgets.
                        if (!scalar_y.empty() && c.simd != TF_SIMD_SCALAR) {
                            for (size_t k = 0; k < y.size(); ++k) {
                                if (!(std::fabs(double(y[k]) - double(scalar_y[k])) <= 2 * bound[k] + 1e-30)) {
                                    std::fprintf(stderr, "  %s %s vs scalar: y[%zu] %.9g vs %.9g\n",
                                                 tf::dtype_name(dtype), tft::simd_name(c.simd), k, double(y[k]),
                                                 double(scalar_y[k]));
                                    ++tft::g_failures;
                                    break;
                                }
                            }
                        }
                        // Same level, other thread count: bit-identical.
                        if (c.simd != first_simd) {
                            first_simd = c.simd;
                            first_y = y;
                        } else {
                            TFT_CHECK(std::memcmp(first_y.data(), y.data(), y.size() * sizeof(float)) == 0);
                        }
                    }
                }
            }
        }
    }
    std::printf("  random shapes: %d matmuls checked\n", cases);
}

// Larger prefills, m = 9 and m = 40, cols beyond one L2 row block of the scalar / AVX-512
// tiles. On AVX2 both take the packed GEMM: a 6-row tile + a 3-row rest, or six 6-row tiles
// + a 4-row rest; 13 panels of 16 rows with a partial last one; 6 column blocks of 256 with a
// partial last one; int8 scales applied on the last block.
void test_large(const std::vector<Ctx>& ctxs) {
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16, TF_DTYPE_I8})
    for (int64_t m : {9, 40}) {
        const int64_t rows = 203, cols = 1500;
        const Weights w = make_weights(dtype, rows, cols, 77);
        const std::vector<float> x = tft::random_floats(size_t(m * cols), 78);
        std::vector<double> ref, bound;
        reference(x, m, w, ref, bound);
        const tf_matrix mat = w.mat();
        std::vector<float> first_y;
        int32_t first_simd = -1;
        for (const Ctx& c : ctxs) {
            std::vector<float> y(size_t(m * rows), NAN);
            TFT_CHECK_OK(tf_matmul(c.ctx, x.data(), m, &mat, y.data()));
            // Same level, other thread count (another split of the rows): bit-identical.
            if (c.simd != first_simd) {
                first_simd = c.simd;
                first_y = y;
            } else {
                TFT_CHECK(std::memcmp(first_y.data(), y.data(), y.size() * sizeof(float)) == 0);
            }
            for (size_t k = 0; k < y.size(); ++k) {
                if (!(std::fabs(double(y[k]) - ref[k]) <= bound[k])) {
                    std::fprintf(stderr, "  large %s m=%lld %s x%d: y[%zu] = %.9g want %.9g\n", tf::dtype_name(dtype),
                                 (long long)m, tft::simd_name(c.simd), c.threads, k, double(y[k]), ref[k]);
                    ++tft::g_failures;
                    break;
                }
            }
        }
    }
}

// Row invariance: with m >= 2, a row's result does not depend on which other rows share the
// call (its tile, the row blocking, the thread split). AtMan's prefix reuse computes rows
// i0..n−1 of a sequence, and a batched pass stacks the rows of several sequences; both must
// give the bits of the full call. (m = 1, decode, uses a different accumulation order.)
void test_row_invariance(const std::vector<Ctx>& ctxs) {
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_I8}) {
        const int64_t m = 11, rows = 37, cols = 301;
        const Weights w = make_weights(dtype, rows, cols, 91);
        const std::vector<float> x = tft::random_floats(size_t(m * cols), 92);
        const tf_matrix mat = w.mat();
        for (const Ctx& c : ctxs) {
            std::vector<float> full(size_t(m * rows), NAN);
            TFT_CHECK_OK(tf_matmul(c.ctx, x.data(), m, &mat, full.data()));
            for (int64_t a = 0; a + 2 <= m; ++a) {
                for (int64_t b = a + 2; b <= m; b += 3) {  // sub-ranges of 2, 5, 8, ... rows
                    std::vector<float> part(size_t((b - a) * rows), NAN);
                    TFT_CHECK_OK(tf_matmul(c.ctx, x.data() + a * cols, b - a, &mat, part.data()));
                    if (std::memcmp(part.data(), full.data() + a * rows, part.size() * sizeof(float)) != 0) {
                        std::fprintf(stderr, "  row invariance %s %s x%d: rows [%lld, %lld) differ\n",
                                     tf::dtype_name(dtype), tft::simd_name(c.simd), c.threads, (long long)a,
                                     (long long)b);
                        ++tft::g_failures;
                    }
                }
            }
        }
    }
}

// Independent reference for binary16: (-1)^s · (exp ? (1024 + man) · 2^(exp-25) : man · 2^-24).
double f16_reference(uint16_t h) {
    const int sign = (h >> 15) & 1, exp = (h >> 10) & 31, man = h & 1023;
    double v;
    if (exp == 31) v = man ? NAN : INFINITY;
    else if (exp == 0) v = std::ldexp(double(man), -24);
    else v = std::ldexp(double(1024 + man), exp - 25);
    return sign ? -v : v;
}

void test_conversions() {
    // Every binary16 pattern: exact widening, NaNs stay NaN, narrowing round-trips.
    for (uint32_t h = 0; h < 65536; ++h) {
        const float f = tf::f16_to_f32(uint16_t(h));
        const double want = f16_reference(uint16_t(h));
        if (std::isnan(want)) {
            TFT_CHECK(std::isnan(f));
            continue;
        }
        if (double(f) != want || std::signbit(f) != std::signbit(want)) {
            std::fprintf(stderr, "  f16_to_f32(0x%04x) = %.9g, want %.9g\n", h, double(f), want);
            ++tft::g_failures;
        }
        if (tf::f32_to_f16(f) != h) {
            std::fprintf(stderr, "  f32_to_f16(f16_to_f32(0x%04x)) = 0x%04x\n", h, tf::f32_to_f16(f));
            ++tft::g_failures;
        }
    }
    // Narrowing: ties to even, overflow, underflow to subnormals and zero.
    TFT_CHECK(tf::f32_to_f16(1.0f + std::ldexp(1.0f, -11)) == 0x3c00);      // tie -> even
    TFT_CHECK(tf::f32_to_f16(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3c02);  // tie -> even
    TFT_CHECK(tf::f32_to_f16(65519.0f) == 0x7bff);
    TFT_CHECK(tf::f32_to_f16(65520.0f) == 0x7c00);
    TFT_CHECK(tf::f32_to_f16(-1e10f) == 0xfc00);
    TFT_CHECK(tf::f32_to_f16(std::ldexp(1.0f, -25)) == 0x0000);  // tie -> even (0)
    TFT_CHECK(tf::f32_to_f16(std::ldexp(1.5f, -25)) == 0x0001);
    TFT_CHECK(tf::f32_to_f16(std::ldexp(3.0f, -25)) == 0x0002);  // 1.5 ulp tie -> even (2)
    TFT_CHECK(tf::f32_to_f16(std::ldexp(1.0f, -14)) == 0x0400);
    TFT_CHECK(tf::f32_to_f16(std::ldexp(1023.5f, -24)) == 0x0400);  // top subnormal rounds up to normal
    // bfloat16.
    for (uint32_t h = 0; h < 65536; ++h) {
        const float f = tf::bf16_to_f32(uint16_t(h));
        uint32_t bits;
        std::memcpy(&bits, &f, 4);
        TFT_CHECK(bits == h << 16);
        if (!std::isnan(f)) TFT_CHECK(tf::f32_to_bf16(f) == h);
    }
    TFT_CHECK(tf::f32_to_bf16(1.0f + std::ldexp(1.0f, -8)) == 0x3f80);      // tie -> even
    TFT_CHECK(tf::f32_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)) == 0x3f82);  // tie -> even
    TFT_CHECK(std::isnan(tf::bf16_to_f32(tf::f32_to_bf16(NAN))));
}

// Every finite bit pattern of a 16-bit dtype (and every int8) through tf_matmul with an
// identity x: y[i, r] must be exactly the widened W[r, i] at every level.
void test_all_patterns(const std::vector<Ctx>& ctxs) {
    for (int32_t dtype : {TF_DTYPE_BF16, TF_DTYPE_F16, TF_DTYPE_I8}) {
        std::vector<uint16_t> pat16;
        std::vector<int8_t> pat8;
        if (dtype == TF_DTYPE_I8) {
            for (int v = -128; v < 128; ++v) pat8.push_back(int8_t(v));
        } else {
            for (uint32_t h = 0; h < 65536; ++h) {
                const float f = dtype == TF_DTYPE_BF16 ? tf::bf16_to_f32(uint16_t(h)) : tf::f16_to_f32(uint16_t(h));
                if (std::isfinite(f)) pat16.push_back(uint16_t(h));
            }
        }
        const int64_t cols = 16;
        const int64_t n = dtype == TF_DTYPE_I8 ? int64_t(pat8.size()) : int64_t(pat16.size());
        TFT_CHECK(n % cols == 0);
        const int64_t rows = n / cols;
        std::vector<float> ones(size_t(rows), 1.0f);
        tf_matrix mat{dtype == TF_DTYPE_I8 ? static_cast<const void*>(pat8.data()) : pat16.data(),
                      dtype == TF_DTYPE_I8 ? ones.data() : nullptr, rows, cols, dtype};
        std::vector<float> x(size_t(cols * cols), 0.0f);
        for (int64_t i = 0; i < cols; ++i) x[size_t(i * cols + i)] = 1.0f;
        for (const Ctx& c : ctxs) {
            std::vector<float> y(size_t(cols * rows), NAN);
            TFT_CHECK_OK(tf_matmul(c.ctx, x.data(), cols, &mat, y.data()));
            int bad = 0;
            for (int64_t r = 0; r < rows; ++r) {
                for (int64_t i = 0; i < cols; ++i) {
                    const int64_t k = r * cols + i;
                    const float want = dtype == TF_DTYPE_I8 ? float(pat8[size_t(k)])
                                       : dtype == TF_DTYPE_BF16 ? tf::bf16_to_f32(pat16[size_t(k)])
                                                                : tf::f16_to_f32(pat16[size_t(k)]);
                    const float got = y[size_t(i * rows + r)];
                    if (got != want && bad++ < 3) {
                        std::fprintf(stderr, "  %s %s pattern %lld: got %.9g want %.9g\n", tf::dtype_name(dtype),
                                     tft::simd_name(c.simd), (long long)k, double(got), double(want));
                    }
                }
            }
            if (bad) ++tft::g_failures;
        }
    }
}

void test_bad_arguments(tf_context* ctx) {
    const Weights w = make_weights(TF_DTYPE_F32, 4, 8, 5);
    tf_matrix mat = w.mat();
    std::vector<float> x(16, 1.0f), y(8, 0.0f);
    TFT_CHECK(tft::has_error(tf_matmul(nullptr, x.data(), 2, &mat, y.data()), TF_ERR_INVALID_ARGUMENT, "ctx is NULL"));
    TFT_CHECK(tft::has_error(tf_matmul(ctx, nullptr, 2, &mat, y.data()), TF_ERR_INVALID_ARGUMENT, "x is NULL"));
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), 2, nullptr, y.data()), TF_ERR_INVALID_ARGUMENT, "w is NULL"));
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), 2, &mat, nullptr), TF_ERR_INVALID_ARGUMENT, "y is NULL"));
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), -1, &mat, y.data()), TF_ERR_INVALID_ARGUMENT, "m = -1"));
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), 2, &mat, x.data() + 4), TF_ERR_INVALID_ARGUMENT, "overlap"));
    tf_matrix bad = mat;
    bad.rows = -4;
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), 2, &bad, y.data()), TF_ERR_INVALID_ARGUMENT, "negative shape"));
    bad = mat;
    bad.dtype = 9;
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), 2, &bad, y.data()), TF_ERR_INVALID_ARGUMENT, "w.dtype 9"));
    bad = mat;
    bad.data = nullptr;
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), 2, &bad, y.data()), TF_ERR_INVALID_ARGUMENT, "w.data is NULL"));
    bad = mat;
    bad.dtype = TF_DTYPE_I8;
    bad.scales = nullptr;
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), 2, &bad, y.data()), TF_ERR_INVALID_ARGUMENT, "w.scales is NULL"));
    bad = mat;
    bad.rows = int64_t(1) << 40;
    bad.cols = int64_t(1) << 40;
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), 2, &bad, y.data()), TF_ERR_INVALID_ARGUMENT, "overflows"));
    bad = mat;
    bad.rows = int64_t(1) << 61;
    bad.cols = 1;  // 2^61 floats = 2^63 bytes: not addressable
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), 2, &bad, y.data()), TF_ERR_INVALID_ARGUMENT, "overflows"));
    TFT_CHECK(tft::has_error(tf_matmul(ctx, x.data(), int64_t(1) << 62, &mat, y.data()), TF_ERR_INVALID_ARGUMENT,
                        "x size"));
    // Empty products are fine: m = 0 with NULL x / y, cols = 0 gives zeros.
    TFT_CHECK_OK(tf_matmul(ctx, nullptr, 0, &mat, nullptr));
    bad = mat;
    bad.cols = 0;
    y.assign(8, 5.0f);
    TFT_CHECK_OK(tf_matmul(ctx, nullptr, 2, &bad, y.data()));
    TFT_CHECK(y[0] == 0.0f && y[7] == 0.0f);
    TFT_CHECK(tf_last_error()[0] == '\0');
}

}  // namespace

int main() {
    std::vector<Ctx> ctxs = tft::contexts_at_every_level();
    TFT_CHECK(!ctxs.empty() && ctxs[0].simd == TF_SIMD_SCALAR);
    test_conversions();
    test_random_shapes(ctxs);
    test_large(ctxs);
    test_row_invariance(ctxs);
    test_all_patterns(ctxs);
    test_bad_arguments(ctxs[0].ctx);
    for (const Ctx& c : ctxs) tf_context_free(c.ctx);
    return tft::finish("test_matmul");
}
