// Causal multi-head attention with AtMan key controls on the device (tf_attention's math,
// docs/spec/tfree.md §5 and docs/spec/atman-dtm.md §A.2), flash style: the scores of a query row are never stored;
// keys and values stream through shared memory in tiles of kKeyTile, and each query keeps a
// running max m, a running sum l of exp(s − m) and its output accumulator (online softmax).
//
//   grid (query tiles of up to 8 rows, heads, kv splits); one warp per query row.
//   Per key tile: lane j scores key j (q·k over d in f32, then · 1/sqrt(d), the CPU's order),
//   applies the control, the warp takes the tile max and rescales; then every lane adds
//   p_t · v_t to the output dims it owns (dims lane, lane + 32, ...).
//   Decode (few query rows) splits the keys over grid.z so that enough blocks run; each split
//   writes (m, l, acc) and a combine kernel merges them (split-K). Prefill uses one split.
//
// Controls, exactly as the CPU defines them:
//   LOG_ADD  s += ln(m_k) for m_k != 1; m_k = 0 removes the key (s = −inf).
//   MULT     s = (s − μ)·m_k with μ = min of the row's scaled scores over its visible keys;
//            rows whose visible keys all have m = 1 are left unchanged. μ needs every key
//            first, so a small pre-pass kernel computes it per (query, head).
// A row with every key removed attends to nothing: its output is 0 (as on the CPU).
#include "common.cuh"

