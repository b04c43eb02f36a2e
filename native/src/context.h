// The execution context behind tf_context: a thread pool and the SIMD level kernels use.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <type_traits>
#include "cuda_plugin.h"
#include "thread_pool.h"
#include "tfree4j.h"

struct tf_context {
    tf::ThreadPool pool;
    int32_t simd;  // a tf_simd value >= 0
    // At the AVX-512 level: the CPU has AVX512_VNNI, so the W8A8 kernel uses vpdpbusd
    // (tests clear it to compare with the plain AVX-512BW kernel).
    bool vnni;
    // TF_BACKEND_CUDA: kernels run on the plugin's device (validation stays on this side and
    // uses the pool). The context owns `cuda`; `plugin` is the loaded plugin (never unloaded).
    int32_t backend = TF_BACKEND_CPU;
    const tf_cuda_plugin* plugin = nullptr;
    tf_cuda_device* cuda = nullptr;
    // References: the caller's (tf_context_free drops it) and one per model, cache and
    // dictionary created on it (tf::context_retain / context_release), so that freeing them in
    // any order never leaves one of them with a freed pool or device (a CUDA cache's free
    // locks the device).
    std::atomic<int32_t> refs{1};
    tf_context(int n_threads, int32_t simd_level, bool has_vnni)
        : pool(n_threads), simd(simd_level), vnni(has_vnni) {}
    ~tf_context() {
        if (cuda != nullptr) plugin->device_free(cuda);
    }
    tf_context(const tf_context&) = delete;
    tf_context& operator=(const tf_context&) = delete;
};

namespace tf {

inline tf_context* context_retain(tf_context* ctx) {
    ctx->refs.fetch_add(1, std::memory_order_relaxed);
    return ctx;
}
// Drops one reference; the last one deletes the context.
inline void context_release(tf_context* ctx) {
    if (ctx != nullptr && ctx->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete ctx;
}

// Splits [0, n) into contiguous ranges of at least `grain` items and calls fn(begin, end)
// for each, on the context's threads. Small problems run inline on the caller.
// At most chunks_per_thread ranges per thread: more ranges even out the threads' finishing
// times (one thread may start late or be slowed by another process) at the cost of one atomic
// increment each.
template <class F>
void parallel_for(tf_context* ctx, int64_t n, int64_t grain, F&& fn, int64_t chunks_per_thread = 4) {
    if (n <= 0) return;
    grain = std::max<int64_t>(grain, 1);
    const int64_t threads = ctx->pool.size();
    int64_t chunks = std::min<int64_t>((n + grain - 1) / grain, threads * std::max<int64_t>(1, chunks_per_thread));
    if (chunks <= 1 || threads == 1) {
        fn(int64_t{0}, n);
        return;
    }
    // The task lambda captures one pointer only, so that its std::function stays in the small
    // buffer: a decode step must not touch the heap (several captures would allocate per call).
    struct Job {
        int64_t n, chunks;
        std::remove_reference_t<F>* fn;
    } job{n, chunks, &fn};
    ctx->pool.run(chunks, [j = &job](int64_t c) {
        int64_t begin = j->n * c / j->chunks;
        int64_t end = j->n * (c + 1) / j->chunks;
        if (begin < end) (*j->fn)(begin, end);
    });
}

// Ranges per thread of the matmuls (parallel_for's chunks_per_thread). A decode GEMV streams
// its weights from memory in a few hundred microseconds: with 4 ranges per thread a thread that
// starts late (waking a worker takes tens of microseconds) or is slowed leaves the other idle
// for up to a range's time at the end; 16 ranges of >= 64K multiply-adds keep that small.
constexpr int64_t kMatmulChunksPerThread = 16;

// Best SIMD level of this CPU and build, capped by the TFREE4J_SIMD environment variable
// (scalar | avx2 | avx512), which tests use to force a path.
int32_t detect_simd();

// Whether the CPU (and OS) supports AVX512_VNNI on 512-bit registers, unless the environment
// variable TFREE4J_VNNI=0 turns it off.
bool detect_avx512_vnni();

}  // namespace tf
