// tf_add: the residual connection x += y.
#include <string>

#include "layer_ops.h"
#include "cuda_backend.h"
#include "status.h"

namespace tf {

// x, y [count]
void add(tf_context* ctx, float* x, const float* y, int64_t count) {
    parallel_for(ctx, count, 32768, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) x[i] += y[i];
    });
}

}  // namespace tf

extern "C" TF_API tf_status tf_add(tf_context* ctx, float* x, const float* y, int64_t count) {
    TF_CHECK_ARG(ctx != nullptr, "tf_add: ctx is NULL");
    TF_CHECK_ARG(x != nullptr, "tf_add: x is NULL");
    TF_CHECK_ARG(y != nullptr, "tf_add: y is NULL");
    TF_CHECK_ARG(count >= 0, "tf_add: count must be >= 0, got " + std::to_string(count));
    if (tf::cuda::active(ctx)) {
        if (count == 0) return tf::ok();
        return tf::cuda::result(ctx, ctx->plugin->add(ctx->cuda, x, y, count), "tf_add");
    }
    tf::add(ctx, x, y, count);
    return tf::ok();
}
