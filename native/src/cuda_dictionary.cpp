// tf_dictionary on a CUDA context (see cuda_dictionary.h).
#include "cuda_dictionary.h"

#include <mutex>
#include <new>
#include <string>
#include <unordered_set>
#include <vector>

#include "context.h"
#include "cuda_backend.h"
#include "status.h"

namespace tf {
namespace cuda {

namespace {

struct CudaDictionary {
    tf_context* ctx;
    tf_cuda_dictionary* handle;
    int64_t n_words;
    int64_t vocab;
};

std::mutex registry_mutex;
std::unordered_set<const void*>& registry() {
    static auto* set = new std::unordered_set<const void*>();  // never destroyed: safe at exit
    return *set;
}

CudaDictionary* lookup(const tf_dictionary* dict) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    return registry().count(dict) ? reinterpret_cast<CudaDictionary*>(const_cast<tf_dictionary*>(dict)) : nullptr;
}

}  // namespace

bool is_dictionary(const tf_dictionary* dict) { return dict != nullptr && lookup(dict) != nullptr; }

tf_status dictionary_create(tf_context* ctx, const tf_word_patterns* patterns, int64_t vocab, int32_t population,
                            float edge_weight, tf_dictionary** out) {
    try {
        // The same validation as the CPU path: one scoring pass over zero logits (every offset
        // and id is checked on the host before the device sees them).
        std::vector<float> zeros(size_t(vocab), 0.0f), scratch(size_t(patterns->n_words > 0 ? patterns->n_words : 0));
        tf_status st = tf_word_scores(ctx, zeros.data(), vocab, patterns, population, edge_weight, scratch.data());
        if (st != TF_OK) return fail(st, std::string("tf_dictionary_create: ") + tf_last_error());
        tf_cuda_dictionary* handle = nullptr;
        st = ctx->plugin->dictionary_create(ctx->cuda, patterns, vocab, population, edge_weight, &handle);
        if (st != TF_OK) return result(ctx, st, "tf_dictionary_create");
        auto* d = new (std::nothrow) CudaDictionary{ctx, handle, patterns->n_words, vocab};
        if (d == nullptr) {
            ctx->plugin->dictionary_free(handle);
            return fail(TF_ERR_OUT_OF_MEMORY, "tf_dictionary_create: out of memory");
        }
        {
            std::lock_guard<std::mutex> lock(registry_mutex);
            registry().insert(d);
        }
        *out = reinterpret_cast<tf_dictionary*>(d);
        return ok();
    } catch (const std::bad_alloc&) {
        return fail(TF_ERR_OUT_OF_MEMORY, "tf_dictionary_create: out of memory");
    } catch (...) {
        return fail(TF_ERR_INTERNAL, "tf_dictionary_create: unexpected exception");
    }
}

void dictionary_free(tf_dictionary* dict) {
    CudaDictionary* d = lookup(dict);
    if (d == nullptr) return;
    {
        std::lock_guard<std::mutex> lock(registry_mutex);
        registry().erase(d);
    }
    d->ctx->plugin->dictionary_free(d->handle);
    delete d;
}

int64_t dictionary_words(const tf_dictionary* dict) {
    const CudaDictionary* d = lookup(dict);
    return d ? d->n_words : 0;
}

tf_status dictionary_scores(tf_dictionary* dict, const float* logits, int64_t n_rows, float* scores) {
    CudaDictionary* d = lookup(dict);
    TF_CHECK_ARG(n_rows >= 0, "tf_dictionary_scores: n_rows = " + std::to_string(n_rows) + " is negative");
    TF_CHECK_ARG(n_rows == 0 || logits != nullptr, "tf_dictionary_scores: logits is NULL");
    TF_CHECK_ARG(n_rows == 0 || scores != nullptr, "tf_dictionary_scores: scores is NULL");
    if (n_rows == 0 || d->n_words == 0) return ok();
    return result(d->ctx, d->ctx->plugin->dictionary_scores(d->handle, logits, n_rows, scores), "tf_dictionary_scores");
}

}  // namespace cuda
}  // namespace tf
