// AVX-512BW W8A8 dot products (64 int8 lanes): a twin of avx2/matmul_a8_avx2.cpp (same decode
// tiles, same exact products; prefill runs the GEMM of avx512/gemm_a8_avx512.h). AVX-512 has
// no vpsignb, so x·sign(w) is a masked negation of x under w's sign bits (w = 0 needs no care).
// CPUs with AVX512_VNNI use avx512vnni/matmul_a8_vnni.cpp instead.
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
// GCC 12's avx512fintrin.h warns about its own _mm512_undefined_*() (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstdint>

#include "simd_local.h"
#include "kernels.h"
#include "avx512/gemm_a8_avx512.h"

namespace tf {
namespace avx512 {

namespace {

constexpr int LANES = 64;                       // int8 per register

// y[i, r+j] for i < MR, j < NR in one pass over the columns:
//   qx [MR, cols] (the tile's first x row), sx [MR], w [rows, cols], sw [rows], y [MR, ldy].
template <int MR, int NR>
inline void tile(const int8_t* qx, const float* sx, int64_t cols, const int8_t* w, const float* sw, int64_t r,
                 float* y, int64_t ldy) {
    __m512i acc[MR][NR];
    for (int i = 0; i < MR; ++i)
        for (int j = 0; j < NR; ++j) acc[i][j] = _mm512_setzero_si512();
    const __m512i ones16 = _mm512_set1_epi16(1);
    const __m512i zero = _mm512_setzero_si512();
    const int8_t* wr = w + r * cols;
    int64_t c = 0;
    for (; c + LANES <= cols; c += LANES) {
        __m512i wa[NR];
        __mmask64 negative[NR];
        for (int j = 0; j < NR; ++j) {
            const __m512i wv = _mm512_loadu_si512(wr + j * cols + c);
            wa[j] = _mm512_abs_epi8(wv);  // 0..128 as u8
            negative[j] = _mm512_movepi8_mask(wv);
        }
        for (int i = 0; i < MR; ++i) {
            const __m512i xv = _mm512_loadu_si512(qx + i * cols + c);
            for (int j = 0; j < NR; ++j) {
                const __m512i x_signed = _mm512_mask_sub_epi8(xv, negative[j], zero, xv);  // x·sign(w)
                const __m512i pairs = _mm512_maddubs_epi16(wa[j], x_signed);             // exact, see AVX2
                acc[i][j] = _mm512_add_epi32(acc[i][j], _mm512_madd_epi16(pairs, ones16));
            }
        }
    }
    for (int i = 0; i < MR; ++i) {
        const int8_t* xi = qx + i * cols;
        for (int j = 0; j < NR; ++j) {
            const int8_t* wj = wr + j * cols;
            int32_t s = _mm512_reduce_add_epi32(acc[i][j]);
            for (int64_t cc = c; cc < cols; ++cc) s += int32_t(xi[cc]) * int32_t(wj[cc]);
            y[i * ldy + r + j] = float(s) * sx[i] * sw[r + j];
        }
    }
}

}  // namespace

void matmul_a8_rows(const int8_t* qx, const float* sx, int64_t m, const tf_matrix& w, float* y, int64_t r0,
                    int64_t r1) {
    const int64_t cols = w.cols, ldy = w.rows;
    const int8_t* qw = static_cast<const int8_t*>(w.data);
    if (m == 1) {
        // Decode: stream every weight row once, four rows at a time.
        int64_t r = r0;
        for (; r + 4 <= r1; r += 4) tile<1, 4>(qx, sx, cols, qw, w.scales, r, y, ldy);
        for (; r < r1; ++r) tile<1, 1>(qx, sx, cols, qw, w.scales, r, y, ldy);
        return;
    }
    // Prefill: the packed, cache-blocked GEMM of avx512/gemm_a8_avx512.h.
    gemm_a8::rows(qx, sx, m, w, y, r0, r1);
}

}  // namespace avx512
}  // namespace tf

#endif
