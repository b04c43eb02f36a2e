// tfree4j-bench: the native benchmark of the tfree4j CPU runtime (see BENCHMARKS.md).
//
//   tfree4j-bench -m 7b --dtype i8,bf16 -p 512 -n 128 -r 3
//
// 1. measures this machine's limits (read bandwidth, f32 FMA and int8 dot peaks, all threads);
// 2. per model shape × dtype × activation mode: builds random weights, runs pp / tg tests
//    (llama-bench's columns) and reports each against its bound, plus peak RSS;
// 3. per model shape: kernel rows (matmul gemv / gemm, W8A8, word scores, attention decode).
// Progress goes to stderr, the report to stdout. Exit status: 0 ok, 1 failure, 2 bad usage.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

#include "bench_options.h"
#include "bench_util.h"
#include "gpu_limits.h"
#include "kernel_bench.h"
#include "machine_limits.h"
#include "model_bench.h"
#include "model_shape.h"
#include "report.h"
#include "tfree4j.h"

namespace {

std::string cpu_name() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            const size_t p = line.find(':');
            if (p != std::string::npos) return line.substr(p + 2);
        }
    }
    return "unknown";
}

const char* simd_name(int32_t s) {
    switch (s) {
        case TF_SIMD_SCALAR: return "scalar";
        case TF_SIMD_AVX2: return "avx2";
        case TF_SIMD_AVX512: return "avx512";
        default: return "?";
    }
}

int run(const bench::Options& o) {
    using namespace bench;
    std::vector<ModelShape> shapes;
    for (const std::string& m : o.models) shapes.push_back(resolve_shape(m));  // bad -m fails before any work
    const int cores = tf_cpu_physical_cores();
    std::vector<int> threads = o.threads.empty() ? std::vector<int>{cores} : o.threads;
    const int max_threads = *std::max_element(threads.begin(), threads.end());
    const int32_t simd = o.simd < 0 ? tf_cpu_best_simd() : o.simd;
    if (simd > tf_cpu_best_simd()) {
        throw std::invalid_argument(std::string("--simd ") + simd_name(simd) + ": this CPU's best level is " +
                                    simd_name(tf_cpu_best_simd()));
    }

    Report report;
    report.version = tf_version();
    report.cpu = cpu_name();
    report.cores = cores;
    report.simd = simd_name(simd);

    const bool gpu = o.backend == TF_BACKEND_CUDA;
    std::string gpu_name;
    if (gpu) {
        std::fprintf(stderr, "[machine] measuring the GPU's HBM bandwidth and tensor-core peaks...\n");
        threads = {1};  // the model runs on the GPU; the context's thread pool only validates
    } else {
        std::fprintf(stderr, "[machine] measuring read bandwidth and peaks on %d threads...\n", max_threads);
    }
    const MachineLimits limits = gpu ? measure_gpu(o.device, &gpu_name)
                                     : measure_machine(max_threads, size_t(o.bw_mib) << 20, std::max(3, o.reps));
    if (gpu) report.cpu += " + GPU " + gpu_name;

    for (const ModelShape& shape : shapes) {
        if (o.run_model) {
            for (int32_t dtype : o.dtypes) {
                for (int32_t act : o.acts) {
                    if (act == TF_ACT_INT8 && dtype != TF_DTYPE_I8) {
                        std::fprintf(stderr, "[model] skipping --act a8 with non-int8 weights\n");
                        continue;
                    }
                    ModelBenchConfig c{shape,   dtype, act,    threads,       o.n_prompt,        o.n_gen, o.reps,
                                       o.warmup, simd, o.seed, o.backend, o.device, "CUDA/" + gpu_name};
                    c.adjacent = o.adjacent;
                    run_model_bench(c, limits, report);
                }
            }
        }
        if (o.run_kernels && gpu) {
            // The kernel API takes host pointers: on a CUDA context every call copies its
            // inputs over PCIe, so its time would say nothing about the GPU kernels.
            std::fprintf(stderr, "[kernels] skipped with --backend cuda (host-pointer kernel calls time PCIe copies)\n");
        } else if (o.run_kernels) {
            tf_context_params cp;
            tf_context_params_init(&cp);
            cp.n_threads = max_threads;
            cp.simd = simd;
            tf_context* ctx = nullptr;
            check(tf_context_create(&cp, &ctx), "tf_context_create");
            const bool a8 = std::find(o.acts.begin(), o.acts.end(), TF_ACT_INT8) != o.acts.end();
            KernelBenchConfig k{shape, o.dtypes, a8, o.kernel_m, o.reps, size_t(o.cold_mib) << 20, o.dict_words,
                                o.kv_lens, o.seed};
            try {
                run_kernel_bench(k, ctx, report);
            } catch (...) {
                tf_context_free(ctx);
                throw;
            }
            tf_context_free(ctx);
        }
    }
    // The limits again at the end, keeping the better of the two measurements: on a machine
    // shared with other work, either one alone may have been slowed down.
    MachineLimits best = limits;
    if (o.run_model || o.run_kernels) {
        std::fprintf(stderr, "[machine] measuring the limits again...\n");
        best = better_of(limits, gpu ? measure_gpu(o.device, &gpu_name)
                                     : measure_machine(max_threads, size_t(o.bw_mib) << 20, std::max(3, o.reps)));
    }
    apply_limits(report, best);
    if (o.run_machine) {
        report.machine.push_back({gpu ? "GPU HBM read bandwidth" : "memory read bandwidth", best.read_bandwidth.value,
                                  "GB/s", best.read_bandwidth.how});
        report.machine.push_back({gpu ? "GPU bf16 tensor-core peak (WMMA)" : "f32 FMA peak", best.f32_peak.value,
                                  "GFLOP/s", best.f32_peak.how});
        report.machine.push_back({gpu ? "GPU int8 tensor-core peak (WMMA)" : "int8 dot peak", best.i8_peak.value, "GOP/s",
                                  best.i8_peak.how});
        if (!gpu) {
            report.machine.push_back({"int8 exact-product peak", best.i8_exact_peak.value, "GOP/s",
                                      best.i8_exact_peak.how});
        }
    }
    print_report(report, o.format, stdout);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    bench::Options o;
    try {
        if (bench::parse_options(argc, argv, &o) == 1) return 0;
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "tfree4j-bench: %s\n", e.what());
        return 2;
    }
    try {
        return run(o);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "tfree4j-bench: %s\n", e.what());
        return 2;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "tfree4j-bench: out of memory (try a smaller -m shape, dtype or --cold-mib)\n");
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tfree4j-bench: %s\n", e.what());
        return 1;
    }
}
