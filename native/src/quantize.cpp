// Int8 quantization (docs/spec/atman-dtm.md §B.3) and the W8A8 matmul: the C ABI functions, their
// threading, and the scalar reference kernels. The SIMD variants run the same arithmetic:
// avx2/quantize_avx2.cpp + avx2/matmul_a8_avx2.cpp, the avx512/ twins, and
// avx512vnni/matmul_a8_vnni.cpp.
//
//   tf_quantize_rows: per row, scale = max|v| / 127 and q = round(v / scale), ties away from
//                     zero (std::lround), so |v − q·scale| <= scale / 2 and an int8-representable
//                     row (values k·s with max |k| = 127) comes back exactly. Every level
//                     computes the same IEEE operations (max, one division per element, exact
//                     rounding), so q and the scales are bit-identical at every level.
//   tf_matmul_a8:     quantizes each x row the same way, sums qx·qw exactly in int32, then
//                     y = (float(acc) · sx) · sw. The integer sum makes the result independent
//                     of summation order, so SIMD paths match this bit for bit.
// Work is split over rows (quantize) and over groups of 4 output rows (matmul): no two
// threads write the same element, and the integer sums make the thread count irrelevant.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <new>
#include <string>
#include <vector>

#include "context.h"
#include "dtype.h"
#include "kernels.h"
#include "tfree4j_internal.h"
#include "quantize.h"
#include "cuda_backend.h"
#include "status.h"

namespace tf {
namespace scalar {

namespace {

template <int D>
inline float element(const void* data, int64_t i) {
    if constexpr (D == TF_DTYPE_F32) return static_cast<const float*>(data)[i];
    if constexpr (D == TF_DTYPE_BF16) return bf16_to_f32(static_cast<const uint16_t*>(data)[i]);
    if constexpr (D == TF_DTYPE_F16) return f16_to_f32(static_cast<const uint16_t*>(data)[i]);
}

// Quantizes the row of `cols` elements at element offset `base`; false if it holds a NaN or
// an infinity.
template <int D>
bool quantize_row(const void* data, int64_t base, int64_t cols, int8_t* q, float* scale) {
    float amax = 0.0f;
    for (int64_t c = 0; c < cols; ++c) {
        const float v = element<D>(data, base + c);
        if (!std::isfinite(v)) return false;
        amax = std::fmax(amax, std::fabs(v));
    }
    const float s = amax / 127.0f;
    *scale = s;
    if (s == 0.0f) {  // an all-zero row (or one so small that amax / 127 underflows)
        for (int64_t c = 0; c < cols; ++c) q[c] = 0;
        return true;
    }
    for (int64_t c = 0; c < cols; ++c) {
        const long r = std::lround(element<D>(data, base + c) / s);
        q[c] = int8_t(r > 127 ? 127 : (r < -127 ? -127 : r));
    }
    return true;
}

template <int D>
int64_t quantize_range(const tf_matrix& src, int8_t* q, float* scales, int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
        if (!quantize_row<D>(src.data, r * src.cols, src.cols, q + r * src.cols, scales + r)) return r;
    }
    return -1;
}

}  // namespace

int64_t quantize_rows(const tf_matrix& src, int8_t* q, float* scales, int64_t r0, int64_t r1) {
    switch (src.dtype) {
        case TF_DTYPE_F32: return quantize_range<TF_DTYPE_F32>(src, q, scales, r0, r1);
        case TF_DTYPE_BF16: return quantize_range<TF_DTYPE_BF16>(src, q, scales, r0, r1);
        case TF_DTYPE_F16: return quantize_range<TF_DTYPE_F16>(src, q, scales, r0, r1);
        default: return -1;
    }
}

// Each weight row is read once and used for all m x rows (a row of int8 stays in L1).
void matmul_a8_rows(const int8_t* qx, const float* sx, int64_t m, const tf_matrix& w, float* y, int64_t r0,
                    int64_t r1) {
    const int64_t cols = w.cols, ldy = w.rows;
    const int8_t* qw = static_cast<const int8_t*>(w.data);
    for (int64_t r = r0; r < r1; ++r) {
        const int8_t* b = qw + r * cols;
        for (int64_t i = 0; i < m; ++i) {
            const int8_t* a = qx + i * cols;
            int32_t acc = 0;
            for (int64_t c = 0; c < cols; ++c) acc += int32_t(a[c]) * int32_t(b[c]);
            y[i * ldy + r] = float(acc) * sx[i] * w.scales[r];
        }
    }
}

}  // namespace scalar

