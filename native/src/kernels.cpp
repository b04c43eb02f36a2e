// Kernel dispatch: the table of range kernels for a context's SIMD level.
#include "kernels.h"

namespace tf {

const KernelTable& kernels_for(int32_t simd, bool vnni) {
    static const KernelTable scalar_table{&scalar::matmul_rows,   &scalar::embed_cols,      &scalar::sigmoid,
                                          &scalar::max_value,     &scalar::exp_shifted_sum, &scalar::scale,
                                          &scalar::quantize_rows, &scalar::matmul_a8_rows};
#if defined(TFREE4J_X86)
    // x86-64 builds compile all three levels; the context never selects a level the CPU lacks.
    static const KernelTable avx2_table{&avx2::matmul_rows,   &avx2::embed_cols,      &avx2::sigmoid,
                                        &avx2::max_value,     &avx2::exp_shifted_sum, &avx2::scale,
                                        &avx2::quantize_rows, &avx2::matmul_a8_rows};
    static const KernelTable avx512_table{&avx512::matmul_rows,   &avx512::embed_cols,      &avx512::sigmoid,
                                          &avx512::max_value,     &avx512::exp_shifted_sum, &avx512::scale,
                                          &avx512::quantize_rows, &avx512::matmul_a8_rows};
    // The AVX-512 table with the vpdpbusd dot products (the context sets vnni only when the
    // CPU reports AVX512_VNNI).
    static const KernelTable avx512_vnni_table{&avx512::matmul_rows,   &avx512::embed_cols,
                                               &avx512::sigmoid,       &avx512::max_value,
                                               &avx512::exp_shifted_sum, &avx512::scale,
                                               &avx512::quantize_rows, &avx512vnni::matmul_a8_rows};
    if (simd >= TF_SIMD_AVX512) return vnni ? avx512_vnni_table : avx512_table;
    if (simd == TF_SIMD_AVX2) return avx2_table;
#else
    (void)vnni;
#endif
    return scalar_table;
}

}  // namespace tf
