// Cache-blocked W8A8 GEMM for prefill (m > 1 quantized x rows), AVX2: the int8 twin of
// gemm_avx2.cpp, used by matmul_a8_avx2.cpp.
//
// y[i, r] = (float(Σ_c qx[i, c] · w[r, c]) · sx[i]) · sw[r], the sum exact in int32.
//
// The products: both operands are widened to int16 and multiplied with vpmaddwd, which sums
// two adjacent products into an int32 lane exactly (|x·w| <= 127·128, two of them < 2^31).
// vpmaddubsw would need x·sign(w) per (x, w) pair because a broadcast x meets many weights; with
// that extra op it issues as many multiplies per multiply-add as vpmaddwd and needs one more
// op, so the widened form is the simpler and no slower one here.
//
// Blocking (sized for 32 KiB L1, >= 256 KiB L2):
//   - a block of up to NB·NR = 96 weight rows × KC = 512 columns is widened to int16 and packed
//     k-pair-major per panel of NR = 24 rows: panel[p][j] = (w[r+j][c0+2p], w[r+j][c0+2p+1]),
//     24 KiB per panel (stays in L1 while the x rows pass over it; the block, 96 KiB, in L2).
//     Every block re-reads (and re-widens) all x rows of the call, mostly from L3, so a block
//     of 96 rows instead of 48 halves that: 0.90–0.98× the time on the 7B shapes (docs/benchmark-log.md,
//     "Fourth session");
//   - MC = 24 x rows of those columns are widened to int16 (24 KiB);
//   - an MR = 4 × NR = 24 register tile (12 int32 accumulators) gets, per k pair, three panel
//     vectors and four broadcast x pairs: 12 vpmaddwd + 12 vpaddd per 7 loads (measured a
//     little faster than 6 × 16, which needs six broadcasts for the same 12 products);
//   - the int32 sums live in y's memory between column blocks (the first block starts from
//     zero, the last converts to float and applies the scales), as in gemm_avx2.cpp.
// The buffers are on the stack (120 KiB): the range kernels never allocate.
// Every y element is an exact integer sum, so it equals the scalar reference bit for bit and
// does not depend on the other rows of the call or on the thread split.
#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
#include "avx2/gemm_a8_avx2.h"

#include <immintrin.h>

#include <cstring>

#include "simd_local.h"

namespace tf {
namespace avx2 {

namespace {

constexpr int NV = 3;        // ymm of int32 outputs per panel row
constexpr int NR = 8 * NV;   // weight rows per panel
constexpr int NB = 4;        // panels per packed weight block
constexpr int MR = 4;        // x rows per register tile
constexpr int64_t KC = 512;  // columns per block (even: whole k pairs)
constexpr int64_t MC = 24;   // x rows widened per block (a multiple of MR)

// panel [KC / 2][NR] int16 pairs = w[r .. r+nr, c0 .. c0+kc) widened, k-pair-major; rows >= nr
// and the odd column past kc are zero. w: row-major int8 with `cols` columns.
void pack_panel(const int8_t* w, int64_t cols, int64_t r, int nr, int64_t c0, int64_t kc, int32_t* panel) {
    const int64_t kp = (kc + 1) / 2;
    for (int j0 = 0; j0 < NR; j0 += 8) {
        int64_t k = 0;
        if (j0 + 8 <= nr) {
            // Eight full rows, 16 columns (8 pairs) each: widen, then transpose the 8 × 8 pairs.
            for (; k + 16 <= kc; k += 16) {
                __m256 v[8];
                for (int j = 0; j < 8; ++j) {
                    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + (r + j0 + j) * cols + c0 + k));
                    v[j] = _mm256_castsi256_ps(_mm256_cvtepi8_epi16(b));
                }
                transpose8(v);
                for (int i = 0; i < 8; ++i) _mm256_store_ps(reinterpret_cast<float*>(panel + (k / 2 + i) * NR + j0), v[i]);
            }
        }
        for (int64_t p = k / 2; p < kp; ++p) {
            for (int j = j0; j < j0 + 8; ++j) {
                const int8_t* wj = w + (r + j) * cols + c0;
                const int16_t lo = j < nr ? wj[2 * p] : 0;
                const int16_t hi = j < nr && 2 * p + 1 < kc ? wj[2 * p + 1] : 0;
                panel[p * NR + j] = pair(lo, hi);
            }
        }
    }
}

// xw [mc][KC] int16 = qx[i0 .. i0+mc, c0 .. c0+kc) widened; the odd column past kc is zero.
void widen_rows(const int8_t* qx, int64_t cols, int64_t i0, int64_t mc, int64_t c0, int64_t kc, int16_t* xw) {
    for (int64_t i = 0; i < mc; ++i) {
        const int8_t* src = qx + (i0 + i) * cols + c0;
        int16_t* dst = xw + i * KC;
        // The rows are `cols` bytes apart and x (up to 256 rows × cols) is re-read for every
        // block of weight rows, mostly from L3: fetch the next row's segment while this one
        // is widened (the hardware prefetchers do not follow 512-byte pieces of far rows).
        if (i + 1 < mc) {
            for (int64_t k = 0; k < kc; k += 64) _mm_prefetch(reinterpret_cast<const char*>(src + cols + k), _MM_HINT_T0);
        }
        int64_t k = 0;
        for (; k + 16 <= kc; k += 16) {
            const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + k));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + k), _mm256_cvtepi8_epi16(b));
        }
        for (; k < kc; ++k) dst[k] = src[k];
        if (kc % 2) dst[kc] = 0;
    }
}

