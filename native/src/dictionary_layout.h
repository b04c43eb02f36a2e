// The CPU layout of a tf_dictionary (built by dictionary_cpu.cpp) and its scoring kernels,
// one per SIMD level (scalar: dictionary_cpu.cpp, avx2/ and avx512/dictionary_*.cpp).
//
// Words are grouped by (|I(w)|, |E(w)|) and cut into blocks of DICT_LANES words of one group;
// a block stores its ids column-major: id j of its 16 words contiguous, the non-edge ids
// (j < |I|) first, then the edge ids. So one vector gather + add advances 16 (or 2 × 8) words
// by one id, and each word still sums its own ids in stored order, in f32, starting from 0 —
// exactly the sums of tf_word_scores. The last block of a group is padded with id 0; its
// padding lanes are computed and never stored. Ids are uint16 when vocab <= 65536 (half the
// bytes to stream), else int32.
#pragma once
#include <cstdint>

namespace tf {

constexpr int DICT_LANES = 16;

struct DictBlock {
    int64_t ids;      // index (in ids, not bytes) of the block's first id: [n_ids + n_edges][DICT_LANES]
    int64_t slot;     // its words are slots [slot, slot + DICT_LANES)
    int32_t n_ids;    // |I(w)| of each of its words
    int32_t n_edges;  // |E(w)| of each of its words
};

// A read-only view of the packed dictionary, what the kernels get.
struct DictView {
    int32_t id_bytes;           // 2 (uint16 ids) or 4 (int32 ids)
    const void* ids;            // all blocks' id columns
    const DictBlock* blocks;    // [n_blocks]
    const int64_t* word;        // [n_slots] the word (index in the caller's order) of a slot; -1: padding
    const float* pn;            // [n_slots] float(P·n(w))
    const float* rest;          // [n_slots] float(V − P·n(w))
    float edge_weight;          // λ
};

// Kernels: for blocks [b0, b1) and one row (a = sigmoid(logits) [vocab], A = float(Σ a in
// double)), per word s_I = Σ_I a, s_E = Σ_E a in stored order in f32 from 0,
// s = s_I + λ·s_E (the product rounded, never fused), and
// scores[word] = s / pn + (s − A) / rest. scores [n_words] in the caller's word order.
#define TF_DECLARE_DICT_KERNEL \
    void dictionary_block_scores(const DictView& d, const float* a, float A, int64_t b0, int64_t b1, float* scores);
namespace scalar {
TF_DECLARE_DICT_KERNEL
}
namespace avx2 {
TF_DECLARE_DICT_KERNEL
}
namespace avx512 {
TF_DECLARE_DICT_KERNEL
}
#undef TF_DECLARE_DICT_KERNEL

// The same for DICT_ROWS rows at once (rows <= DICT_ROWS used; several logits rows, as
// explanations and divergence score): a8 [vocab][DICT_ROWS] holds the rows' sigmoids
// interleaved, so one id reads its value for every row from one place (one cache line,
// where the one-row kernel reads a line per row), and the sums of the rows run side by side
// in the lanes of one vector. A [DICT_ROWS]; scores [rows][n_words]. Each (word, row) sum is
// the one-row kernel's: same adds in the same order, so the same bits.
constexpr int DICT_ROWS = 8;
#define TF_DECLARE_DICT_ROWS_KERNEL                                                                          \
    void dictionary_block_scores_rows(const DictView& d, const float* a8, const float* A, int rows, int64_t b0, \
                                      int64_t b1, float* scores, int64_t n_words);
namespace scalar {
TF_DECLARE_DICT_ROWS_KERNEL
}
namespace avx2 {
TF_DECLARE_DICT_ROWS_KERNEL
}
#undef TF_DECLARE_DICT_ROWS_KERNEL

}  // namespace tf
