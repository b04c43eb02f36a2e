// Command line of tfree4j-bench (llama-bench's option names where they exist).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "report.h"

namespace bench {

struct Options {
    std::vector<std::string> models{"kjv-small"};  // -m: shape names, V,H,L,heads,F,seq[,P], or checkpoint dirs
    std::vector<int> n_prompt{512};                 // -p
    std::vector<int> n_gen{128};                    // -n
    std::vector<int> threads;                       // -t (default: physical cores)
    int reps = 5;                                   // -r
    std::vector<int32_t> dtypes{1};                 // --dtype (TF_DTYPE_BF16)
    std::vector<int32_t> acts{0};                   // --act (TF_ACT_FLOAT)
    Format format = Format::MD;                     // -o
    int32_t simd = -1;                              // --simd (TF_SIMD_AUTO)
    int32_t backend = 0;                            // --backend (TF_BACKEND_CPU)
    int32_t device = 0;                             // --device: the CUDA ordinal
    bool run_machine = true, run_model = true, run_kernels = true;  // --tests
    bool warmup = true;                             // --no-warmup
    bool adjacent = true;                           // --no-adjacent
    int64_t bw_mib = 1024;                          // --bw-mib
    int64_t cold_mib = 1024;                        // --cold-mib
    int kernel_m = -1;                              // --kernel-m (-1: the first -p value)
    int64_t dict_words = 1000000;                   // --dict-words
    std::vector<int64_t> kv_lens{256, 1024, 4096};  // --kv
    uint64_t seed = 42;                             // --seed
};

// Parses argv. Returns 0 to run, 1 when --help was printed (exit 0), or throws
// std::invalid_argument with a message naming the bad option.
int parse_options(int argc, char** argv, Options* out);

void print_usage(const char* prog);

}  // namespace bench
