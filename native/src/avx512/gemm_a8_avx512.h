// Cache-blocked W8A8 GEMM for prefill (m > 1 quantized x rows) at the AVX-512 level: the
// 16-lane twin of avx2/gemm_a8_avx2.cpp (read that file's comment first).
// Included by
// avx512/matmul_a8_avx512.cpp (AVX-512BW: int16 pairs, vpmaddwd + vpaddd) and by
// avx512vnni/matmul_a8_vnni.cpp, which defines TF_GEMM_A8_VNNI first. With VNNI the k unit is a
// quad of int8 instead of a pair of int16: vpdpbusd multiplies unsigned by signed bytes and adds
// four products into an int32 lane (64 multiply-adds per instruction, 4× vpmaddwd's), so the
// x bytes are offset to x + 128 (x XOR 0x80, in [1, 255]) and each output subtracts
// 128 · Σ_c w[r, c], which a vpdpbusd of the constant 0x80 bytes against the packed panel gives
// once per panel and column block. Both sums wrap modulo 2^32 (vpdpbusd does not saturate) and
// the true sum fits in int32 (cols <= 131072), so the difference is exact, as in
// avx512vnni/matmul_a8_vnni.cpp's decode tiles.
// Everything here has internal linkage, so each file gets its own copy built with its flags.
//
// Differences to the AVX2 GEMM: panels of NR = 32 weight rows (two zmm of outputs), tiles of
// MR = 8 x rows (16 accumulators of the 32 zmm registers), 256-column blocks; a partial panel
// (nr < 32) finishes its lanes in scalar code instead of masked loads and stores. The sums
// are exact int32, so the results are the scalar reference's bits.
//
// Runs on the CI hosts with AVX-512 (native tests, sanitizer build included); on AVX2-only hosts
// it is checked bit for bit under SIMDe emulation by native/tools/avx512_emulated_check.sh.
#pragma once
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "simd_local.h"
#include "tfree4j.h"

namespace {
namespace gemm_a8 {

constexpr int NV = 2;        // zmm of int32 outputs per panel row
constexpr int NR = 16 * NV;  // weight rows per panel
constexpr int NB = 2;        // panels per packed weight block
constexpr int MR = 8;        // x rows per register tile
constexpr int64_t KC = 256;  // columns per block (even: whole k pairs)
constexpr int64_t MC = 24;   // x rows prepared per block (a multiple of MR)
#if defined(TF_GEMM_A8_VNNI)
constexpr int KU = 4;        // columns per 32-bit lane: a quad of bytes
using XElem = uint8_t;       // x + 128
#else
constexpr int KU = 2;        // columns per 32-bit lane: a pair of int16
using XElem = int16_t;       // x widened
#endif
constexpr int64_t KP = KC / KU;  // k units (32-bit lanes of a row) per column block

// panel [KP][NR] 32-bit k units = w[r .. r+nr, c0 .. c0+kc), k-unit-major: int16 pairs
// (w widened) or, with VNNI, quads of the int8 weights as they are. Rows >= nr and columns past
// kc are zero. Eight full rows at a time go through the 8 × 8 transpose of 32-bit units.
inline void pack_panel(const int8_t* w, int64_t cols, int64_t r, int nr, int64_t c0, int64_t kc, int32_t* panel) {
    constexpr int64_t STEP = 8 * KU;  // columns per transposed 8 × 8 block of units
    const int64_t ku = (kc + KU - 1) / KU;
    for (int j0 = 0; j0 < NR; j0 += 8) {
        int64_t k = 0;
        if (j0 + 8 <= nr) {
            for (; k + STEP <= kc; k += STEP) {
                __m256 v[8];
                for (int j = 0; j < 8; ++j) {
                    const int8_t* src = w + (r + j0 + j) * cols + c0 + k;
#if defined(TF_GEMM_A8_VNNI)
                    v[j] = _mm256_loadu_ps(reinterpret_cast<const float*>(src));
#else
                    v[j] = _mm256_castsi256_ps(_mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src))));
#endif
                }
                transpose8(v);
                for (int i = 0; i < 8; ++i) _mm256_storeu_ps(reinterpret_cast<float*>(panel + (k / KU + i) * NR + j0), v[i]);
            }
        }
        for (int64_t u = k / KU; u < ku; ++u) {
            for (int j = j0; j < j0 + 8; ++j) {
                const int8_t* wj = w + (r + j) * cols + c0;
#if defined(TF_GEMM_A8_VNNI)
                uint8_t quad[4] = {0, 0, 0, 0};
                for (int e = 0; e < 4; ++e)
                    if (j < nr && KU * u + e < kc) quad[e] = uint8_t(wj[KU * u + e]);
                std::memcpy(panel + u * NR + j, quad, 4);
#else
                const int16_t lo = j < nr ? wj[2 * u] : 0;
                const int16_t hi = j < nr && 2 * u + 1 < kc ? wj[2 * u + 1] : 0;
                panel[u * NR + j] = pair(lo, hi);
#endif
            }
        }
    }
}

