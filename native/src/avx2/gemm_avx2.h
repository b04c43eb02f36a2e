// Cache-blocked prefill GEMM for AVX2 + FMA (gemm_avx2.cpp), used by matmul_avx2.cpp whenever
// several x rows share the weights (m > 1). Include only from native/src/avx2/*.cpp.
#pragma once
#include <cstdint>

#include "tfree4j.h"

namespace tf {
namespace avx2 {

// y[i, r] = Σ_c x[i, c] · w[r, c] (· scales[r] for I8) for i < m, r in [r0, r1):
//   x [m, w.cols], y [m, w.rows] row-major. Every y element is one sequential FMA chain over
//   c = 0 .. cols−1, so it does not depend on r0 / r1 (the thread split).
void gemm_rows(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1);

}  // namespace avx2
}  // namespace tf
