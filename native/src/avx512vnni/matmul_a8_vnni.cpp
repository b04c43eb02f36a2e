// AVX-512 VNNI W8A8 dot products (64 int8 lanes), used at the AVX-512 level when the CPU
// reports AVX512_VNNI. Same decode tiles as avx512/matmul_a8_avx512.cpp; prefill runs the GEMM
// of avx512/gemm_a8_avx512.h with vpdpbusd (the same x + 128 offset).
//
// vpdpbusd multiplies UNSIGNED bytes by signed bytes and adds groups of 4 into int32. The
// activations are made unsigned by an offset: x + 128 (x XOR 0x80) lies in [1, 255], and
//   Σ x·w = Σ (x + 128)·w − 128·Σ w,
// where 128·Σ w is one more vpdpbusd of the constant 128 bytes against w per weight vector
// (shared by all x rows of a tile). Both accumulators wrap modulo 2^32 (vpdpbusd does not
// saturate) and the true Σ x·w fits in int32 (cols <= 131072), so their difference taken
// modulo 2^32 is exact: bit-identical to the scalar reference.
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VNNI__)
// GCC 12's avx512fintrin.h warns about its own _mm512_undefined_*() (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstdint>

#include "simd_local.h"
#include "kernels.h"
#define TF_GEMM_A8_VNNI 1  // the GEMM's products with vpdpbusd
#include "avx512/gemm_a8_avx512.h"

namespace tf {
namespace avx512vnni {

namespace {

constexpr int LANES = 64;                       // int8 per register

// y[i, r+j] for i < MR, j < NR in one pass over the columns:
//   qx [MR, cols] (the tile's first x row), sx [MR], w [rows, cols], sw [rows], y [MR, ldy].
template <int MR, int NR>
inline void tile(const int8_t* qx, const float* sx, int64_t cols, const int8_t* w, const float* sw, int64_t r,
                 float* y, int64_t ldy) {
    __m512i acc[MR][NR], offset_sum[NR];
    for (int j = 0; j < NR; ++j) {
        offset_sum[j] = _mm512_setzero_si512();
        for (int i = 0; i < MR; ++i) acc[i][j] = _mm512_setzero_si512();
    }
    const __m512i bias = _mm512_set1_epi8(char(0x80));  // 128 as u8; XOR with it adds 128 to an int8
    const int8_t* wr = w + r * cols;
    int64_t c = 0;
    for (; c + LANES <= cols; c += LANES) {
        __m512i wv[NR];
        for (int j = 0; j < NR; ++j) {
            wv[j] = _mm512_loadu_si512(wr + j * cols + c);
            offset_sum[j] = _mm512_dpbusd_epi32(offset_sum[j], bias, wv[j]);  // += 128·w
        }
        for (int i = 0; i < MR; ++i) {
            const __m512i xu = _mm512_xor_si512(_mm512_loadu_si512(qx + i * cols + c), bias);  // x + 128
            for (int j = 0; j < NR; ++j) acc[i][j] = _mm512_dpbusd_epi32(acc[i][j], xu, wv[j]);
        }
    }
    for (int j = 0; j < NR; ++j) {
        const uint32_t offset = reduce_add_wrapping(offset_sum[j]);
        const int8_t* wj = wr + j * cols;
        for (int i = 0; i < MR; ++i) {
            const int8_t* xi = qx + i * cols;
            int32_t s = int32_t(reduce_add_wrapping(acc[i][j]) - offset);  // mod 2^32: exact
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

}  // namespace avx512vnni
}  // namespace tf

#endif
