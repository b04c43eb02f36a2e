// AVX-512 kernel of tf_dictionary (layout: dictionary_layout.h): a block of 16 words is one
// vector; each step gathers the next id of all 16 words. The same algorithm as
// avx2/dictionary_avx2.cpp, one vector instead of two halves.
#if defined(__AVX512F__)
#include <immintrin.h>

#include <cstdint>

#include "dictionary_layout.h"

// GCC 12's headers implement the unmasked gather and zero-extension with an undefined source
// vector and then warn that it "may be used uninitialized" (a false positive: every lane is
// written). The masked forms would avoid it but SIMDe, which tools/avx512_emulated_check.sh
// runs this file with, lacks them.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace tf {
namespace avx512 {

namespace {

static_assert(DICT_LANES == 16, "one 16-lane vector per block");

// 16 ids as int32 lanes.
inline __m512i load_ids(const uint16_t* p) {
    return _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}
inline __m512i load_ids(const int32_t* p) { return _mm512_loadu_si512(p); }

// The score formula for the block's 16 slots; λ·s_E is rounded before the add (no FMA), as
// in tf_word_scores.
inline void finish(const DictView& d, int64_t slot, __m512 s_i, __m512 s_e, __m512 lambda, __m512 A,
                   float* scores) {
    __m512 prod = _mm512_mul_ps(lambda, s_e);
    // prod goes through memory behind an opaque asm, so the add below reads a value the
    // compiler cannot fuse with the multiply (works under emulation too).
    __asm__("" : : "r"(&prod) : "memory");
    const __m512 s = _mm512_add_ps(s_i, prod);
    const __m512 r = _mm512_add_ps(_mm512_div_ps(s, _mm512_loadu_ps(d.pn + slot)),
                                   _mm512_div_ps(_mm512_sub_ps(s, A), _mm512_loadu_ps(d.rest + slot)));
    alignas(64) float out[16];
    _mm512_store_ps(out, r);
    for (int l = 0; l < 16; ++l) {
        const int64_t w = d.word[slot + l];
        if (w >= 0) scores[w] = out[l];
    }
}

// a[idx[l]] for the 16 lanes.
inline __m512 gather(const float* a, __m512i idx) { return _mm512_i32gather_ps(idx, a, 4); }

template <class Id>
void blocks(const DictView& d, const float* a, float A, int64_t b0, int64_t b1, float* scores) {
    const __m512 lambda = _mm512_set1_ps(d.edge_weight), vA = _mm512_set1_ps(A);
    for (int64_t b = b0; b < b1; ++b) {
        const DictBlock& k = d.blocks[b];
        const Id* ids = static_cast<const Id*>(d.ids) + k.ids;
        __m512 s_i = _mm512_setzero_ps();
        for (int32_t j = 0; j < k.n_ids; ++j, ids += DICT_LANES) {
            s_i = _mm512_add_ps(s_i, gather(a, load_ids(ids)));
        }
        __m512 s_e = _mm512_setzero_ps();
        for (int32_t j = 0; j < k.n_edges; ++j, ids += DICT_LANES) {
            s_e = _mm512_add_ps(s_e, gather(a, load_ids(ids)));
        }
        finish(d, k.slot, s_i, s_e, lambda, vA, scores);
    }
}

}  // namespace

void dictionary_block_scores(const DictView& d, const float* a, float A, int64_t b0, int64_t b1, float* scores) {
    if (d.id_bytes == 2) {
        blocks<uint16_t>(d, a, A, b0, b1, scores);
    } else {
        blocks<int32_t>(d, a, A, b0, b1, scores);
    }
}

}  // namespace avx512
}  // namespace tf

#endif
