// tf_swiglu: the SwiGLU gate of the MLP (docs/spec/tfree.md §5): silu(dense_in·h) ⊙ (swiglu·h).
#include <cmath>
#include <string>

#include "layer_ops.h"
#include "cuda_backend.h"
#include "status.h"
#include "tfree4j_internal.h"

namespace tf {

// gate, up, out [count]; out may alias gate or up (element i is read before it is written).
void swiglu(tf_context* ctx, const float* gate, const float* up, int64_t count, float* out) {
    parallel_for(ctx, count, 16384, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            const float g = gate[i];
            // g / (1 + e^{-g}): for g -> -inf the denominator is +inf and the result -0, no NaN.
            out[i] = g / (1.0f + std::exp(-g)) * up[i];
        }
    });
}

}  // namespace tf

extern "C" TF_API tf_status tf_swiglu(tf_context* ctx, const float* gate, const float* up, int64_t count, float* out) {
    TF_CHECK_ARG(ctx != nullptr, "tf_swiglu: ctx is NULL");
    TF_CHECK_ARG(gate != nullptr, "tf_swiglu: gate is NULL");
    TF_CHECK_ARG(up != nullptr, "tf_swiglu: up is NULL");
    TF_CHECK_ARG(out != nullptr, "tf_swiglu: out is NULL");
    TF_CHECK_ARG(count >= 0, "tf_swiglu: count must be >= 0, got " + std::to_string(count));
    if (tf::cuda::active(ctx)) {
        if (count == 0) return tf::ok();
        return tf::cuda::result(ctx, ctx->plugin->swiglu(ctx->cuda, gate, up, count, out), "tf_swiglu");
    }
    tf::swiglu(ctx, gate, up, count, out);
    return tf::ok();
}
