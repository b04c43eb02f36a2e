// libtfree4j's side of the CUDA backend: loading the plugin (cuda_plugin.h) lazily, and the
// small helpers every kernel's C ABI function uses to hand a CUDA context's work to it.
#pragma once
#include <string>

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

}  // namespace cuda
}  // namespace tf