// xp [mc][KC] = qx[i0 .. i0+mc, c0 .. c0+kc) prepared for the products: widened to int16, or
// (VNNI) offset to x + 128. The columns past kc up to a whole k unit meet zero weights; they
// are set (to 0, resp. 128) only so that no uninitialised memory is read.
inline void prepare_rows(const int8_t* qx, int64_t cols, int64_t i0, int64_t mc, int64_t c0, int64_t kc, XElem* xp) {
    const int64_t padded = (kc + KU - 1) / KU * KU;
    for (int64_t i = 0; i < mc; ++i) {
        const int8_t* src = qx + (i0 + i) * cols + c0;
        XElem* dst = xp + i * KC;
        int64_t k = 0;
        for (; k + 16 <= kc; k += 16) {
            const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + k));
#if defined(TF_GEMM_A8_VNNI)
            _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + k), _mm_xor_si128(b, _mm_set1_epi8(char(0x80))));
#else
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + k), _mm256_cvtepi8_epi16(b));
#endif
        }
#if defined(TF_GEMM_A8_VNNI)
        for (; k < kc; ++k) dst[k] = uint8_t(src[k] ^ 0x80);
        for (; k < padded; ++k) dst[k] = 0x80;
#else
        for (; k < kc; ++k) dst[k] = src[k];
        for (; k < padded; ++k) dst[k] = 0;
#endif
    }
}

// One column block's state of a panel: see TileOut in avx2/gemm_a8_avx2.cpp.
struct TileOut {
    bool first;       // the first column block: start from zero, else from y's int32 sums
    bool last;        // the last column block: store (float(acc) · sx) · sw, else the int32 sums
    int nr;           // valid lanes (weight rows) of the panel
    const float* sw;  // the panel's weight-row scales (sw[0 .. nr))
#if defined(TF_GEMM_A8_VNNI)
    int32_t offset[NR];  // 128 · Σ w[r + j, c0 .. c0+kc) per lane: subtracted from the sums
#endif
};
// Why no __m512i member above and no __m512i array below that is passed by address: such an
// object asks for 64-byte alignment, and the compiler then moves it with aligned loads and
// stores. AddressSanitizer's fake stack (detect_stack_use_after_return, which CI's sanitizer
// build uses) keeps only smaller alignments, so those moves fault there. Plain int32 arrays
// read with unaligned loads cost nothing on the aligned normal stack and are safe on the
// fake one.

// y[0 .. nr) of one tile row (+)= its NV vectors of sums.
inline void finish_row(float* y, const TileOut& o, float sx, const int32_t* sums) {
    int32_t* yi = reinterpret_cast<int32_t*>(y);
    if (o.nr == NR) {
        for (int v = 0; v < NV; ++v) {
            __m512i acc = _mm512_loadu_si512(sums + 16 * v);
#if defined(TF_GEMM_A8_VNNI)
            acc = _mm512_sub_epi32(acc, _mm512_loadu_si512(o.offset + 16 * v));
#endif
            if (!o.first) acc = _mm512_add_epi32(acc, _mm512_loadu_si512(yi + 16 * v));
            if (o.last) {
                const __m512 f = _mm512_mul_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(acc), _mm512_set1_ps(sx)),
                                               _mm512_loadu_ps(o.sw + 16 * v));
                _mm512_storeu_ps(y + 16 * v, f);
            } else {
                _mm512_storeu_si512(yi + 16 * v, acc);
            }
        }
        return;
    }
    int32_t lanes[NR];
    std::memcpy(lanes, sums, sizeof lanes);
#if defined(TF_GEMM_A8_VNNI)
    for (int j = 0; j < NR; ++j) lanes[j] = int32_t(uint32_t(lanes[j]) - uint32_t(o.offset[j]));
#endif
    for (int j = 0; j < o.nr; ++j) {
        int32_t acc = lanes[j];
        if (!o.first) {
            int32_t before;
            std::memcpy(&before, yi + j, sizeof before);
            acc = int32_t(uint32_t(acc) + uint32_t(before));
        }
        if (o.last) {
            y[j] = float(acc) * sx * o.sw[j];
        } else {
            std::memcpy(yi + j, &acc, sizeof acc);
        }
    }
}

// The 32-bit k unit of x at p (a pair of int16 or a quad of bytes) in every lane.
inline __m512i broadcast_unit(const XElem* p) {
    int32_t v;
    std::memcpy(&v, p, sizeof v);
    return _mm512_set1_epi32(v);
}

// acc += the products of every 32-bit lane of a and b: two int16 products, or (VNNI) four
// unsigned × signed byte products.
inline __m512i dot_add(__m512i acc, __m512i a, __m512i b) {
#if defined(TF_GEMM_A8_VNNI)
    return _mm512_dpbusd_epi32(acc, a, b);
#else
    return _mm512_add_epi32(acc, _mm512_madd_epi16(a, b));
#endif
}

