// Cache-blocked GEMM for prefill (m > 1 rows of x), AVX2 + FMA, any weight dtype.
//
// y = x · Wᵀ with W [rows, cols] row-major, like x. Blocking (BLIS-style, sized for 32 KiB L1
// and >= 256 KiB L2):
//   - a panel of NR = 16 weight rows × KC = 256 columns is widened to f32 and packed k-major
//     (packed[k][j] = W[r + j][c0 + k]) into a 16 KiB stack buffer that stays in L1;
//   - every MR = 6 rows of x then pass over the panel: a 6 × 16 register tile (12 ymm
//     accumulators) gets, per k, two panel vectors and six broadcast x values: 12 FMAs per
//     8 loads, so the FMA units, not the loads, set the pace;
//   - the accumulators live in y between column blocks (the first block starts from zero, the
//     last one applies the I8 row scales).
// Each y element is a single FMA chain over c = 0 .. cols−1 in order: results do not depend on
// the thread split, and stay within the sequential-summation error bound the tests check.
// Packing widens each weight once per panel instead of once per 4 x rows.
#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
#include "avx2/gemm_avx2.h"

#include <immintrin.h>

#include "avx2/widen_avx2.h"
#include "simd_local.h"

namespace tf {
namespace avx2 {

namespace {

constexpr int NR = 16;   // weight rows per panel (two ymm of outputs)
constexpr int MR = 6;    // x rows per register tile
constexpr int64_t KC = 256;  // columns per panel

// packed [kc][NR] = W[r .. r+nr, c0 .. c0+kc) widened to f32, transposed; rows >= nr are 0.
template <int D>
void pack_panel(const void* w, int64_t cols, int64_t r, int nr, int64_t c0, int64_t kc, float* packed) {
    for (int j0 = 0; j0 < NR; j0 += 8) {
        int64_t k = 0;
        if (j0 + 8 <= nr) {
            // Eight full rows: 8 × 8 blocks through the transpose.
            for (; k + 8 <= kc; k += 8) {
                __m256 v[8];
                for (int j = 0; j < 8; ++j) v[j] = load_w<D>(w, (r + j0 + j) * cols + c0 + k);
                transpose8(v);
                for (int i = 0; i < 8; ++i) _mm256_store_ps(packed + (k + i) * NR + j0, v[i]);
            }
        }
        for (; k < kc; ++k) {
            for (int j = j0; j < j0 + 8; ++j) {
                packed[k * NR + j] = j < nr ? load_one<D>(w, (r + j) * cols + c0 + k) : 0.0f;
            }
        }
    }
}

// The first `nr` (<= 16) lanes of two vectors: all-ones masks for maskload / maskstore.
inline void lane_masks(int nr, __m256i* m0, __m256i* m1) {
    const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    *m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(nr), idx);
    *m1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(nr - 8), idx);
}

// y[i, 0 .. nr) (+)= Σ_k x[i, k] · packed[k][.] for i < R (R <= MR), k < kc.
//   x: row i at x + i * ldx; y: row i at y + i * ldy. first: start from 0 (else from y);
//   scale: multiply by scale[0 .. nr) when storing (the last column block of I8), or NULL.
// Loads (or zeroes) row i's two accumulators from y; `masked` for a partial panel.
inline void load_row(const float* y, bool first, bool masked, __m256i m0, __m256i m1, __m256& lo, __m256& hi) {
    if (first) {
        lo = hi = _mm256_setzero_ps();
    } else if (!masked) {
        lo = _mm256_loadu_ps(y);
        hi = _mm256_loadu_ps(y + 8);
    } else {
        lo = _mm256_maskload_ps(y, m0);
        hi = _mm256_maskload_ps(y + 8, m1);
    }
}

// Stores row i's accumulators to y, times the I8 scales when s (the scales' vectors) is given.
inline void store_row(float* y, bool masked, __m256i m0, __m256i m1, const __m256* s, __m256 lo, __m256 hi) {
    if (s) {
        lo = _mm256_mul_ps(lo, s[0]);
        hi = _mm256_mul_ps(hi, s[1]);
    }
    if (!masked) {
        _mm256_storeu_ps(y, lo);
        _mm256_storeu_ps(y + 8, hi);
    } else {
        _mm256_maskstore_ps(y, m0, lo);
        _mm256_maskstore_ps(y + 8, m1, hi);
    }
}

// One x row's step: c_lo/c_hi += x[i, k] · (b0, b1).
#define TF_GEMM_ROW(i)                                                \
    if constexpr (R > i) {                                            \
        const __m256 a = _mm256_broadcast_ss(x + i * ldx + k);        \
        c##i##0 = _mm256_fmadd_ps(a, b0, c##i##0);                    \
        c##i##1 = _mm256_fmadd_ps(a, b1, c##i##1);                    \
    }

// y[i, 0 .. nr) (+)= Σ_k x[i, k] · packed[k][.] for i < R (R <= MR), k < kc.
//   x: row i at x + i * ldx; y: row i at y + i * ldy. first: start from 0 (else from y);
//   scale: multiply by scale[0 .. nr) when storing (the last column block of I8), or NULL.
// The accumulators are separate variables, not an array, so that the compiler keeps all 12 in
// registers (with the two panel vectors and the broadcast: 15 of the 16 ymm).
template <int R>
void micro_kernel(const float* x, int64_t ldx, const float* packed, int64_t kc, float* y, int64_t ldy, bool first,
                  int nr, const float* scale) {
    __m256i m0, m1;
    lane_masks(nr, &m0, &m1);
    const bool masked = nr != NR;
    __m256 c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm256_setzero_ps();
    if constexpr (R > 0) load_row(y + 0 * ldy, first, masked, m0, m1, c00, c01);
    if constexpr (R > 1) load_row(y + 1 * ldy, first, masked, m0, m1, c10, c11);
    if constexpr (R > 2) load_row(y + 2 * ldy, first, masked, m0, m1, c20, c21);
    if constexpr (R > 3) load_row(y + 3 * ldy, first, masked, m0, m1, c30, c31);
    if constexpr (R > 4) load_row(y + 4 * ldy, first, masked, m0, m1, c40, c41);
    if constexpr (R > 5) load_row(y + 5 * ldy, first, masked, m0, m1, c50, c51);
    for (int64_t k = 0; k < kc; ++k) {
        const __m256 b0 = _mm256_load_ps(packed + k * NR);
        const __m256 b1 = _mm256_load_ps(packed + k * NR + 8);
        TF_GEMM_ROW(0)
        TF_GEMM_ROW(1)
        TF_GEMM_ROW(2)
        TF_GEMM_ROW(3)
        TF_GEMM_ROW(4)
        TF_GEMM_ROW(5)
    }
    __m256 s[2];
    if (scale) {
        s[0] = _mm256_maskload_ps(scale, m0);
        s[1] = _mm256_maskload_ps(scale + 8, m1);
    }
    const __m256* sp = scale ? s : nullptr;
    if constexpr (R > 0) store_row(y + 0 * ldy, masked, m0, m1, sp, c00, c01);
    if constexpr (R > 1) store_row(y + 1 * ldy, masked, m0, m1, sp, c10, c11);
    if constexpr (R > 2) store_row(y + 2 * ldy, masked, m0, m1, sp, c20, c21);
    if constexpr (R > 3) store_row(y + 3 * ldy, masked, m0, m1, sp, c30, c31);
    if constexpr (R > 4) store_row(y + 4 * ldy, masked, m0, m1, sp, c40, c41);
    if constexpr (R > 5) store_row(y + 5 * ldy, masked, m0, m1, sp, c50, c51);
}

#undef TF_GEMM_ROW

template <int D>
void gemm_dtype(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1) {
    const int64_t cols = w.cols, ldy = w.rows;
    if (cols == 0) {
        for (int64_t i = 0; i < m; ++i)
            for (int64_t r = r0; r < r1; ++r) y[i * ldy + r] = 0.0f;
        return;
    }
    alignas(32) float packed[KC * NR];
    for (int64_t r = r0; r < r1; r += NR) {
        const int nr = int(imin(NR, r1 - r));
        for (int64_t c0 = 0; c0 < cols; c0 += KC) {
            const int64_t kc = imin(KC, cols - c0);
            pack_panel<D>(w.data, cols, r, nr, c0, kc, packed);
            const bool first = c0 == 0;
            const float* scale = (D == TF_DTYPE_I8 && c0 + kc == cols) ? w.scales + r : nullptr;
            int64_t i = 0;
            for (; i + MR <= m; i += MR) {
                micro_kernel<MR>(x + i * cols + c0, cols, packed, kc, y + i * ldy + r, ldy, first, nr, scale);
            }
            const float* xi = x + i * cols + c0;
            float* yi = y + i * ldy + r;
            switch (m - i) {
                case 5: micro_kernel<5>(xi, cols, packed, kc, yi, ldy, first, nr, scale); break;
                case 4: micro_kernel<4>(xi, cols, packed, kc, yi, ldy, first, nr, scale); break;
                case 3: micro_kernel<3>(xi, cols, packed, kc, yi, ldy, first, nr, scale); break;
                case 2: micro_kernel<2>(xi, cols, packed, kc, yi, ldy, first, nr, scale); break;
                case 1: micro_kernel<1>(xi, cols, packed, kc, yi, ldy, first, nr, scale); break;
                default: break;
            }
        }
    }
}

}  // namespace

void gemm_rows(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1) {
    switch (w.dtype) {
        case TF_DTYPE_F32: return gemm_dtype<TF_DTYPE_F32>(x, m, w, y, r0, r1);
        case TF_DTYPE_BF16: return gemm_dtype<TF_DTYPE_BF16>(x, m, w, y, r0, r1);
        case TF_DTYPE_F16: return gemm_dtype<TF_DTYPE_F16>(x, m, w, y, r0, r1);
        case TF_DTYPE_I8: return gemm_dtype<TF_DTYPE_I8>(x, m, w, y, r0, r1);
        default: return;
    }
}

}  // namespace avx2
}  // namespace tf

#endif
