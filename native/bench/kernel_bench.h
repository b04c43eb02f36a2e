// Kernel rows at a model's shapes, each against the machine limit that bounds it:
//   matmul gemv (m = 1, decode): GB/s of weights vs read bandwidth. Each call reads another
//       copy of the matrix, the copies together much larger than the last-level cache, so the
//       weights come from memory as in a real decode of a large model;
//   matmul gemm (m = --kernel-m, prefill): GOP/s vs the f32 FMA peak (int8 peak for W8A8);
//   W8A8 (tf_matmul_a8) gemv and gemm rows for int8 weights;
//   word_scores over a synthetic dictionary (tf_dictionary_scores, and tf_word_scores on the CSR
//       arrays as "word_scores csr"): time vs the time to stream its CSR pattern arrays once;
//   attention decode (one query) at a few KV lengths: GB/s of keys and values vs bandwidth.
#pragma once
#include <cstdint>
#include <vector>

#include "machine_limits.h"
#include "tfree4j_internal.h"
#include "model_shape.h"
#include "report.h"
#include "tfree4j.h"

namespace bench {

struct KernelBenchConfig {
    ModelShape shape;
    std::vector<int32_t> dtypes;  // matmul rows per dtype
    bool a8;                      // also W8A8 rows (for int8 weights)
    int gemm_m;                   // rows of x in the gemm rows (0 = none)
    int reps;
    size_t cold_bytes;            // working set of the gemv / attention copies
    int64_t dict_words;           // words of the synthetic dictionary (0 = no row)
    std::vector<int64_t> kv_lens; // attention rows
    uint64_t seed;
};

// Appends the kernel rows; their limits and fractions are filled by apply_limits (report.h).
void run_kernel_bench(const KernelBenchConfig& cfg, tf_context* ctx, Report& report);

}  // namespace bench
