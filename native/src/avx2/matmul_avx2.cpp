// AVX2 + FMA + F16C matmul (8 lanes). Decode (m = 1, and matmul_rows_decode): the tiles of
// native/src/matmul.cpp's algorithm, as in the AVX-512 twin native/src/avx512/matmul_avx512.cpp.
// Prefill (m > 1): the packed, cache-blocked GEMM of gemm_avx2.cpp (the AVX-512
// file still uses its tiles there).
#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
#include <immintrin.h>

#include <cstdint>

#include "simd_local.h"
#include "kernels.h"
#include "avx2/gemm_avx2.h"
#include "avx2/widen_avx2.h"

namespace tf {
namespace avx2 {

namespace {

constexpr int LANES = 8;

// Pairwise horizontal sum: (l0+l4, l1+l5, l2+l6, l3+l7) -> (.. + ..) -> sum.
inline float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// y[i, r+j] for i < MR, j < NR: one pass over the columns, U independent accumulators per
// pair. Only decode (m = 1 and matmul_rows_decode, U = 2 to hide the FMA latency) uses these tiles here; prefill runs
// the packed GEMM of gemm_avx2.cpp. Every y element is computed the same way whatever tile or
// thread split it falls in, so the results do not depend on the thread count.
template <int D, int MR, int NR, int U>
inline void tile(const float* x, int64_t cols, const void* w, int64_t r, const float* scales, float* y,
                 int64_t ldy) {
    __m256 acc[U][MR][NR];
    for (int u = 0; u < U; ++u)
        for (int i = 0; i < MR; ++i)
            for (int j = 0; j < NR; ++j) acc[u][i][j] = _mm256_setzero_ps();
    const int64_t base = r * cols;
    int64_t c = 0;
    for (; c + U * LANES <= cols; c += U * LANES) {
        for (int u = 0; u < U; ++u) {
            __m256 wv[NR];
            for (int j = 0; j < NR; ++j) wv[j] = load_w<D>(w, base + j * cols + c + u * LANES);
            for (int i = 0; i < MR; ++i) {
                const __m256 xv = _mm256_loadu_ps(x + i * cols + c + u * LANES);
                for (int j = 0; j < NR; ++j) acc[u][i][j] = _mm256_fmadd_ps(xv, wv[j], acc[u][i][j]);
            }
        }
    }
    if constexpr (U > 1) {
        for (; c + LANES <= cols; c += LANES) {
            __m256 wv[NR];
            for (int j = 0; j < NR; ++j) wv[j] = load_w<D>(w, base + j * cols + c);
            for (int i = 0; i < MR; ++i) {
                const __m256 xv = _mm256_loadu_ps(x + i * cols + c);
                for (int j = 0; j < NR; ++j) acc[0][i][j] = _mm256_fmadd_ps(xv, wv[j], acc[0][i][j]);
            }
        }
        for (int u = 1; u < U; ++u)
            for (int i = 0; i < MR; ++i)
                for (int j = 0; j < NR; ++j) acc[0][i][j] = _mm256_add_ps(acc[0][i][j], acc[u][i][j]);
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
        // for every row, so a row gets the bits it gets alone (kernels.h); each block of 1 weight
        // row(s) is read from memory once and reused from L1 by every 4 x rows.
        int64_t r = r0;
        for (; r + 1 <= r1; r += 1) small_pass<D, 1>(x, m, cols, w.data, r, w.scales, y, ldy);
        for (; r < r1; ++r) small_pass<D, 1>(x, m, cols, w.data, r, w.scales, y, ldy);
        return;
    }
    // Prefill (m > 1): the packed, cache-blocked GEMM of gemm_avx2.cpp. Each of its y
    // elements is one FMA chain over the columns whatever the other rows of the call, so a
    // prefill row does not depend on the batch it is computed in.
    gemm_rows(x, m, w, y, r0, r1);
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

}  // namespace avx2
}  // namespace tf

#endif
