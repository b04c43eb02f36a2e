// Internal entry points of the int8 kernels (quantize.cpp), for callers that have already
// validated their arguments and own scratch memory — the model forward, whose decode steps
// must not allocate.
#pragma once
#include <cstdint>

#include "context.h"
#include "tfree4j.h"

namespace tf {

// Quantizes the rows of src (f32 / bf16 / f16, validated) as tf_quantize_rows does, on ctx's
// threads: q [src.rows, src.cols], scales [src.rows]. Returns the smallest row index holding a
// NaN or an infinity, or -1 when every row is finite.
int64_t quantize_rows(tf_context* ctx, const tf_matrix& src, int8_t* q, float* scales);

// The activations of W8A8 matmuls: x [m, cols] f32 quantized per row into qx [m, cols] and
// sx [m] (as tf_quantize_rows). A non-finite x row is TF_ERR_INVALID_ARGUMENT, reported as
// "<fn>: x row <i> holds a NaN or infinite value". Several matmuls of the same input (q, k, v;
// dense_in, swiglu) quantize it once and call matmul_a8_quantized for each weight.
tf_status quantize_activations(tf_context* ctx, const float* x, int64_t m, int64_t cols, int8_t* qx, float* sx,
                               const char* fn);

// W8A8 on activations quantize_activations produced: y [m, w.rows] from qx [m, w.cols] and
// sx [m]; w TF_DTYPE_I8 with w.cols <= 131072 (validated). The same bits as matmul_a8.
void matmul_a8_quantized(tf_context* ctx, const int8_t* qx, const float* sx, int64_t m, const tf_matrix& w,
                         float* y);

// W8A8 as tf_matmul_a8 with caller-owned scratch and validated arguments:
//   x [m, w.cols] f32, w TF_DTYPE_I8 with w.cols <= 131072, y [m, w.rows],
//   qx [m, w.cols] and sx [m]: scratch for the quantized x rows and their scales.
// A non-finite x row is TF_ERR_INVALID_ARGUMENT, reported as "<fn>: x row <i> holds ...".
tf_status matmul_a8(tf_context* ctx, const float* x, int64_t m, const tf_matrix& w, float* y, int8_t* qx,
                    float* sx, const char* fn);

}  // namespace tf
