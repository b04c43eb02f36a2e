// tf_dictionary: the C API. Arguments are checked here; the backend's layout does the work
// (CPU: dictionary_cpu.cpp).
#include "dictionary.h"

#include <limits>
#include <new>
#include <string>

#include "context.h"
#include "cuda_backend.h"
#include "tfree4j_internal.h"
#include "dtype.h"
#include "status.h"
#include "word_patterns.h"

extern "C" {

TF_API tf_status tf_dictionary_create(tf_context* ctx, const tf_word_patterns* patterns, int64_t vocab,
                                      int32_t population, tf_dictionary** out) {
    try {
        TF_CHECK_ARG(out != nullptr, "tf_dictionary_create: out is NULL");
        *out = nullptr;
        TF_CHECK_ARG(ctx != nullptr, "tf_dictionary_create: ctx is NULL");
        TF_CHECK_ARG(vocab >= 1, "tf_dictionary_create: vocab = " + std::to_string(vocab) + " must be >= 1");
        int64_t nv = 0;
        TF_CHECK_ARG(tf::mul_size(vocab, 1, sizeof(float), &nv), "tf_dictionary_create: vocab is too large");
        TF_CHECK_ARG(population >= 1,
                     "tf_dictionary_create: population = " + std::to_string(population) + " must be >= 1");
        const tf_status st = tf::check_word_patterns(ctx, patterns, vocab, "tf_dictionary_create");
        if (st != TF_OK) return st;
        auto d = std::make_unique<tf_dictionary>();
        d->ctx = tf::context_retain(ctx);
        d->vocab = vocab;
        d->n_words = patterns->n_words;
        d->population = population;
        if (tf::cuda::active(ctx)) {  // the patterns go to the device once
            const tf_status s =
                ctx->plugin->dictionary_create(ctx->cuda, patterns, vocab, population, &d->cuda);
            if (s != TF_OK) return tf::cuda::result(ctx, s, "tf_dictionary_create");
            const int64_t n = patterns->n_words;
            d->cuda_bytes = 2 * (n + 1) * int64_t(sizeof(int64_t)) + n * int64_t(sizeof(int32_t)) +
                            (patterns->offsets[n] + patterns->edge_offsets[n]) * int64_t(sizeof(int32_t));
            *out = d.release();
            return tf::ok();
        }
        d->cpu = std::make_unique<tf::CpuDictionary>(*patterns, vocab, population);
        *out = d.release();
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_dictionary_create: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_dictionary_create: unexpected exception");
    }
}

TF_API void tf_dictionary_free(tf_dictionary* dict) { delete dict; }

TF_API int64_t tf_dictionary_words(const tf_dictionary* dict) { return dict ? dict->n_words : 0; }

TF_API int64_t tf_dictionary_bytes(const tf_dictionary* dict) {
    if (dict == nullptr) return 0;
    return dict->cpu ? dict->cpu->bytes() : dict->cuda_bytes;
}

TF_API tf_status tf_dictionary_scores(tf_dictionary* dict, const float* logits, int64_t n_rows, float edge_weight,
                                      float* scores) {
    try {
        TF_CHECK_ARG(dict != nullptr, "tf_dictionary_scores: dict is NULL");
        TF_CHECK_ARG(n_rows >= 0, "tf_dictionary_scores: n_rows = " + std::to_string(n_rows) + " is negative");
        int64_t n = 0;
        TF_CHECK_ARG(tf::mul_size(n_rows, dict->vocab, sizeof(float), &n),
                     "tf_dictionary_scores: n_rows = " + std::to_string(n_rows) + " is too large (logits)");
        TF_CHECK_ARG(tf::mul_size(n_rows, dict->n_words, sizeof(float), &n),
                     "tf_dictionary_scores: n_rows = " + std::to_string(n_rows) + " is too large (scores)");
        TF_CHECK_ARG(n_rows == 0 || logits != nullptr, "tf_dictionary_scores: logits is NULL");
        TF_CHECK_ARG(n_rows == 0 || dict->n_words == 0 || scores != nullptr, "tf_dictionary_scores: scores is NULL");
        if (n_rows == 0 || dict->n_words == 0) return tf::ok();
        if (dict->cuda != nullptr) {
            return tf::cuda::result(dict->ctx, dict->ctx->plugin->dictionary_scores(dict->cuda, logits, n_rows, edge_weight, scores),
                                    "tf_dictionary_scores");
        }
        dict->cpu->score(dict->ctx, logits, n_rows, edge_weight, scores);
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_dictionary_scores: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_dictionary_scores: unexpected exception");
    }
}

}  // extern "C"
