// Cache-blocked W8A8 GEMM for prefill (gemm_a8_avx2.cpp), used by matmul_a8_avx2.cpp when
// several quantized x rows share the weights (m > 1). Include only from native/src/avx2/*.cpp.
#pragma once
#include <cstdint>

#include "tfree4j.h"

namespace tf {
namespace avx2 {

// y[i, r] = (float(Σ_c qx[i, c] · w[r, c]) · sx[i]) · w.scales[r] for i < m, r in [r0, r1),
// the sum exact in int32 (the bits of the scalar reference, whatever m, r0, r1):
//   qx [m, w.cols] in [-127, 127], sx [m], w TF_DTYPE_I8 with w.cols <= 131072, y [m, w.rows].
void gemm_a8_rows(const int8_t* qx, const float* sx, int64_t m, const tf_matrix& w, float* y, int64_t r0,
                  int64_t r1);

}  // namespace avx2
}  // namespace tf
