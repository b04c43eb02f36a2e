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
// with ones (pairs of i16 → i32), add. 32 multiply-adds per chain and iteration. The empty asm
// tells the compiler `a` changes every iteration, so it cannot hoist the products out.
double i8_loop(int64_t iters) {
    constexpr int CHAINS = 4;
    __m256i acc[CHAINS], b[CHAINS];
    __m256i a = _mm256_set1_epi8(3);
    const __m256i ones = _mm256_set1_epi16(1);
    for (int k = 0; k < CHAINS; ++k) {
        acc[k] = _mm256_setzero_si256();
        b[k] = _mm256_set1_epi8(char(k - 2));
    }
    for (int64_t i = 0; i < iters; ++i) {
        asm volatile("" : "+x"(a));
        for (int k = 0; k < CHAINS; ++k) {
            acc[k] = _mm256_add_epi32(acc[k], _mm256_madd_epi16(_mm256_maddubs_epi16(a, b[k]), ones));
        }
    }
    __m256i s = acc[0];
    for (int k = 1; k < CHAINS; ++k) s = _mm256_add_epi32(s, acc[k]);
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

}  // namespace avx2
}  // namespace bench
#endif
