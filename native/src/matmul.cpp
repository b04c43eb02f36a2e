// tf_matmul: y[m, rows] = x[m, cols] · Wᵀ for f32 / bf16 / f16 / i8 weights, and its scalar
// reference kernel. The SIMD variants (avx2/matmul_avx2.cpp, avx512/matmul_avx512.cpp) run
// the same algorithm with 8 / 16 lanes:
//   - a tile of MR x rows × NR weight rows is computed per pass over the columns, each
//     weight vector loaded (and widened to f32) once and used for all MR x rows;
//   - every (x row, weight row) pair accumulates lane-wise partial sums (LANES of them),
//     reduced at the end, then the column tail is added sequentially; I8 multiplies the
//     finished dot product by the row's scale;
//   - m = 1 (decode) streams each weight row exactly once; m > 1 (prefill) walks weight rows
//     in blocks small enough to stay in L2 while all x rows pass over them (the SIMD levels: a
//     GEMM). matmul_rows_decode gives several sequences' decode rows the m = 1 arithmetic. The
//     scalar level has one arithmetic for all m.
// Work is split over output rows (whole tiles), so threads never write the same y element.
#include <algorithm>
#include <cstdint>
#include <new>
#include <string>

#include "context.h"
#include "dtype.h"
#include "kernels.h"
#include "cuda_backend.h"
#include "status.h"

namespace tf {
namespace scalar {

namespace {

constexpr int LANES = 8;  // emulates one AVX2 register, so results track the SIMD paths
constexpr int MR = 4;     // x rows per pass over a weight row

template <int D>
inline float widen(const void* data, int64_t i) {
    if constexpr (D == TF_DTYPE_F32) return static_cast<const float*>(data)[i];
    if constexpr (D == TF_DTYPE_BF16) return bf16_to_f32(static_cast<const uint16_t*>(data)[i]);
    if constexpr (D == TF_DTYPE_F16) return f16_to_f32(static_cast<const uint16_t*>(data)[i]);
    if constexpr (D == TF_DTYPE_I8) return float(static_cast<const int8_t*>(data)[i]);
}

// y[i, r] for i in [0, mr), one weight row r: each weight element is widened once and used
// for all mr x rows.
template <int D>
void row_tile(const float* x, int mr, int64_t cols, const void* w, int64_t r, const float* scales, float* y,
              int64_t ldy) {
    float acc[MR][LANES] = {};
    const int64_t base = r * cols;
    int64_t c = 0;
    for (; c + LANES <= cols; c += LANES) {
        float wv[LANES];
        for (int l = 0; l < LANES; ++l) wv[l] = widen<D>(w, base + c + l);
        for (int i = 0; i < mr; ++i) {
            const float* xi = x + i * cols + c;
            for (int l = 0; l < LANES; ++l) acc[i][l] += xi[l] * wv[l];
        }
    }
    for (int i = 0; i < mr; ++i) {
        // Pairwise lane reduction, the same tree as the SIMD horizontal sums.
        float s4[4], s2[2];
        for (int l = 0; l < 4; ++l) s4[l] = acc[i][l] + acc[i][l + 4];
        for (int l = 0; l < 2; ++l) s2[l] = s4[l] + s4[l + 2];
        float s = s2[0] + s2[1];
        const float* xi = x + i * cols;
        for (int64_t cc = c; cc < cols; ++cc) s += xi[cc] * widen<D>(w, base + cc);
        if constexpr (D == TF_DTYPE_I8) s *= scales[r];
        y[i * ldy + r] = s;
    }
}

template <int D>
void rows_range(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
        for (int64_t i = 0; i < m; i += MR) {
            const int mr = int(std::min<int64_t>(MR, m - i));
            row_tile<D>(x + i * w.cols, mr, w.cols, w.data, r, w.scales, y + i * w.rows, w.rows);
        }
    }
}

}  // namespace

void matmul_rows(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1) {
    switch (w.dtype) {
        case TF_DTYPE_F32: return rows_range<TF_DTYPE_F32>(x, m, w, y, r0, r1);
        case TF_DTYPE_BF16: return rows_range<TF_DTYPE_BF16>(x, m, w, y, r0, r1);
        case TF_DTYPE_F16: return rows_range<TF_DTYPE_F16>(x, m, w, y, r0, r1);
        case TF_DTYPE_I8: return rows_range<TF_DTYPE_I8>(x, m, w, y, r0, r1);
        default: return;
    }
}

void matmul_rows_decode(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1) {
    matmul_rows(x, m, w, y, r0, r1);  // one arithmetic for every m already
}

}  // namespace scalar

