package dev.tfree4j.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.io.DType;
import dev.tfree4j.io.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** f32 → bf16 rounding on hand-computed bit patterns, and exact widening. */
class WeightCastTest {
    private static short bf16(int floatBits) {
        return WeightCast.toBf16(Float.intBitsToFloat(floatBits));
    }

    @Test
    void roundsToNearestTiesToEven() {
        assertEquals((short) 0x3F80, bf16(0x3F800000), "1.0 exactly");
        assertEquals((short) 0x3F80, bf16(0x3F807FFF), "just below half: down");
        assertEquals((short) 0x3F81, bf16(0x3F808001), "just above half: up");
        assertEquals((short) 0x3F80, bf16(0x3F808000), "tie, even below: down");
        assertEquals((short) 0x3F82, bf16(0x3F818000), "tie, odd below: up to even");
        assertEquals((short) 0xBF82, bf16(0xBF818000), "negative tie: same magnitude rule");
        assertEquals((short) 0x7F80, bf16(0x7F7FFFFF), "largest float overflows to +inf");
        assertEquals((short) 0x7F80, bf16(0x7F800000), "+inf stays");
        assertEquals((short) 0x0000, bf16(0x00000001), "smallest subnormal rounds to +0");
        short nan = bf16(0x7F800001); // a signalling NaN whose payload would vanish if truncated
        assertTrue(Float.isNaN(Float.intBitsToFloat(nan << 16)), "NaN stays NaN");
    }

    @Test
    void widensExactlyAndNarrowsAsToBf16() {
        try (Arena arena = Arena.ofConfined()) {
            short[] bits = {0x3F80, (short) 0xC040, 0x0001, 0x7F80, (short) 0x8000};
            Tensor bf = new Tensor("w", DType.BF16, new long[] {5}, arena.allocateFrom(ValueLayout.JAVA_SHORT, bits));
            MemorySegment f32 = WeightCast.cast(bf, DType.F32, arena);
            float[] widened = f32.toArray(ValueLayout.JAVA_FLOAT);
            for (int i = 0; i < bits.length; i++) assertEquals(Float.intBitsToFloat(bits[i] << 16), widened[i]);

            Tensor f = new Tensor("w", DType.F32, new long[] {5}, f32);
            assertArrayEquals(bits, WeightCast.cast(f, DType.BF16, arena).toArray(ValueLayout.JAVA_SHORT), "bf16 → f32 → bf16");

            Tensor half = new Tensor("h", DType.F16, new long[] {2},
                    arena.allocateFrom(ValueLayout.JAVA_SHORT, Float.floatToFloat16(0.5f), Float.floatToFloat16(-3f)));
            assertArrayEquals(new float[] {0.5f, -3f}, WeightCast.cast(half, DType.F32, arena).toArray(ValueLayout.JAVA_FLOAT));
        }
    }
}
