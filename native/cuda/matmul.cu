// y = x · Wᵀ on the device (nn.Linear convention, W [rows = out, cols = in]).
//
// Two kernels, chosen by m (the number of x rows):
//   - GEMV, m <= kGemvMaxRows (decode): memory bound, so every weight byte is streamed from
//     HBM exactly once. One warp per weight row; each lane loads 16 bytes at a time (4 f32,
//     8 bf16/f16 or 16 int8 weights), multiplies them with all m x rows in f32 (the x rows
//     are tiny and stay in L1/L2), and the warp reduces its 32 partial sums. Rows whose byte
//     length is not a multiple of 16 take the same loop with scalar loads.
//   - GEMM, m > kGemvMaxRows (prefill): tensor cores through WMMA, 64×64 output tiles, 4
//     warps of 32×32, K in steps of 32, f32 (or int32) accumulators. Operand precision:
//       bf16 weights: bf16 MMAs; x is split into two bf16 halves (x ≈ hi + lo, residual
//         ~2^-16 relative) and both are multiplied: 2 MMAs per product;
//       f32 / f16 / i8 (W8A32) weights: TF32 MMAs. f16 and int8 weights are exact in TF32;
//         x is split into two TF32 halves (2 MMAs), f32 weights too (3 MMAs, "3xTF32").
//         f16 weights do not use f16 MMAs because x would overflow above 65504.
//       So prefill matches an f32 dot product to ~1e-6 (the parity tests' 1e-4 needs it),
//       at 2-3 MMAs per product: the bench's prefill rows show what that costs.
//       W8A8: int8 × int8 → exact int32 (IMMA), then (float(acc)·sx)·sw as the CPU does,
//         so tf_matmul_a8 gives the CPU's bits.
// The W8A8 GEMV uses __dp4a (exact int32 too).
#include <mma.h>

#include "common.cuh"

