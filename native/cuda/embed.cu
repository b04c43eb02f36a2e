// Sparse trigram embedding (docs/spec/tfree.md §4) on the device.
//
// One thread per (word, hidden column). The host groups the rows by word (keeping row
// order), so each thread walks exactly its word's rows: g_r = Σ_j table[ids[r, j], c] in j
// order, then acc += g_r in row order, starting from 0 — the CPU reference's operations in
// the CPU's order, so f32 / bf16 / f16 / i8 tables give the CPU's bits.
#include "common.cuh"

namespace tfc {
namespace {

// table [V, H] (dtype D; I8 rows scaled by table.scales[id]); ids [n_rows, P];
// word_rows [n_rows] rows grouped by word; word_offsets [n_words + 1]; out [n_words, H].
template <int D>
__global__ void embed_kernel(DevMatrix table, const int32_t* __restrict__ ids, int32_t population,
                             const int32_t* __restrict__ word_rows, const int32_t* __restrict__ word_offsets,
                             float* __restrict__ out) {
    const int64_t H = table.cols;
    const int64_t c = int64_t(blockIdx.y) * blockDim.x + threadIdx.x;
    const int64_t w = blockIdx.x;
    if (c >= H) return;
    float acc = 0.0f;
    for (int32_t k = word_offsets[w]; k < word_offsets[w + 1]; ++k) {
        const int32_t* rid = ids + int64_t(word_rows[k]) * population;
        float g = 0.0f;
        for (int32_t j = 0; j < population; ++j) {
            const int64_t id = rid[j];
            float v = widen<D>(table.data, id * H + c);
            if constexpr (D == TF_DTYPE_I8) v = __fmul_rn(v, table.scales[id]);  // never fused into the add
            g = j == 0 ? v : g + v;
        }
        acc += g;
    }
    out[w * H + c] = acc;
}

}  // namespace

tf_status launch_embed(cudaStream_t s, const DevMatrix& table, const int32_t* ids, int32_t population,
                       const int32_t* word_rows, const int32_t* word_offsets, int64_t n_words, float* out) {
    if (n_words == 0 || table.cols == 0) return TF_OK;
    // One block row per word, one block column per 128 dims: refuse what the grid cannot hold
    // (unsigned(n_words) would wrap and leave words unwritten).
    if (n_words > 2147483647 || (table.cols + 127) / 128 > 65535) {
        return fail(TF_ERR_UNSUPPORTED, "embed_sum: " + std::to_string(n_words) + " words of " +
                                            std::to_string(table.cols) + " dims exceed the CUDA grid (2^31 - 1 words, " +
                                            "65535 * 128 dims)");
    }
    const dim3 grid(unsigned(n_words), grid_for(table.cols, 128));
    switch (table.dtype) {
        case TF_DTYPE_F32: embed_kernel<TF_DTYPE_F32><<<grid, 128, 0, s>>>(table, ids, population, word_rows, word_offsets, out); break;
        case TF_DTYPE_BF16: embed_kernel<TF_DTYPE_BF16><<<grid, 128, 0, s>>>(table, ids, population, word_rows, word_offsets, out); break;
        case TF_DTYPE_F16: embed_kernel<TF_DTYPE_F16><<<grid, 128, 0, s>>>(table, ids, population, word_rows, word_offsets, out); break;
        default: embed_kernel<TF_DTYPE_I8><<<grid, 128, 0, s>>>(table, ids, population, word_rows, word_offsets, out); break;
    }
    TFC_LAUNCHED("embed_kernel");
    return TF_OK;
}

}  // namespace tfc
