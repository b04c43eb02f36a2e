// AVX2 embedding sum (8 lanes): the scalar algorithm of native/src/embed.cpp with the
// column loops vectorised; same order of additions per element. The AVX-512 twin is
// native/src/avx512/embed_avx512.cpp.
#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
#include <immintrin.h>

#include <cstdint>

#include "simd_local.h"
#include "kernels.h"

namespace tf {
namespace avx2 {

namespace {

constexpr int LANES = 8;
constexpr int64_t COL_BLOCK = 256;  // columns of one row sum g kept on the stack

// LANES table values of row `id` at element offset i (I8: times the row's scale).
template <int D>
inline __m256 load_t(const tf_matrix& t, int64_t id, int64_t i) {
    if constexpr (D == TF_DTYPE_F32) {
        return _mm256_loadu_ps(static_cast<const float*>(t.data) + i);
    } else if constexpr (D == TF_DTYPE_BF16) {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(t.data) + i));
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
    } else if constexpr (D == TF_DTYPE_F16) {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(t.data) + i)));
    } else {
        const __m128i q = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(static_cast<const int8_t*>(t.data) + i));
        return _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q)), _mm256_set1_ps(t.scales[id]));
    }
}

template <int D>
inline float load_t1(const tf_matrix& t, int64_t id, int64_t i) {
    const float v = load_one<D>(t.data, i);
    if constexpr (D == TF_DTYPE_I8) return v * t.scales[id];
    return v;
}

template <int D>
void embed_range(const tf_matrix& t, const int32_t* ids, int64_t n_rows, int32_t population,
                 const int32_t* row_word, int64_t n_words, float* out, int64_t c0, int64_t c1) {
    const int64_t H = t.cols;
    for (int64_t w = 0; w < n_words; ++w) {
        for (int64_t c = c0; c < c1; ++c) out[w * H + c] = 0.0f;
    }
    alignas(32) float g[COL_BLOCK];
    for (int64_t cb = c0; cb < c1; cb += COL_BLOCK) {
        const int64_t width = imin(COL_BLOCK, c1 - cb);
        const int64_t vec_width = width - width % LANES;
        for (int64_t r = 0; r < n_rows; ++r) {
            const int32_t* rid = ids + r * population;
            {
                const int64_t base = int64_t(rid[0]) * H + cb;
                int64_t c = 0;
                for (; c < vec_width; c += LANES) _mm256_store_ps(g + c, load_t<D>(t, rid[0], base + c));
                for (; c < width; ++c) g[c] = load_t1<D>(t, rid[0], base + c);
            }
            for (int32_t j = 1; j < population; ++j) {
                const int64_t base = int64_t(rid[j]) * H + cb;
                int64_t c = 0;
                for (; c < vec_width; c += LANES) {
                    _mm256_store_ps(g + c, _mm256_add_ps(_mm256_load_ps(g + c), load_t<D>(t, rid[j], base + c)));
                }
                for (; c < width; ++c) g[c] += load_t1<D>(t, rid[j], base + c);
            }
            float* o = out + int64_t(row_word[r]) * H + cb;
            int64_t c = 0;
            for (; c < vec_width; c += LANES) {
                _mm256_storeu_ps(o + c, _mm256_add_ps(_mm256_loadu_ps(o + c), _mm256_load_ps(g + c)));
            }
            for (; c < width; ++c) o[c] += g[c];
        }
    }
}

}  // namespace

void embed_cols(const tf_matrix& table, const int32_t* ids, int64_t n_rows, int32_t population,
                const int32_t* row_word, int64_t n_words, float* out, int64_t c0, int64_t c1) {
    switch (table.dtype) {
        case TF_DTYPE_F32:
            return embed_range<TF_DTYPE_F32>(table, ids, n_rows, population, row_word, n_words, out, c0, c1);
        case TF_DTYPE_BF16:
            return embed_range<TF_DTYPE_BF16>(table, ids, n_rows, population, row_word, n_words, out, c0, c1);
        case TF_DTYPE_F16:
            return embed_range<TF_DTYPE_F16>(table, ids, n_rows, population, row_word, n_words, out, c0, c1);
        case TF_DTYPE_I8:
            return embed_range<TF_DTYPE_I8>(table, ids, n_rows, population, row_word, n_words, out, c0, c1);
        default: return;
    }
}

}  // namespace avx2
}  // namespace tf

#endif