namespace tfc {
namespace {

constexpr int kKeyTile = 32;   // keys per shared-memory tile (one per lane when scoring)
constexpr int kMaxRows = 8;    // query rows (warps) per block
constexpr int kMaxDims = 256;  // head_dim limit: 8 output dims per lane
constexpr int kDimsPerLane = kMaxDims / 32;

__device__ __forceinline__ int64_t key_offset(const AttentionDev& a, int64_t h, int64_t t) {
    return h * a.head_stride + t * a.row_stride;
}

// mu [n_q, n_heads]: min over visible keys of the scaled scores. One warp per (query, head).
__global__ void mult_min_kernel(AttentionDev a, float scale, float* __restrict__ mu) {
    const int64_t i = blockIdx.x, h = blockIdx.y;
    const int lane = threadIdx.x;
    const int32_t d = a.head_dim;
    const float* q = a.q + i * a.n_heads * d + h * d;
    float m = INFINITY;
    const int64_t n_keys = a.q_pos0 + i + 1;
    for (int64_t t = lane; t < n_keys; t += 32) {
        const float* k = a.k + key_offset(a, h, t);
        float acc = 0;
        for (int32_t c = 0; c < d; ++c) acc = fmaf(q[c], k[c], acc);
        m = fminf(m, __fmul_rn(acc, scale));
    }
    for (int o = 16; o > 0; o >>= 1) m = fminf(m, __shfl_xor_sync(0xffffffffu, m, o));
    if (lane == 0) mu[i * a.n_heads + h] = m;
}

// partial [splits, n_q, n_heads, d + 2] (m, l, acc[d]) when gridDim.z > 1, else a.out.
__global__ void __launch_bounds__(kMaxRows * 32) attention_kernel(AttentionDev a, float scale, int64_t split_keys,
                                                                  const float* __restrict__ mu,
                                                                  float* __restrict__ partial) {
    extern __shared__ float smem[];
    const int rows = blockDim.x >> 5;
    const int32_t d = a.head_dim;
    float* q_s = smem;                       // [rows, d]
    float* k_s = q_s + rows * d;             // [kKeyTile, d + 1] (padded: lane j reads row j)
    float* v_s = k_s + kKeyTile * (d + 1);   // [kKeyTile, d]
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int64_t h = blockIdx.y;
    const int64_t i0 = int64_t(blockIdx.x) * rows;
    const int64_t i = i0 + warp;
    const bool valid = i < a.n_q;
    const int64_t width = int64_t(a.n_heads) * d;

    for (int e = threadIdx.x; e < rows * d; e += blockDim.x) {
        const int64_t qi = i0 + e / d;
        q_s[e] = qi < a.n_q ? a.q[qi * width + h * d + e % d] : 0.0f;
    }
    // This block's keys: split z of [0, end of its last query's causal window).
    const int64_t block_end = a.q_pos0 + min(i0 + rows, a.n_q);
    const int64_t k_begin = int64_t(blockIdx.z) * split_keys;
    const int64_t k_end = min(k_begin + split_keys, block_end);
    const int64_t my_end = valid ? min(k_end, a.q_pos0 + i + 1) : 0;  // causal: keys <= q_pos0 + i
    const bool log_add = a.key_control != nullptr && a.control_mode == TF_CONTROL_LOG_ADD;
    const bool mult = a.key_control != nullptr && a.control_mode == TF_CONTROL_MULT && valid &&
                      a.q_pos0 + i >= a.first_controlled;
    const float mu_i = mult ? mu[i * a.n_heads + h] : 0.0f;

    float m_run = -INFINITY, l_run = 0.0f;
    float acc[kDimsPerLane];
#pragma unroll
    for (int j = 0; j < kDimsPerLane; ++j) acc[j] = 0.0f;

    for (int64_t t0 = k_begin; t0 < k_end; t0 += kKeyTile) {
        __syncthreads();  // the previous tile is consumed (and q_s is written, first time)
        for (int e = threadIdx.x; e < kKeyTile * d; e += blockDim.x) {
            const int t = e / d, c = e % d;
            const int64_t key = t0 + t;
            const bool in = key < k_end;
            k_s[t * (d + 1) + c] = in ? a.k[key_offset(a, h, key) + c] : 0.0f;
            v_s[t * d + c] = in ? a.v[key_offset(a, h, key) + c] : 0.0f;
        }
        __syncthreads();
        const int64_t key = t0 + lane;
        float s = -INFINITY;
        if (key < my_end) {
            const float* qr = q_s + warp * d;
            const float* kr = k_s + lane * (d + 1);
            float dot = 0.0f;
            for (int32_t c = 0; c < d; ++c) dot = fmaf(qr[c], kr[c], dot);
            s = __fmul_rn(dot, scale);  // rounded before the control's add / subtract, as on the CPU
            if (log_add) {
                const float mk = a.key_control[key];
                if (mk != 1.0f) s = mk > 0.0f ? s + logf(mk) : -INFINITY;
            } else if (mult) {
                s = (s - mu_i) * a.key_control[key];
            }
        }
        const float new_m = fmaxf(m_run, warp_max(s));
        if (new_m == -INFINITY) continue;  // warp-uniform: nothing visible yet
        const float corr = expf(m_run - new_m);  // 0 while m_run is −inf
        const float p = expf(s - new_m);         // 0 for masked keys
        l_run = l_run * corr + warp_sum(p);
#pragma unroll
        for (int j = 0; j < kDimsPerLane; ++j) acc[j] *= corr;
        for (int t = 0; t < kKeyTile; ++t) {
            const float pt = __shfl_sync(0xffffffffu, p, t);
#pragma unroll
            for (int j = 0; j < kDimsPerLane; ++j) {
                const int c = lane + 32 * j;
                if (c < d) acc[j] = fmaf(pt, v_s[t * d + c], acc[j]);
            }
        }
        m_run = new_m;
    }
    if (!valid) return;
    if (gridDim.z == 1) {
        float* o = a.out + i * width + h * d;
        const float inv = m_run == -INFINITY ? 0.0f : 1.0f / l_run;
#pragma unroll
        for (int j = 0; j < kDimsPerLane; ++j) {
            const int c = lane + 32 * j;
            if (c < d) o[c] = acc[j] * inv;
        }
        return;
    }
    float* part = partial + ((int64_t(blockIdx.z) * a.n_q + i) * a.n_heads + h) * (d + 2);
    if (lane == 0) {
        part[0] = m_run;
        part[1] = l_run;
    }
#pragma unroll
    for (int j = 0; j < kDimsPerLane; ++j) {
        const int c = lane + 32 * j;
        if (c < d) part[2 + c] = acc[j];
    }
}

// Merges the splits' (m, l, acc) of one (query, head) per warp: out = Σ acc_s e^{m_s − M} / L.
__global__ void combine_kernel(AttentionDev a, int splits, const float* __restrict__ partial) {
    const int64_t i = blockIdx.x, h = blockIdx.y;
    const int32_t d = a.head_dim;
    const int64_t stride = a.n_q * a.n_heads * (d + 2);
    const float* p0 = partial + (i * a.n_heads + h) * (d + 2);
    float M = -INFINITY;
    for (int z = 0; z < splits; ++z) M = fmaxf(M, p0[z * stride]);
    float* o = a.out + i * a.n_heads * d + h * d;
    if (M == -INFINITY) {
        for (int32_t c = threadIdx.x; c < d; c += blockDim.x) o[c] = 0.0f;
        return;
    }
    float L = 0.0f;
    for (int z = 0; z < splits; ++z) L += p0[z * stride + 1] * expf(p0[z * stride] - M);
    const float inv = 1.0f / L;
    for (int32_t c = threadIdx.x; c < d; c += blockDim.x) {
        float sum = 0.0f;
        for (int z = 0; z < splits; ++z) sum = fmaf(p0[z * stride + 2 + c], expf(p0[z * stride] - M), sum);
        o[c] = sum * inv;
    }
}

struct Plan {
    int rows;     // query rows per block
    int64_t blocks_x;
    int splits;
    int64_t split_keys;
    size_t smem;
};

Plan plan(const AttentionDev& a) {
    Plan p;
    p.rows = int(a.n_q < kMaxRows ? (a.n_q > 0 ? a.n_q : 1) : kMaxRows);  // >= 1: n_q = 0 divides below
    p.blocks_x = (a.n_q + p.rows - 1) / p.rows;
    const int64_t keys = a.q_pos0 + a.n_q;  // the longest causal window
    const int64_t blocks = p.blocks_x * a.n_heads;
    // Enough blocks for ~2 waves on a large GPU, each split at least 256 keys.
    int64_t splits = blocks >= 256 ? 1 : (256 + blocks - 1) / blocks;
    splits = splits < (keys + 255) / 256 ? splits : (keys + 255) / 256;
    splits = splits < 64 ? splits : 64;
    p.splits = int(splits < 1 ? 1 : splits);
    int64_t per = (keys + p.splits - 1) / p.splits;
    p.split_keys = (per + kKeyTile - 1) / kKeyTile * kKeyTile;
    p.splits = int((keys + p.split_keys - 1) / p.split_keys);
    p.smem = sizeof(float) * size_t(p.rows * a.head_dim + kKeyTile * (a.head_dim + 1) + kKeyTile * a.head_dim);
    return p;
}

}  // namespace

size_t attention_scratch_bytes(const AttentionDev& a) {
    const Plan p = plan(a);
    const size_t partial = p.splits > 1 ? size_t(p.splits) * a.n_q * a.n_heads * (a.head_dim + 2) : 0;
    const size_t mu = size_t(a.n_q) * a.n_heads;
    return sizeof(float) * (partial + mu) + 256;
}

std::string attention_unsupported(int64_t n_heads, int64_t head_dim) {
    if (head_dim > kMaxDims) {
        return "head_dim " + std::to_string(head_dim) + " exceeds the CUDA kernel's limit of " + std::to_string(kMaxDims);
    }
    if (n_heads > 65535) return std::to_string(n_heads) + " heads exceed the CUDA grid's 65535";
    return "";
}

tf_status launch_attention(cudaStream_t s, const AttentionDev& a, void* scratch) {
    if (a.n_q == 0) return TF_OK;
    const std::string why = attention_unsupported(a.n_heads, a.head_dim);
    if (!why.empty()) return fail(TF_ERR_UNSUPPORTED, "attention: " + why);
    if (a.n_q > 0x7fffffff) return fail(TF_ERR_UNSUPPORTED, "attention: too many queries");
    const Plan p = plan(a);
    const float scale = 1.0f / sqrtf(float(a.head_dim));
    float* mu = static_cast<float*>(scratch);
    float* partial = mu + ((a.n_q * a.n_heads + 63) / 64) * 64;
    if (a.key_control != nullptr && a.control_mode == TF_CONTROL_MULT && a.first_controlled < a.q_pos0 + a.n_q) {
        mult_min_kernel<<<dim3(unsigned(a.n_q), unsigned(a.n_heads)), 32, 0, s>>>(a, scale, mu);
        TFC_LAUNCHED("mult_min_kernel");
    }
    if (p.smem > 48 * 1024) {
        TFC_CHECK(cudaFuncSetAttribute(attention_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, int(p.smem)));
    }
    const dim3 grid(unsigned(p.blocks_x), unsigned(a.n_heads), unsigned(p.splits));
    attention_kernel<<<grid, p.rows * 32, p.smem, s>>>(a, scale, p.split_keys, mu, partial);
    TFC_LAUNCHED("attention_kernel");
    if (p.splits > 1) {
        combine_kernel<<<dim3(unsigned(a.n_q), unsigned(a.n_heads)), 128, 0, s>>>(a, p.splits, partial);
        TFC_LAUNCHED("combine_kernel");
    }
    return TF_OK;
}

}  // namespace tfc