// The first `nr` (<= NR) lanes of the panel's NV vectors: all-ones masks for maskload / maskstore.
inline void lane_masks(int nr, __m256i* mask) {
    const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (int v = 0; v < NV; ++v) mask[v] = _mm256_cmpgt_epi32(_mm256_set1_epi32(nr - 8 * v), idx);
}

// Where the int32 sums of one tile row live between column blocks: y's own memory.
struct TileOut {
    bool first;          // the first column block: start from zero, else from y
    bool last;           // the last column block: store float(acc) · sx · sw, else the int32 sums
    bool masked;         // a partial panel (nr < NR)
    __m256i mask[NV];    // its lane masks
    const float* sw;     // the panel's weight-row scales (sw[0 .. nr))
};

// y[0 .. nr) of one tile row (+)= its NV vectors of sums: added to the earlier column blocks'
// int32 sums (in y), stored as int32, or, after the last block, as the scalar reference's
// (float(acc) · sx) · sw.
inline void finish_row(float* y, const TileOut& o, float sx, const __m256i* sums) {
    int* yi = reinterpret_cast<int*>(y);
    for (int v = 0; v < NV; ++v) {
        __m256i acc = sums[v];
        if (!o.first) {
            acc = _mm256_add_epi32(acc, o.masked ? _mm256_maskload_epi32(yi + 8 * v, o.mask[v])
                                                 : _mm256_loadu_si256(reinterpret_cast<const __m256i*>(yi + 8 * v)));
        }
        if (o.last) {
            const __m256 sw = _mm256_maskload_ps(o.sw + 8 * v, o.mask[v]);
            const __m256 f = _mm256_mul_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(acc), _mm256_set1_ps(sx)), sw);
            if (o.masked) _mm256_maskstore_ps(y + 8 * v, o.mask[v], f);
            else _mm256_storeu_ps(y + 8 * v, f);
        } else if (o.masked) {
            _mm256_maskstore_epi32(yi + 8 * v, o.mask[v], acc);
        } else {
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(yi + 8 * v), acc);
        }
    }
}

inline __m256i broadcast_pair(const int16_t* p) {
    int32_t v;
    std::memcpy(&v, p, sizeof v);
    return _mm256_set1_epi32(v);
}

// GCC's own vector type for 8 int32 lanes: with `+=` on it (instead of _mm256_add_epi32 on
// __m256i) GCC 12 keeps all 12 accumulators of the tile in registers; with the intrinsic it
// spilled some of them to the stack on every step.
typedef int v8si __attribute__((vector_size(32)));

