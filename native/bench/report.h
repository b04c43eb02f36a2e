// The benchmark's results and their three output formats:
//   md   — Markdown tables; the model table has llama-bench's columns (model, size, params,
//          backend, threads, test, t/s) plus the bound and the fraction of it;
//   csv  — one header, one line per row, a `kind` column (machine | model | kernel | memory);
//   json — an object with one array per kind; model rows use llama-bench's JSON field names.
#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "bench_util.h"
#include "machine_limits.h"

namespace bench {

struct MachineRow {
    std::string name;  // "memory read bandwidth", ...
    double value;
    std::string unit;  // "GB/s", "GFLOP/s", "GOP/s"
    std::string how;
};

// One llama-bench style test: pp<N> (prefill N words in one forward) or tg<N> (N decode steps).
struct ModelRow {
    std::string model;    // e.g. "tfree 7B i8"
    int64_t size_bytes;   // checkpoint size of this shape and dtype
    int64_t params;
    std::string backend;  // "CPU/avx2"
    int threads;
    std::string test;     // "pp512", "tg128"
    int n_prompt, n_gen;
    Stats seconds;        // per repetition
    Stats words_per_s;    // t/s
    double bound_ts;      // the limit in t/s (bandwidth for tg, compute peak for pp)
    std::string bound;    // what bounds it, e.g. "read BW" or "f32 peak"
    std::function<double(const MachineLimits&)> bound_of;  // bound_ts from the limits
    double cpu_wait;      // share of the test threads' time spent waiting for a CPU (cpu_wait.h)
    // pp rows on the CPU: per repetition, t/s over the bound from the compute peak measured
    // on the row's threads right before and right after it (machine_limits.h, measure_peak);
    // n = 0 where not measured. peak_drift: (highest − lowest) / highest of those peaks.
    Stats adjacent_fraction;
    double peak_drift = 0;
};

struct KernelRow {
    std::string kernel;  // "matmul gemv", "word_scores", ...
    std::string shape;   // e.g. "m=1 [4096x4096]"
    std::string dtype;
    int threads;
    Stats seconds;       // per call
    double bytes;        // bytes one call must read (0 if not meaningful)
    double ops;          // operations of one call (0 if not meaningful)
    std::string limit;   // e.g. "read BW 19.8 GB/s"
    double fraction;     // achieved / limit (by the mean time)
    std::string note;
    double cpu_wait;     // share of the threads' time spent waiting for a CPU (cpu_wait.h)
    // How `limit` and `fraction` follow from the machine limits: the limit's name, unit and
    // value, and the achieved rate in the same unit.
    std::string limit_name, limit_unit;
    std::function<double(const MachineLimits&)> limit_of;
    double achieved;
};

struct MemoryRow {
    std::string model;
    int64_t weights, kv_cache, scratch, peak_rss;
    bool rss_reset;  // false: peak_rss may include earlier allocations of this process
};

struct Report {
    std::string version, cpu, simd;
    int cores = 0;
    std::vector<MachineRow> machine;
    std::vector<ModelRow> models;
    std::vector<KernelRow> kernels;
    std::vector<MemoryRow> memory;
};

enum class Format { MD, CSV, JSON };

// (Re)computes every row's bound, limit text and fraction from `limits`.
void apply_limits(Report& r, const MachineLimits& limits);

void print_report(const Report& r, Format f, std::FILE* out);

}  // namespace bench
