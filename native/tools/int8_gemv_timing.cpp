// A small timing harness (not a test, not the official benchmark): decode GEMV (m = 1) with
// the same weight shape as W8A8 (tf_matmul_a8), W8A32 (tf_matmul, int8 weights) and bf16
// (tf_matmul, bf16 weights). Reports the median time per call, the GB/s of weight bytes
// streamed, and the time ratios, measured in one run with the three kinds interleaved.
// Each kind cycles through enough weight copies (>= 256 MB) that every call streams its
// weights from memory, as a decode step does, not from the last-level cache; with the
// argument `hot` one copy is reused (weights in cache as far as they fit: the kernels'
// arithmetic speed rather than the memory's).
//
// Build and run (after a CMake build of the library into build/):
//   g++ -O2 -std=c++17 -Inative/include native/tools/int8_gemv_timing.cpp -Lbuild -ltfree4j
//       -Wl,-rpath,$PWD/build -o build/int8_gemv_timing
//   build/int8_gemv_timing [reps] [hot]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "tfree4j.h"

namespace {

struct Kind {
    const char* name;
    int64_t bytes_per_weight;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void check(tf_status s, const char* what) {
    if (s != TF_OK) {
        std::fprintf(stderr, "%s failed: %s\n", what, tf_last_error());
        std::exit(1);
    }
}

void run_shape(int64_t rows, int64_t cols, int32_t threads, int reps, bool hot) {
    tf_context_params cp;
    tf_context_params_init(&cp);
    cp.n_threads = threads;
    tf_context* ctx = nullptr;
    check(tf_context_create(&cp, &ctx), "tf_context_create");

    const int64_t n = rows * cols;
    const int copies = hot ? 1 : int(std::max<int64_t>(2, (int64_t{256} << 20) / n));  // int8 bytes; bf16 twice
    std::mt19937 rng(1);
    std::uniform_int_distribution<int> qd(-127, 127);
    const size_t count = static_cast<size_t>(n);
    std::vector<std::vector<int8_t>> q(static_cast<size_t>(copies), std::vector<int8_t>(count));
    std::vector<std::vector<uint16_t>> b(static_cast<size_t>(copies), std::vector<uint16_t>(count));
    for (int k = 0; k < copies; ++k) {
        for (int64_t i = 0; i < n; ++i) {
            q[size_t(k)][size_t(i)] = int8_t(qd(rng));
            b[size_t(k)][size_t(i)] = uint16_t(0x3c00 + (qd(rng) & 0xff));  // bf16 values around 0.01
        }
    }
    std::vector<float> scales(static_cast<size_t>(rows), 0.01f), x(static_cast<size_t>(cols)),
        y(static_cast<size_t>(rows));
    for (float& v : x) v = float(qd(rng)) / 64.0f;

    const Kind kinds[3] = {{"W8A8  (tf_matmul_a8, i8)", 1}, {"W8A32 (tf_matmul, i8)   ", 1}, {"bf16  (tf_matmul, bf16) ", 2}};
    std::vector<double> t[3];
    for (int r = -2; r < reps; ++r) {  // two warm-up rounds
        for (int kind = 0; kind < 3; ++kind) {
            const int k = (r + 2) % copies;
            tf_matrix w = kind == 2 ? tf_matrix{b[size_t(k)].data(), nullptr, rows, cols, TF_DTYPE_BF16}
                                    : tf_matrix{q[size_t(k)].data(), scales.data(), rows, cols, TF_DTYPE_I8};
            const auto t0 = std::chrono::steady_clock::now();
            check(kind == 0 ? tf_matmul_a8(ctx, x.data(), 1, &w, y.data()) : tf_matmul(ctx, x.data(), 1, &w, y.data()),
                  kinds[kind].name);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (r >= 0) t[kind].push_back(s);
        }
    }
    std::printf("%lld x %lld, %d thread(s), simd %d, %d reps, %d weight copies per kind:\n", (long long)rows,
                (long long)cols, threads, tf_context_simd(ctx), reps, copies);
    double med[3];
    for (int kind = 0; kind < 3; ++kind) {
        med[kind] = median(t[kind]);
        const double gb = double(n * kinds[kind].bytes_per_weight) / 1e9;
        std::printf("  %s  median %8.3f ms  %6.2f GB/s of weights\n", kinds[kind].name, med[kind] * 1e3, gb / med[kind]);
    }
    std::printf("  time ratios: W8A32 / W8A8 = %.2f, bf16 / W8A8 = %.2f, bf16 / W8A32 = %.2f\n", med[1] / med[0],
                med[2] / med[0], med[2] / med[1]);
    tf_context_free(ctx);
}

}  // namespace

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::atoi(argv[1]) : 30;
    const bool hot = argc > 2 && std::strcmp(argv[2], "hot") == 0;
    const int32_t cores = tf_cpu_physical_cores();
    for (int64_t rows : {4096, 11008}) {
        run_shape(rows, 4096, 1, reps, hot);
        if (cores > 1) run_shape(rows, 4096, cores, reps, hot);
    }
    return 0;
}
