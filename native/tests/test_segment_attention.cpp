// HAT's ops (segment_attention.cpp): tf_segment_attention against a plain double-precision loop
// (GQA, ranges of 1 .. many keys, every SIMD level's context, 1 and 3 threads), and
// tf_stack_rope against a plain rotation with theta (rotate-half and interleaved); then errors.
#include <cmath>
#include <vector>

#include "test_util.h"

namespace {

// The reference: per query and head, softmax over its key range of (q·k)/sqrt(d), then · v.
std::vector<float> reference(const std::vector<float>& q, const std::vector<float>& k, const std::vector<float>& v,
                             const std::vector<int64_t>& begin, const std::vector<int64_t>& end, int32_t heads,
                             int32_t kv_heads, int32_t d) {
    const int64_t n_q = int64_t(begin.size());
    std::vector<float> out(size_t(n_q * heads * d));
    for (int64_t i = 0; i < n_q; ++i) {
        for (int32_t h = 0; h < heads; ++h) {
            const int32_t g = h / (heads / kv_heads);
            std::vector<double> s;
            double mx = -INFINITY;
            for (int64_t t = begin[size_t(i)]; t < end[size_t(i)]; ++t) {
                double dot = 0;
                for (int32_t c = 0; c < d; ++c)
                    dot += double(q[size_t((i * heads + h) * d + c)]) * k[size_t((t * kv_heads + g) * d + c)];
                s.push_back(dot / std::sqrt(double(d)));
                mx = std::max(mx, s.back());
            }
            double sum = 0;
            for (double& x : s) sum += (x = std::exp(x - mx));
            for (int32_t c = 0; c < d; ++c) {
                double acc = 0;
                for (size_t j = 0; j < s.size(); ++j)
                    acc += s[j] / sum * v[size_t(((begin[size_t(i)] + int64_t(j)) * kv_heads + g) * d + c)];
                out[size_t((i * heads + h) * d + c)] = float(acc);
            }
        }
    }
    return out;
}

void check_attention(tf_context* ctx) {
    const int32_t heads = 8, kv_heads = 2, d = 8;
    // Words of 1, 5, 2, 12 and 3 keys over 23 keys; a query may also see a range that is not
    // its own word's (the op takes any ranges).
    const std::vector<int64_t> begin = {0, 1, 6, 8, 20, 3};
    const std::vector<int64_t> end = {1, 6, 8, 20, 23, 17};
    const int64_t n_q = int64_t(begin.size()), n_k = 23;
    auto q = tft::random_floats(size_t(n_q * heads * d), 11, -2, 2);
    auto k = tft::random_floats(size_t(n_k * kv_heads * d), 12, -2, 2);
    auto v = tft::random_floats(size_t(n_k * kv_heads * d), 13);
    std::vector<float> out(q.size());
    TFT_CHECK_OK(tf_segment_attention(ctx, q.data(), n_q, k.data(), v.data(), n_k, begin.data(), end.data(), heads,
                                      kv_heads, d, out.data()));
    auto want = reference(q, k, v, begin, end, heads, kv_heads, d);
    tft::close("segment attention", out.data(), want.data(), out.size(), 1e-5);

    // A one-key range returns that key's value exactly (softmax weight 1).
    for (int32_t c = 0; c < d; ++c) TFT_CHECK(out[size_t(c)] == v[size_t(c)]);

    // Errors name what is wrong.
    std::vector<int64_t> bad_end = end;
    bad_end[2] = 6;  // empty range
    TFT_CHECK(tft::has_error(tf_segment_attention(ctx, q.data(), n_q, k.data(), v.data(), n_k, begin.data(),
                                                  bad_end.data(), heads, kv_heads, d, out.data()),
                             TF_ERR_INVALID_ARGUMENT, "query 2 has the key range [6, 6)"));
    bad_end = end;
    bad_end[4] = 24;  // beyond n_k
    TFT_CHECK(tft::has_error(tf_segment_attention(ctx, q.data(), n_q, k.data(), v.data(), n_k, begin.data(),
                                                  bad_end.data(), heads, kv_heads, d, out.data()),
                             TF_ERR_INVALID_ARGUMENT, "query 4"));
    TFT_CHECK(tft::has_error(tf_segment_attention(ctx, q.data(), n_q, k.data(), v.data(), n_k, begin.data(), end.data(),
                                                  heads, 3, d, out.data()),
                             TF_ERR_INVALID_ARGUMENT, "n_kv_heads 3 must divide n_heads 8"));
}

void check_stack_rope(tf_context* ctx, int32_t kind) {
    const int32_t hidden = 32, heads = 4, d = 8, positions = 40;
    const float theta = 500.f;
    tf_stack_params p;
    tf_stack_params_init(&p);
    p.hidden_size = hidden;
    p.n_layers = 1;
    p.n_heads = heads;
    p.intermediate_size = 16;
    p.max_positions = positions;
    p.rope_kind = kind;
    p.rope_theta = theta;
    tf_stack* s = nullptr;
    TFT_CHECK_OK(tf_stack_create(ctx, &p, &s));
    if (s == nullptr) return;
    // The connector rotates vectors of its own head count (here 6 heads of the stack's size 8).
    const int32_t x_heads = 6;
    const std::vector<int32_t> pos = {0, 3, 39, 17};
    auto x = tft::random_floats(size_t(pos.size()) * x_heads * d, 21);
    auto want = x;
    for (size_t r = 0; r < pos.size(); ++r) {
        for (int32_t h = 0; h < x_heads; ++h) {
            float* u = want.data() + (r * x_heads + size_t(h)) * d;
            for (int32_t i = 0; i < d / 2; ++i) {
                const double angle = double(pos[r]) * std::pow(double(theta), -2.0 * i / d);
                const int32_t a = kind == TF_ROPE_ROTATE_HALF ? i : 2 * i;
                const int32_t b = kind == TF_ROPE_ROTATE_HALF ? i + d / 2 : 2 * i + 1;
                const double xa = u[a], xb = u[b];
                u[a] = float(xa * std::cos(angle) - xb * std::sin(angle));
                u[b] = float(xa * std::sin(angle) + xb * std::cos(angle));
            }
        }
    }
    TFT_CHECK_OK(tf_stack_rope(s, x.data(), int64_t(pos.size()), x_heads, pos.data()));
    tft::close(kind == TF_ROPE_ROTATE_HALF ? "stack rope (rotate-half)" : "stack rope (interleaved)", x.data(),
               want.data(), x.size(), 2e-5);
    const int32_t outside[] = {40};
    TFT_CHECK(tft::has_error(tf_stack_rope(s, x.data(), 1, x_heads, outside), TF_ERR_INVALID_ARGUMENT,
                             "positions[0] = 40 is outside [0, max_positions = 40)"));
    tf_stack_free(s);
}

}  // namespace

int main() {
    for (const auto& lc : tft::contexts_at_every_level()) {
        std::printf("simd %s, %d thread(s)\n", tft::simd_name(lc.simd), lc.threads);
        check_attention(lc.ctx);
        check_stack_rope(lc.ctx, TF_ROPE_ROTATE_HALF);
        check_stack_rope(lc.ctx, TF_ROPE_INTERLEAVED);
        tf_context_free(lc.ctx);
    }
    return tft::finish("test_segment_attention");
}
