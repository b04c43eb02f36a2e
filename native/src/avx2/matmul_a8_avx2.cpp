// AVX2 W8A8 dot products (32 int8 lanes). Decode (m = 1) streams each weight row once, four
// rows at a time (gemv_tile below; on one core it reads 12-17 GB/s of weights against ~16-19
// GB/s of a plain read loop, so it is bound by memory). Prefill (m > 1) runs the packed,
// cache-blocked GEMM of gemm_a8_avx2.cpp. The AVX-512 twin is avx512/matmul_a8_avx512.cpp.
//
// The decode products: _mm256_maddubs_epi16 multiplies unsigned by signed bytes, so the sign of w
// moves onto x: |w| (0..128 as u8, -128 included) times x·sign(w) (x in [-127, 127], so the
// negation cannot wrap). Adjacent pairs sum to at most 2·128·127 = 32512 < 2^15: the int16
// stage never saturates. _mm256_madd_epi16 with ones widens to int32 sums of 4 products.
// Every sum is exact, so the result equals the scalar reference bit for bit.
#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
#include <immintrin.h>

#include <cstdint>

#include "simd_local.h"
#include "kernels.h"
#include "avx2/gemm_a8_avx2.h"

namespace tf {
namespace avx2 {

namespace {

constexpr int LANES = 32;                       // int8 per register

inline int32_t hsum(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    return _mm_cvtsi128_si32(s);
}

// acc (8 × int32) += the products w·x summed in groups of 4 bytes; w_abs = |w|.
inline __m256i dot_add(__m256i acc, __m256i w_abs, __m256i w, __m256i x, __m256i ones16) {
    const __m256i x_signed = _mm256_sign_epi8(x, w);                 // x·sign(w)
    const __m256i pairs = _mm256_maddubs_epi16(w_abs, x_signed);     // w·x, pairwise, exact
    return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, ones16));  // 4 products per int32
}

// Decode (one x row): y[r .. r+NR) with the NR rows' weights streamed once. The NR rows are
// one contiguous block of NR·cols bytes, read NR lines at a time, i.e. NR short streams that
// restart every NR rows; with rows of a few KiB the hardware prefetchers barely get going
// (one core streamed ~10 GB/s with 2 KiB rows, 15-17 GB/s with 4 KiB and 11 KiB ones). With
// PF (rows of <= 4 KiB) a software prefetch walks the block linearly, PREFETCH bytes ahead of
// the reads (into the next block at its end): NR·32 bytes, NR / 2 lines, per step. That
// measured 12-13 GB/s with 2 KiB rows, a little more with 4 KiB ones, and less than the
// hardware alone with 11 KiB rows (single thread, CPU time).
constexpr int64_t PREFETCH = 4096;
constexpr int64_t PREFETCH_MAX_COLS = 4096;
template <int NR, bool PF>
inline void gemv_tile(const int8_t* qx, float sx, int64_t cols, const int8_t* w, const float* sw, int64_t r,
                      float* y) {
    __m256i acc[NR];
    for (int j = 0; j < NR; ++j) acc[j] = _mm256_setzero_si256();
    const __m256i ones16 = _mm256_set1_epi16(1);
    const int8_t* wr = w + r * cols;
    const char* pf = reinterpret_cast<const char*>(wr) + PREFETCH;
    int64_t c = 0;
    for (; c + LANES <= cols; c += LANES) {
        if constexpr (PF) {
            for (int j = 0; j < NR; j += 2) _mm_prefetch(pf + NR * c + j * 32, _MM_HINT_T0);
        }
        const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qx + c));
        for (int j = 0; j < NR; ++j) {
            const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wr + j * cols + c));
            acc[j] = dot_add(acc[j], _mm256_abs_epi8(wv), wv, xv, ones16);
        }
    }
    for (int j = 0; j < NR; ++j) {
        const int8_t* wj = wr + j * cols;
        int32_t s = hsum(acc[j]);
        for (int64_t cc = c; cc < cols; ++cc) s += int32_t(qx[cc]) * int32_t(wj[cc]);
        y[r + j] = float(s) * sx * sw[r + j];
    }
}

}  // namespace

void matmul_a8_rows(const int8_t* qx, const float* sx, int64_t m, const tf_matrix& w, float* y, int64_t r0,
                    int64_t r1) {
    const int64_t cols = w.cols;
    const int8_t* qw = static_cast<const int8_t*>(w.data);
    if (m == 1) {
        // Decode: stream every weight row once, four rows at a time.
        int64_t r = r0;
        if (cols <= PREFETCH_MAX_COLS) {
            for (; r + 4 <= r1; r += 4) gemv_tile<4, true>(qx, sx[0], cols, qw, w.scales, r, y);
        } else {
            for (; r + 4 <= r1; r += 4) gemv_tile<4, false>(qx, sx[0], cols, qw, w.scales, r, y);
        }
        for (; r < r1; ++r) gemv_tile<1, false>(qx, sx[0], cols, qw, w.scales, r, y);
        return;
    }
    // Prefill: the packed, cache-blocked GEMM of gemm_a8_avx2.cpp.
    gemm_a8_rows(qx, sx, m, w, y, r0, r1);
}

}  // namespace avx2
}  // namespace tf

#endif
