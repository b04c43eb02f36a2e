// tf_sigmoid, tf_softmax and tf_word_scores (docs/spec/tfree.md §6.2), with the scalar reference kernels
// of the element-wise pieces (the SIMD ones are in avx2/ and avx512/activations_*.cpp).
//
// Numerics:
//   sigmoid  1/(1+e) for x >= 0, e/(1+e) for x < 0, e = exp(-|x|): never overflows.
//   softmax  max, exp(x - max), sum in double, scale by float(1/sum). The vector is cut
//            in fixed blocks of SOFTMAX_BLOCK (independent of the thread count), the
//            per-block maxima and double sums are combined in block order, so the result
//            does not depend on the number of threads.
//   scores   a = sigmoid(logits) (at ctx's level), A = Σ a in double, rounded to float;
//            per word, in stored order and in f32: s_I = Σ_I a, s_E = Σ_E a,
//            s = s_I + λ·s_E, score = s/(P·n) + (s − A)/(V − P·n) (integers converted to
//            float, as torch does). Words with P·n = V divide by zero (±inf / NaN), as the
//            reference does. Parallel over words; results independent of the thread count.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <new>
#include <string>
#include <vector>

#include "context.h"
#include "cuda_backend.h"
#include "dtype.h"
#include "kernels.h"
#include "status.h"
#include "word_patterns.h"

namespace tf {
namespace scalar {

void sigmoid(const float* x, int64_t n, float* out) {
    for (int64_t i = 0; i < n; ++i) {
        const float v = x[i];
        const float e = std::exp(-std::fabs(v));
        out[i] = (std::signbit(v) ? e : 1.0f) / (1.0f + e);
    }
}

float max_value(const float* x, int64_t n) {
    float m = -std::numeric_limits<float>::infinity();
    for (int64_t i = 0; i < n; ++i) m = std::max(m, x[i]);
    return m;
}

double exp_shifted_sum(const float* x, int64_t n, float mx, float* out) {
    double s = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        out[i] = std::exp(x[i] - mx);
        s += double(out[i]);
    }
    return s;
}

void scale(float* x, int64_t n, float s) {
    for (int64_t i = 0; i < n; ++i) x[i] *= s;
}

}  // namespace scalar
}  // namespace tf

namespace {

constexpr int64_t SOFTMAX_BLOCK = 8192;

void atomic_min(std::atomic<int64_t>& a, int64_t v) {
    int64_t cur = a.load(std::memory_order_relaxed);
    while (v < cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
    }
}

// Σ a[ids[k]] for k in [b, e), f32 sequential; false if an id is out of [0, vocab).
inline bool gather_sum(const float* a, const int32_t* ids, int64_t b, int64_t e, int64_t vocab, float* out) {
    float s = 0.0f;
    for (int64_t k = b; k < e; ++k) {
        const int32_t id = ids[k];
        if (id < 0 || id >= vocab) return false;
        s += a[id];
    }
    *out = s;
    return true;
}

// The sigmoid row of one call, in a buffer of the calling thread that only grows: decode steps
// reuse it instead of allocating vocab floats per generated word (the pool's workers use it
// through the returned pointer). Freed when the calling thread exits.
float* sigmoid_scratch(int64_t vocab) {
    thread_local std::vector<float> buf;
    if (buf.size() < static_cast<size_t>(vocab)) buf.resize(static_cast<size_t>(vocab));
    return buf.data();
}

}  // namespace

