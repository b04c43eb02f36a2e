// The CPU backend of tf_dictionary: the packed layout of dictionary_layout.h, built once from
// validated tf_word_patterns, and scoring of logits rows with it.
#pragma once
#include <cstdint>
#include <vector>

#include "dictionary_layout.h"
#include "tfree4j.h"

namespace tf {

class CpuDictionary {
public:
    // patterns must have passed check_word_patterns (ids in [0, vocab), offsets well formed).
    // Throws std::bad_alloc when out of memory.
    CpuDictionary(const tf_word_patterns& patterns, int64_t vocab, int32_t population);

    // scores [n_rows, n_words] of logits [n_rows, vocab]; arguments already checked. Each row
    // has the bits tf_word_scores gives it on ctx, at any thread count. May throw bad_alloc.
    void score(tf_context* ctx, const float* logits, int64_t n_rows, float edge_weight, float* scores) const;

    // Bytes of the packed layout (ids, block table, per-slot arrays).
    int64_t bytes() const;

private:
    DictView view(float edge_weight) const;
    // score() for n_rows > 1: DICT_ROWS rows per pass over the packed ids, their sigmoids
    // interleaved (dictionary_layout.h).
    void score_rows(tf_context* ctx, const float* logits, int64_t n_rows, float edge_weight, float* scores) const;

    int64_t vocab_;
    int64_t n_words_;
    bool narrow_;                  // ids stored as uint16 (vocab <= 65536)
    std::vector<uint16_t> ids16_;  // the id columns when vocab <= 65536
    std::vector<int32_t> ids32_;   // otherwise
    std::vector<DictBlock> blocks_;
    std::vector<int64_t> word_;    // [n_slots]
    std::vector<float> pn_, rest_; // [n_slots]
    // Work units of the threads: chunk c is blocks [chunks_[c], chunks_[c + 1]), about
    // CHUNK_BYTES of ids.
    std::vector<int64_t> chunks_;
};

}  // namespace tf
