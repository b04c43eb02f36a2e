// Validation of tf_word_patterns (docs/spec/tfree.md §6.1), shared by tf_word_scores and tf_dictionary_create
// so that both reject malformed dictionaries with the same messages.
#pragma once
#include <cstdint>
#include <string>

#include "tfree4j.h"

struct tf_context;

namespace tf {

// Offsets of one CSR array: non-decreasing from word w to w+1.
inline bool pattern_offsets_ok(const int64_t* off, int64_t w) { return off[w] <= off[w + 1]; }

// Why word w's offsets / n_trigrams are malformed ("" if they are not). `who` prefixes the
// message (the C function's name).
std::string pattern_shape_error(const tf_word_patterns& p, int64_t w, const char* who);

// Why word w's ids are out of [0, vocab) ("" if they are not). Word w's offsets must be valid.
std::string pattern_id_error(const tf_word_patterns& p, int64_t w, int64_t vocab, const char* who);

// The argument checks of tf_word_scores on the patterns alone: non-NULL arrays, n_words,
// offsets[0] = 0, non-decreasing offsets, n_trigrams >= 1, every id in [0, vocab); the first
// bad word is named whatever the thread count. TF_OK or TF_ERR_INVALID_ARGUMENT (recorded).
tf_status check_word_patterns(tf_context* ctx, const tf_word_patterns* patterns, int64_t vocab, const char* who);

}  // namespace tf
