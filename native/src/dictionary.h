// tf_dictionary: what every backend shares (the C API's view of a dictionary) and one member
// per backend holding its own layout. A backend adds its member and a branch at the top of
// each tf_dictionary_* function (dictionary.cpp).
#pragma once
#include <cstdint>
#include <memory>

#include "context.h"
#include "cuda_plugin.h"
#include "dictionary_cpu.h"
#include "tfree4j.h"

struct tf_dictionary {
    tf_context* ctx = nullptr;  // the context it was created on, a reference (dropped last)
    int64_t vocab;
    int64_t n_words;
    int32_t population;
    std::unique_ptr<tf::CpuDictionary> cpu;  // TF_BACKEND_CPU: the packed layout
    tf_cuda_dictionary* cuda = nullptr;      // TF_BACKEND_CUDA: the patterns in device memory (owned)
    int64_t cuda_bytes = 0;                  // their size there (the CSR arrays as given)
    tf_dictionary() = default;
    tf_dictionary(const tf_dictionary&) = delete;
    tf_dictionary& operator=(const tf_dictionary&) = delete;
    ~tf_dictionary() {
        if (cuda != nullptr) ctx->plugin->dictionary_free(cuda);
        tf::context_release(ctx);
    }
};
