// The row-wise and element-wise layer kernels: RMSNorm, RoPE, SwiGLU, residual add, sigmoid,
// softmax, and the store of keys / values into the head-major cache. Each does the CPU's
// float operations in the CPU's order where there is one (RoPE, SwiGLU, add, sigmoid are then
// equal to rounding of expf vs std::exp only); reductions are in double like the CPU's.
#include "common.cuh"

namespace tfc {
namespace {

constexpr int kThreads = 256;

// Block-wide sum of one double per thread (fixed tree: deterministic). blockDim.x == kThreads.
__device__ double block_sum(double v, double* shared) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int o = kThreads / 2; o > 0; o >>= 1) {
        if (threadIdx.x < o) shared[threadIdx.x] += shared[threadIdx.x + o];
        __syncthreads();
    }
    const double total = shared[0];
    __syncthreads();
    return total;
}

__device__ float block_max(float v, float* shared) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int o = kThreads / 2; o > 0; o >>= 1) {
        if (threadIdx.x < o) shared[threadIdx.x] = fmaxf(shared[threadIdx.x], shared[threadIdx.x + o]);
        __syncthreads();
    }
    const float m = shared[0];
    __syncthreads();
    return m;
}

// x, out [n, dim] (may alias: a thread writes only elements it read before the barrier);
// weight [dim]. One block per row.
__global__ void rmsnorm_kernel(const float* x, int64_t dim, const float* __restrict__ weight, float eps, float* out) {
    __shared__ double red[kThreads];
    const float* xr = x + int64_t(blockIdx.x) * dim;
    float* yr = out + int64_t(blockIdx.x) * dim;
    double ss = 0;
    for (int64_t c = threadIdx.x; c < dim; c += kThreads) ss += double(xr[c]) * double(xr[c]);
    ss = block_sum(ss, red);
    const float mean = float(ss / double(dim));
    const float inv = 1.0f / sqrtf(mean + eps);
    for (int64_t c = threadIdx.x; c < dim; c += kThreads) yr[c] = __fmul_rn(xr[c] * inv, weight[c]);
}

// x [n, n_heads*d] in place; position of row r = positions ? positions[r] : pos0 + r;
// table [*, d/2, 2] (cos, sin). One thread per (row, head, pair).
__global__ void rope_kernel(float* x, int64_t n, int32_t n_heads, int32_t d, const int32_t* __restrict__ positions,
                            int64_t pos0, const float* __restrict__ table) {
    const int64_t half = d / 2;
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n * n_heads * half) return;
    const int64_t r = i / (n_heads * half), rem = i % (n_heads * half);
    const int64_t h = rem / half, p = rem % half;
    const int64_t pos = positions ? positions[r] : pos0 + r;
    const float c = table[pos * d + 2 * p], s = table[pos * d + 2 * p + 1];
    float* u = x + r * n_heads * d + h * d + 2 * p;
    const float a = u[0], b = u[1];
    // No FMA contraction: the CPU rounds each product, then the sum.
    u[0] = __fsub_rn(__fmul_rn(a, c), __fmul_rn(b, s));
    u[1] = __fadd_rn(__fmul_rn(a, s), __fmul_rn(b, c));
}

__global__ void swiglu_kernel(const float* gate, const float* up, int64_t count, float* out) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= count) return;
    const float g = gate[i];
    out[i] = __fmul_rn(g / (1.0f + expf(-g)), up[i]);
}

__global__ void add_kernel(float* x, const float* y, int64_t count) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < count) x[i] += y[i];
}

__global__ void sigmoid_kernel(const float* x, int64_t count, float* out) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= count) return;
    const float v = x[i];
    const float e = expf(-fabsf(v));
    out[i] = (signbit(v) ? e : 1.0f) / (1.0f + e);
}

// One block for the whole vector: max, exp(x − max) with the sum in double, scale by
// float(1 / sum) — the CPU's steps. out may alias x (element i is read, then written, by one
// thread).
__global__ void softmax_kernel(const float* x, int64_t count, float* out) {
    __shared__ double red[kThreads];
    __shared__ float redf[kThreads];
    float mx = -INFINITY;
    for (int64_t i = threadIdx.x; i < count; i += kThreads) mx = fmaxf(mx, x[i]);
    mx = block_max(mx, redf);
    double sum = 0;
    for (int64_t i = threadIdx.x; i < count; i += kThreads) {
        const float e = expf(x[i] - mx);
        out[i] = e;
        sum += double(e);
    }
    sum = block_sum(sum, red);
    const float inv = float(1.0 / sum);
    for (int64_t i = threadIdx.x; i < count; i += kThreads) out[i] *= inv;
}

