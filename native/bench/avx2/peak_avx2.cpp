// AVX2 + FMA loops for the machine limits (see peak_loops.h).
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

#include "peak_loops.h"

namespace bench {
namespace avx2 {
namespace {

inline double hsum_ps(__m256 v) {
    alignas(32) float f[8];
    _mm256_store_ps(f, v);
    double s = 0;
    for (float x : f) s += x;
    return s;
}

inline double hsum_epi32(__m256i v) {
    alignas(32) int32_t f[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(f), v);
    double s = 0;
    for (int32_t x : f) s += x;
    return s;
}

// 12 independent multiply-add chains: more than FMA latency × FMA ports on current x86 cores
// (4 × 2), so the loop runs at the FMA throughput.
double fma_loop(int64_t iters) {
    constexpr int CHAINS = 12;
    __m256 acc[CHAINS];
    for (int k = 0; k < CHAINS; ++k) acc[k] = _mm256_set1_ps(0.001f * float(k + 1));
    const __m256 m = _mm256_set1_ps(0.9999999f), c = _mm256_set1_ps(1e-7f);
    for (int64_t i = 0; i < iters; ++i) {
        for (int k = 0; k < CHAINS; ++k) acc[k] = _mm256_fmadd_ps(acc[k], m, c);
    }
    __m256 s = acc[0];
    for (int k = 1; k < CHAINS; ++k) s = _mm256_add_ps(s, acc[k]);
    return hsum_ps(s);
}

// The int8 dot-product idiom without VNNI: maddubs (u8 × s8 → pairs summed to i16), madd
// with ones (pairs of i16 → i32), add. 4 chains × 32 multiply-adds per iteration. In asm:
// written with intrinsics and a factor of 0 in one chain, GCC folded that chain away while
// ops_per_iteration still counted it, which overstated this peak by 4/3 (fixed 2026-11-23).
double i8_loop(int64_t iters) {
    __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0, t0, t1;
    __m256i a = _mm256_set1_epi8(3);
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256i b0 = _mm256_set1_epi8(-3), b1 = _mm256_set1_epi8(-1), b2 = _mm256_set1_epi8(2),
                  b3 = _mm256_set1_epi8(5);
    for (int64_t i = 0; i < iters; ++i) {
        // AT&T operand order: vpmaddubsw b, a, t is t = maddubs(a unsigned, b signed).
        asm volatile(
            "vpmaddubsw %[b0], %[a], %[t0]\n\t"
            "vpmaddwd %[ones], %[t0], %[t0]\n\t"
            "vpaddd %[t0], %[c0], %[c0]\n\t"
            "vpmaddubsw %[b1], %[a], %[t1]\n\t"
            "vpmaddwd %[ones], %[t1], %[t1]\n\t"
            "vpaddd %[t1], %[c1], %[c1]\n\t"
            "vpmaddubsw %[b2], %[a], %[t0]\n\t"
            "vpmaddwd %[ones], %[t0], %[t0]\n\t"
            "vpaddd %[t0], %[c2], %[c2]\n\t"
            "vpmaddubsw %[b3], %[a], %[t1]\n\t"
            "vpmaddwd %[ones], %[t1], %[t1]\n\t"
            "vpaddd %[t1], %[c3], %[c3]"
            : [c0] "+x"(c0), [c1] "+x"(c1), [c2] "+x"(c2), [c3] "+x"(c3), [t0] "=&x"(t0), [t1] "=&x"(t1),
              [a] "+x"(a)
            : [b0] "x"(b0), [b1] "x"(b1), [b2] "x"(b2), [b3] "x"(b3), [ones] "x"(ones));
    }
    return hsum_epi32(_mm256_add_epi32(_mm256_add_epi32(c0, c1), _mm256_add_epi32(c2, c3)));
}

// The exact product of the AVX2 prefill GEMM (src/avx2/gemm_a8_avx2.cpp): int8 widened to
// int16, vpmaddwd (16 multiply-adds, each pair summed into an int32 lane exactly) + vpaddd.
// The idiom above saturates its int16 pair sums for s8 x s8 operands, and making it exact costs
// one more op per product, so an exact AVX2 int8 GEMM is bounded by this loop, not by i8_loop.
// Six chains, written in asm: from intrinsics GCC 12 spills the factors to the stack and adds
// a register move per chain, which this loop would then measure too. Only the adds depend
// on the previous iteration; no factor is 0, so no product can be folded away.
double i8_exact_loop(int64_t iters) {
    __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, t0, t1;
    __m256i a = _mm256_set1_epi16(3);
    const __m256i b0 = _mm256_set1_epi16(-7), b1 = _mm256_set1_epi16(-5), b2 = _mm256_set1_epi16(-3),
                  b3 = _mm256_set1_epi16(2), b4 = _mm256_set1_epi16(4), b5 = _mm256_set1_epi16(6);
    for (int64_t i = 0; i < iters; ++i) {
        // AT&T operand order: vpmaddwd b, a, t is t = madd(a, b).
        asm volatile(
            "vpmaddwd %[b0], %[a], %[t0]\n\t"
            "vpaddd %[t0], %[c0], %[c0]\n\t"
            "vpmaddwd %[b1], %[a], %[t1]\n\t"
            "vpaddd %[t1], %[c1], %[c1]\n\t"
            "vpmaddwd %[b2], %[a], %[t0]\n\t"
            "vpaddd %[t0], %[c2], %[c2]\n\t"
            "vpmaddwd %[b3], %[a], %[t1]\n\t"
            "vpaddd %[t1], %[c3], %[c3]\n\t"
            "vpmaddwd %[b4], %[a], %[t0]\n\t"
            "vpaddd %[t0], %[c4], %[c4]\n\t"
            "vpmaddwd %[b5], %[a], %[t1]\n\t"
            "vpaddd %[t1], %[c5], %[c5]"
            : [c0] "+x"(c0), [c1] "+x"(c1), [c2] "+x"(c2), [c3] "+x"(c3), [c4] "+x"(c4), [c5] "+x"(c5),
              [t0] "=&x"(t0), [t1] "=&x"(t1), [a] "+x"(a)
            : [b0] "x"(b0), [b1] "x"(b1), [b2] "x"(b2), [b3] "x"(b3), [b4] "x"(b4), [b5] "x"(b5));
    }
    const __m256i s = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(c0, c1), _mm256_add_epi32(c2, c3)),
                                       _mm256_add_epi32(c4, c5));
    return hsum_epi32(s);
}

}  // namespace

