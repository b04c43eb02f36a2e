// Dictionary word scores (tf_word_scores / tf_dictionary_scores, docs/spec/tfree.md §6.2) on the device:
//   a = sigmoid(logits), A = Σ a (double, rounded to float),
//   s(w) = Σ_{I(w)} a + λ·Σ_{E(w)} a (f32, each sum in the word's stored order),
//   score(w) = s / (P·n(w)) + (s − A) / (V − P·n(w)).
// One block per logits row computes a and A with a fixed reduction tree (deterministic);
// then one thread per (word, row) gathers its ids — the CSR walk of the CPU, in the same
// order, so a word's score differs from the CPU's only through expf vs std::exp and A's
// summation order. Up to millions of words: the word index runs over grid.x.
#include "common.cuh"

namespace tfc {
namespace {

constexpr int kThreads = 1024;

// logits, a [n_rows, vocab]; total [n_rows]. One block per row.
__global__ void sigmoid_sum_kernel(const float* __restrict__ logits, int64_t vocab, float* __restrict__ a,
                                   double* __restrict__ total) {
    __shared__ double red[kThreads];
    const float* x = logits + int64_t(blockIdx.x) * vocab;
    float* out = a + int64_t(blockIdx.x) * vocab;
    double sum = 0;
    for (int64_t i = threadIdx.x; i < vocab; i += kThreads) {
        const float v = x[i];
        const float e = expf(-fabsf(v));
        const float s = (signbit(v) ? e : 1.0f) / (1.0f + e);
        out[i] = s;
        sum += double(s);
    }
    red[threadIdx.x] = sum;
    __syncthreads();
    for (int o = kThreads / 2; o > 0; o >>= 1) {
        if (threadIdx.x < o) red[threadIdx.x] += red[threadIdx.x + o];
        __syncthreads();
    }
    if (threadIdx.x == 0) total[blockIdx.x] = red[0];
}

// a [n_rows, vocab], total [n_rows]; CSR patterns (see tf_word_patterns); scores [n_rows, n_words].
__global__ void word_scores_kernel(const float* __restrict__ a, const double* __restrict__ total, int64_t vocab,
                                   const int64_t* __restrict__ offsets, const int32_t* __restrict__ ids,
                                   const int64_t* __restrict__ edge_offsets, const int32_t* __restrict__ edge_ids,
                                   const int32_t* __restrict__ n_trigrams, int64_t n_words, int32_t population,
                                   float edge_weight, float* __restrict__ scores) {
    const int64_t w = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (w >= n_words) return;
    const int64_t row = blockIdx.y;
    const float* ar = a + row * vocab;
    float s_i = 0.0f, s_e = 0.0f;
    for (int64_t k = offsets[w]; k < offsets[w + 1]; ++k) s_i += ar[ids[k]];
    for (int64_t k = edge_offsets[w]; k < edge_offsets[w + 1]; ++k) s_e += ar[edge_ids[k]];
    const float A = float(total[row]);
    const float s = __fadd_rn(s_i, __fmul_rn(edge_weight, s_e));
    const int64_t pn = int64_t(population) * int64_t(n_trigrams[w]);
    scores[row * n_words + w] = __fadd_rn(s / float(pn), (s - A) / float(vocab - pn));
}

}  // namespace

tf_status launch_sigmoid_sum_rows(cudaStream_t s, const float* logits, int64_t n_rows, int64_t vocab, float* a,
                                  double* total) {
    if (n_rows == 0) return TF_OK;
    if (n_rows > 0x7fffffff) return fail(TF_ERR_UNSUPPORTED, "word scores: too many rows");
    sigmoid_sum_kernel<<<unsigned(n_rows), kThreads, 0, s>>>(logits, vocab, a, total);
    TFC_LAUNCHED("sigmoid_sum_kernel");
    return TF_OK;
}

tf_status launch_word_scores(cudaStream_t s, const float* a, const double* total, int64_t n_rows, int64_t vocab,
                             const int64_t* offsets, const int32_t* ids, const int64_t* edge_offsets,
                             const int32_t* edge_ids, const int32_t* n_trigrams, int64_t n_words, int32_t population,
                             float edge_weight, float* scores) {
    if (n_rows == 0 || n_words == 0) return TF_OK;
    if (n_rows > 65535) return fail(TF_ERR_UNSUPPORTED, "word scores: more than 65535 rows in one call");
    const dim3 grid(grid_for(n_words, 256), unsigned(n_rows));
    word_scores_kernel<<<grid, 256, 0, s>>>(a, total, vocab, offsets, ids, edge_offsets, edge_ids, n_trigrams, n_words,
                                            population, edge_weight, scores);
    TFC_LAUNCHED("word_scores_kernel");
    return TF_OK;
}

}  // namespace tfc
