// Minimal helpers shared by the native tests (each test_*.cpp is one ctest executable).
// Pattern (llm.c style): run the kernel at every SIMD level this CPU has, compare with the
// scalar level (and, where useful, with a plain reference loop written in the test).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "tfree4j_internal.h"  // the public header and the test-only kernels

namespace tft {

inline int g_failures = 0;

#define TFT_CHECK(cond)                                                                    \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            ++tft::g_failures;                                                             \
        }                                                                                  \
    } while (0)

#define TFT_CHECK_OK(expr)                                                                     \
    do {                                                                                       \
        tf_status s_ = (expr);                                                                 \
        if (s_ != TF_OK) {                                                                     \
            std::fprintf(stderr, "%s:%d: %s returned %d: %s\n", __FILE__, __LINE__, #expr, s_, \
                         tf_last_error());                                                     \
            ++tft::g_failures;                                                                 \
        }                                                                                      \
    } while (0)

inline const char* simd_name(int32_t s) {
    switch (s) {
        case TF_SIMD_SCALAR: return "scalar";
        case TF_SIMD_AVX2: return "avx2";
        case TF_SIMD_AVX512: return "avx512";
        default: return "?";
    }
}

// A context at the given level and thread count, or nullptr (with a note) if unsupported.
inline tf_context* make_context(int32_t simd, int32_t threads) {
    tf_context_params p;
    tf_context_params_init(&p);
    p.simd = simd;
    p.n_threads = threads;
    tf_context* ctx = nullptr;
    if (tf_context_create(&p, &ctx) != TF_OK) {
        std::printf("  [skip] %s x%d not available here: %s\n", simd_name(simd), threads, tf_last_error());
        return nullptr;
    }
    return ctx;
}

// Every SIMD level above scalar, to be compared against scalar.
inline std::vector<int32_t> simd_levels() { return {TF_SIMD_SCALAR, TF_SIMD_AVX2, TF_SIMD_AVX512}; }

// A context of one SIMD level and thread count.
struct LevelContext {
    int32_t simd, threads;
    tf_context* ctx;
};

// A context for every SIMD level this machine runs, with 1 and 3 threads (the caller frees them).
inline std::vector<LevelContext> contexts_at_every_level() {
    std::vector<LevelContext> out;
    for (int32_t s : simd_levels()) {
        for (int32_t t : {1, 3}) {
            if (tf_context* c = make_context(s, t)) out.push_back({s, t, c});
        }
    }
    return out;
}

inline std::vector<float> random_floats(size_t n, uint32_t seed, float lo = -1.f, float hi = 1.f) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(lo, hi);
    std::vector<float> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}

// max |a - b| / (1 + |b|), reported with the worst index.
inline double max_rel_diff(const float* a, const float* b, size_t n, size_t* worst = nullptr) {
    double m = 0;
    for (size_t i = 0; i < n; ++i) {
        double d = std::fabs(double(a[i]) - double(b[i])) / (1.0 + std::fabs(double(b[i])));
        if (!(d <= m)) {  // also catches NaN
            m = std::isnan(d) ? INFINITY : d;
            if (worst) *worst = i;
        }
    }
    return m;
}

inline bool close(const char* what, const float* got, const float* want, size_t n, double tol) {
    size_t worst = 0;
    double d = max_rel_diff(got, want, n, &worst);
    if (d > tol) {
        std::fprintf(stderr, "  %s: max rel diff %.3g > %.3g at %zu (got %.9g want %.9g)\n", what, d, tol, worst,
                     double(got[worst]), double(want[worst]));
        ++g_failures;
        return false;
    }
    return true;
}

// True when a call failed with status `want` and tf_last_error() names `needle`; otherwise
// prints what came instead (the caller counts the failure).
inline bool has_error(tf_status s, tf_status want, const char* needle) {
    if (s != want || std::strstr(tf_last_error(), needle) == nullptr) {
        std::fprintf(stderr, "  expected status %d with \"%s\", got %d: \"%s\"\n", want, needle, s, tf_last_error());
        return false;
    }
    return true;
}

inline int finish(const char* name) {
    if (g_failures == 0) {
        std::printf("%s: all checks passed\n", name);
        return 0;
    }
    std::printf("%s: %d check(s) FAILED\n", name, g_failures);
    return 1;
}

}  // namespace tft
