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

// W8A8 as tf_matmul_a8 with caller-owned scratch and validated arguments:
//   x [m, w.cols] f32, w TF_DTYPE_I8 with w.cols <= 131072, y [m, w.rows],
//   qx [m, w.cols] and sx [m]: scratch for the quantized x rows and their scales.
// A non-finite x row is TF_ERR_INVALID_ARGUMENT, reported as "<fn>: x row <i> holds ...".
tf_status matmul_a8(tf_context* ctx, const float* x, int64_t m, const tf_matrix& w, float* y, int8_t* qx,
                    float* sx, const char* fn);

}  // namespace tf
