// This machine's limits, measured in the same run as the benchmarks they are compared with:
// memory read bandwidth, f32 FMA peak and int8 dot-product peak, all threads.
#pragma once
#include <cstddef>
#include <string>

namespace bench {

struct Limit {
    double value = 0;  // GB/s (1e9 bytes) or GOP/s (1e9 operations, 2 per multiply-add)
    std::string how;   // what was run, for the report
};

struct MachineLimits {
    Limit read_bandwidth;  // GB/s: streaming sum over a buffer much larger than the last-level cache
    Limit f32_peak;        // GFLOP/s: register-resident FMA loop
    Limit i8_peak;         // GOP/s: register-resident int8 dot-product loop (VNNI where the CPU has it)
    // GOP/s: the same for the exact product the int8 prefill GEMM issues (AVX2 and AVX-512BW:
    // int16 vpmaddwd + vpaddd, below i8_peak because the dot idiom saturates for s8 x s8; with
    // VNNI or in scalar code the dot loop is exact, so this is i8_peak). Context for pp rows,
    // which are still compared with i8_peak. 0 where not measured (GPU).
    Limit i8_exact_peak;
};

// Runs every measurement on `threads` threads, best of `reps`, each timed by the slowest
// thread's CPU time (so that waiting for a CPU on a shared machine does not lower a limit);
// `buffer_bytes` is the size of the bandwidth buffer (a multiple of 4 KiB per thread).
MachineLimits measure_machine(int threads, size_t buffer_bytes, int reps);

// Per limit the higher of two measurements, its `how` naming both values.
MachineLimits better_of(const MachineLimits& start, const MachineLimits& end);

// A compute peak measured again right next to a benchmark repetition (the "adjacent" bound of
// a pp row): on a shared host the limits drift within a run (other tenants' load, clock
// changes). Same loops and timing as measure_machine, on `threads` threads, best of `reps`.
// GOP/s (GFLOP/s for the f32 peak).
double measure_peak(bool int8, int threads, int reps);

}  // namespace bench
