// The GPU's limits for `tfree4j-bench --backend cuda`, measured by the CUDA plugin in the
// same run as the rows they judge: HBM read bandwidth (a streaming read over 8× the L2) and
// the WMMA tensor-core peaks (bf16 → f32 and int8 → int32 MMA loops). WMMA is mma.sync: on
// Hopper it reaches less than the datasheet's wgmma peak, which is the honest ceiling for
// this plugin's kernels (they use WMMA too).
#pragma once
#include <string>

#include "machine_limits.h"

namespace bench {

// Limits of CUDA device `device`, in MachineLimits' fields: read_bandwidth = HBM GB/s,
// f32_peak = bf16 tensor-core GFLOP/s (the prefill bound of the model rows), i8_peak = int8
// tensor-core GOP/s. *name gets the GPU's name. Throws std::runtime_error naming the cause.
MachineLimits measure_gpu(int device, std::string* name);

}  // namespace bench