uint64_t read_sum(const void* data, size_t bytes) {
    const __m256i* p = static_cast<const __m256i*>(data);
    const size_t n = bytes / 32;
    __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0, s3 = s0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 = _mm256_add_epi64(s0, _mm256_load_si256(p + i));
        s1 = _mm256_add_epi64(s1, _mm256_load_si256(p + i + 1));
        s2 = _mm256_add_epi64(s2, _mm256_load_si256(p + i + 2));
        s3 = _mm256_add_epi64(s3, _mm256_load_si256(p + i + 3));
    }
    for (; i < n; ++i) s0 = _mm256_add_epi64(s0, _mm256_load_si256(p + i));
    const __m256i s = _mm256_add_epi64(_mm256_add_epi64(s0, s1), _mm256_add_epi64(s2, s3));
    alignas(32) uint64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), s);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

const PeakLoop f32_fma = {fma_loop, 12.0 * 8 * 2, "avx2: 12 independent FMA chains x 8 f32 lanes"};
const PeakLoop i8_dot = {i8_loop, 4.0 * 32 * 2, "avx2: maddubs+madd+add, 4 chains x 32 int8 MACs"};
const PeakLoop i8_exact = {i8_exact_loop, 6.0 * 16 * 2, "avx2: int16 madd+add, 6 chains x 16 int8 MACs"};

}  // namespace avx2
}  // namespace bench
#endif
