// AVX-512 loops for the machine limits (see peak_loops.h). Compiled, but not run on the
// development machine (no AVX-512 there): the numbers they give have not been checked.
#if defined(__AVX512F__) && defined(__AVX512BW__)
#include <immintrin.h>

#include "peak_loops.h"

namespace bench {
namespace avx512 {
namespace {

// Horizontal sums through memory (GCC 12's _mm512_reduce_* warn about uninitialised values).
inline double hsum_ps(__m512 v) {
    alignas(64) float f[16];
    _mm512_store_ps(f, v);
    double s = 0;
    for (float x : f) s += x;
    return s;
}

inline double hsum_epi32(__m512i v) {
    alignas(64) int32_t f[16];
    _mm512_store_si512(f, v);
    double s = 0;
    for (int32_t x : f) s += x;
    return s;
}

// 16 independent multiply-add chains of 16 lanes (>= FMA latency × ports).
double fma_loop(int64_t iters) {
    constexpr int CHAINS = 16;
    __m512 acc[CHAINS];
    for (int k = 0; k < CHAINS; ++k) acc[k] = _mm512_set1_ps(0.001f * float(k + 1));
    const __m512 m = _mm512_set1_ps(0.9999999f), c = _mm512_set1_ps(1e-7f);
    for (int64_t i = 0; i < iters; ++i) {
        for (int k = 0; k < CHAINS; ++k) acc[k] = _mm512_fmadd_ps(acc[k], m, c);
    }
    __m512 s = acc[0];
    for (int k = 1; k < CHAINS; ++k) s = _mm512_add_ps(s, acc[k]);
    return hsum_ps(s);
}

#if defined(__AVX512VNNI__)
// vpdpbusd: 64 u8 × s8 multiply-adds into 16 i32 lanes per instruction; 12 chains cover its
// latency (5) × ports (2).
double vnni_loop(int64_t iters) {
    constexpr int CHAINS = 12;
    __m512i acc[CHAINS];
    const __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
    // Distinct starting values, so that no two chains are the same computation to merge.
    for (int k = 0; k < CHAINS; ++k) acc[k] = _mm512_set1_epi32(k);
    for (int64_t i = 0; i < iters; ++i) {
        for (int k = 0; k < CHAINS; ++k) acc[k] = _mm512_dpbusd_epi32(acc[k], a, b);
    }
    __m512i s = acc[0];
    for (int k = 1; k < CHAINS; ++k) s = _mm512_add_epi32(s, acc[k]);
    return hsum_epi32(s);
}
#endif

// Without VNNI: maddubs + madd(ones) + add, as in the AVX2 loop, 64 multiply-adds per chain.
double i8_loop(int64_t iters) {
    constexpr int CHAINS = 4;
    __m512i acc[CHAINS], b[CHAINS];
    __m512i a = _mm512_set1_epi8(3);
    const __m512i ones = _mm512_set1_epi16(1);
    for (int k = 0; k < CHAINS; ++k) {
        acc[k] = _mm512_setzero_si512();
        b[k] = _mm512_set1_epi8(char(k - 5));  // never 0: a zero factor lets the compiler drop a chain
    }
    for (int64_t i = 0; i < iters; ++i) {
        asm volatile("" : "+v"(a));
        for (int k = 0; k < CHAINS; ++k) {
            acc[k] = _mm512_add_epi32(acc[k], _mm512_madd_epi16(_mm512_maddubs_epi16(a, b[k]), ones));
        }
    }
    __m512i s = acc[0];
    for (int k = 1; k < CHAINS; ++k) s = _mm512_add_epi32(s, acc[k]);
    return hsum_epi32(s);
}

// The exact product of the AVX-512BW prefill GEMM (int16 vpmaddwd + vpaddd), as the AVX2
// loop of the same name (32 registers: room for 8 chains). 8 chains x 32 multiply-adds.
double i8_exact_loop(int64_t iters) {
    constexpr int CHAINS = 8;
    __m512i acc[CHAINS], b[CHAINS];
    __m512i a = _mm512_set1_epi16(3);
    for (int k = 0; k < CHAINS; ++k) {
        acc[k] = _mm512_setzero_si512();
        b[k] = _mm512_set1_epi16(short(k - 9));
    }
    for (int64_t i = 0; i < iters; ++i) {
        asm volatile("" : "+v"(a));
        for (int k = 0; k < CHAINS; ++k) acc[k] = _mm512_add_epi32(acc[k], _mm512_madd_epi16(a, b[k]));
    }
    __m512i s = acc[0];
    for (int k = 1; k < CHAINS; ++k) s = _mm512_add_epi32(s, acc[k]);
    return hsum_epi32(s);
}

}  // namespace

uint64_t read_sum(const void* data, size_t bytes) {
    const __m512i* p = static_cast<const __m512i*>(data);
    const size_t n = bytes / 64;
    __m512i s0 = _mm512_setzero_si512(), s1 = s0, s2 = s0, s3 = s0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 = _mm512_add_epi64(s0, _mm512_load_si512(p + i));
        s1 = _mm512_add_epi64(s1, _mm512_load_si512(p + i + 1));
        s2 = _mm512_add_epi64(s2, _mm512_load_si512(p + i + 2));
        s3 = _mm512_add_epi64(s3, _mm512_load_si512(p + i + 3));
    }
    for (; i < n; ++i) s0 = _mm512_add_epi64(s0, _mm512_load_si512(p + i));
    alignas(64) uint64_t lanes[8];
    _mm512_store_si512(lanes, _mm512_add_epi64(_mm512_add_epi64(s0, s1), _mm512_add_epi64(s2, s3)));
    uint64_t sum = 0;
    for (uint64_t x : lanes) sum += x;
    return sum;
}

const PeakLoop f32_fma = {fma_loop, 16.0 * 16 * 2, "avx512: 16 independent FMA chains x 16 f32 lanes"};
#if defined(__AVX512VNNI__)
const PeakLoop i8_dot_vnni = {vnni_loop, 12.0 * 64 * 2, "avx512-vnni: vpdpbusd, 12 chains x 64 int8 MACs"};
#else
const PeakLoop i8_dot_vnni = {nullptr, 0, "avx512-vnni: not compiled"};
#endif
const PeakLoop i8_dot = {i8_loop, 4.0 * 64 * 2, "avx512bw: maddubs+madd+add, 4 chains x 64 int8 MACs"};
const PeakLoop i8_exact = {i8_exact_loop, 8.0 * 32 * 2, "avx512bw: int16 madd+add, 8 chains x 32 int8 MACs"};

}  // namespace avx512
}  // namespace bench
#endif
