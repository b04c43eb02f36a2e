package dev.tfree4j.convert;

import dev.tfree4j.io.DType;
import dev.tfree4j.io.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Converts floating-point weights between f32, bf16 and f16 storage (for {@code --dtype}).
 * Widening to f32 is exact; narrowing to bf16 rounds to nearest, ties to even, as torch's
 * {@code .to(torch.bfloat16)} does (NaN stays NaN, overflow becomes infinity).
 */
final class WeightCast {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private WeightCast() {}

    /** The elements of {@code src} stored as {@code to} (F32 or BF16), in memory from {@code arena}. */
    static MemorySegment cast(Tensor src, DType to, Arena arena) {
        if (to != DType.F32 && to != DType.BF16) throw new IllegalArgumentException("cannot cast to " + to);
        if (!src.dtype().isFloatingPoint()) throw new IllegalArgumentException(src + " is not floating point");
        long n = src.numel();
        MemorySegment out = arena.allocate(Math.max(1, n * to.byteSize()), 64).asSlice(0, n * to.byteSize());
        MemorySegment in = src.data();
        for (long i = 0; i < n; i++) {
            float v = switch (src.dtype()) {
                case F32 -> in.get(F32, i * 4);
                case BF16 -> Float.intBitsToFloat((in.get(I16, i * 2) & 0xFFFF) << 16);
                default -> Float.float16ToFloat(in.get(I16, i * 2));
            };
            if (to == DType.F32) {
                out.set(F32, i * 4, v);
            } else {
                out.set(I16, i * 2, toBf16(v));
            }
        }
        return out;
    }

    /** The bf16 bits nearest to {@code v} (ties to even); a NaN gives a quiet NaN. */
    static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x0040);
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
