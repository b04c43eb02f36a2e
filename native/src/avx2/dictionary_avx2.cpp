// AVX2 kernel of tf_dictionary (layout: dictionary_layout.h): a block of 16 words is two
// vectors of 8 lanes; each step gathers the next id of all 16 words. The scalar reference is
// in dictionary_cpu.cpp, the AVX-512 twin in avx512/dictionary_avx512.cpp.
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

#include <cstdint>

#include "dictionary_layout.h"

namespace tf {
namespace avx2 {

namespace {

static_assert(DICT_LANES == 16, "two 8-lane halves per block");

// 8 ids as int32 lanes.
inline __m256i load_ids(const uint16_t* p) {
    return _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
inline __m256i load_ids(const int32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }

// The score formula for 8 slots, stored to the words of the real ones. λ·s_E is kept out of
// an FMA (this file is compiled with -mfma and may contract a * b + c): tf_word_scores rounds
// the product before the add.
inline void finish(const DictView& d, int64_t slot, __m256 s_i, __m256 s_e, __m256 lambda, __m256 A,
                   float* scores) {
    __m256 prod = _mm256_mul_ps(lambda, s_e);
    // prod goes through memory behind an opaque asm, so the add below reads a value the
    // compiler cannot fuse with the multiply (works under emulation too).
    __asm__("" : : "r"(&prod) : "memory");
    const __m256 s = _mm256_add_ps(s_i, prod);
    const __m256 r = _mm256_add_ps(_mm256_div_ps(s, _mm256_loadu_ps(d.pn + slot)),
                                   _mm256_div_ps(_mm256_sub_ps(s, A), _mm256_loadu_ps(d.rest + slot)));
    alignas(32) float out[8];
    _mm256_store_ps(out, r);
    for (int l = 0; l < 8; ++l) {
        const int64_t w = d.word[slot + l];
        if (w >= 0) scores[w] = out[l];
    }
}

template <class Id>
void blocks(const DictView& d, const float* a, float A, int64_t b0, int64_t b1, float* scores) {
    const __m256 lambda = _mm256_set1_ps(d.edge_weight), vA = _mm256_set1_ps(A);
    for (int64_t b = b0; b < b1; ++b) {
        const DictBlock& k = d.blocks[b];
        const Id* ids = static_cast<const Id*>(d.ids) + k.ids;
        __m256 i0 = _mm256_setzero_ps(), i1 = _mm256_setzero_ps();
        for (int32_t j = 0; j < k.n_ids; ++j, ids += DICT_LANES) {
            i0 = _mm256_add_ps(i0, _mm256_i32gather_ps(a, load_ids(ids), 4));
            i1 = _mm256_add_ps(i1, _mm256_i32gather_ps(a, load_ids(ids + 8), 4));
        }
        __m256 e0 = _mm256_setzero_ps(), e1 = _mm256_setzero_ps();
        for (int32_t j = 0; j < k.n_edges; ++j, ids += DICT_LANES) {
            e0 = _mm256_add_ps(e0, _mm256_i32gather_ps(a, load_ids(ids), 4));
            e1 = _mm256_add_ps(e1, _mm256_i32gather_ps(a, load_ids(ids + 8), 4));
        }
        finish(d, k.slot, i0, e0, lambda, vA, scores);
        finish(d, k.slot + 8, i1, e1, lambda, vA, scores);
    }
}

// The rows kernel's formula for one slot: the lanes are rows (A per row), written to each
// row's scores. The same ops as finish(), so the same bits per row.
inline void finish_rows(const DictView& d, int64_t slot, __m256 s_i, __m256 s_e, __m256 lambda, __m256 A, int rows,
                        float* scores, int64_t n_words) {
    const int64_t w = d.word[slot];
    if (w < 0) return;
    __m256 prod = _mm256_mul_ps(lambda, s_e);
    __asm__("" : : "r"(&prod) : "memory");  // not fused into the add (see finish)
    const __m256 s = _mm256_add_ps(s_i, prod);
    const __m256 r = _mm256_add_ps(_mm256_div_ps(s, _mm256_set1_ps(d.pn[slot])),
                                   _mm256_div_ps(_mm256_sub_ps(s, A), _mm256_set1_ps(d.rest[slot])));
    alignas(32) float out[DICT_ROWS];
    _mm256_store_ps(out, r);
    for (int q = 0; q < rows; ++q) scores[q * n_words + w] = out[q];
}

// 8 words of a block at a time (8 independent add chains), each id one vector load of its 8
// rows' sigmoids.
template <class Id>
void blocks_rows(const DictView& d, const float* a8, const float* A, int rows, int64_t b0, int64_t b1, float* scores,
                 int64_t n_words) {
    static_assert(DICT_ROWS == 8, "one ymm of rows");
    const __m256 lambda = _mm256_set1_ps(d.edge_weight), vA = _mm256_loadu_ps(A);
    for (int64_t b = b0; b < b1; ++b) {
        const DictBlock& k = d.blocks[b];
        for (int h = 0; h < DICT_LANES; h += 8) {
            const Id* ids = static_cast<const Id*>(d.ids) + k.ids + h;
            __m256 acc[8];
            alignas(32) float s_i[8][DICT_ROWS];
            for (__m256& v : acc) v = _mm256_setzero_ps();
            for (int32_t j = 0; j < k.n_ids; ++j, ids += DICT_LANES) {
                for (int l = 0; l < 8; ++l) acc[l] = _mm256_add_ps(acc[l], _mm256_load_ps(a8 + int64_t(ids[l]) * DICT_ROWS));
            }
            for (int l = 0; l < 8; ++l) _mm256_store_ps(s_i[l], acc[l]);
            for (__m256& v : acc) v = _mm256_setzero_ps();
            for (int32_t j = 0; j < k.n_edges; ++j, ids += DICT_LANES) {
                for (int l = 0; l < 8; ++l) acc[l] = _mm256_add_ps(acc[l], _mm256_load_ps(a8 + int64_t(ids[l]) * DICT_ROWS));
            }
            for (int l = 0; l < 8; ++l) {
                finish_rows(d, k.slot + h + l, _mm256_load_ps(s_i[l]), acc[l], lambda, vA, rows, scores, n_words);
            }
        }
    }
}

}  // namespace

void dictionary_block_scores_rows(const DictView& d, const float* a8, const float* A, int rows, int64_t b0, int64_t b1,
                                  float* scores, int64_t n_words) {
    if (d.id_bytes == 2) {
        blocks_rows<uint16_t>(d, a8, A, rows, b0, b1, scores, n_words);
    } else {
        blocks_rows<int32_t>(d, a8, A, rows, b0, b1, scores, n_words);
    }
}

void dictionary_block_scores(const DictView& d, const float* a, float A, int64_t b0, int64_t b1, float* scores) {
    if (d.id_bytes == 2) {
        blocks<uint16_t>(d, a, A, b0, b1, scores);
    } else {
        blocks<int32_t>(d, a, A, b0, b1, scores);
    }
}

}  // namespace avx2
}  // namespace tf

#endif
