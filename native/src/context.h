// The execution context behind tf_context: a thread pool and the SIMD level kernels use.
#pragma once
#include <algorithm>
#include <cstdint>
#include "thread_pool.h"
#include "tfree4j.h"

struct tf_context {
    tf::ThreadPool pool;
    int32_t simd;  // a tf_simd value >= 0
    tf_context(int n_threads, int32_t simd_level) : pool(n_threads), simd(simd_level) {}
};

namespace tf {

// Splits [0, n) into contiguous ranges of at least `grain` items and calls fn(begin, end)
// for each, on the context's threads. Small problems run inline on the caller.
template <class F>
void parallel_for(tf_context* ctx, int64_t n, int64_t grain, F&& fn) {
    if (n <= 0) return;
    grain = std::max<int64_t>(grain, 1);
    const int64_t threads = ctx->pool.size();
    int64_t chunks = std::min<int64_t>((n + grain - 1) / grain, threads * 4);
    if (chunks <= 1 || threads == 1) {
        fn(int64_t{0}, n);
        return;
    }
    ctx->pool.run(chunks, [&](int64_t c) {
        int64_t begin = n * c / chunks;
        int64_t end = n * (c + 1) / chunks;
        if (begin < end) fn(begin, end);
    });
}

// Best SIMD level of this CPU and build, capped by the TFREE4J_SIMD environment variable
// (scalar | avx2 | avx512), which tests use to force a path.
int32_t detect_simd();

}  // namespace tf
