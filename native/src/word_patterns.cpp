#include "word_patterns.h"

#include <atomic>
#include <limits>

#include "context.h"
#include "dtype.h"
#include "status.h"

namespace tf {

namespace {

void atomic_min(std::atomic<int64_t>& a, int64_t v) {
    int64_t cur = a.load(std::memory_order_relaxed);
    while (v < cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
    }
}

bool ids_in_range(const int32_t* ids, int64_t b, int64_t e, int64_t vocab) {
    for (int64_t k = b; k < e; ++k) {
        if (ids[k] < 0 || ids[k] >= vocab) return false;
    }
    return true;
}

}  // namespace

std::string pattern_shape_error(const tf_word_patterns& p, int64_t w, const char* who) {
    const std::string word = std::string(who) + ": word " + std::to_string(w) + ": ";
    if (!pattern_offsets_ok(p.offsets, w)) {
        return word + "patterns.offsets decrease (offsets[" + std::to_string(w) + "] = " +
               std::to_string(p.offsets[w]) + " > offsets[" + std::to_string(w + 1) +
               "] = " + std::to_string(p.offsets[w + 1]) + ")";
    }
    if (!pattern_offsets_ok(p.edge_offsets, w)) {
        return word + "patterns.edge_offsets decrease (edge_offsets[" + std::to_string(w) + "] = " +
               std::to_string(p.edge_offsets[w]) + " > edge_offsets[" + std::to_string(w + 1) +
               "] = " + std::to_string(p.edge_offsets[w + 1]) + ")";
    }
    if (p.n_trigrams[w] < 1) {
        return word + "patterns.n_trigrams[" + std::to_string(w) + "] = " + std::to_string(p.n_trigrams[w]) +
               " must be >= 1";
    }
    return "";
}

std::string pattern_id_error(const tf_word_patterns& p, int64_t w, int64_t vocab, const char* who) {
    const std::string word = std::string(who) + ": word " + std::to_string(w) + ": ";
    for (int64_t k = p.offsets[w]; k < p.offsets[w + 1]; ++k) {
        if (p.ids[k] < 0 || p.ids[k] >= vocab) {
            return word + "patterns.ids[" + std::to_string(k) + "] = " + std::to_string(p.ids[k]) +
                   " is out of [0, " + std::to_string(vocab) + ")";
        }
    }
    for (int64_t k = p.edge_offsets[w]; k < p.edge_offsets[w + 1]; ++k) {
        if (p.edge_ids[k] < 0 || p.edge_ids[k] >= vocab) {
            return word + "patterns.edge_ids[" + std::to_string(k) + "] = " + std::to_string(p.edge_ids[k]) +
                   " is out of [0, " + std::to_string(vocab) + ")";
        }
    }
    return "";
}

tf_status check_word_patterns(tf_context* ctx, const tf_word_patterns* patterns, int64_t vocab, const char* who) {
    const std::string fn = who;
    TF_CHECK_ARG(patterns != nullptr, fn + ": patterns is NULL");
    const tf_word_patterns& p = *patterns;
    const int64_t n_words = p.n_words;
    TF_CHECK_ARG(n_words >= 0, fn + ": patterns.n_words = " + std::to_string(n_words) + " is negative");
    int64_t n_off = 0;
    TF_CHECK_ARG(n_words < std::numeric_limits<int64_t>::max() && mul_size(n_words + 1, 1, sizeof(int64_t), &n_off),
                 fn + ": patterns.n_words is too large");
    TF_CHECK_ARG(p.offsets != nullptr, fn + ": patterns.offsets is NULL");
    TF_CHECK_ARG(p.edge_offsets != nullptr, fn + ": patterns.edge_offsets is NULL");
    TF_CHECK_ARG(n_words == 0 || p.n_trigrams != nullptr, fn + ": patterns.n_trigrams is NULL");
    TF_CHECK_ARG(p.offsets[0] == 0, fn + ": patterns.offsets[0] = " + std::to_string(p.offsets[0]) + " must be 0");
    TF_CHECK_ARG(p.edge_offsets[0] == 0,
                 fn + ": patterns.edge_offsets[0] = " + std::to_string(p.edge_offsets[0]) + " must be 0");
    // Offsets and n_trigrams of all words before any id is read: only when the offsets are
    // non-decreasing everywhere do they stay inside [0, offsets[n_words]).
    constexpr int64_t GRAIN = 2048;  // words per task
    std::atomic<int64_t> first_bad{n_words};
    parallel_for(ctx, n_words, GRAIN, [&](int64_t b, int64_t e) {
        for (int64_t w = b; w < e; ++w) {
            if (!pattern_offsets_ok(p.offsets, w) || !pattern_offsets_ok(p.edge_offsets, w) || p.n_trigrams[w] < 1) {
                atomic_min(first_bad, w);
                return;
            }
        }
    });
    if (const int64_t w = first_bad.load(); w < n_words) {
        return fail(TF_ERR_INVALID_ARGUMENT, pattern_shape_error(p, w, who));
    }
    TF_CHECK_ARG(p.offsets[n_words] == 0 || p.ids != nullptr, fn + ": patterns.ids is NULL");
    TF_CHECK_ARG(p.edge_offsets[n_words] == 0 || p.edge_ids != nullptr, fn + ": patterns.edge_ids is NULL");
    parallel_for(ctx, n_words, GRAIN, [&](int64_t b, int64_t e) {
        for (int64_t w = b; w < e; ++w) {
            if (!ids_in_range(p.ids, p.offsets[w], p.offsets[w + 1], vocab) ||
                !ids_in_range(p.edge_ids, p.edge_offsets[w], p.edge_offsets[w + 1], vocab)) {
                atomic_min(first_bad, w);
                return;
            }
        }
    });
    if (const int64_t w = first_bad.load(); w < n_words) {
        return fail(TF_ERR_INVALID_ARGUMENT, pattern_id_error(p, w, vocab, who));
    }
    return TF_OK;
}

}  // namespace tf
