// Helpers of the CUDA tests: the CPU and CUDA contexts they compare, the skip rule, and
// tolerance checks. Every CUDA test runs a public kernel on a CUDA context and on a scalar
// CPU context (itself tested against plain reference loops by the CPU tests) with the same
// host inputs, and compares within a tolerance derived from the math of the GPU path.
#pragma once
#include <cstdio>
#include <cstring>
#include <vector>

#include "test_util.h"

namespace tfc_test {

// Exit code ctest reads as "skipped" (SKIP_RETURN_CODE 77 in CMakeLists.txt).
constexpr int kSkipped = 77;

// The CUDA context, or nullptr after printing why this machine cannot run the test.
inline tf_context* cuda_context_or_skip(const char* test) {
    if (!tf_backend_available(TF_BACKEND_CUDA)) {
        std::printf("%s: no CUDA device: skipped (%s)\n", test, tf_last_error());
        return nullptr;
    }
    tf_context_params p;
    tf_context_params_init(&p);
    p.backend = TF_BACKEND_CUDA;
    tf_context* ctx = nullptr;
    if (tf_context_create(&p, &ctx) != TF_OK) {
        std::printf("%s: CUDA context failed: %s\n", test, tf_last_error());
        std::exit(1);
    }
    return ctx;
}

// |got − want| <= abs_tol[i] for every i (abs_tol per element, e.g. a bound on the error of
// a dot product from the magnitudes of its terms).
inline bool within(const char* what, const float* got, const float* want, const double* bound, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        const double d = std::fabs(double(got[i]) - double(want[i]));
        if (!(d <= bound[i])) {
            std::fprintf(stderr, "  %s: |%.9g - %.9g| = %.3g > bound %.3g at %zu\n", what, double(got[i]),
                         double(want[i]), d, bound[i], i);
            ++tft::g_failures;
            return false;
        }
    }
    return true;
}

inline bool bit_equal(const char* what, const void* got, const void* want, size_t bytes) {
    if (bytes == 0 || std::memcmp(got, want, bytes) == 0) return true;
    const auto* a = static_cast<const unsigned char*>(got);
    const auto* b = static_cast<const unsigned char*>(want);
    size_t i = 0;
    while (a[i] == b[i]) ++i;
    std::fprintf(stderr, "  %s: not bit-identical (first difference at byte %zu)\n", what, i);
    ++tft::g_failures;
    return false;
}

}  // namespace tfc_test