// rows_in [rows, n_heads*d] → layer [n_heads, cap, d] at positions base .. base + rows − 1.
__global__ void store_heads_kernel(float* __restrict__ layer, const float* __restrict__ rows_in, int64_t rows,
                                   int64_t base, int64_t cap, int32_t n_heads, int32_t d) {
    const int64_t H = int64_t(n_heads) * d;
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= rows * H) return;
    const int64_t r = i / H, h = (i % H) / d, c = i % d;
    layer[(h * cap + base + r) * d + c] = rows_in[i];
}

}  // namespace

tf_status launch_rmsnorm(cudaStream_t s, const float* x, int64_t n, int64_t dim, const float* weight, float eps,
                         float* out) {
    if (n == 0) return TF_OK;
    if (n > 0x7fffffff) return fail(TF_ERR_UNSUPPORTED, "rmsnorm: more than 2^31 rows");
    rmsnorm_kernel<<<unsigned(n), kThreads, 0, s>>>(x, dim, weight, eps, out);
    TFC_LAUNCHED("rmsnorm_kernel");
    return TF_OK;
}

tf_status launch_rope(cudaStream_t s, float* x, int64_t n, int32_t n_heads, int32_t head_dim, const int32_t* positions,
                      const float* table) {
    const int64_t total = n * n_heads * (head_dim / 2);
    if (total == 0) return TF_OK;
    rope_kernel<<<grid_for(total, kThreads), kThreads, 0, s>>>(x, n, n_heads, head_dim, positions, 0, table);
    TFC_LAUNCHED("rope_kernel");
    return TF_OK;
}

tf_status launch_rope_from(cudaStream_t s, float* x, int64_t n, int32_t n_heads, int32_t head_dim, int64_t pos0,
                           const float* table) {
    const int64_t total = n * n_heads * (head_dim / 2);
    if (total == 0) return TF_OK;
    rope_kernel<<<grid_for(total, kThreads), kThreads, 0, s>>>(x, n, n_heads, head_dim, nullptr, pos0, table);
    TFC_LAUNCHED("rope_kernel");
    return TF_OK;
}

tf_status launch_swiglu(cudaStream_t s, const float* gate, const float* up, int64_t count, float* out) {
    if (count == 0) return TF_OK;
    swiglu_kernel<<<grid_for(count, kThreads), kThreads, 0, s>>>(gate, up, count, out);
    TFC_LAUNCHED("swiglu_kernel");
    return TF_OK;
}

tf_status launch_add(cudaStream_t s, float* x, const float* y, int64_t count) {
    if (count == 0) return TF_OK;
    add_kernel<<<grid_for(count, kThreads), kThreads, 0, s>>>(x, y, count);
    TFC_LAUNCHED("add_kernel");
    return TF_OK;
}

tf_status launch_sigmoid(cudaStream_t s, const float* x, int64_t count, float* out) {
    if (count == 0) return TF_OK;
    sigmoid_kernel<<<grid_for(count, kThreads), kThreads, 0, s>>>(x, count, out);
    TFC_LAUNCHED("sigmoid_kernel");
    return TF_OK;
}

tf_status launch_softmax(cudaStream_t s, const float* x, int64_t count, float* out) {
    if (count == 0) return TF_OK;
    softmax_kernel<<<1, kThreads, 0, s>>>(x, count, out);
    TFC_LAUNCHED("softmax_kernel");
    return TF_OK;
}

tf_status launch_store_heads(cudaStream_t s, float* layer, const float* rows_in, int64_t rows, int64_t base,
                             int64_t cap, int32_t n_heads, int32_t d) {
    const int64_t total = rows * n_heads * d;
    if (total == 0) return TF_OK;
    store_heads_kernel<<<grid_for(total, kThreads), kThreads, 0, s>>>(layer, rows_in, rows, base, cap, n_heads, d);
    TFC_LAUNCHED("store_heads_kernel");
    return TF_OK;
}

}  // namespace tfc
