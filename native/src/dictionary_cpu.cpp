// tf_dictionary on the CPU: the packed layout (dictionary_layout.h) and the scalar reference
// kernel; the AVX2 / AVX-512 kernels are in avx2/ and avx512/dictionary_*.cpp.
#include "dictionary_cpu.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "context.h"
#include "kernels.h"

namespace tf {

namespace scalar {

namespace {

// The block's sums, lane by lane, each in stored order (the id columns are column-major).
template <class Id>
void block_scores(const DictView& d, const DictBlock& k, const float* a, float A, float* scores) {
    const Id* ids = static_cast<const Id*>(d.ids) + k.ids;
    float s_i[DICT_LANES] = {}, s_e[DICT_LANES] = {};
    for (int32_t j = 0; j < k.n_ids; ++j, ids += DICT_LANES) {
        for (int l = 0; l < DICT_LANES; ++l) s_i[l] += a[ids[l]];
    }
    for (int32_t j = 0; j < k.n_edges; ++j, ids += DICT_LANES) {
        for (int l = 0; l < DICT_LANES; ++l) s_e[l] += a[ids[l]];
    }
    for (int l = 0; l < DICT_LANES; ++l) {
        const int64_t w = d.word[k.slot + l];
        if (w < 0) continue;
        // The formula of tf_word_scores (scoring.cpp), in a TU without FMA.
        const float s = s_i[l] + d.edge_weight * s_e[l];
        scores[w] = s / d.pn[k.slot + l] + (s - A) / d.rest[k.slot + l];
    }
}

}  // namespace

void dictionary_block_scores(const DictView& d, const float* a, float A, int64_t b0, int64_t b1, float* scores) {
    for (int64_t b = b0; b < b1; ++b) {
        if (d.id_bytes == 2) {
            block_scores<uint16_t>(d, d.blocks[b], a, A, scores);
        } else {
            block_scores<int32_t>(d, d.blocks[b], a, A, scores);
        }
    }
}

namespace {

// The rows kernel's reference: per word and row, the one-row kernel's sums.
template <class Id>
void block_scores_rows(const DictView& d, const DictBlock& k, const float* a8, const float* A, int rows,
                       float* scores, int64_t n_words) {
    for (int l = 0; l < DICT_LANES; ++l) {
        const int64_t w = d.word[k.slot + l];
        if (w < 0) continue;
        const Id* ids = static_cast<const Id*>(d.ids) + k.ids + l;
        float s_i[DICT_ROWS] = {}, s_e[DICT_ROWS] = {};
        for (int32_t j = 0; j < k.n_ids; ++j, ids += DICT_LANES) {
            for (int r = 0; r < DICT_ROWS; ++r) s_i[r] += a8[int64_t(*ids) * DICT_ROWS + r];
        }
        for (int32_t j = 0; j < k.n_edges; ++j, ids += DICT_LANES) {
            for (int r = 0; r < DICT_ROWS; ++r) s_e[r] += a8[int64_t(*ids) * DICT_ROWS + r];
        }
        for (int r = 0; r < rows; ++r) {
            const float s = s_i[r] + d.edge_weight * s_e[r];
            scores[r * n_words + w] = s / d.pn[k.slot + l] + (s - A[r]) / d.rest[k.slot + l];
        }
    }
}

}  // namespace

void dictionary_block_scores_rows(const DictView& d, const float* a8, const float* A, int rows, int64_t b0, int64_t b1,
                                  float* scores, int64_t n_words) {
    for (int64_t b = b0; b < b1; ++b) {
        if (d.id_bytes == 2) {
            block_scores_rows<uint16_t>(d, d.blocks[b], a8, A, rows, scores, n_words);
        } else {
            block_scores_rows<int32_t>(d, d.blocks[b], a8, A, rows, scores, n_words);
        }
    }
}

}  // namespace scalar

namespace {

constexpr int64_t CHUNK_BYTES = 64 * 1024;  // ids per work unit

using BlockKernel = decltype(&scalar::dictionary_block_scores);
using RowsKernel = decltype(&scalar::dictionary_block_scores_rows);

BlockKernel block_kernel_for(int32_t simd) {
#if defined(TFREE4J_X86)
    if (simd >= TF_SIMD_AVX512) return &avx512::dictionary_block_scores;
    if (simd == TF_SIMD_AVX2) return &avx2::dictionary_block_scores;
#endif
    return &scalar::dictionary_block_scores;
}

// The rows kernel: AVX2 at the AVX2 and AVX-512 levels (8 rows are one ymm; a zmm would need
// 16 rows per batch).
RowsKernel rows_kernel_for(int32_t simd) {
#if defined(TFREE4J_X86)
    if (simd >= TF_SIMD_AVX2) return &avx2::dictionary_block_scores_rows;
#endif
    return &scalar::dictionary_block_scores_rows;
}

// Sigmoid rows of one call, in a buffer of the calling thread that only grows (as
// tf_word_scores does): a decode step allocates nothing once it has run.
float* sigmoid_scratch(int64_t n) {
    thread_local std::vector<float> buf;
    if (buf.size() < static_cast<size_t>(n)) buf.resize(static_cast<size_t>(n));
    return buf.data();
}

// a = sigmoid(x) over [0, vocab) on ctx's threads; returns A = float(Σ a in double), as
// tf_word_scores computes both.
float sigmoid_row(tf_context* ctx, const KernelTable& k, const float* x, int64_t vocab, float* a) {
    parallel_for(ctx, vocab, 16384, [&](int64_t b, int64_t e) { k.sigmoid(x + b, e - b, a + b); });
    double total = 0.0;
    for (int64_t v = 0; v < vocab; ++v) total += double(a[v]);
    return float(total);
}

}  // namespace

CpuDictionary::CpuDictionary(const tf_word_patterns& p, int64_t vocab, int32_t population)
    : vocab_(vocab), n_words_(p.n_words), narrow_(vocab <= 65536) {
    const int64_t n = p.n_words;
    auto n_ids = [&](int64_t w) { return p.offsets[w + 1] - p.offsets[w]; };
    auto n_edges = [&](int64_t w) { return p.edge_offsets[w + 1] - p.edge_offsets[w]; };
    // Words in group order: by (|I|, |E|), the caller's order within a group.
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), int64_t{0});
    std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) {
        return n_ids(x) != n_ids(y) ? n_ids(x) < n_ids(y) : n_edges(x) < n_edges(y);
    });
    // The blocks: one pass to size the arrays, one to fill them.
    int64_t n_slots = 0, n_id_slots = 0;
    for (int64_t g = 0; g < n;) {
        int64_t e = g + 1;
        while (e < n && n_ids(order[size_t(e)]) == n_ids(order[size_t(g)]) &&
               n_edges(order[size_t(e)]) == n_edges(order[size_t(g)])) {
            ++e;
        }
        const int64_t blocks = (e - g + DICT_LANES - 1) / DICT_LANES;
        const int64_t w = order[size_t(g)];
        blocks_.reserve(blocks_.size() + size_t(blocks));
        for (int64_t b = 0; b < blocks; ++b) {
            blocks_.push_back(DictBlock{n_id_slots, n_slots, int32_t(n_ids(w)), int32_t(n_edges(w))});
            n_slots += DICT_LANES;
            n_id_slots += (n_ids(w) + n_edges(w)) * DICT_LANES;
        }
        g = e;
    }
    const bool narrow = narrow_;
    if (narrow) {
        ids16_.assign(size_t(n_id_slots), 0);
    } else {
        ids32_.assign(size_t(n_id_slots), 0);
    }
    word_.assign(size_t(n_slots), -1);
    pn_.assign(size_t(n_slots), 1.0f);
    rest_.assign(size_t(n_slots), 1.0f);
    // Fill: the k-th word in group order goes to slot k of its group's blocks (groups start
    // on a block boundary, so walk the blocks alongside).
    int64_t k = 0;
    for (const DictBlock& blk : blocks_) {
        for (int l = 0; l < DICT_LANES && k < n; ++l) {
            const int64_t w = order[size_t(k)];
            if (n_ids(w) != blk.n_ids || n_edges(w) != blk.n_edges) break;  // the next group
            ++k;
            const int64_t slot = blk.slot + l;
            word_[size_t(slot)] = w;
            const int64_t pn = int64_t(population) * int64_t(p.n_trigrams[w]);
            pn_[size_t(slot)] = float(pn);  // the conversions of tf_word_scores
            rest_[size_t(slot)] = float(vocab - pn);
            int64_t col = blk.ids + l;
            auto put = [&](int32_t id) {
                if (narrow) {
                    ids16_[size_t(col)] = uint16_t(id);
                } else {
                    ids32_[size_t(col)] = id;
                }
                col += DICT_LANES;
            };
            for (int64_t i = p.offsets[w]; i < p.offsets[w + 1]; ++i) put(p.ids[i]);
            for (int64_t i = p.edge_offsets[w]; i < p.edge_offsets[w + 1]; ++i) put(p.edge_ids[i]);
        }
    }
    // Work units of about CHUNK_BYTES of ids each (at least one block).
    const int64_t id_bytes = narrow ? 2 : 4;
    chunks_.push_back(0);
    int64_t acc = 0;
    for (size_t b = 0; b < blocks_.size(); ++b) {
        acc += (int64_t(blocks_[b].n_ids) + blocks_[b].n_edges + 1) * DICT_LANES * id_bytes;
        if (acc >= CHUNK_BYTES) {
            chunks_.push_back(int64_t(b) + 1);
            acc = 0;
        }
    }
    if (chunks_.back() != int64_t(blocks_.size())) chunks_.push_back(int64_t(blocks_.size()));
}

