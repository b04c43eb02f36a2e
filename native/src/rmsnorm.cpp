// tf_rmsnorm: RMSNorm per row (docs/spec/tfree.md §5, torch path): u * rsqrt(mean(u²) + eps), then * weight.
#include <cmath>
#include <string>

#include "layer_ops.h"
#include "cuda_backend.h"
#include "status.h"
#include "tfree4j_internal.h"

namespace tf {

// x, out [n, dim] (may alias: each row is read fully before it is written); weight [dim].
void rmsnorm(tf_context* ctx, const float* x, int64_t n, int64_t dim, const float* weight, float eps, float* out) {
    // ~16K elements per task: the op is memory bound, smaller tasks cost more than they gain.
    const int64_t grain = std::max<int64_t>(1, 16384 / dim);
    parallel_for(ctx, n, grain, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const float* xr = x + r * dim;
            float* yr = out + r * dim;
            // The statistic is accumulated in double: the reference computes it in float32 with
            // torch's pairwise sum, double is at least as accurate and independent of the order.
            double ss = 0;
            for (int64_t c = 0; c < dim; ++c) ss += double(xr[c]) * double(xr[c]);
            const float mean = float(ss / double(dim));
            const float inv = 1.0f / std::sqrt(mean + eps);
            // (x * inv) first, then * weight: the reference's two roundings, in this order.
            for (int64_t c = 0; c < dim; ++c) yr[c] = (xr[c] * inv) * weight[c];
        }
    });
}

}  // namespace tf

extern "C" TF_API tf_status tf_rmsnorm(tf_context* ctx, const float* x, int64_t n, int64_t dim, const float* weight,
                                       float eps, float* out) {
    TF_CHECK_ARG(ctx != nullptr, "tf_rmsnorm: ctx is NULL");
    TF_CHECK_ARG(x != nullptr, "tf_rmsnorm: x is NULL");
    TF_CHECK_ARG(weight != nullptr, "tf_rmsnorm: weight is NULL");
    TF_CHECK_ARG(out != nullptr, "tf_rmsnorm: out is NULL");
    TF_CHECK_ARG(n >= 0, "tf_rmsnorm: n must be >= 0, got " + std::to_string(n));
    TF_CHECK_ARG(dim >= 1, "tf_rmsnorm: dim must be >= 1, got " + std::to_string(dim));
    TF_CHECK_ARG(std::isfinite(eps) && eps >= 0, "tf_rmsnorm: eps must be finite and >= 0");
    if (tf::cuda::active(ctx)) {
        if (n == 0) return tf::ok();
        return tf::cuda::result(ctx, ctx->plugin->rmsnorm(ctx->cuda, x, n, dim, weight, eps, out), "tf_rmsnorm");
    }
    tf::rmsnorm(ctx, x, n, dim, weight, eps, out);
    return tf::ok();
}
