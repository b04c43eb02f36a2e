// Scalar dtype helpers shared by kernels, the model and the tests:
//   - bf16 / f16 <-> f32 conversions (exact widening; round-to-nearest-even narrowing),
//   - element sizes, overflow-checked size products,
//   - validation of a tf_matrix argument (the same checks and messages everywhere).
// Header-only and free of SIMD intrinsics. Include it from scalar translation units only:
// in a TU built with -mavx2/-mavx512f its inline functions would be compiled with those
// instructions and the linker may keep that copy for the whole library (see simd_local.h).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "status.h"
#include "tfree4j.h"

namespace tf {

inline float bits_to_f32(uint32_t b) {
    float f;
    std::memcpy(&f, &b, sizeof f);
    return f;
}

inline uint32_t f32_to_bits(float f) {
    uint32_t b;
    std::memcpy(&b, &f, sizeof b);
    return b;
}

// bfloat16 is the top half of a float32: widening is a 16-bit shift (exact, incl. inf/nan).
inline float bf16_to_f32(uint16_t h) { return bits_to_f32(uint32_t(h) << 16); }

// Round-to-nearest-even narrowing (NaN stays a quiet NaN). Used to make test data and
// by converters; kernels only ever widen.
inline uint16_t f32_to_bf16(float f) {
    uint32_t b = f32_to_bits(f);
    if ((b & 0x7fffffffu) > 0x7f800000u) return uint16_t((b >> 16) | 0x0040u);  // NaN
    b += 0x7fffu + ((b >> 16) & 1u);
    return uint16_t(b >> 16);
}

// IEEE binary16 -> float32, exact for every input: normals, subnormals (man * 2^-24),
// signed zeros, infinities; NaNs keep sign and payload with the quiet bit set (as F16C does).
inline float f16_to_f32(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1fu;
    const uint32_t man = h & 0x3ffu;
    if (exp == 0x1f) {
        return bits_to_f32(sign | 0x7f800000u | (man << 13) | (man ? 0x00400000u : 0u));
    }
    if (exp == 0) {
        // Zero or subnormal: man * 2^-24 is exact in float32 (man < 2^10).
        return bits_to_f32(sign | f32_to_bits(float(man) * 5.9604644775390625e-8f));
    }
    return bits_to_f32(sign | ((exp + 112u) << 23) | (man << 13));
}

// float32 -> IEEE binary16, round-to-nearest-even, overflow to inf, gradual underflow.
inline uint16_t f32_to_f16(float f) {
    const uint32_t b = f32_to_bits(f);
    const uint16_t sign = uint16_t((b >> 16) & 0x8000u);
    const uint32_t abs = b & 0x7fffffffu;
    if (abs > 0x7f800000u) return uint16_t(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));  // NaN
    if (abs >= 0x477ff000u) return uint16_t(sign | 0x7c00u);  // rounds to >= 65520: inf
    if (abs < 0x38800000u) {
        // Result is subnormal (or zero): value / 2^-24 rounded to an integer, ties to even.
        if (abs < 0x33000000u) return sign;  // < 2^-25: rounds to zero
        const uint32_t man = (abs & 0x7fffffu) | 0x800000u;
        const int shift = 126 - int(abs >> 23);  // 14 .. 24 for the remaining range
        uint32_t q = man >> shift;
        const uint32_t rem = man & ((1u << shift) - 1u);
        const uint32_t half = 1u << (shift - 1);
        if (rem > half || (rem == half && (q & 1u))) ++q;
        return uint16_t(sign | q);
    }
    uint32_t r = abs - 0x38000000u;  // rebias exponent 127 -> 15
    r += 0x0fffu + ((r >> 13) & 1u);
    return uint16_t(sign | (r >> 13));
}

// Element size in bytes of a tf_dtype, or 0 for an unknown value.
inline int64_t dtype_size(int32_t dtype) {
    switch (dtype) {
        case TF_DTYPE_F32: return 4;
        case TF_DTYPE_BF16: return 2;
        case TF_DTYPE_F16: return 2;
        case TF_DTYPE_I8: return 1;
        default: return 0;
    }
}

inline const char* dtype_name(int32_t dtype) {
    switch (dtype) {
        case TF_DTYPE_F32: return "f32";
        case TF_DTYPE_BF16: return "bf16";
        case TF_DTYPE_F16: return "f16";
        case TF_DTYPE_I8: return "i8";
        default: return "?";
    }
}

// a * b for non-negative a, b; false if the product (times elem_size bytes) does not fit
// in a ptrdiff_t, i.e. could not be the size of an object in memory.
inline bool mul_size(int64_t a, int64_t b, int64_t elem_size, int64_t* out) {
    int64_t n, bytes;
    if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &n) || __builtin_mul_overflow(n, elem_size, &bytes) ||
        bytes > int64_t(PTRDIFF_MAX)) {
        return false;
    }
    *out = n;
    return true;
}

// Validates a matrix argument of function fn (message prefix), called `name` in messages:
// non-NULL, rows/cols >= 0, known dtype, rows*cols addressable, data non-NULL when it has
// elements, scales non-NULL for I8 (rows > 0). Returns TF_OK or records the error.
inline tf_status check_matrix(const tf_matrix* w, const char* fn, const char* name) {
    const std::string p = std::string(fn) + ": " + name;
    if (!w) return fail(TF_ERR_INVALID_ARGUMENT, p + " is NULL");
    if (w->rows < 0 || w->cols < 0) {
        return fail(TF_ERR_INVALID_ARGUMENT, p + " has a negative shape [" + std::to_string(w->rows) + ", " +
                                                 std::to_string(w->cols) + "]");
    }
    const int64_t es = dtype_size(w->dtype);
    if (es == 0) return fail(TF_ERR_INVALID_ARGUMENT, p + ".dtype " + std::to_string(w->dtype) + " is not a tf_dtype");
    int64_t n = 0;
    if (!mul_size(w->rows, w->cols, es, &n)) {
        return fail(TF_ERR_INVALID_ARGUMENT, p + " shape [" + std::to_string(w->rows) + ", " +
                                                 std::to_string(w->cols) + "] overflows");
    }
    if (n > 0 && !w->data) return fail(TF_ERR_INVALID_ARGUMENT, p + ".data is NULL");
    if (w->dtype == TF_DTYPE_I8 && w->rows > 0 && !w->scales) {
        return fail(TF_ERR_INVALID_ARGUMENT, p + ".scales is NULL (required for dtype i8)");
    }
    return TF_OK;
}

// Scalar read of element i of a matrix's data as float (I8 without its row scale).
inline float load_as_f32(const void* data, int32_t dtype, int64_t i) {
    switch (dtype) {
        case TF_DTYPE_F32: return static_cast<const float*>(data)[i];
        case TF_DTYPE_BF16: return bf16_to_f32(static_cast<const uint16_t*>(data)[i]);
        case TF_DTYPE_F16: return f16_to_f32(static_cast<const uint16_t*>(data)[i]);
        default: return float(static_cast<const int8_t*>(data)[i]);
    }
}

}  // namespace tf
