// libtfree4j's side of the CUDA backend: loading the plugin (cuda_plugin.h) lazily, the
// small helpers every kernel's C ABI function uses to hand a CUDA context's work to it, and
// device memory with one owner. The forward's backend table (tf::cuda_backend, backend.h) is
// in cuda_backend.cpp.
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backend.h"
#include "context.h"
#include "cuda_plugin.h"
#include "status.h"

namespace tf {
namespace cuda {

// The plugin, loaded on first use (thread-safe, once per process), or NULL with *why set to
// the cause: no plugin file, a dlopen error, no tf_cuda_plugin_get, a version mismatch.
const tf_cuda_plugin* plugin(std::string* why);

// Whether ctx runs on the CUDA plugin (then ctx->cuda and ctx->plugin are set).
inline bool active(const tf_context* ctx) { return ctx->backend == TF_BACKEND_CUDA; }

// Turns a plugin call's status into the public one: OK clears the error, a failure records
// "<fn>: <the plugin's message>".
inline tf_status result(const tf_context* ctx, tf_status s, const char* fn) {
    if (s == TF_OK) return ok();
    return fail(s, std::string(fn) + ": " + ctx->plugin->last_error());
}

// Device allocations with one owner (a cache, an upload), freed with it. The owner frees them
// before it drops its context reference (the device must outlive them).
struct Buffers {
    const tf_cuda_plugin* plugin = nullptr;
    std::vector<tf_cuda_buffer*> list;
    std::vector<void*> data;  // their device addresses
    Buffers() = default;
    Buffers(const Buffers&) = delete;
    Buffers& operator=(const Buffers&) = delete;
    ~Buffers() { release(); }
    void release();
    // One more buffer of `bytes` on ctx's device; *data is its device address.
    tf_status add(tf_context* ctx, size_t bytes, void** data);
};

// Host tensors copied to the device, as the loop reads them.
struct Upload {
    Buffers buffers;
    StackTensors tensors;
};

// An owner's tensors on the device (a stack's slots and RoPE table, a model's embedding):
// uploaded when first needed and again after a weight changed (stale). The mutex guards it:
// concurrent forwards may find it stale together.
struct Resident {
    std::unique_ptr<Upload> upload;
    bool stale = true;
    std::mutex mutex;
    void mark_stale() {
        std::lock_guard<std::mutex> lock(mutex);
        stale = true;
    }
    // The device copy of n host tensors (and the RoPE table [rope_floats] when rope != NULL),
    // uploaded now if missing or stale. Errors are prefixed with fn.
    tf_status get(tf_context* ctx, const tf_matrix* host, size_t n, const float* rope, size_t rope_floats,
                  const char* fn, const StackTensors** out);
};

}  // namespace cuda
}  // namespace tf
