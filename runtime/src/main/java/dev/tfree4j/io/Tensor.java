package dev.tfree4j.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense, C-contiguous (row-major), little-endian tensor whose {@code data} is exactly its
 * bytes — for checkpoint tensors a read-only slice of the memory-mapped file, so large weights
 * are never copied onto the Java heap.
 *
 * <p>The element accessors are for tests, small tensors and validation; hot loops should use
 * {@code data} directly (or hand it to native code).
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data) {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Checks that {@code data} holds exactly {@code product(shape) * dtype.byteSize()} bytes. */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        if (data.byteSize() != Math.multiplyExact(n, (long) dtype.byteSize())) {
            throw new IllegalArgumentException("tensor " + name + ": " + data.byteSize() + " bytes do not hold "
                    + dtype + Arrays.toString(shape));
        }
        data = data.asReadOnly();
    }

    /** A copy of the shape (the record keeps its own). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    /** Number of elements. */
    public long numel() {
        return data.byteSize() / dtype.byteSize();
    }

    public boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }

    public Tensor withName(String newName) {
        return new Tensor(newName, dtype, shape, data);
    }

    /** Element {@code index} (flat, row-major) widened to float: bf16/f16 exactly, integers as by a cast. */
    public float getFloat(long index) {
        Objects.checkIndex(index, numel());
        return switch (dtype) {
            case F32 -> data.get(F32, index * 4);
            case BF16 -> Float.intBitsToFloat((data.get(I16, index * 2) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(data.get(I16, index * 2));
            default -> (float) getLong(index);
        };
    }

    /** Element {@code index} of an integer or bool tensor (bool as 0/1, u8 unsigned). */
    public long getLong(long index) {
        Objects.checkIndex(index, numel());
        return switch (dtype) {
            case I64 -> data.get(I64, index * 8);
            case I32 -> data.get(I32, index * 4);
            case I8 -> data.get(ValueLayout.JAVA_BYTE, index);
            case U8, BOOL -> Byte.toUnsignedLong(data.get(ValueLayout.JAVA_BYTE, index));
            default -> throw new IllegalStateException("tensor " + name + " is " + dtype + ", not an integer tensor");
        };
    }

    /** All elements widened to float, for small tensors. */
    public float[] toFloatArray() {
        float[] out = new float[heapLength()];
        if (dtype == DType.F32) {
            MemorySegment.copy(data, F32, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) out[i] = getFloat(i);
        }
        return out;
    }

    /** All elements of an integer or bool tensor, for small tensors. */
    public long[] toLongArray() {
        long[] out = new long[heapLength()];
        if (dtype == DType.I64) {
            MemorySegment.copy(data, I64, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) out[i] = getLong(i);
        }
        return out;
    }

    private int heapLength() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor " + name + " has " + n + " elements, too many for a Java array");
        }
        return (int) n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
