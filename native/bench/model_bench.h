// llama-bench style model tests on random weights:
//   pp<N>: one forward of N words on an empty cache (logits of the last word only), N / time;
//   tg<N>: N single-word forwards from an empty cache, N / time.
// Each is compared with its bound, computed from the machine limits of the same run:
//   tg: read bandwidth / bytes read per word (every matrix once + the cached keys and values);
//   pp: compute peak / operations per word (f32 FMA peak; the int8 peak for the matrices when
//       the model runs W8A8). On the CPU a pp row also gets an "adjacent" bound: the matrix
//       peak measured again on the row's threads right before and after each repetition (the
//       mean of the two), since on a shared host the peak drifts within a run.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "machine_limits.h"
#include "model_shape.h"
#include "report.h"
#include "tfree4j.h"

namespace bench {

struct ModelBenchConfig {
    ModelShape shape;
    int32_t dtype;            // tf_dtype of every matrix
    int32_t activation_mode;  // tf_activation_mode
    std::vector<int> threads;
    std::vector<int> n_prompt;  // pp tests (0 = none)
    std::vector<int> n_gen;     // tg tests (0 = none)
    int reps;
    bool warmup;
    int32_t simd;               // tf_simd for the contexts
    uint64_t seed;
    int32_t backend = TF_BACKEND_CPU;  // TF_BACKEND_CUDA: the model on the GPU (threads ignored)
    int32_t device = 0;
    std::string backend_name;          // the row's backend column for CUDA, e.g. "CUDA/NVIDIA H100"
    bool adjacent = true;              // pp rows on the CPU: also measure the peak around each repetition
};

// Runs every test, appends model rows and one memory row to the report.
void run_model_bench(const ModelBenchConfig& cfg, const MachineLimits& limits, Report& report);

// The bounds (exposed for the report's explanation and tests).
double decode_bound_words_per_s(const ModelShape& s, int64_t streamed_weight_bytes, int n_gen, double read_gbps);
double prefill_bound_words_per_s(const ModelShape& s, int n_prompt, double matrix_gops, double f32_gflops);

}  // namespace bench