// sums[NR·i + 16v ..+16) = Σ_p x[i, unit p] · panel[p][16v .. 16v+16) for i < R (R <= MR), p < kp.
template <int R>
void tile_sums(const XElem* x, const int32_t* panel, int64_t kp, int32_t* sums) {
    __m512i acc[R][NV];
    for (int i = 0; i < R; ++i)
        for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_si512();
    for (int64_t p = 0; p < kp; ++p) {
        __m512i b[NV];
        for (int v = 0; v < NV; ++v) b[v] = _mm512_loadu_si512(panel + p * NR + 16 * v);
        for (int i = 0; i < R; ++i) {
            const __m512i a = broadcast_unit(x + i * KC + KU * p);
            for (int v = 0; v < NV; ++v) acc[i][v] = dot_add(acc[i][v], a, b[v]);
        }
    }
    for (int i = 0; i < R; ++i)
        for (int v = 0; v < NV; ++v) _mm512_storeu_si512(sums + NR * i + 16 * v, acc[i][v]);
}

template <int R>
void micro_kernel(const XElem* x, const int32_t* panel, int64_t kp, float* y, int64_t ldy, const float* sx,
                  const TileOut& o) {
    int32_t sums[NR * MR];
    tile_sums<R>(x, panel, kp, sums);
    for (int i = 0; i < R; ++i) finish_row(y + i * ldy, o, sx[i], sums + NR * i);
}

// The last r (< MR) x rows of a block: micro_kernel<r>, r chosen at run time.
template <int R>
void tail_kernel(int r, const XElem* x, const int32_t* panel, int64_t kp, float* y, int64_t ldy, const float* sx,
                 const TileOut& o) {
    if constexpr (R >= 1) {
        if (r == R) return micro_kernel<R>(x, panel, kp, y, ldy, sx, o);
        tail_kernel<R - 1>(r, x, panel, kp, y, ldy, sx, o);
    }
}

// y[i, r] = (float(Σ_c qx[i, c] · w[r, c]) · sx[i]) · w.scales[r] for i < m, r in [r0, r1):
// the contract of matmul_a8_rows (kernels.h) for m > 1.
inline void rows(const int8_t* qx, const float* sx, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1) {
    const int64_t cols = w.cols, ldy = w.rows;
    const int8_t* qw = static_cast<const int8_t*>(w.data);
    if (cols == 0) {  // empty sums: the reference's float(0) · sx · sw
        for (int64_t i = 0; i < m; ++i)
            for (int64_t r = r0; r < r1; ++r) y[i * ldy + r] = 0.0f * sx[i] * w.scales[r];
        return;
    }
    alignas(64) int32_t panels[NB][KP * NR];
    alignas(64) XElem xw[MC * KC];
    for (int64_t rb = r0; rb < r1; rb += NB * NR) {
        const int64_t block_rows = imin(NB * NR, r1 - rb);
        const int n_panels = int((block_rows + NR - 1) / NR);
        for (int64_t c0 = 0; c0 < cols; c0 += KC) {
            const int64_t kc = imin(KC, cols - c0), kp = (kc + KU - 1) / KU;
            for (int q = 0; q < n_panels; ++q) {
                pack_panel(qw, cols, rb + q * NR, int(imin(NR, block_rows - q * NR)), c0, kc, panels[q]);
            }
            TileOut o{};
            o.first = c0 == 0;
            o.last = c0 + kc == cols;
            for (int64_t i0 = 0; i0 < m; i0 += MC) {
                const int64_t mc = imin(MC, m - i0);
                prepare_rows(qx, cols, i0, mc, c0, kc, xw);
                for (int q = 0; q < n_panels; ++q) {
                    o.nr = int(imin(NR, block_rows - q * NR));
                    o.sw = w.scales + rb + q * NR;
#if defined(TF_GEMM_A8_VNNI)
                    // 128 · Σ w over this block's columns, per weight row: (0x80 bytes) · panel.
                    for (int v = 0; v < NV; ++v) {
                        __m512i offset = _mm512_setzero_si512();
                        for (int64_t p = 0; p < kp; ++p)
                            offset = _mm512_dpbusd_epi32(offset, _mm512_set1_epi8(char(0x80)),
                                                         _mm512_loadu_si512(panels[q] + p * NR + 16 * v));
                        _mm512_storeu_si512(o.offset + 16 * v, offset);
                    }
#endif
                    float* yq = y + i0 * ldy + rb + q * NR;
                    int64_t i = 0;
                    for (; i + MR <= mc; i += MR) {
                        micro_kernel<MR>(xw + i * KC, panels[q], kp, yq + i * ldy, ldy, sx + i0 + i, o);
                    }
                    if (i < mc) tail_kernel<MR - 1>(int(mc - i), xw + i * KC, panels[q], kp, yq + i * ldy, ldy, sx + i0 + i, o);
                }
            }
        }
    }
}

}  // namespace gemm_a8
}  // namespace
