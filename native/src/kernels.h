// Internal kernel entry points, one set per SIMD level (llm.c style: every kernel has a
// plain scalar reference beside its vectorised variants).
//
//   tf::scalar  — portable C++ (native/src/matmul.cpp, embed.cpp, scoring.cpp), the reference
//   tf::avx2    — AVX2 + FMA + F16C, 8 lanes (native/src/avx2/*.cpp)
//   tf::avx512  — AVX-512F/BW/VL/DQ, 16 lanes (native/src/avx512/*.cpp), the same algorithm
//                 as the AVX2 code so the two can be reviewed side by side
//   tf::avx512vnni — only the W8A8 dot products, with vpdpbusd (native/src/avx512vnni/*.cpp);
//                 used at the AVX-512 level when the CPU also has AVX512_VNNI
//
// The C ABI functions validate their arguments, then split the work over the context's
// threads and call the level's range function on each piece. The range functions assume
// valid arguments, never allocate and never throw.
#pragma once
#include <cstdint>

#include "tfree4j.h"

// The W8A8 dot products, declared separately because the VNNI namespace has only this kernel.
#define TF_DECLARE_A8_KERNEL                                                                                   \
    /* W8A8: y[i, r] = float(Σ_c qx[i, c] · w[r, c]) · sx[i] · w.scales[r] for i in [0, m),          */ \
    /* r in [r0, r1); the dot product is exact (int32), so every level gives the same bits.          */ \
    /* qx [m, w.cols] with values in [-127, 127], sx [m], w TF_DTYPE_I8 with w.cols <= 131072 (any   */ \
    /* int8 value, -128 included), y [m, w.rows].                                                    */ \
    void matmul_a8_rows(const int8_t* qx, const float* sx, int64_t m, const tf_matrix& w, float* y,       \
                        int64_t r0, int64_t r1);

// Declares the kernels of one SIMD level inside namespace tf::<level>.
#define TF_DECLARE_KERNELS                                                                             \
    /* y[i, r] = x[i, :] · w[r, :] (· scales[r] for I8) for i in [0, m), r in [r0, r1).            */ \
    /* x [m, w.cols], y [m, w.rows] row-major. w.dtype is a valid tf_dtype.                          */ \
    void matmul_rows(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1); \
    /* The same with the decode arithmetic (that of matmul_rows with m = 1) for each of the m rows,   */ \
    /* several rows per weight load. Batch invariance rests on the two: matmul_rows computes a row   */ \
    /* with the m = 1 arithmetic or, for m > 1, the prefill one, neither depending on the other      */ \
    /* rows; a one-row item batched with others goes through this kernel (stack.cpp).               */ \
    void matmul_rows_decode(const float* x, int64_t m, const tf_matrix& w, float* y, int64_t r0, int64_t r1); \
    /* Embedding sum (docs/spec/tfree.md §4) restricted to the hidden columns [c0, c1): zeroes out[:, c0:c1),    */ \
    /* then per row r (in order) g = Σ_j table[ids[r*P+j], c0:c1) (j in order) and                */ \
    /* out[row_word[r], c0:c1) += g. ids and row_word are already validated.                       */ \
    void embed_cols(const tf_matrix& table, const int32_t* ids, int64_t n_rows, int32_t population,    \
                    const int32_t* row_word, int64_t n_words, float* out, int64_t c0, int64_t c1);     \
    /* out[i] = 1 / (1 + exp(-x[i])) for i in [0, n); out may alias x.                              */ \
    void sigmoid(const float* x, int64_t n, float* out);                                               \
    /* max of x[0, n), n >= 1 (NaN inputs give an unspecified result).                               */ \
    float max_value(const float* x, int64_t n);                                                        \
    /* out[i] = exp(x[i] - mx); returns Σ out[i] accumulated in double. out may alias x.            */ \
    double exp_shifted_sum(const float* x, int64_t n, float mx, float* out);                           \
    /* x[i] *= s                                                                                     */ \
    void scale(float* x, int64_t n, float s);                                                          \
    /* Symmetric absmax int8 quantization (tf_quantize_rows) of rows [r0, r1) of src (f32 / bf16 /   */ \
    /* f16): per row scale = max|v| / 127 (0 for an all-zero row, then q = 0) and                    */ \
    /* q = round(v / scale) with ties away from zero, clamped to [-127, 127].                        */ \
    /* q [src.rows, src.cols], scales [src.rows]. Returns the first row in [r0, r1) that holds a     */ \
    /* NaN or infinity (its q and scale are then unspecified; later rows are not written), or -1.    */ \
    int64_t quantize_rows(const tf_matrix& src, int8_t* q, float* scales, int64_t r0, int64_t r1);    \
    TF_DECLARE_A8_KERNEL
namespace tf {
namespace scalar {
TF_DECLARE_KERNELS
}
namespace avx2 {
TF_DECLARE_KERNELS
}
namespace avx512 {
TF_DECLARE_KERNELS
}
namespace avx512vnni {
TF_DECLARE_A8_KERNEL
}
}  // namespace tf

#undef TF_DECLARE_KERNELS
#undef TF_DECLARE_A8_KERNEL

namespace tf {
namespace scalar {
// Segmented non-causal attention (tf_segment_attention, HAT's encoder connector) for the query
// rows [r0, r1): query i, head h, sees the keys [key_begin[i], key_end[i]) of kv head
// h / (n_heads / n_kv_heads); scores (q·k)·scale in f32, softmax (f32, max-shifted), · v.
//   q, out [n_q, n_heads*head_dim]; k, v [n_k, n_kv_heads*head_dim]; arguments already checked.
// Only a scalar version: the connector runs one query per word over <= max_word_size keys.
void segment_attention_rows(const float* q, const float* k, const float* v, const int64_t* key_begin,
                            const int64_t* key_end, int32_t n_heads, int32_t n_kv_heads, int32_t head_dim,
                            float scale, float* out, int64_t r0, int64_t r1);
}  // namespace scalar
}  // namespace tf

namespace tf {

// The kernels of one SIMD level, so a C ABI function can pick once and call through.
struct KernelTable {
    decltype(&scalar::matmul_rows) matmul_rows;
    decltype(&scalar::matmul_rows_decode) matmul_rows_decode;
    decltype(&scalar::embed_cols) embed_cols;
    decltype(&scalar::sigmoid) sigmoid;
    decltype(&scalar::max_value) max_value;
    decltype(&scalar::exp_shifted_sum) exp_shifted_sum;
    decltype(&scalar::scale) scale;
    decltype(&scalar::quantize_rows) quantize_rows;
    decltype(&scalar::matmul_a8_rows) matmul_a8_rows;
    decltype(&scalar::segment_attention_rows) segment_attention_rows;
};

// The kernels of ctx->simd's level (kernels.cpp); with vnni (ctx->vnni, only meaningful at
// the AVX-512 level) the W8A8 dot products use vpdpbusd. Defined out of line in a scalar TU:
// an inline definition here would also be compiled into the SIMD TUs (see simd_local.h).
const KernelTable& kernels_for(int32_t simd, bool vnni = false);

}  // namespace tf