DictView CpuDictionary::view(float edge_weight) const {
    const bool narrow = narrow_;
    return DictView{narrow ? 2 : 4,
                    narrow ? static_cast<const void*>(ids16_.data()) : static_cast<const void*>(ids32_.data()),
                    blocks_.data(),
                    word_.data(),
                    pn_.data(),
                    rest_.data(),
                    edge_weight};
}

int64_t CpuDictionary::bytes() const {
    return int64_t(ids16_.size() * sizeof(uint16_t) + ids32_.size() * sizeof(int32_t) +
                   blocks_.size() * sizeof(DictBlock) + word_.size() * sizeof(int64_t) +
                   (pn_.size() + rest_.size()) * sizeof(float) + chunks_.size() * sizeof(int64_t));
}

void CpuDictionary::score(tf_context* ctx, const float* logits, int64_t n_rows, float edge_weight, float* scores) const {
    if (n_rows > 1) return score_rows(ctx, logits, n_rows, edge_weight, scores);
    if (n_rows < 1) return;
    const KernelTable& k = kernels_for(ctx->simd);
    const BlockKernel kernel = block_kernel_for(ctx->simd);
    const DictView d = view(edge_weight);
    const int64_t n_chunks = int64_t(chunks_.size()) - 1;
    float* a = sigmoid_scratch(vocab_);
    const float A = sigmoid_row(ctx, k, logits, vocab_, a);
    parallel_for(ctx, n_chunks, 1, [&](int64_t c0, int64_t c1) {
        kernel(d, a, A, chunks_[size_t(c0)], chunks_[size_t(c1)], scores);
    });
}

