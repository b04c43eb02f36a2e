// The context and thread pool: creation, defaults, bad arguments, and error reporting.
#include "test_util.h"

#include <cstring>

int main() {
    TFT_CHECK(std::strcmp(tf_version(), "0.1.0") == 0);
    TFT_CHECK(tf_cpu_physical_cores() >= 1);
    int32_t best = tf_cpu_best_simd();
    TFT_CHECK(best >= TF_SIMD_SCALAR && best <= TF_SIMD_AVX512);
    std::printf("best simd: %s, physical cores: %d\n", tft::simd_name(best), tf_cpu_physical_cores());

    tf_context_params p;
    tf_context_params_init(&p);
    TFT_CHECK(p.n_threads == 0 && p.simd == TF_SIMD_AUTO);

    tf_context* ctx = nullptr;
    TFT_CHECK_OK(tf_context_create(&p, &ctx));
    TFT_CHECK(ctx != nullptr);
    TFT_CHECK(tf_context_simd(ctx) == best);
    TFT_CHECK(tf_context_threads(ctx) == tf_cpu_physical_cores());
    tf_context_free(ctx);

    // Bad arguments give a status and a message, never a crash.
    TFT_CHECK(tf_context_create(&p, nullptr) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(std::strstr(tf_last_error(), "out is NULL") != nullptr);
    p.simd = 7;
    TFT_CHECK(tf_context_create(&p, &ctx) == TF_ERR_INVALID_ARGUMENT);
    if (best < TF_SIMD_AVX512) {
        p.simd = TF_SIMD_AVX512;
        TFT_CHECK(tf_context_create(&p, &ctx) == TF_ERR_UNSUPPORTED);
        TFT_CHECK(ctx == nullptr);
    }
    tf_context_free(nullptr);  // no-op

    // Explicit thread counts, including more threads than cores.
    for (int threads : {1, 3, 8}) {
        tf_context* c = tft::make_context(TF_SIMD_SCALAR, threads);
        TFT_CHECK(c && tf_context_threads(c) == threads);
        tf_context_free(c);
    }
    return tft::finish("test_context");
}
