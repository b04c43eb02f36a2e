// tf_rope: interleaved-pair rotary embedding ("rotary_complex", docs/spec/tfree.md §5), in place, float32;
// the rotate-half variant and the (cos, sin) table of the stacks (tf_stack_params).
#include <cmath>
#include <string>
#include <vector>

#include "layer_ops.h"
#include "cuda_backend.h"
#include "status.h"
#include "tfree4j_internal.h"

namespace tf {

// x [n, n_heads*head_dim] in place; positions [n]; table [*, head_dim/2, 2] (cos, sin).
// Pair i of every head is the complex number (x[2i], x[2i+1]) multiplied by e^{iθ_{p,i}}.
void rope(tf_context* ctx, float* x, int64_t n, int32_t n_heads, int32_t head_dim, const int32_t* positions,
          const float* table) {
    const int64_t width = int64_t(n_heads) * head_dim;
    const int64_t grain = std::max<int64_t>(1, 16384 / width);
    parallel_for(ctx, n, grain, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            // One position's row of the table: head_dim/2 (cos, sin) pairs = head_dim floats.
            const float* cs = table + int64_t(positions[r]) * head_dim;
            float* xr = x + r * width;
            for (int32_t h = 0; h < n_heads; ++h) {
                float* u = xr + int64_t(h) * head_dim;
                for (int32_t i = 0; i < head_dim / 2; ++i) {
                    const float c = cs[2 * i], s = cs[2 * i + 1];
                    const float a = u[2 * i], b = u[2 * i + 1];
                    u[2 * i] = a * c - b * s;
                    u[2 * i + 1] = a * s + b * c;
                }
            }
        }
    });
}

// Pair i of every head is (x[i], x[i + head_dim/2]), rotated by the angle of inv_freq[i].
void rope_rotate_half(tf_context* ctx, float* x, int64_t n, int32_t n_heads, int32_t head_dim,
                      const int32_t* positions, const float* table) {
    const int64_t width = int64_t(n_heads) * head_dim;
    const int32_t half = head_dim / 2;
    const int64_t grain = std::max<int64_t>(1, 16384 / width);
    parallel_for(ctx, n, grain, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const float* cs = table + int64_t(positions[r]) * head_dim;
            float* xr = x + r * width;
            for (int32_t h = 0; h < n_heads; ++h) {
                float* u = xr + int64_t(h) * head_dim;
                for (int32_t i = 0; i < half; ++i) {
                    const float c = cs[2 * i], s = cs[2 * i + 1];
                    const float a = u[i], b = u[i + half];
                    u[i] = a * c - b * s;
                    u[i + half] = a * s + b * c;
                }
            }
        }
    });
}

namespace {

// Llama 3.1's scaling of one inverse frequency (the facts of transformers'
// _compute_llama3_parameters): wavelengths longer than original / low_freq_factor are divided
// by factor, shorter than original / high_freq_factor kept, and the band between blends the
// two linearly in original / wavelength.
double llama3_inv_freq(double inv_freq, const tf_stack_params& p) {
    const double two_pi = 6.283185307179586;
    const double original = p.rope_original_max_positions;
    const double wavelen = two_pi / inv_freq;
    const double low_freq_wavelen = original / p.rope_low_freq_factor;
    const double high_freq_wavelen = original / p.rope_high_freq_factor;
    if (wavelen > low_freq_wavelen) return inv_freq / p.rope_factor;
    if (wavelen < high_freq_wavelen) return inv_freq;
    const double smooth = (original / wavelen - p.rope_low_freq_factor) /
                          (double(p.rope_high_freq_factor) - p.rope_low_freq_factor);
    return (1 - smooth) * inv_freq / p.rope_factor + smooth * inv_freq;
}

}  // namespace

void rope_table(const tf_stack_params& p, int32_t head_dim, float* table) {
    const int32_t half = head_dim / 2;
    std::vector<float> inv_freq(static_cast<size_t>(half));
    for (int32_t i = 0; i < half; ++i) {
        double f = std::pow(double(p.rope_theta), -2.0 * i / head_dim);
        if (p.rope_scaling == TF_ROPE_SCALING_LLAMA3) f = llama3_inv_freq(f, p);
        inv_freq[size_t(i)] = float(f);
    }
    for (int64_t pos = 0; pos < p.max_positions; ++pos) {
        for (int32_t i = 0; i < half; ++i) {
            const float angle = float(pos) * inv_freq[size_t(i)];
            table[pos * head_dim + 2 * i] = std::cos(angle);
            table[pos * head_dim + 2 * i + 1] = std::sin(angle);
        }
    }
}

}  // namespace tf

extern "C" TF_API tf_status tf_rope(tf_context* ctx, float* x, int64_t n, int32_t n_heads, int32_t head_dim,
                                    const int32_t* positions, const float* table, int64_t table_positions) {
    TF_CHECK_ARG(ctx != nullptr, "tf_rope: ctx is NULL");
    TF_CHECK_ARG(x != nullptr, "tf_rope: x is NULL");
    TF_CHECK_ARG(positions != nullptr, "tf_rope: positions is NULL");
    TF_CHECK_ARG(table != nullptr, "tf_rope: table is NULL");
    TF_CHECK_ARG(n >= 0, "tf_rope: n must be >= 0, got " + std::to_string(n));
    TF_CHECK_ARG(n_heads >= 1, "tf_rope: n_heads must be >= 1, got " + std::to_string(n_heads));
    TF_CHECK_ARG(head_dim >= 2 && head_dim % 2 == 0,
                 "tf_rope: head_dim must be even and >= 2, got " + std::to_string(head_dim));
    TF_CHECK_ARG(table_positions >= 1, "tf_rope: table_positions must be >= 1, got " + std::to_string(table_positions));
    for (int64_t r = 0; r < n; ++r) {
        TF_CHECK_ARG(positions[r] >= 0 && positions[r] < table_positions,
                     "tf_rope: positions[" + std::to_string(r) + "] = " + std::to_string(positions[r]) +
                         " is outside the table [0, " + std::to_string(table_positions) + ")");
    }
    if (tf::cuda::active(ctx)) {
        if (n == 0) return tf::ok();
        return tf::cuda::result(
            ctx, ctx->plugin->rope(ctx->cuda, x, n, n_heads, head_dim, positions, table, table_positions), "tf_rope");
    }
    tf::rope(ctx, x, n, n_heads, head_dim, positions, table);
    return tf::ok();
}
