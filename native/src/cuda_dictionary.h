// tf_dictionary on a CUDA context: the patterns live in device memory (plugin side). Kept apart
// from dictionary.cpp (the CPU layout): each tf_dictionary_* function starts with a dispatch
// here. A CUDA dictionary is a different object behind the same opaque handle; a registry of
// live CUDA handles tells the two apart without touching the CPU struct's layout.
#pragma once
#include <cstdint>

#include "tfree4j.h"

namespace tf {
namespace cuda {

// Whether dict was made by dictionary_create below (and not yet freed).
bool is_dictionary(const tf_dictionary* dict);

// The tf_dictionary_* functions for a CUDA context / dictionary.
tf_status dictionary_create(tf_context* ctx, const tf_word_patterns* patterns, int64_t vocab, int32_t population,
                            float edge_weight, tf_dictionary** out);
void dictionary_free(tf_dictionary* dict);
int64_t dictionary_words(const tf_dictionary* dict);
tf_status dictionary_scores(tf_dictionary* dict, const float* logits, int64_t n_rows, float* scores);

}  // namespace cuda
}  // namespace tf
