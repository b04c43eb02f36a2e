// Kernel dispatch: the table of range kernels for a context's SIMD level. Each level's table
// is filled field by field, by name: adding a kernel is one line per level here (after its
// declaration in kernels.h). The tables are constant-initialised (constexpr), so no code runs
// at load time.
#include "kernels.h"

namespace tf {
namespace {

constexpr KernelTable scalar_kernels() {
    KernelTable k{};
    k.matmul_rows = scalar::matmul_rows;
    k.matmul_rows_decode = scalar::matmul_rows_decode;
    k.embed_cols = scalar::embed_cols;
    k.sigmoid = scalar::sigmoid;
    k.max_value = scalar::max_value;
    k.exp_shifted_sum = scalar::exp_shifted_sum;
    k.scale = scalar::scale;
    k.quantize_rows = scalar::quantize_rows;
    k.matmul_a8_rows = scalar::matmul_a8_rows;
    k.segment_attention_rows = scalar::segment_attention_rows;
    return k;
}

#if defined(TFREE4J_X86)
// x86-64 builds compile all three levels; the context never selects a level the CPU lacks.
constexpr KernelTable avx2_kernels() {
    KernelTable k{};
    k.matmul_rows = avx2::matmul_rows;
    k.matmul_rows_decode = avx2::matmul_rows_decode;
    k.embed_cols = avx2::embed_cols;
    k.sigmoid = avx2::sigmoid;
    k.max_value = avx2::max_value;
    k.exp_shifted_sum = avx2::exp_shifted_sum;
    k.scale = avx2::scale;
    k.quantize_rows = avx2::quantize_rows;
    k.matmul_a8_rows = avx2::matmul_a8_rows;
    k.segment_attention_rows = scalar::segment_attention_rows;  // scalar only (see kernels.h)
    return k;
}

constexpr KernelTable avx512_kernels() {
    KernelTable k{};
    k.matmul_rows = avx512::matmul_rows;
    k.matmul_rows_decode = avx512::matmul_rows_decode;
    k.embed_cols = avx512::embed_cols;
    k.sigmoid = avx512::sigmoid;
    k.max_value = avx512::max_value;
    k.exp_shifted_sum = avx512::exp_shifted_sum;
    k.scale = avx512::scale;
    k.quantize_rows = avx512::quantize_rows;
    k.matmul_a8_rows = avx512::matmul_a8_rows;
    k.segment_attention_rows = scalar::segment_attention_rows;  // scalar only (see kernels.h)
    return k;
}

// The AVX-512 table with the vpdpbusd dot products (the context sets vnni only when the CPU
// reports AVX512_VNNI).
constexpr KernelTable avx512_vnni_kernels() {
    KernelTable k = avx512_kernels();
    k.matmul_a8_rows = avx512vnni::matmul_a8_rows;
    return k;
}
#endif

}  // namespace

const KernelTable& kernels_for(int32_t simd, bool vnni) {
    static constexpr KernelTable scalar_table = scalar_kernels();
#if defined(TFREE4J_X86)
    static constexpr KernelTable avx2_table = avx2_kernels();
    static constexpr KernelTable avx512_table = avx512_kernels();
    static constexpr KernelTable avx512_vnni_table = avx512_vnni_kernels();
    if (simd >= TF_SIMD_AVX512) return vnni ? avx512_vnni_table : avx512_table;
    if (simd == TF_SIMD_AVX2) return avx2_table;
#else
    (void)vnni;
#endif
    return scalar_table;
}

}  // namespace tf
