package dev.tfree4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class TensorTest {
    private static MemorySegment bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return MemorySegment.ofArray(out);
    }

    @Test
    void widensHalfTypesExactly() {
        // bf16 0x3FC0 = 1.5, 0xC080 = -4.0 (little-endian bytes)
        Tensor bf = new Tensor("bf", DType.BF16, new long[] {2}, bytes(0xC0, 0x3F, 0x80, 0xC0));
        assertArrayEquals(new float[] {1.5f, -4f}, bf.toFloatArray());
        // f16 0x3C00 = 1.0, 0x7BFF = 65504 (max half), 0x0001 = 2^-24 (smallest subnormal)
        Tensor h = new Tensor("h", DType.F16, new long[] {3}, bytes(0x00, 0x3C, 0xFF, 0x7B, 0x01, 0x00));
        assertArrayEquals(new float[] {1f, 65504f, 0x1p-24f}, h.toFloatArray());
    }

    @Test
    void integerTypes() {
        Tensor i8 = new Tensor("i8", DType.I8, new long[] {2}, bytes(0xFF, 0x7F));
        assertArrayEquals(new long[] {-1, 127}, i8.toLongArray());
        Tensor u8 = new Tensor("u8", DType.U8, new long[] {2}, bytes(0xFF, 0x7F));
        assertArrayEquals(new long[] {255, 127}, u8.toLongArray());
        Tensor i32 = new Tensor("i32", DType.I32, new long[] {1, 1}, bytes(0xFE, 0xFF, 0xFF, 0xFF));
        assertEquals(-2, i32.getLong(0));
        assertEquals(-2f, i32.getFloat(0));
        Tensor f = new Tensor("f", DType.F32, new long[] {1}, bytes(0, 0, 0x80, 0x3F));
        assertThrows(IllegalStateException.class, () -> f.getLong(0));
        assertThrows(IndexOutOfBoundsException.class, () -> f.getFloat(1));
    }

    @Test
    void shapeMustMatchDataAndIsCopied() {
        assertThrows(IllegalArgumentException.class, () -> new Tensor("x", DType.F32, new long[] {3}, bytes(0, 0, 0, 0)));
        long[] shape = {1};
        Tensor t = new Tensor("x", DType.F32, shape, bytes(0, 0, 0, 0));
        shape[0] = 5;
        t.shape()[0] = 6;
        assertArrayEquals(new long[] {1}, t.shape());
        assertTrue(t.data().isReadOnly());
        assertEquals(DType.BF16, DType.ofStorageName("BFloat16Storage").orElseThrow());
        assertTrue(DType.ofStorageName("DoubleStorage").isEmpty());
    }
}