namespace tfc {
namespace {

using namespace nvcuda;

constexpr int kGemvMaxRows = 8;
constexpr int kGemvWarps = 8;  // weight rows per block

// The 16 bytes of one vector load as floats: E = 16 / sizeof(element) values.
template <int D>
struct Vec16 {
    static constexpr int E = D == TF_DTYPE_F32 ? 4 : (D == TF_DTYPE_I8 ? 16 : 8);
    __device__ __forceinline__ static void unpack(const uint4& raw, float* out) {
        const uint32_t words[4] = {raw.x, raw.y, raw.z, raw.w};
#pragma unroll
        for (int k = 0; k < 4; ++k) {
            const uint32_t u = words[k];
            if constexpr (D == TF_DTYPE_F32) {
                out[k] = __uint_as_float(u);
            } else if constexpr (D == TF_DTYPE_BF16) {
                out[2 * k] = __uint_as_float(u << 16);
                out[2 * k + 1] = __uint_as_float(u & 0xffff0000u);
            } else if constexpr (D == TF_DTYPE_F16) {
                const float2 f = __half22float2(*reinterpret_cast<const __half2*>(&u));
                out[2 * k] = f.x;
                out[2 * k + 1] = f.y;
            } else {
#pragma unroll
                for (int b = 0; b < 4; ++b) out[4 * k + b] = float(int8_t(uint8_t(u >> (8 * b))));
            }
        }
    }
};

// x [m, cols] f32 (m <= M), w [rows, cols] of dtype D, y [m, rows] (I8: · w.scales[r]).
// vec: cols · sizeof(element) % 16 == 0 (then every row and every x row is 16-byte aligned).
template <int D, int M>
__global__ void __launch_bounds__(kGemvWarps * 32) gemv_kernel(const float* __restrict__ x, int m, DevMatrix w,
                                                               float* __restrict__ y, bool vec) {
    const int lane = threadIdx.x & 31;
    const int64_t r = int64_t(blockIdx.x) * kGemvWarps + (threadIdx.x >> 5);
    if (r >= w.rows) return;  // whole warps leave together
    const int64_t cols = w.cols;
    float acc[M];
#pragma unroll
    for (int i = 0; i < M; ++i) acc[i] = 0.0f;
    if (vec) {
        constexpr int E = Vec16<D>::E;
        const int64_t row_bytes = cols * (D == TF_DTYPE_F32 ? 4 : (D == TF_DTYPE_I8 ? 1 : 2));
        const uint4* wr = reinterpret_cast<const uint4*>(static_cast<const char*>(w.data) + r * row_bytes);
        const int64_t chunks = cols / E;
        for (int64_t k = lane; k < chunks; k += 32) {
            float wv[E];
            Vec16<D>::unpack(__ldg(wr + k), wv);
#pragma unroll
            for (int i = 0; i < M; ++i) {
                if (i < m) {
                    const float4* xr = reinterpret_cast<const float4*>(x + i * cols + k * E);
#pragma unroll
                    for (int e = 0; e < E / 4; ++e) {
                        const float4 xv = xr[e];
                        acc[i] = fmaf(xv.x, wv[4 * e], acc[i]);
                        acc[i] = fmaf(xv.y, wv[4 * e + 1], acc[i]);
                        acc[i] = fmaf(xv.z, wv[4 * e + 2], acc[i]);
                        acc[i] = fmaf(xv.w, wv[4 * e + 3], acc[i]);
                    }
                }
            }
        }
    } else {
        for (int64_t c = lane; c < cols; c += 32) {
            const float wv = widen<D>(w.data, r * cols + c);
#pragma unroll
            for (int i = 0; i < M; ++i) {
                if (i < m) acc[i] = fmaf(x[i * cols + c], wv, acc[i]);
            }
        }
    }
#pragma unroll
    for (int i = 0; i < M; ++i) {
        const float s = warp_sum(acc[i]);
        if (lane == 0 && i < m) y[i * w.rows + r] = D == TF_DTYPE_I8 ? s * w.scales[r] : s;
    }
}

// W8A8 GEMV: qx [m, cols] int8, sx [m], w [rows, cols] int8; y [m, rows] =
// (float(Σ qx·qw) · sx) · w.scales. vec: cols % 16 == 0.
template <int M>
__global__ void __launch_bounds__(kGemvWarps * 32) gemv_a8_kernel(const int8_t* __restrict__ qx,
                                                                  const float* __restrict__ sx, int m, DevMatrix w,
                                                                  float* __restrict__ y, bool vec) {
    const int lane = threadIdx.x & 31;
    const int64_t r = int64_t(blockIdx.x) * kGemvWarps + (threadIdx.x >> 5);
    if (r >= w.rows) return;
    const int64_t cols = w.cols;
    const int8_t* wr = static_cast<const int8_t*>(w.data) + r * cols;
    int acc[M];
#pragma unroll
    for (int i = 0; i < M; ++i) acc[i] = 0;
    if (vec) {
        const int64_t chunks = cols / 16;
        for (int64_t k = lane; k < chunks; k += 32) {
            const uint4 wv = __ldg(reinterpret_cast<const uint4*>(wr) + k);
#pragma unroll
            for (int i = 0; i < M; ++i) {
                if (i < m) {
                    const uint4 xv = reinterpret_cast<const uint4*>(qx + i * cols)[k];
                    acc[i] = __dp4a(int(wv.x), int(xv.x), acc[i]);
                    acc[i] = __dp4a(int(wv.y), int(xv.y), acc[i]);
                    acc[i] = __dp4a(int(wv.z), int(xv.z), acc[i]);
                    acc[i] = __dp4a(int(wv.w), int(xv.w), acc[i]);
                }
            }
        }
    } else {
        for (int64_t c = lane; c < cols; c += 32) {
            const int wv = wr[c];
#pragma unroll
            for (int i = 0; i < M; ++i) {
                if (i < m) acc[i] += wv * int(qx[i * cols + c]);
            }
        }
    }
#pragma unroll
    for (int i = 0; i < M; ++i) {
        const int s = __reduce_add_sync(0xffffffffu, acc[i]);
        if (lane == 0 && i < m) y[i * w.rows + r] = float(s) * sx[i] * w.scales[r];
    }
}

// ---- tensor-core GEMM ----------------------------------------------------------------------

enum class Kind { BF16, TF32, I8 };

template <Kind K>
struct Mma;
template <>
struct Mma<Kind::BF16> {
    using T = __nv_bfloat16;
    using Acc = float;
    static constexpr int KF = 16;
    using A = wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major>;
    using B = wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::col_major>;
    using C = wmma::fragment<wmma::accumulator, 16, 16, 16, float>;
};
template <>
struct Mma<Kind::TF32> {
    using T = float;
    using Acc = float;
    static constexpr int KF = 8;
    using A = wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major>;
    using B = wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::col_major>;
    using C = wmma::fragment<wmma::accumulator, 16, 16, 8, float>;
};
template <>
struct Mma<Kind::I8> {
    using T = signed char;
    using Acc = int;
    static constexpr int KF = 16;
    using A = wmma::fragment<wmma::matrix_a, 16, 16, 16, signed char, wmma::row_major>;
    using B = wmma::fragment<wmma::matrix_b, 16, 16, 16, signed char, wmma::col_major>;
    using C = wmma::fragment<wmma::accumulator, 16, 16, 16, int>;
};

constexpr int BM = 64, BN = 64, BK = 32, kGemmThreads = 128;

// The two TF32 halves of an f32 value v = hi + lo. hi keeps the top 10 mantissa bits
// (truncated, so a finite v never rounds up to inf); lo is the rest, rounded. ±inf and NaN
// pass through hi with lo = 0 (inf − inf in lo would turn the CPU's ±inf product into NaN).
__device__ __forceinline__ float tf32_hi(float v) {
    return isfinite(v) ? __uint_as_float(__float_as_uint(v) & 0xffffe000u) : v;
}
__device__ __forceinline__ float tf32_lo(float v, float hi) { return isfinite(v) ? wmma::__float_to_tf32(v - hi) : 0.0f; }

// The A operand (x) element as stored in shared memory.
template <Kind K>
__device__ __forceinline__ typename Mma<K>::T a_elem(const void* a, int64_t i) {
    if constexpr (K == Kind::BF16) return __float2bfloat16(static_cast<const float*>(a)[i]);
    if constexpr (K == Kind::TF32) return static_cast<const float*>(a)[i];
    if constexpr (K == Kind::I8) return static_cast<const signed char*>(a)[i];
}
// The B operand (weight) element as stored in shared memory.
template <Kind K, int D>
__device__ __forceinline__ typename Mma<K>::T b_elem(const void* w, int64_t i) {
    if constexpr (K == Kind::BF16) return __ushort_as_bfloat16(static_cast<const uint16_t*>(w)[i]);
    if constexpr (K == Kind::TF32) return widen<D>(w, i);
    if constexpr (K == Kind::I8) return static_cast<const signed char*>(w)[i];
}

// a [m, K] (f32 x, or int8 qx for I8), w [N, K] dtype D, sx [m] (I8 only), y [m, N].
template <Kind KIND, int D>
__global__ void __launch_bounds__(kGemmThreads) gemm_kernel(const void* __restrict__ a, int64_t m, DevMatrix w,
                                                            const float* __restrict__ sx, float* __restrict__ y) {
    using Cfg = Mma<KIND>;
    using T = typename Cfg::T;
    constexpr int KF = Cfg::KF, KS = BK / KF;
    // Each k-step's 16-row fragments are contiguous [rows][KF] blocks (ldm = KF): aligned to
    // 32 bytes as WMMA requires, for every element size.
    __shared__ __align__(128) T As[KS][BM][KF];
    // bf16: x's remainder x − bf16(x), rounded to bf16 again (see "split x" below).
    __shared__ __align__(128) T As_lo[KIND == Kind::BF16 ? KS : 1][BM][KF];
    __shared__ __align__(128) T Bs[KS][BN][KF];
    __shared__ __align__(128) typename Cfg::Acc Cs[BM][BN + 4];
    const int64_t K = w.cols, N = w.rows;
    const int64_t row0 = int64_t(blockIdx.y) * BM, col0 = int64_t(blockIdx.x) * BN;
    const int warp = threadIdx.x >> 5, wm = warp >> 1, wn = warp & 1;
    typename Cfg::C acc[2][2];
#pragma unroll
    for (int i = 0; i < 2; ++i)
#pragma unroll
        for (int j = 0; j < 2; ++j) wmma::fill_fragment(acc[i][j], typename Cfg::Acc(0));

    for (int64_t k0 = 0; k0 < K; k0 += BK) {
        // Consecutive threads read consecutive k of one row: coalesced global loads.
        for (int e = threadIdx.x; e < BM * BK; e += kGemmThreads) {
            const int r = e / BK, kk = e % BK;
            const int64_t gr = row0 + r, gk = k0 + kk;
            if constexpr (KIND == Kind::BF16) {
                const float v = (gr < m && gk < K) ? static_cast<const float*>(a)[gr * K + gk] : 0.0f;
                // hi truncated (never rounds a finite v up to inf); lo = 0 for ±inf / NaN
                // (inf − inf would make it NaN where the CPU's product is ±inf).
                const __nv_bfloat16 hi = __float2bfloat16_rz(v);
                As[kk / KF][r][kk % KF] = hi;
                As_lo[kk / KF][r][kk % KF] = __float2bfloat16(isfinite(v) ? v - __bfloat162float(hi) : 0.0f);
            } else {
                As[kk / KF][r][kk % KF] = (gr < m && gk < K) ? a_elem<KIND>(a, gr * K + gk) : T(0);
            }
            const int64_t gn = col0 + r;
            Bs[kk / KF][r][kk % KF] = (gn < N && gk < K) ? b_elem<KIND, D>(w.data, gn * K + gk) : T(0);
        }
        __syncthreads();
#pragma unroll
        for (int ks = 0; ks < KS; ++ks) {
            // Split x: x = hi + lo with hi, lo in the MMA's input precision, and both halves
            // multiplied (the residual is ~2^-16 |x| for bf16, ~2^-22 for TF32), so the
            // product is as accurate as an f32 dot product, not the 2^-8 / 2^-11 of one
            // rounding. f32 weights are split the same way (3 MMAs); bf16, f16 and int8
            // weights are exact in the MMA precision.
            typename Cfg::A fa[2], fa_lo[2];
            typename Cfg::B fb[2], fb_lo[2];
#pragma unroll
            for (int i = 0; i < 2; ++i) {
                wmma::load_matrix_sync(fa[i], &As[ks][wm * 32 + i * 16][0], KF);
                wmma::load_matrix_sync(fb[i], &Bs[ks][wn * 32 + i * 16][0], KF);
                if constexpr (KIND == Kind::BF16) wmma::load_matrix_sync(fa_lo[i], &As_lo[ks][wm * 32 + i * 16][0], KF);
                if constexpr (KIND == Kind::TF32) {
#pragma unroll
                    for (int t = 0; t < fa[i].num_elements; ++t) {
                        const float v = fa[i].x[t], hi = tf32_hi(v);
                        fa[i].x[t] = hi;
                        fa_lo[i].x[t] = tf32_lo(v, hi);
                    }
#pragma unroll
                    for (int t = 0; t < fb[i].num_elements; ++t) {
                        const float v = fb[i].x[t], hi = tf32_hi(v);
                        fb[i].x[t] = hi;
                        if constexpr (D == TF_DTYPE_F32) fb_lo[i].x[t] = tf32_lo(v, hi);
                    }
                }
            }
#pragma unroll
            for (int i = 0; i < 2; ++i)
#pragma unroll
                for (int j = 0; j < 2; ++j) {
                    if constexpr (KIND != Kind::I8) wmma::mma_sync(acc[i][j], fa_lo[i], fb[j], acc[i][j]);
                    if constexpr (KIND == Kind::TF32 && D == TF_DTYPE_F32) {
                        wmma::mma_sync(acc[i][j], fa[i], fb_lo[j], acc[i][j]);
                    }
                    wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
                }
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 2; ++i)
#pragma unroll
        for (int j = 0; j < 2; ++j)
            wmma::store_matrix_sync(&Cs[wm * 32 + i * 16][wn * 32 + j * 16], acc[i][j], BN + 4, wmma::mem_row_major);
    __syncthreads();
    for (int e = threadIdx.x; e < BM * BN; e += kGemmThreads) {
        const int r = e / BN, c = e % BN;
        const int64_t gr = row0 + r, gc = col0 + c;
        if (gr >= m || gc >= N) continue;
        float v;
        if constexpr (KIND == Kind::I8) {
            v = float(Cs[r][c]) * sx[gr] * w.scales[gc];
        } else {
            v = Cs[r][c];
            if constexpr (D == TF_DTYPE_I8) v *= w.scales[gc];
        }
        y[gr * N + gc] = v;
    }
}

template <Kind KIND, int D>
tf_status gemm(cudaStream_t s, const void* a, int64_t m, const DevMatrix& w, const float* sx, float* y) {
    const int64_t gy = (m + BM - 1) / BM;
    if (gy > 65535) return fail(TF_ERR_UNSUPPORTED, "matmul: more than 65535·64 rows in one call");
    const dim3 grid(grid_for(w.rows, BN), unsigned(gy));
    gemm_kernel<KIND, D><<<grid, kGemmThreads, 0, s>>>(a, m, w, sx, y);
    TFC_LAUNCHED("gemm_kernel");
    return TF_OK;
}

template <int D>
tf_status gemv(cudaStream_t s, const float* x, int64_t m, const DevMatrix& w, float* y) {
    const bool vec = (w.cols * dtype_bytes(D)) % 16 == 0;
    const unsigned blocks = grid_for(w.rows, kGemvWarps);
    if (m == 1) {
        gemv_kernel<D, 1><<<blocks, kGemvWarps * 32, 0, s>>>(x, 1, w, y, vec);
    } else {
        gemv_kernel<D, kGemvMaxRows><<<blocks, kGemvWarps * 32, 0, s>>>(x, int(m), w, y, vec);
    }
    TFC_LAUNCHED("gemv_kernel");
    return TF_OK;
}

}  // namespace

tf_status launch_matmul(cudaStream_t s, const float* x, int64_t m, const DevMatrix& w, float* y) {
    if (m == 0 || w.rows == 0) return TF_OK;
    if (w.cols == 0) {  // empty dot products
        TFC_CHECK(cudaMemsetAsync(y, 0, size_t(m * w.rows) * sizeof(float), s));
        return TF_OK;
    }
    if (m <= kGemvMaxRows) {
        switch (w.dtype) {
            case TF_DTYPE_F32: return gemv<TF_DTYPE_F32>(s, x, m, w, y);
            case TF_DTYPE_BF16: return gemv<TF_DTYPE_BF16>(s, x, m, w, y);
            case TF_DTYPE_F16: return gemv<TF_DTYPE_F16>(s, x, m, w, y);
            default: return gemv<TF_DTYPE_I8>(s, x, m, w, y);
        }
    }
    switch (w.dtype) {
        case TF_DTYPE_F32: return gemm<Kind::TF32, TF_DTYPE_F32>(s, x, m, w, nullptr, y);
        case TF_DTYPE_BF16: return gemm<Kind::BF16, TF_DTYPE_BF16>(s, x, m, w, nullptr, y);
        case TF_DTYPE_F16: return gemm<Kind::TF32, TF_DTYPE_F16>(s, x, m, w, nullptr, y);
        default: return gemm<Kind::TF32, TF_DTYPE_I8>(s, x, m, w, nullptr, y);
    }
}

tf_status launch_matmul_a8(cudaStream_t s, const int8_t* qx, const float* sx, int64_t m, const DevMatrix& w, float* y) {
    if (m == 0 || w.rows == 0) return TF_OK;
    if (w.cols == 0) {
        TFC_CHECK(cudaMemsetAsync(y, 0, size_t(m * w.rows) * sizeof(float), s));
        return TF_OK;
    }
    if (m <= kGemvMaxRows) {
        const bool vec = w.cols % 16 == 0;
        const unsigned blocks = grid_for(w.rows, kGemvWarps);
        if (m == 1) {
            gemv_a8_kernel<1><<<blocks, kGemvWarps * 32, 0, s>>>(qx, sx, 1, w, y, vec);
        } else {
            gemv_a8_kernel<kGemvMaxRows><<<blocks, kGemvWarps * 32, 0, s>>>(qx, sx, int(m), w, y, vec);
        }
        TFC_LAUNCHED("gemv_a8_kernel");
        return TF_OK;
    }
    return gemm<Kind::I8, TF_DTYPE_I8>(s, qx, m, w, sx, y);
}

}  // namespace tfc