void matmul_decode(tf_context* ctx, const float* x, int64_t m, const tf_matrix& w, float* y) {
    const KernelTable& k = kernels_for(ctx->simd);
    const int64_t rows = w.rows, cols = std::max<int64_t>(w.cols, 1), group = 4;
    const int64_t groups = (rows + group - 1) / group;
    const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(group * m * cols, 1));
    parallel_for(
        ctx, groups, grain,
        [&](int64_t g0, int64_t g1) { k.matmul_rows_decode(x, m, w, y, g0 * group, std::min(rows, g1 * group)); },
        kMatmulChunksPerThread);
}

}  // namespace tf

namespace {

bool overlaps(const void* a, int64_t a_bytes, const void* b, int64_t b_bytes) {
    const auto pa = reinterpret_cast<uintptr_t>(a), pb = reinterpret_cast<uintptr_t>(b);
    return a_bytes > 0 && b_bytes > 0 && pa < pb + uintptr_t(b_bytes) && pb < pa + uintptr_t(a_bytes);
}

}  // namespace

extern "C" {

TF_API tf_status tf_matmul(tf_context* ctx, const float* x, int64_t m, const tf_matrix* w, float* y) {
    try {
        TF_CHECK_ARG(ctx != nullptr, "tf_matmul: ctx is NULL");
        if (tf_status s = tf::check_matrix(w, "tf_matmul", "w"); s != TF_OK) return s;
        TF_CHECK_ARG(m >= 0, "tf_matmul: m = " + std::to_string(m) + " is negative");
        int64_t nx = 0, ny = 0;
        TF_CHECK_ARG(tf::mul_size(m, w->cols, sizeof(float), &nx),
                     "tf_matmul: x size m * w.cols = " + std::to_string(m) + " * " + std::to_string(w->cols) +
                         " overflows");
        TF_CHECK_ARG(tf::mul_size(m, w->rows, sizeof(float), &ny),
                     "tf_matmul: y size m * w.rows = " + std::to_string(m) + " * " + std::to_string(w->rows) +
                         " overflows");
        TF_CHECK_ARG(nx == 0 || x != nullptr, "tf_matmul: x is NULL");
        TF_CHECK_ARG(ny == 0 || y != nullptr, "tf_matmul: y is NULL");
        TF_CHECK_ARG(!overlaps(x, nx * 4, y, ny * 4), "tf_matmul: x and y overlap");
        if (ny == 0) return tf::ok();
        if (tf::cuda::active(ctx)) return tf::cuda::result(ctx, ctx->plugin->matmul(ctx->cuda, x, m, w, y), "tf_matmul");

        const tf::KernelTable& k = tf::kernels_for(ctx->simd);
        // Tasks are groups of whole SIMD tiles: 4 output rows for decode, 16 (a panel of the
        // AVX2 GEMM) for prefill, so that no range ends inside a panel. Each task should carry
        // at least ~64K multiply-adds so that small matmuls stay on the calling thread.
        const int64_t rows = w->rows, cols = std::max<int64_t>(w->cols, 1);
        const int64_t group = m > 1 ? 16 : 4;
        const int64_t groups = (rows + group - 1) / group;
        const int64_t work_per_group = group * m * cols;
        const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(work_per_group, 1));
        tf::parallel_for(
            ctx, groups, grain,
            [&](int64_t g0, int64_t g1) { k.matmul_rows(x, m, *w, y, g0 * group, std::min(rows, g1 * group)); },
            tf::kMatmulChunksPerThread);
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_matmul: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_matmul: unexpected exception");
    }
}

}  // extern "C"
