// The inner loops that measure this machine's limits (machine_limits.cpp), one set per SIMD
// level, in translation units compiled with that level's flags (bench/avx2, bench/avx512).
// Each loop returns a value derived from all its work so the compiler cannot drop it.
#pragma once
#include <cstddef>
#include <cstdint>

namespace bench {

// Operations one call of a peak loop performs per iteration (2 per multiply-add).
struct PeakLoop {
    double (*run)(int64_t iterations);  // returns a checksum
    double ops_per_iteration;
    const char* how;                    // e.g. "avx2: 12 independent FMA chains x 8 f32 lanes"
};

namespace scalar {
uint64_t read_sum(const void* data, size_t bytes);  // bytes a multiple of 64, data 64-aligned
}
namespace avx2 {
uint64_t read_sum(const void* data, size_t bytes);
extern const PeakLoop f32_fma;
extern const PeakLoop i8_dot;
extern const PeakLoop i8_exact;  // the exact int16 product of the prefill GEMM
}  // namespace avx2
namespace avx512 {
uint64_t read_sum(const void* data, size_t bytes);
extern const PeakLoop f32_fma;
extern const PeakLoop i8_dot_vnni;  // needs AVX512-VNNI
extern const PeakLoop i8_dot;       // AVX512-BW maddubs + madd
extern const PeakLoop i8_exact;     // AVX512-BW int16 madd + add, the prefill GEMM's product
}  // namespace avx512

}  // namespace bench
