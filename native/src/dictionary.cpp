// tf_dictionary: a dictionary's word patterns copied once for repeated scoring.
// This first version keeps the CSR layout of tf_word_patterns and scores each row with
// tf_word_scores (a SIMD-friendly layout is future work).
#include <new>
#include <string>
#include <vector>

#include "context.h"
#include "cuda_dictionary.h"
#include "status.h"

struct tf_dictionary {
    tf_context* ctx;
    int64_t vocab;
    int32_t population;
    float edge_weight;
    std::vector<int64_t> offsets, edge_offsets;
    std::vector<int32_t> ids, edge_ids, n_trigrams;
    tf_word_patterns view() const {
        return tf_word_patterns{offsets.data(), ids.data(), edge_offsets.data(), edge_ids.data(),
                                n_trigrams.data(), int64_t(n_trigrams.size())};
    }
};

extern "C" {

TF_API tf_status tf_dictionary_create(tf_context* ctx, const tf_word_patterns* patterns, int64_t vocab,
                                      int32_t population, float edge_weight, tf_dictionary** out) {
    try {
        TF_CHECK_ARG(out != nullptr, "tf_dictionary_create: out is NULL");
        *out = nullptr;
        TF_CHECK_ARG(ctx != nullptr, "tf_dictionary_create: ctx is NULL");
        TF_CHECK_ARG(patterns != nullptr, "tf_dictionary_create: patterns is NULL");
        TF_CHECK_ARG(vocab >= 1, "tf_dictionary_create: vocab = " + std::to_string(vocab) + " must be >= 1");
        if (ctx->backend == TF_BACKEND_CUDA) return tf::cuda::dictionary_create(ctx, patterns, vocab, population, edge_weight, out);
        // Validates every offset and id (one scoring pass over zero logits).
        std::vector<float> zeros(size_t(vocab), 0.0f), scratch(size_t(patterns->n_words > 0 ? patterns->n_words : 0));
        tf_status st = tf_word_scores(ctx, zeros.data(), vocab, patterns, population, edge_weight, scratch.data());
        if (st != TF_OK) return tf::fail(st, std::string("tf_dictionary_create: ") + tf_last_error());
        const tf_word_patterns& p = *patterns;
        const int64_t n = p.n_words;
        auto* d = new tf_dictionary{ctx, vocab, population, edge_weight, {}, {}, {}, {}, {}};
        d->offsets.assign(p.offsets, p.offsets + n + 1);
        d->edge_offsets.assign(p.edge_offsets, p.edge_offsets + n + 1);
        d->ids.assign(p.ids, p.ids + p.offsets[n]);
        d->edge_ids.assign(p.edge_ids, p.edge_ids + p.edge_offsets[n]);
        d->n_trigrams.assign(p.n_trigrams, p.n_trigrams + n);
        *out = d;
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_dictionary_create: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_dictionary_create: unexpected exception");
    }
}

TF_API void tf_dictionary_free(tf_dictionary* dict) {
    if (tf::cuda::is_dictionary(dict)) return tf::cuda::dictionary_free(dict);
    delete dict;
}

TF_API int64_t tf_dictionary_words(const tf_dictionary* dict) {
    if (tf::cuda::is_dictionary(dict)) return tf::cuda::dictionary_words(dict);
    return dict ? int64_t(dict->n_trigrams.size()) : 0;
}

TF_API tf_status tf_dictionary_scores(tf_dictionary* dict, const float* logits, int64_t n_rows, float* scores) {
    TF_CHECK_ARG(dict != nullptr, "tf_dictionary_scores: dict is NULL");
    if (tf::cuda::is_dictionary(dict)) return tf::cuda::dictionary_scores(dict, logits, n_rows, scores);
    TF_CHECK_ARG(n_rows >= 0, "tf_dictionary_scores: n_rows = " + std::to_string(n_rows) + " is negative");
    TF_CHECK_ARG(n_rows == 0 || logits != nullptr, "tf_dictionary_scores: logits is NULL");
    TF_CHECK_ARG(n_rows == 0 || scores != nullptr, "tf_dictionary_scores: scores is NULL");
    const tf_word_patterns p = dict->view();
    for (int64_t r = 0; r < n_rows; ++r) {
        tf_status st = tf_word_scores(dict->ctx, logits + r * dict->vocab, dict->vocab, &p, dict->population,
                                      dict->edge_weight, scores + r * p.n_words);
        if (st != TF_OK) return st;
    }
    return tf::ok();
}

}  // extern "C"
