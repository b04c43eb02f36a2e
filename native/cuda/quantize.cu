// Symmetric absmax int8 quantization per row (tf_quantize_rows, docs/spec/atman-dtm.md §B.3) on the
// device, with the CPU's exact operations: scale = max|v| / 127 (IEEE division), q =
// round(v / scale) with ties away from zero (roundf), clamped to [-127, 127]; an all-zero row
// has scale 0 and q = 0. So q and the scales are bit-identical to the CPU's, and W8A8 matmuls
// (whose int32 sums are exact) give the CPU's bits too.
#include "common.cuh"

namespace tfc {
namespace {

constexpr int kWarps = 8;  // rows per block, one warp per row

// src [rows, cols] (dtype D: f32 / bf16 / f16), q [rows, cols], scales [rows];
// *bad = min(*bad, row) for a row holding a NaN or an infinity (its q / scale unspecified).
template <int D>
__global__ void quantize_kernel(DevMatrix src, int8_t* __restrict__ q, float* __restrict__ scales,
                                unsigned long long* bad) {
    const int lane = threadIdx.x & 31;
    const int64_t r = int64_t(blockIdx.x) * kWarps + (threadIdx.x >> 5);
    if (r >= src.rows) return;
    const int64_t cols = src.cols, base = r * cols;
    float amax = 0.0f;
    bool finite = true;
    for (int64_t c = lane; c < cols; c += 32) {
        const float v = widen<D>(src.data, base + c);
        finite = finite && isfinite(v);
        amax = fmaxf(amax, fabsf(v));
    }
    finite = __all_sync(0xffffffffu, finite);
    amax = warp_max(amax);
    if (!finite) {
        if (lane == 0) atomicMin(bad, static_cast<unsigned long long>(r));
        return;
    }
    const float s = amax / 127.0f;
    if (lane == 0) scales[r] = s;
    for (int64_t c = lane; c < cols; c += 32) {
        int8_t out = 0;
        if (s != 0.0f) {
            const float t = roundf(widen<D>(src.data, base + c) / s);
            out = int8_t(fminf(fmaxf(t, -127.0f), 127.0f));
        }
        q[base + c] = out;
    }
}

}  // namespace

tf_status launch_quantize(cudaStream_t s, const DevMatrix& src, int8_t* q, float* scales, unsigned long long* bad) {
    if (src.rows == 0) return TF_OK;
    const unsigned blocks = grid_for(src.rows, kWarps);
    switch (src.dtype) {
        case TF_DTYPE_F32: quantize_kernel<TF_DTYPE_F32><<<blocks, kWarps * 32, 0, s>>>(src, q, scales, bad); break;
        case TF_DTYPE_BF16: quantize_kernel<TF_DTYPE_BF16><<<blocks, kWarps * 32, 0, s>>>(src, q, scales, bad); break;
        case TF_DTYPE_F16: quantize_kernel<TF_DTYPE_F16><<<blocks, kWarps * 32, 0, s>>>(src, q, scales, bad); break;
        default: return fail(TF_ERR_INTERNAL, "quantize: int8 source");
    }
    TFC_LAUNCHED("quantize_kernel");
    return TF_OK;
}

}  // namespace tfc
