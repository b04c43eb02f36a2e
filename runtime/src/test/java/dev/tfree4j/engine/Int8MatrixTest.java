package dev.tfree4j.engine;

import dev.tfree4j.io.DType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Int8Matrix#quantize} against a quantizer written here in Java (docs/spec/atman-dtm.md §B.3):
 * per row scale = max|v| / 127, q = the float quotient v / scale rounded half away from zero.
 */
class Int8MatrixTest {
    /** The expected quantization of one row: q into {@code q}, the scale returned. */
    static float quantizeRow(float[] v, int from, int cols, byte[] q) {
        float amax = 0f;
        for (int c = 0; c < cols; c++) amax = Math.max(amax, Math.abs(v[from + c]));
        float scale = amax / 127f;
        for (int c = 0; c < cols; c++) {
            double t = scale == 0f ? 0 : (double) (v[from + c] / scale);  // float division, as the contract
            double r = Math.copySign(Math.floor(Math.abs(t) + 0.5), t);   // half away from zero (exact in double)
            q[from + c] = (byte) Math.max(-127, Math.min(127, r));
        }
        return scale;
    }

    static float[] randomRows(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            float magnitude = (float) Math.scalb(1.0, rnd.nextInt(40) - 20);
            for (int c = 0; c < cols; c++) v[r * cols + c] = r == 2 ? 0f : (rnd.nextFloat() * 2 - 1) * magnitude;
        }
        return v;
    }

    static void assertQuantized(float[] values, int rows, int cols, Int8Matrix m) {
        byte[] wantQ = new byte[rows * cols];
        float[] wantScales = new float[rows];
        for (int r = 0; r < rows; r++) wantScales[r] = quantizeRow(values, r * cols, cols, wantQ);
        assertEquals(rows, m.rows());
        assertEquals(cols, m.cols());
        assertArrayEquals(wantQ, m.data().asSlice(0, (long) rows * cols).toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(wantScales, m.scales().asSlice(0, 4L * rows).toArray(ValueLayout.JAVA_FLOAT));
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float v = values[r * cols + c];
                assertEquals(wantQ[r * cols + c] * wantScales[r], m.get(r, c));
                // Round trip within half a step (plus the f32 quotient's rounding).
                assertTrue(Math.abs(v - (double) m.get(r, c)) <= wantScales[r] * (0.5 + 0x1p-16) + 1e-30,
                        "row " + r + " col " + c);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = NativeContext.Simd.class, names = {"SCALAR", "AUTO"})
    void quantizesF32RowsLikeTheJavaReference(NativeContext.Simd simd) {
        int rows = 6, cols = 37;  // 37: a SIMD tail at every level
        float[] values = randomRows(rows, cols, 42);
        try (NativeContext ctx = NativeContext.create(2, simd); Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocateFrom(ValueLayout.JAVA_FLOAT, values);
            assertQuantized(values, rows, cols, Int8Matrix.quantize(ctx, src, DType.F32, rows, cols, arena));
        }
    }

    @ParameterizedTest
    @EnumSource(value = NativeContext.Simd.class, names = {"SCALAR", "AUTO"})
    void quantizesBf16Rows(NativeContext.Simd simd) {
        int rows = 5, cols = 70;
        float[] values = randomRows(rows, cols, 7);
        short[] bf16 = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bf16[i] = (short) (Float.floatToRawIntBits(values[i]) >>> 16);  // truncation: an exact bf16 value
            values[i] = Float.intBitsToFloat(bf16[i] << 16);
        }
        try (NativeContext ctx = NativeContext.create(1, simd); Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocateFrom(ValueLayout.JAVA_SHORT, bf16);
            assertQuantized(values, rows, cols, Int8Matrix.quantize(ctx, src, DType.BF16, rows, cols, arena));
        }
    }

    @Test
    void tiesRoundAwayFromZero() {
        float[] row = {127f, 0.5f, -0.5f, 1.5f, -2.5f, 126.5f, Math.nextDown(0.5f), 0f};
        try (NativeContext ctx = NativeContext.createDefault(); Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocateFrom(ValueLayout.JAVA_FLOAT, row);
            Int8Matrix m = Int8Matrix.quantize(ctx, src, DType.F32, 1, row.length, arena);
            assertEquals(1f, m.scales().get(ValueLayout.JAVA_FLOAT, 0));
            assertArrayEquals(new byte[] {127, 1, -1, 2, -3, 127, 0, 0}, m.data().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void nonFiniteValueNamesItsRow() {
        float[] values = randomRows(4, 9, 3);
        values[2 * 9 + 4] = Float.NaN;
        values[3 * 9] = Float.POSITIVE_INFINITY;
        try (NativeContext ctx = NativeContext.createDefault(); Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocateFrom(ValueLayout.JAVA_FLOAT, values);
            NativeException e = assertThrows(NativeException.class,
                    () -> Int8Matrix.quantize(ctx, src, DType.F32, 4, 9, arena));
            assertTrue(e.getMessage().contains("row 2 holds a NaN or infinite value"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> Int8Matrix.quantize(ctx, src, DType.I8, 4, 9, arena));
        }
    }
}
