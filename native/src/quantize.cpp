// Int8 quantization (atman-dtm spec §B.3) and the W8A8 matmul — scalar reference versions.
//
//   tf_quantize_rows: per row, scale = max|v| / 127 and q = round(v / scale), ties away from
//                     zero (std::lround), so |v − q·scale| <= scale / 2 and an int8-representable
//                     row (values k·s with max |k| = 127) comes back exactly.
//   tf_matmul_a8:     quantizes each x row the same way, sums qx·qw exactly in int32, then
//                     y = float(acc) · sx · sw. The integer sum makes the result independent
//                     of summation order, so SIMD paths must match this bit for bit.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "context.h"
#include "dtype.h"
#include "status.h"

namespace tf {
namespace {

float element(const tf_matrix& m, int64_t i) {
    switch (m.dtype) {
        case TF_DTYPE_F32: return static_cast<const float*>(m.data)[i];
        case TF_DTYPE_BF16: return bf16_to_f32(static_cast<const uint16_t*>(m.data)[i]);
        case TF_DTYPE_F16: return f16_to_f32(static_cast<const uint16_t*>(m.data)[i]);
        default: return float(static_cast<const int8_t*>(m.data)[i]);
    }
}

// Quantizes one row; returns false if it holds a NaN or an infinity.
template <typename Get>
bool quantize_row(Get get, int64_t cols, int8_t* q, float* scale) {
    float amax = 0.0f;
    for (int64_t c = 0; c < cols; ++c) {
        const float v = get(c);
        if (!std::isfinite(v)) return false;
        amax = std::fmax(amax, std::fabs(v));
    }
    const float s = amax / 127.0f;
    *scale = s;
    if (s == 0.0f) {
        for (int64_t c = 0; c < cols; ++c) q[c] = 0;
        return true;
    }
    for (int64_t c = 0; c < cols; ++c) {
        long r = std::lround(get(c) / s);
        q[c] = int8_t(r > 127 ? 127 : (r < -127 ? -127 : r));
    }
    return true;
}

}  // namespace
}  // namespace tf

TF_API tf_status tf_quantize_rows(tf_context* ctx, const tf_matrix* src, int8_t* q, float* scales) {
    try {
        TF_CHECK_ARG(ctx != nullptr, "tf_quantize_rows: ctx is NULL");
        if (tf_status s = tf::check_matrix(src, "tf_quantize_rows", "src"); s != TF_OK) return s;
        TF_CHECK_ARG(src->dtype != TF_DTYPE_I8, "tf_quantize_rows: src is already int8");
        TF_CHECK_ARG(src->rows * src->cols == 0 || q != nullptr, "tf_quantize_rows: q is NULL");
        TF_CHECK_ARG(src->rows == 0 || scales != nullptr, "tf_quantize_rows: scales is NULL");
        std::atomic<int64_t> bad_row{-1};
        const tf_matrix& m = *src;
        tf::parallel_for(ctx, m.rows, std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(m.cols, 1)),
                         [&](int64_t r0, int64_t r1) {
                             for (int64_t r = r0; r < r1; ++r) {
                                 const int64_t base = r * m.cols;
                                 auto get = [&](int64_t c) { return tf::element(m, base + c); };
                                 if (!tf::quantize_row(get, m.cols, q + base, scales + r)) {
                                     int64_t expected = -1;
                                     bad_row.compare_exchange_strong(expected, r);
                                 }
                             }
                         });
        if (bad_row.load() >= 0) {
            return tf::fail(TF_ERR_INVALID_ARGUMENT, "tf_quantize_rows: row " + std::to_string(bad_row.load()) +
                                                         " holds a NaN or infinite value");
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
        TF_CHECK_ARG(w->dtype == TF_DTYPE_I8, "tf_matmul_a8: w must be TF_DTYPE_I8");
        TF_CHECK_ARG(w->cols <= 131072, "tf_matmul_a8: w.cols = " + std::to_string(w->cols) +
                                            " exceeds 131072 (the int32 accumulator could overflow)");
        TF_CHECK_ARG(m >= 0, "tf_matmul_a8: m = " + std::to_string(m) + " is negative");
        TF_CHECK_ARG(m == 0 || w->cols == 0 || x != nullptr, "tf_matmul_a8: x is NULL");
        TF_CHECK_ARG(m == 0 || w->rows == 0 || y != nullptr, "tf_matmul_a8: y is NULL");
        const int64_t cols = w->cols, rows = w->rows;
        std::vector<int8_t> qx(static_cast<size_t>(m * cols));
        std::vector<float> sx(static_cast<size_t>(m));
        for (int64_t i = 0; i < m; ++i) {
            const float* xi = x + i * cols;
            if (!tf::quantize_row([&](int64_t c) { return xi[c]; }, cols, qx.data() + i * cols, &sx[size_t(i)])) {
                return tf::fail(TF_ERR_INVALID_ARGUMENT,
                                "tf_matmul_a8: x row " + std::to_string(i) + " holds a NaN or infinite value");
            }
        }
        const int8_t* qw = static_cast<const int8_t*>(w->data);
        tf::parallel_for(ctx, rows, std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(m * cols, 1)),
                         [&](int64_t r0, int64_t r1) {
                             for (int64_t r = r0; r < r1; ++r) {
                                 for (int64_t i = 0; i < m; ++i) {
                                     int32_t acc = 0;
                                     const int8_t* a = qx.data() + i * cols;
                                     const int8_t* b = qw + r * cols;
                                     for (int64_t c = 0; c < cols; ++c) acc += int32_t(a[c]) * int32_t(b[c]);
                                     y[i * rows + r] = float(acc) * sx[size_t(i)] * w->scales[r];
                                 }
                             }
                         });
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_matmul_a8: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_matmul_a8: unexpected exception");
    }
}