int64_t quantize_rows(tf_context* ctx, const tf_matrix& src, int8_t* q, float* scales) {
    const KernelTable& k = kernels_for(ctx->simd, ctx->vnni);
    constexpr int64_t none = std::numeric_limits<int64_t>::max();
    std::atomic<int64_t> first_bad{none};
    // Tasks of at least ~64K elements; a single row (a decode step) runs on the caller.
    const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(src.cols, 1));
    parallel_for(ctx, src.rows, grain, [&](int64_t r0, int64_t r1) {
        const int64_t bad = k.quantize_rows(src, q, scales, r0, r1);
        if (bad < 0) return;
        int64_t seen = first_bad.load();
        while (bad < seen && !first_bad.compare_exchange_weak(seen, bad)) {
        }
    });
    const int64_t bad = first_bad.load();
    return bad == none ? -1 : bad;
}

void matmul_a8_quantized(tf_context* ctx, const int8_t* qx, const float* sx, int64_t m, const tf_matrix& w,
                         float* y) {
    const KernelTable& k = kernels_for(ctx->simd, ctx->vnni);
    // Tasks are groups of whole SIMD tiles of at least ~64K multiply-adds, so that small
    // products stay on the calling thread: 4 output rows for decode, 96 for the prefill GEMMs
    // (a multiple of their panels of 24 (AVX2) and 32 (AVX-512) weight rows: a range that ended
    // inside a panel would compute the whole panel).
    const int64_t rows = w.rows;
    const int64_t group = m > 1 ? 96 : 4;
    const int64_t groups = (rows + group - 1) / group;
    const int64_t work_per_group = group * m * std::max<int64_t>(w.cols, 1);
    const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(work_per_group, 1));
    parallel_for(
        ctx, m > 0 ? groups : 0, grain,
        [&](int64_t g0, int64_t g1) { k.matmul_a8_rows(qx, sx, m, w, y, g0 * group, std::min(rows, g1 * group)); },
        kMatmulChunksPerThread);
}

tf_status quantize_activations(tf_context* ctx, const float* x, int64_t m, int64_t cols, int8_t* qx, float* sx,
                               const char* fn) {
    const tf_matrix xm{x, nullptr, m, cols, TF_DTYPE_F32};
    const int64_t bad = quantize_rows(ctx, xm, qx, sx);
    if (bad >= 0) {
        return fail(TF_ERR_INVALID_ARGUMENT,
                    std::string(fn) + ": x row " + std::to_string(bad) + " holds a NaN or infinite value");
    }
    return TF_OK;
}

tf_status matmul_a8(tf_context* ctx, const float* x, int64_t m, const tf_matrix& w, float* y, int8_t* qx,
                    float* sx, const char* fn) {
    if (tf_status s = quantize_activations(ctx, x, m, w.cols, qx, sx, fn); s != TF_OK) return s;
    matmul_a8_quantized(ctx, qx, sx, m, w, y);
    return TF_OK;
}

}  // namespace tf

