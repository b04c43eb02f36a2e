// Force-included (g++ -include) into the AVX-512 kernel files by avx512_emulated_check.sh:
// maps the AVX-512 intrinsics onto SIMDe's portable emulation (Debian's libsimde-dev), adds
// the few SIMDe 0.7.4 lacks, and opens the files' compile-time guards, so the kernels run on
// a CPU without AVX-512.
#pragma once
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>

#include <cstdint>
#include <cstring>

// Intrinsics SIMDe 0.7.4 lacks, emulated lane by lane.
namespace emu {
namespace {
inline int32_t reduce_add_epi32(simde__m512i v) {
    int32_t a[16];
    simde_mm512_storeu_si512(a, v);
    uint32_t s = 0;
    for (int32_t x : a) s += uint32_t(x);  // wraps like the vector adds
    return int32_t(s);
}
inline float reduce_max_ps(simde__m512 v) {
    float a[16];
    simde_mm512_storeu_ps(a, v);
    float m = a[0];
    for (float x : a) m = x > m ? x : m;
    return m;
}
inline void mask_storeu_epi8(void* p, uint16_t mask, simde__m128i v) {
    int8_t a[16];
    simde_mm_storeu_si128(a, v);
    for (int k = 0; k < 16; ++k)
        if (mask >> k & 1) static_cast<int8_t*>(p)[k] = a[k];
}
inline simde__m256i maskz_loadu_epi16(uint16_t mask, const void* p) {
    uint16_t a[16] = {};
    for (int k = 0; k < 16; ++k)
        if (mask >> k & 1) std::memcpy(&a[k], static_cast<const uint16_t*>(p) + k, 2);
    return simde_mm256_loadu_si256(a);
}
inline simde__m512 maskz_loadu_ps(uint16_t mask, const float* p) {
    float a[16] = {};
    for (int k = 0; k < 16; ++k)
        if (mask >> k & 1) a[k] = p[k];
    return simde_mm512_loadu_ps(a);
}
inline simde__m512 cvtph_ps(simde__m256i h) {
    uint16_t a[16];
    simde_mm256_storeu_si256(a, h);
    float f[16];
    for (int k = 0; k < 16; ++k) f[k] = _cvtsh_ss(a[k]);  // F16C
    return simde_mm512_loadu_ps(f);
}
inline simde__m512i cvtepu16_epi32(simde__m256i h) {
    uint16_t a[16];
    simde_mm256_storeu_si256(a, h);
    int32_t r[16];
    for (int k = 0; k < 16; ++k) r[k] = a[k];
    return simde_mm512_loadu_si512(r);
}
inline simde__m512i cvttps_epi32(simde__m512 v) {
    float a[16];
    simde_mm512_storeu_ps(a, v);
    int32_t r[16];
    for (int k = 0; k < 16; ++k) r[k] = int32_t(a[k]);  // truncation; the kernels pass integers in range
    return simde_mm512_loadu_si512(r);
}
inline simde__m512 i32gather_ps(simde__m512i idx, const void* base, int scale) {
    int32_t i[16];
    simde_mm512_storeu_si512(i, idx);
    float r[16];
    for (int k = 0; k < 16; ++k) std::memcpy(&r[k], static_cast<const char*>(base) + int64_t(i[k]) * scale, 4);
    return simde_mm512_loadu_ps(r);
}
inline simde__m512 cvtepi32_ps(simde__m512i v) {
    int32_t a[16];
    simde_mm512_storeu_si512(a, v);
    float f[16];
    for (int k = 0; k < 16; ++k) f[k] = float(a[k]);  // round to nearest, as vcvtdq2ps
    return simde_mm512_loadu_ps(f);
}
}  // namespace
}  // namespace emu
// SIMDe 0.7.4 declares this alias with the wrong arity.
#undef _mm512_madd_epi16
#define _mm512_madd_epi16 simde_mm512_madd_epi16
// SIMDe expands imm8 unparenthesized in `imm8 >> 4`: (TO_ZERO | NO_EXC) would read as scale 3.
#undef _mm512_roundscale_ps
#define _mm512_roundscale_ps(a, imm8) simde_mm512_roundscale_ps(a, (imm8))
#define _mm512_reduce_add_epi32 emu::reduce_add_epi32
#define _mm512_reduce_max_ps emu::reduce_max_ps
#define _mm_mask_storeu_epi8 emu::mask_storeu_epi8
#define _mm256_maskz_loadu_epi16 emu::maskz_loadu_epi16
#define _mm512_maskz_loadu_ps emu::maskz_loadu_ps
#define _mm512_cvtph_ps emu::cvtph_ps
#define _mm512_cvtepu16_epi32 emu::cvtepu16_epi32
#define _mm512_cvttps_epi32 emu::cvttps_epi32
#undef _mm512_i32gather_ps
#define _mm512_i32gather_ps emu::i32gather_ps
#define _mm512_cvtepi32_ps emu::cvtepi32_ps

// Open the kernels' compile-time guards.
#define __AVX512F__ 1
#define __AVX512BW__ 1
#define __AVX512VL__ 1
#define __AVX512DQ__ 1
#define __AVX512VNNI__ 1
