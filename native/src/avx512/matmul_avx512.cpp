// AVX-512 matmul (16 lanes). Algorithm: see native/src/matmul.cpp; this is a line-by-line
// twin of native/src/avx2/matmul_avx2.cpp with 16 lanes (only loads and the horizontal sum differ).
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
// GCC 12's avx512fintrin.h warns about its own _mm512_undefined_*() (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstdint>

#include "simd_local.h"
#include "kernels.h"

namespace tf {
namespace avx512 {

namespace {

constexpr int LANES = 16;
constexpr int64_t L2_BLOCK_BYTES = 256 * 1024;  // weight bytes per row block in prefill

// LANES weights of row-major data at element offset i, widened to f32.
template <int D>
inline __m512 load_w(const void* data, int64_t i) {
    if constexpr (D == TF_DTYPE_F32) {
        return _mm512_loadu_ps(static_cast<const float*>(data) + i);
    } else if constexpr (D == TF_DTYPE_BF16) {
        const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const uint16_t*>(data) + i));
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    } else if constexpr (D == TF_DTYPE_F16) {
        return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const uint16_t*>(data) + i)));
    } else {
        const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const int8_t*>(data) + i));
        return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q));
    }
}


// Pairwise horizontal sum: halves, quarters, ... (the AVX2 tree after one more halving).
inline float hsum(__m512 v) {
    const __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// y[i, r+j] for i < MR, j < NR: one pass over the columns; U independent accumulators per
// pair. Decode (m = 1, and matmul_rows_decode) uses U = 2 to hide the FMA latency; every prefill tile
// (m > 1) uses U = 1. Within either, a row is computed the same way whatever MR,
// NR, thread split or other rows of the call: results do not depend on the thread count, and a
// row's value does not depend on the batch it falls in (AtMan prefix reuse and batched passes
// rely on that; see matmul_rows_decode in kernels.h).
template <int D, int MR, int NR, int U>
inline void tile(const float* x, int64_t cols, const void* w, int64_t r, const float* scales, float* y,
                 int64_t ldy) {
    __m512 acc[U][MR][NR];
    for (int u = 0; u < U; ++u)
        for (int i = 0; i < MR; ++i)
            for (int j = 0; j < NR; ++j) acc[u][i][j] = _mm512_setzero_ps();
    const int64_t base = r * cols;
    int64_t c = 0;
    for (; c + U * LANES <= cols; c += U * LANES) {
        for (int u = 0; u < U; ++u) {
            __m512 wv[NR];
            for (int j = 0; j < NR; ++j) wv[j] = load_w<D>(w, base + j * cols + c + u * LANES);
            for (int i = 0; i < MR; ++i) {
                const __m512 xv = _mm512_loadu_ps(x + i * cols + c + u * LANES);
                for (int j = 0; j < NR; ++j) acc[u][i][j] = _mm512_fmadd_ps(xv, wv[j], acc[u][i][j]);
            }
        }
    }
    if constexpr (U > 1) {
        for (; c + LANES <= cols; c += LANES) {
            __m512 wv[NR];
            for (int j = 0; j < NR; ++j) wv[j] = load_w<D>(w, base + j * cols + c);
            for (int i = 0; i < MR; ++i) {
                const __m512 xv = _mm512_loadu_ps(x + i * cols + c);
                for (int j = 0; j < NR; ++j) acc[0][i][j] = _mm512_fmadd_ps(xv, wv[j], acc[0][i][j]);
            }
        }
        for (int u = 1; u < U; ++u)
            for (int i = 0; i < MR; ++i)
                for (int j = 0; j < NR; ++j) acc[0][i][j] = _mm512_add_ps(acc[0][i][j], acc[u][i][j]);
    }
    for (int i = 0; i < MR; ++i) {
        const float* xi = x + i * cols;
        for (int j = 0; j < NR; ++j) {
            float s = hsum(acc[0][i][j]);
            for (int64_t cc = c; cc < cols; ++cc) s += xi[cc] * load_one<D>(w, base + j * cols + cc);
            if constexpr (D == TF_DTYPE_I8) s *= scales[r + j];
            y[i * ldy + r + j] = s;
        }
    }
}

// All weight rows [r0, r1) against MR x rows: NR = 2 tiles, then a single-row tail.
template <int D, int MR>
void rows_pass(const float* x, int64_t cols, const void* w, const float* scales, float* y, int64_t ldy, int64_t r0,
               int64_t r1) {
    int64_t r = r0;
    for (; r + 2 <= r1; r += 2) tile<D, MR, 2, 1>(x, cols, w, r, scales, y, ldy);
    for (; r < r1; ++r) tile<D, MR, 1, 1>(x, cols, w, r, scales, y, ldy);
}

// Weight rows [r, r + NR) against all m x rows with the decode tiles (U = 2), 4 x rows at a time.
template <int D, int NR>
void small_pass(const float* x, int64_t m, int64_t cols, const void* w, int64_t r, const float* scales, float* y,
                int64_t ldy) {
    for (int64_t i = 0; i < m; i += 4) {
        const float* xi = x + i * cols;
        float* yi = y + i * ldy;
        switch (imin(4, m - i)) {
            case 4: tile<D, 4, NR, 2>(xi, cols, w, r, scales, yi, ldy); break;
            case 3: tile<D, 3, NR, 2>(xi, cols, w, r, scales, yi, ldy); break;
            case 2: tile<D, 2, NR, 2>(xi, cols, w, r, scales, yi, ldy); break;
            default: tile<D, 1, NR, 2>(xi, cols, w, r, scales, yi, ldy); break;
        }
    }
}

template <int D>
void rows_range(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1, bool decode) {
    const int64_t cols = w.cols, ldy = w.rows;
    if (m == 1) {
        // Decode: stream every weight row once, four rows at a time.
        int64_t r = r0;
        for (; r + 4 <= r1; r += 4) tile<D, 1, 4, 2>(x, cols, w.data, r, w.scales, y, ldy);
        for (; r < r1; ++r) tile<D, 1, 1, 2>(x, cols, w.data, r, w.scales, y, ldy);
        return;
    }
    if (decode) {
        // Decode steps of several sequences (matmul_rows_decode): the decode arithmetic (U = 2)
        // for every row, so a row gets the bits it gets alone (kernels.h); each block of 2 weight
        // row(s) is read from memory once and reused from L1 by every 4 x rows.
        int64_t r = r0;
        for (; r + 2 <= r1; r += 2) small_pass<D, 2>(x, m, cols, w.data, r, w.scales, y, ldy);
        for (; r < r1; ++r) small_pass<D, 1>(x, m, cols, w.data, r, w.scales, y, ldy);
        return;
    }
    // Prefill: a block of weight rows stays in L2 while all x rows pass over it, 4 at a time.
    const int64_t row_bytes = imax(1, cols * elem_size<D>());
    const int64_t block = imax(2, (L2_BLOCK_BYTES / row_bytes) & ~int64_t{1});
    for (int64_t b0 = r0; b0 < r1; b0 += block) {
        const int64_t b1 = imin(r1, b0 + block);
        for (int64_t i = 0; i < m; i += 4) {
            const float* xi = x + i * cols;
            float* yi = y + i * ldy;
            switch (imin(4, m - i)) {
                case 4: rows_pass<D, 4>(xi, cols, w.data, w.scales, yi, ldy, b0, b1); break;
                case 3: rows_pass<D, 3>(xi, cols, w.data, w.scales, yi, ldy, b0, b1); break;
                case 2: rows_pass<D, 2>(xi, cols, w.data, w.scales, yi, ldy, b0, b1); break;
                default: rows_pass<D, 1>(xi, cols, w.data, w.scales, yi, ldy, b0, b1); break;
            }
        }
    }
}

}  // namespace

namespace {
void any_rows(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1, bool decode) {
    switch (w.dtype) {
        case TF_DTYPE_F32: return rows_range<TF_DTYPE_F32>(x, m, w, y, r0, r1, decode);
        case TF_DTYPE_BF16: return rows_range<TF_DTYPE_BF16>(x, m, w, y, r0, r1, decode);
        case TF_DTYPE_F16: return rows_range<TF_DTYPE_F16>(x, m, w, y, r0, r1, decode);
        case TF_DTYPE_I8: return rows_range<TF_DTYPE_I8>(x, m, w, y, r0, r1, decode);
        default: return;
    }
}
}  // namespace

void matmul_rows(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1) {
    any_rows(x, m, w, y, r0, r1, false);
}

void matmul_rows_decode(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1) {
    any_rows(x, m, w, y, r0, r1, true);
}

}  // namespace avx512
}  // namespace tf

#endif
