// tf_rmsnorm, tf_rope, tf_swiglu, tf_add: against plain reference loops at every SIMD level
// and thread count, odd sizes, in-place use, a hand-checked rotation, and bad arguments.
#include <cstring>
#include <tuple>
#include <utility>

#include "test_util.h"

namespace {

// out = x / sqrt(mean(x²) + eps) * w, in double.
std::vector<float> ref_rmsnorm(const std::vector<float>& x, int64_t n, int64_t dim, const std::vector<float>& w,
                               float eps) {
    std::vector<float> out(x.size());
    for (int64_t r = 0; r < n; ++r) {
        double ss = 0;
        for (int64_t c = 0; c < dim; ++c) ss += double(x[r * dim + c]) * x[r * dim + c];
        const double inv = 1.0 / std::sqrt(ss / double(dim) + eps);
        for (int64_t c = 0; c < dim; ++c) out[r * dim + c] = float(double(x[r * dim + c]) * inv * w[c]);
    }
    return out;
}

// A (cos, sin) table [positions, d/2, 2] from float32 angles p·inv_freq[i] (docs/spec/tfree.md §5).
std::vector<float> rope_table(int64_t positions, int32_t d, float base = 10000.f) {
    std::vector<float> t(size_t(positions * d));
    for (int64_t p = 0; p < positions; ++p)
        for (int32_t i = 0; i < d / 2; ++i) {
            const float inv_freq = 1.0f / std::pow(base, float(2 * i) / float(d));
            const float angle = float(p) * inv_freq;
            t[p * d + 2 * i] = std::cos(angle);
            t[p * d + 2 * i + 1] = std::sin(angle);
        }
    return t;
}

std::vector<float> ref_rope(std::vector<float> x, int64_t n, int32_t heads, int32_t d, const std::vector<int32_t>& pos,
                            const std::vector<float>& table) {
    for (int64_t r = 0; r < n; ++r)
        for (int32_t h = 0; h < heads; ++h)
            for (int32_t i = 0; i < d / 2; ++i) {
                float* u = &x[r * heads * d + h * d + 2 * i];
                const double c = table[pos[r] * d + 2 * i], s = table[pos[r] * d + 2 * i + 1];
                const double a = u[0], b = u[1];
                u[0] = float(a * c - b * s);
                u[1] = float(a * s + b * c);
            }
    return x;
}

void test_rmsnorm(tf_context* ctx) {
    for (auto [n, dim] : {std::pair<int64_t, int64_t>{1, 1}, {3, 7}, {5, 37}, {17, 64}, {64, 1031}}) {
        auto x = tft::random_floats(size_t(n * dim), uint32_t(n * 131 + dim), -3.f, 3.f);
        auto w = tft::random_floats(size_t(dim), uint32_t(dim), 0.5f, 1.5f);
        const float eps = 1e-5f;
        auto want = ref_rmsnorm(x, n, dim, w, eps);
        std::vector<float> got(x.size());
        TFT_CHECK_OK(tf_rmsnorm(ctx, x.data(), n, dim, w.data(), eps, got.data()));
        tft::close("rmsnorm", got.data(), want.data(), got.size(), 2e-6);
        TFT_CHECK_OK(tf_rmsnorm(ctx, x.data(), n, dim, w.data(), eps, x.data()));  // in place
        TFT_CHECK(std::memcmp(x.data(), got.data(), sizeof(float) * x.size()) == 0);
    }
    // A zero row is eps-guarded: finite zeros out.
    std::vector<float> z(8, 0.f), w(8, 1.f), out(8, 9.f);
    TFT_CHECK_OK(tf_rmsnorm(ctx, z.data(), 1, 8, w.data(), 1e-5f, out.data()));
    for (float v : out) TFT_CHECK(v == 0.f);
    TFT_CHECK_OK(tf_rmsnorm(ctx, z.data(), 0, 8, w.data(), 1e-5f, out.data()));  // n = 0: nothing
}

void test_rope(tf_context* ctx) {
    // Hand check: (1, 0) rotated by θ is (cos θ, sin θ); (0, 1) becomes (−sin θ, cos θ).
    {
        const float theta = 0.7f;
        std::vector<float> table = {1.f, 0.f, std::cos(theta), std::sin(theta)};  // 2 positions, d = 2
        std::vector<float> x = {1.f, 0.f, 0.f, 1.f};                                // 2 heads of d = 2
        std::vector<int32_t> pos = {1};
        TFT_CHECK_OK(tf_rope(ctx, x.data(), 1, 2, 2, pos.data(), table.data(), 2));
        TFT_CHECK(std::fabs(x[0] - std::cos(theta)) < 1e-7f && std::fabs(x[1] - std::sin(theta)) < 1e-7f);
        TFT_CHECK(std::fabs(x[2] + std::sin(theta)) < 1e-7f && std::fabs(x[3] - std::cos(theta)) < 1e-7f);
        pos[0] = 0;  // position 0 is the identity
        std::vector<float> y = {0.3f, -0.4f, 2.f, 5.f};
        auto y0 = y;
        TFT_CHECK_OK(tf_rope(ctx, y.data(), 1, 2, 2, pos.data(), table.data(), 2));
        TFT_CHECK(y == y0);
    }
    for (auto [n, heads, d] : {std::tuple<int64_t, int32_t, int32_t>{1, 1, 2}, {5, 3, 6}, {9, 2, 18}, {33, 4, 64}}) {
        const int64_t positions = 50;
        auto table = rope_table(positions, d);
        auto x = tft::random_floats(size_t(n * heads * d), uint32_t(n + heads * 7 + d));
        std::vector<int32_t> pos(static_cast<size_t>(n));
        for (int64_t r = 0; r < n; ++r) pos[r] = int32_t((r * 7 + 3) % positions);
        auto want = ref_rope(x, n, heads, d, pos, table);
        TFT_CHECK_OK(tf_rope(ctx, x.data(), n, heads, d, pos.data(), table.data(), positions));
        tft::close("rope", x.data(), want.data(), x.size(), 1e-6);
    }
}

void test_swiglu_add(tf_context* ctx) {
    const int64_t count = 100003;  // odd, several tasks
    auto g = tft::random_floats(size_t(count), 1, -20.f, 20.f);
    auto u = tft::random_floats(size_t(count), 2);
    g[0] = -200.f;  // exp overflow must give -0, not NaN
    std::vector<float> want(g.size()), got(g.size());
    for (int64_t i = 0; i < count; ++i) want[i] = float(double(g[i]) / (1.0 + std::exp(-double(g[i]))) * u[i]);
    TFT_CHECK_OK(tf_swiglu(ctx, g.data(), u.data(), count, got.data()));
    tft::close("swiglu", got.data(), want.data(), got.size(), 1e-6);
    TFT_CHECK_OK(tf_swiglu(ctx, g.data(), u.data(), count, g.data()));  // out aliases gate
    TFT_CHECK(std::memcmp(g.data(), got.data(), sizeof(float) * got.size()) == 0);

    auto x = tft::random_floats(size_t(count), 3), y = tft::random_floats(size_t(count), 4);
    std::vector<float> sum(x.size());
    for (int64_t i = 0; i < count; ++i) sum[i] = x[i] + y[i];
    TFT_CHECK_OK(tf_add(ctx, x.data(), y.data(), count));
    TFT_CHECK(std::memcmp(x.data(), sum.data(), sizeof(float) * sum.size()) == 0);
}

bool error_mentions(const char* word) {
    const bool found = std::strstr(tf_last_error(), word) != nullptr;
    if (!found) std::fprintf(stderr, "  error '%s' does not mention '%s'\n", tf_last_error(), word);
    return found;
}

void test_bad_args(tf_context* ctx) {
    std::vector<float> x(16, 1.f), w(8, 1.f), table(8 * 8, 0.5f);
    std::vector<int32_t> pos = {0, 7};
    TFT_CHECK(tf_rmsnorm(nullptr, x.data(), 2, 8, w.data(), 1e-5f, x.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_rmsnorm(ctx, nullptr, 2, 8, w.data(), 1e-5f, x.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("x is NULL"));
    TFT_CHECK(tf_rmsnorm(ctx, x.data(), 2, 8, nullptr, 1e-5f, x.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("weight"));
    TFT_CHECK(tf_rmsnorm(ctx, x.data(), -1, 8, w.data(), 1e-5f, x.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_rmsnorm(ctx, x.data(), 2, 0, w.data(), 1e-5f, x.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("dim"));
    TFT_CHECK(tf_rmsnorm(ctx, x.data(), 2, 8, w.data(), NAN, x.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("eps"));

    // table: 8 positions of d = 8 (4 pairs · 2 floats); x: 2 rows of 1 head.
    TFT_CHECK_OK(tf_rope(ctx, x.data(), 2, 1, 8, pos.data() , table.data(), 8));
    TFT_CHECK(tf_rope(ctx, x.data(), 2, 1, 8, pos.data(), table.data(), 4) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("positions[1] = 7"));
    pos[1] = -1;
    TFT_CHECK(tf_rope(ctx, x.data(), 2, 1, 8, pos.data(), table.data(), 8) == TF_ERR_INVALID_ARGUMENT);
    pos[1] = 1;
    TFT_CHECK(tf_rope(ctx, x.data(), 2, 1, 7, pos.data(), table.data(), 8) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("head_dim"));
    TFT_CHECK(tf_rope(ctx, x.data(), 2, 0, 8, pos.data(), table.data(), 8) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("n_heads"));
    TFT_CHECK(tf_rope(ctx, x.data(), 2, 1, 8, nullptr, table.data(), 8) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_rope(ctx, x.data(), 2, 1, 8, pos.data(), nullptr, 8) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("table"));

    TFT_CHECK(tf_swiglu(ctx, x.data(), nullptr, 4, x.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("up"));
    TFT_CHECK(tf_swiglu(ctx, x.data(), x.data(), -4, x.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_add(ctx, x.data(), nullptr, 4) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(tf_add(ctx, x.data(), x.data(), -1) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(error_mentions("count"));
}

}  // namespace

int main() {
    for (int32_t simd : tft::simd_levels()) {
        for (int32_t threads : {1, 3}) {
            tf_context* ctx = tft::make_context(simd, threads);
            if (!ctx) continue;
            std::printf("  %s x%d\n", tft::simd_name(simd), threads);
            test_rmsnorm(ctx);
            test_rope(ctx);
            test_swiglu_add(ctx);
            test_bad_args(ctx);
            tf_context_free(ctx);
        }
    }
    return tft::finish("test_norm_rope");
}