// sums[NV·i + v] = Σ_p x[i, pair p] · panel[p][8v .. 8v+8) for i < R (R <= MR), p < kp.
// x: widened rows [R][KC]. Per k pair: NV panel vectors, R broadcast x pairs, NV·R vpmaddwd
// + NV·R vpaddd. The caller combines the sums with y.
template <int R>
__attribute__((noinline)) void tile_sums(const int16_t* x, const int32_t* panel, int64_t kp, v8si* sums) {
    v8si acc[R][NV] = {};
    for (int64_t p = 0; p < kp; ++p) {
        __m256i b[NV];
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) b[v] = _mm256_load_si256(reinterpret_cast<const __m256i*>(panel + p * NR + 8 * v));
#pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
            const __m256i a = broadcast_pair(x + i * KC + 2 * p);
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v) acc[i][v] += (v8si)_mm256_madd_epi16(a, b[v]);
        }
    }
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i)
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) sums[NV * i + v] = acc[i][v];
}

// y[i, 0 .. nr) (+)= Σ_p x[i, pair p] · panel[p][.] for i < R.
template <int R>
void micro_kernel(const int16_t* x, const int32_t* panel, int64_t kp, float* y, int64_t ldy, const float* sx,
                  const TileOut& o) {
    v8si sums[NV * MR];
    tile_sums<R>(x, panel, kp, sums);
    for (int i = 0; i < R; ++i) finish_row(y + i * ldy, o, sx[i], reinterpret_cast<const __m256i*>(sums + NV * i));
}

// The last r (< MR) x rows of a block: micro_kernel<r>, r chosen at run time.
template <int R>
void tail_kernel(int r, const int16_t* x, const int32_t* panel, int64_t kp, float* y, int64_t ldy, const float* sx,
                 const TileOut& o) {
    if constexpr (R >= 1) {
        if (r == R) return micro_kernel<R>(x, panel, kp, y, ldy, sx, o);
        tail_kernel<R - 1>(r, x, panel, kp, y, ldy, sx, o);
    }
}

}  // namespace

void gemm_a8_rows(const int8_t* qx, const float* sx, int64_t m, const tf_matrix& w, float* y, int64_t r0,
                  int64_t r1) {
    const int64_t cols = w.cols, ldy = w.rows;
    const int8_t* qw = static_cast<const int8_t*>(w.data);
    if (cols == 0) {  // empty sums: the reference's float(0) · sx · sw
        for (int64_t i = 0; i < m; ++i)
            for (int64_t r = r0; r < r1; ++r) y[i * ldy + r] = 0.0f * sx[i] * w.scales[r];
        return;
    }
    alignas(32) int32_t panels[NB][KC / 2 * NR];
    alignas(32) int16_t xw[MC * KC];
    for (int64_t rb = r0; rb < r1; rb += NB * NR) {
        const int64_t block_rows = imin(NB * NR, r1 - rb);
        const int n_panels = int((block_rows + NR - 1) / NR);
        for (int64_t c0 = 0; c0 < cols; c0 += KC) {
            const int64_t kc = imin(KC, cols - c0), kp = (kc + 1) / 2;
            for (int q = 0; q < n_panels; ++q) {
                pack_panel(qw, cols, rb + q * NR, int(imin(NR, block_rows - q * NR)), c0, kc, panels[q]);
            }
            TileOut o{};
            o.first = c0 == 0;
            o.last = c0 + kc == cols;
            for (int64_t i0 = 0; i0 < m; i0 += MC) {
                const int64_t mc = imin(MC, m - i0);
                widen_rows(qx, cols, i0, mc, c0, kc, xw);
                for (int q = 0; q < n_panels; ++q) {
                    const int nr = int(imin(NR, block_rows - q * NR));
                    o.masked = nr != NR;
                    lane_masks(nr, o.mask);
                    o.sw = w.scales + rb + q * NR;
                    float* yq = y + i0 * ldy + rb + q * NR;
                    int64_t i = 0;
                    for (; i + MR <= mc; i += MR) {
                        micro_kernel<MR>(xw + i * KC, panels[q], kp, yq + i * ldy, ldy, sx + i0 + i, o);
                    }
                    const int16_t* xi = xw + i * KC;
                    float* yi = yq + i * ldy;
                    const float* si = sx + i0 + i;
                    if (i < mc) tail_kernel<MR - 1>(int(mc - i), xi, panels[q], kp, yi, ldy, si, o);
                }
            }
        }
    }
}

}  // namespace avx2
}  // namespace tf

#endif