extern "C" {

TF_API tf_status tf_quantize_rows(tf_context* ctx, const tf_matrix* src, int8_t* q, float* scales) {
    try {
        TF_CHECK_ARG(ctx != nullptr, "tf_quantize_rows: ctx is NULL");
        if (tf_status s = tf::check_matrix(src, "tf_quantize_rows", "src"); s != TF_OK) return s;
        TF_CHECK_ARG(src->dtype != TF_DTYPE_I8, "tf_quantize_rows: src is already int8");
        TF_CHECK_ARG(src->rows * src->cols == 0 || q != nullptr, "tf_quantize_rows: q is NULL");
        TF_CHECK_ARG(src->rows == 0 || scales != nullptr, "tf_quantize_rows: scales is NULL");
        int64_t bad = -1;
        if (tf::cuda::active(ctx)) {
            if (src->rows * src->cols > 0) {
                const tf_status s = ctx->plugin->quantize_rows(ctx->cuda, src, q, scales, &bad);
                if (s != TF_OK) return tf::cuda::result(ctx, s, "tf_quantize_rows");
            } else if (src->rows > 0) {
                bad = tf::quantize_rows(ctx, *src, q, scales);  // zero columns: nothing for a device
            }
        } else {
            bad = tf::quantize_rows(ctx, *src, q, scales);
        }
        if (bad >= 0) {
            return tf::fail(TF_ERR_INVALID_ARGUMENT,
                            "tf_quantize_rows: row " + std::to_string(bad) + " holds a NaN or infinite value");
        }
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_quantize_rows: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_quantize_rows: unexpected exception");
    }
}

TF_API tf_status tf_matmul_a8(tf_context* ctx, const float* x, int64_t m, const tf_matrix* w, float* y) {
    try {
        TF_CHECK_ARG(ctx != nullptr, "tf_matmul_a8: ctx is NULL");
        if (tf_status s = tf::check_matrix(w, "tf_matmul_a8", "w"); s != TF_OK) return s;
        TF_CHECK_ARG(w->dtype == TF_DTYPE_I8, std::string("tf_matmul_a8: w must be TF_DTYPE_I8, got ") +
                                                  tf::dtype_name(w->dtype));
        TF_CHECK_ARG(w->cols <= 131072, "tf_matmul_a8: w.cols = " + std::to_string(w->cols) +
                                            " exceeds 131072 (the int32 accumulator could overflow)");
        TF_CHECK_ARG(m >= 0, "tf_matmul_a8: m = " + std::to_string(m) + " is negative");
        int64_t nx = 0, ny = 0;
        TF_CHECK_ARG(tf::mul_size(m, w->cols, sizeof(float), &nx),
                     "tf_matmul_a8: x size m * w.cols = " + std::to_string(m) + " * " + std::to_string(w->cols) +
                         " overflows");
        TF_CHECK_ARG(tf::mul_size(m, w->rows, sizeof(float), &ny),
                     "tf_matmul_a8: y size m * w.rows = " + std::to_string(m) + " * " + std::to_string(w->rows) +
                         " overflows");
        TF_CHECK_ARG(nx == 0 || x != nullptr, "tf_matmul_a8: x is NULL");
        TF_CHECK_ARG(ny == 0 || y != nullptr, "tf_matmul_a8: y is NULL");
        if (tf::cuda::active(ctx) && ny > 0 && nx > 0) {
            int64_t bad = -1;
            const tf_status s = ctx->plugin->matmul_a8(ctx->cuda, x, m, w, y, &bad);
            if (s != TF_OK) return tf::cuda::result(ctx, s, "tf_matmul_a8");
            if (bad >= 0) {
                return tf::fail(TF_ERR_INVALID_ARGUMENT,
                                "tf_matmul_a8: x row " + std::to_string(bad) + " holds a NaN or infinite value");
            }
            return tf::ok();
        }
        std::vector<int8_t> qx(static_cast<size_t>(nx));
        std::vector<float> sx(static_cast<size_t>(m));
        if (tf_status s = tf::matmul_a8(ctx, x, m, *w, y, qx.data(), sx.data(), "tf_matmul_a8"); s != TF_OK) return s;
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_matmul_a8: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_matmul_a8: unexpected exception");
    }
}

}  // extern "C"