extern "C" {

TF_API tf_status tf_sigmoid(tf_context* ctx, const float* x, int64_t count, float* out) {
    try {
        TF_CHECK_ARG(ctx != nullptr, "tf_sigmoid: ctx is NULL");
        TF_CHECK_ARG(count >= 0, "tf_sigmoid: count = " + std::to_string(count) + " is negative");
        int64_t n = 0;
        TF_CHECK_ARG(tf::mul_size(count, 1, sizeof(float), &n), "tf_sigmoid: count is too large");
        TF_CHECK_ARG(n == 0 || x != nullptr, "tf_sigmoid: x is NULL");
        TF_CHECK_ARG(n == 0 || out != nullptr, "tf_sigmoid: out is NULL");
        if (tf::cuda::active(ctx) && n > 0) {
            return tf::cuda::result(ctx, ctx->plugin->sigmoid(ctx->cuda, x, n, out), "tf_sigmoid");
        }
        const tf::KernelTable& k = tf::kernels_for(ctx->simd);
        tf::parallel_for(ctx, n, 16384, [&](int64_t b, int64_t e) { k.sigmoid(x + b, e - b, out + b); });
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_sigmoid: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_sigmoid: unexpected exception");
    }
}

TF_API tf_status tf_softmax(tf_context* ctx, const float* x, int64_t count, float* out) {
    try {
        TF_CHECK_ARG(ctx != nullptr, "tf_softmax: ctx is NULL");
        TF_CHECK_ARG(count >= 0, "tf_softmax: count = " + std::to_string(count) + " is negative");
        int64_t n = 0;
        TF_CHECK_ARG(tf::mul_size(count, 1, sizeof(float), &n), "tf_softmax: count is too large");
        TF_CHECK_ARG(n == 0 || x != nullptr, "tf_softmax: x is NULL");
        TF_CHECK_ARG(n == 0 || out != nullptr, "tf_softmax: out is NULL");
        if (n == 0) return tf::ok();
        if (tf::cuda::active(ctx)) return tf::cuda::result(ctx, ctx->plugin->softmax(ctx->cuda, x, n, out), "tf_softmax");
        const tf::KernelTable& k = tf::kernels_for(ctx->simd);
        const int64_t blocks = (n + SOFTMAX_BLOCK - 1) / SOFTMAX_BLOCK;
        auto block_len = [&](int64_t b) { return std::min(SOFTMAX_BLOCK, n - b * SOFTMAX_BLOCK); };
        // Buffers of the calling thread that only grow: a decode step's softmax allocates
        // nothing. (The pool's workers use them through these pointers.)
        thread_local std::vector<float> max_scratch;
        thread_local std::vector<double> sum_scratch;
        if (max_scratch.size() < size_t(blocks)) {
            max_scratch.resize(size_t(blocks));
            sum_scratch.resize(size_t(blocks));
        }
        float* block_max = max_scratch.data();
        double* block_sum = sum_scratch.data();
        constexpr int64_t GRAIN = 4;  // blocks per task
        tf::parallel_for(ctx, blocks, GRAIN, [&](int64_t b0, int64_t b1) {
            for (int64_t b = b0; b < b1; ++b) block_max[b] = k.max_value(x + b * SOFTMAX_BLOCK, block_len(b));
        });
        float mx = block_max[0];
        for (int64_t b = 1; b < blocks; ++b) mx = std::max(mx, block_max[b]);
        tf::parallel_for(ctx, blocks, GRAIN, [&](int64_t b0, int64_t b1) {
            for (int64_t b = b0; b < b1; ++b) {
                block_sum[b] = k.exp_shifted_sum(x + b * SOFTMAX_BLOCK, block_len(b), mx, out + b * SOFTMAX_BLOCK);
            }
        });
        double sum = 0.0;
        for (int64_t b = 0; b < blocks; ++b) sum += block_sum[b];
        const float inv = float(1.0 / sum);
        tf::parallel_for(ctx, blocks, GRAIN, [&](int64_t b0, int64_t b1) {
            for (int64_t b = b0; b < b1; ++b) k.scale(out + b * SOFTMAX_BLOCK, block_len(b), inv);
        });
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_softmax: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_softmax: unexpected exception");
    }
}

TF_API tf_status tf_word_scores(tf_context* ctx, const float* logits, int64_t vocab, const tf_word_patterns* patterns,
                                int32_t population, float edge_weight, float* scores) {
    try {
        TF_CHECK_ARG(ctx != nullptr, "tf_word_scores: ctx is NULL");
        TF_CHECK_ARG(vocab >= 1, "tf_word_scores: vocab = " + std::to_string(vocab) + " must be >= 1");
        int64_t nv = 0;
        TF_CHECK_ARG(tf::mul_size(vocab, 1, sizeof(float), &nv), "tf_word_scores: vocab is too large");
        TF_CHECK_ARG(logits != nullptr, "tf_word_scores: logits is NULL");
        TF_CHECK_ARG(patterns != nullptr, "tf_word_scores: patterns is NULL");
        TF_CHECK_ARG(population >= 1,
                     "tf_word_scores: population = " + std::to_string(population) + " must be >= 1");
        const tf_word_patterns& p = *patterns;
        const int64_t n_words = p.n_words;
        TF_CHECK_ARG(n_words >= 0, "tf_word_scores: patterns.n_words = " + std::to_string(n_words) + " is negative");
        int64_t n_off = 0;
        TF_CHECK_ARG(n_words < std::numeric_limits<int64_t>::max() &&
                         tf::mul_size(n_words + 1, 1, sizeof(int64_t), &n_off),
                     "tf_word_scores: patterns.n_words is too large");
        TF_CHECK_ARG(p.offsets != nullptr, "tf_word_scores: patterns.offsets is NULL");
        TF_CHECK_ARG(p.edge_offsets != nullptr, "tf_word_scores: patterns.edge_offsets is NULL");
        TF_CHECK_ARG(n_words == 0 || p.n_trigrams != nullptr, "tf_word_scores: patterns.n_trigrams is NULL");
        TF_CHECK_ARG(n_words == 0 || scores != nullptr, "tf_word_scores: scores is NULL");
        TF_CHECK_ARG(p.offsets[0] == 0,
                     "tf_word_scores: patterns.offsets[0] = " + std::to_string(p.offsets[0]) + " must be 0");
        TF_CHECK_ARG(p.edge_offsets[0] == 0, "tf_word_scores: patterns.edge_offsets[0] = " +
                                                 std::to_string(p.edge_offsets[0]) + " must be 0");

        if (tf::cuda::active(ctx)) {
            // The device kernel trusts its ids: every check first, with the CPU path's messages.
            if (const tf_status st = tf::check_word_patterns(ctx, patterns, vocab, "tf_word_scores"); st != TF_OK) return st;
            if (n_words == 0) return tf::ok();
            return tf::cuda::result(
                ctx, ctx->plugin->word_scores(ctx->cuda, logits, vocab, patterns, population, edge_weight, scores),
                "tf_word_scores");
        }
        // 1. Offsets and n_trigrams, all words, before any id is read: only when the offsets
        //    are non-decreasing everywhere do they stay inside [0, offsets[n_words]).
        constexpr int64_t GRAIN = 2048;  // words per task
        std::atomic<int64_t> first_bad{n_words};
        tf::parallel_for(ctx, n_words, GRAIN, [&](int64_t b, int64_t e) {
            for (int64_t w = b; w < e; ++w) {
                if (!tf::pattern_offsets_ok(p.offsets, w) || !tf::pattern_offsets_ok(p.edge_offsets, w) || p.n_trigrams[w] < 1) {
                    atomic_min(first_bad, w);
                    return;
                }
            }
        });
        if (const int64_t w = first_bad.load(); w < n_words) {
            return tf::fail(TF_ERR_INVALID_ARGUMENT, tf::pattern_shape_error(p, w, "tf_word_scores"));
        }
        TF_CHECK_ARG(p.offsets[n_words] == 0 || p.ids != nullptr, "tf_word_scores: patterns.ids is NULL");
        TF_CHECK_ARG(p.edge_offsets[n_words] == 0 || p.edge_ids != nullptr,
                     "tf_word_scores: patterns.edge_ids is NULL");

        // 2. a = sigmoid(logits), A = Σ a in double.
        const tf::KernelTable& k = tf::kernels_for(ctx->simd);
        float* a = sigmoid_scratch(vocab);
        tf::parallel_for(ctx, vocab, 16384, [&](int64_t b, int64_t e) { k.sigmoid(logits + b, e - b, a + b); });
        double total = 0.0;
        for (int64_t v = 0; v < vocab; ++v) total += double(a[v]);
        const float A = float(total);

        // 3. Scores, checking every id on the way (a bad word gets no score).
        tf::parallel_for(ctx, n_words, GRAIN, [&](int64_t b, int64_t e) {
            for (int64_t w = b; w < e; ++w) {
                float s_i, s_e;
                if (!gather_sum(a, p.ids, p.offsets[w], p.offsets[w + 1], vocab, &s_i) ||
                    !gather_sum(a, p.edge_ids, p.edge_offsets[w], p.edge_offsets[w + 1], vocab, &s_e)) {
                    atomic_min(first_bad, w);
                    continue;
                }
                const float s = s_i + edge_weight * s_e;
                const int64_t pn = int64_t(population) * int64_t(p.n_trigrams[w]);
                scores[w] = s / float(pn) + (s - A) / float(vocab - pn);
            }
        });
        if (const int64_t w = first_bad.load(); w < n_words) {
            return tf::fail(TF_ERR_INVALID_ARGUMENT, tf::pattern_id_error(p, w, vocab, "tf_word_scores"));
        }
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_word_scores: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_word_scores: unexpected exception");
    }
}

}  // extern "C"