void CpuDictionary::score_rows(tf_context* ctx, const float* logits, int64_t n_rows, float edge_weight,
                               float* scores) const {
    const KernelTable& k = kernels_for(ctx->simd);
    const RowsKernel kernel = rows_kernel_for(ctx->simd);
    const DictView d = view(edge_weight);
    const int64_t n_chunks = int64_t(chunks_.size()) - 1;
    // [vocab] of one row, then [vocab][DICT_ROWS] interleaved (rows past the last are 0),
    // 32-byte aligned: one id's 8 values are one aligned vector, never split across lines.
    float* row = sigmoid_scratch(vocab_ * (1 + DICT_ROWS) + DICT_ROWS);
    float* a8 = reinterpret_cast<float*>((reinterpret_cast<uintptr_t>(row + vocab_) + 31) & ~uintptr_t(31));
    for (int64_t r0 = 0; r0 < n_rows; r0 += DICT_ROWS) {
        const int rows = int(std::min<int64_t>(DICT_ROWS, n_rows - r0));
        float A[DICT_ROWS] = {};
        for (int r = 0; r < DICT_ROWS; ++r) {
            if (r < rows) A[r] = sigmoid_row(ctx, k, logits + (r0 + r) * vocab_, vocab_, row);
            for (int64_t v = 0; v < vocab_; ++v) a8[v * DICT_ROWS + r] = r < rows ? row[v] : 0.0f;
        }
        parallel_for(ctx, n_chunks, 1, [&](int64_t c0, int64_t c1) {
            kernel(d, a8, A, rows, chunks_[size_t(c0)], chunks_[size_t(c1)], scores + r0 * n_words_, n_words_);
        });
    }
}

}  // namespace tf
