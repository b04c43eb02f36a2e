// A dictionary's word patterns in CSR form (tf_word_patterns), owning its arrays: what the
// word-scoring tests (test_scores, test_dictionary) build their dictionaries with.
#pragma once
#include <cstdint>
#include <vector>

#include "tfree4j.h"

namespace tft {

struct Dict {
    std::vector<int64_t> offsets{0}, edge_offsets{0};
    std::vector<int32_t> ids, edge_ids, n_trigrams;

    // Appends a word: non-edge ids i, edge ids e (each in stored order), n(w) = n.
    void add(const std::vector<int32_t>& i, const std::vector<int32_t>& e, int32_t n) {
        ids.insert(ids.end(), i.begin(), i.end());
        edge_ids.insert(edge_ids.end(), e.begin(), e.end());
        offsets.push_back(int64_t(ids.size()));
        edge_offsets.push_back(int64_t(edge_ids.size()));
        n_trigrams.push_back(n);
    }
    int64_t size() const { return int64_t(n_trigrams.size()); }
    tf_word_patterns view() const {
        return tf_word_patterns{offsets.data(), ids.data(), edge_offsets.data(), edge_ids.data(), n_trigrams.data(),
                                size()};
    }
};

}  // namespace tft
