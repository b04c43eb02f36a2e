package dev.tfree4j.engine;

import dev.tfree4j.io.DType;
import dev.tfree4j.bindings.tf_matrix;
import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A weight matrix in symmetric per-row int8 (docs/spec/atman-dtm.md §B.3): element (r, c) stands for
 * {@code data[r][c] * scales[r]}. The segments belong to whoever allocated them (an arena, or a
 * mapped file), which must outlive every native model this matrix is set on.
 *
 * @param data   rows × cols bytes
 * @param scales rows floats
 */
public record Int8Matrix(MemorySegment data, MemorySegment scales, long rows, long cols) {
    public Int8Matrix {
        if (data.byteSize() < rows * cols) throw new IllegalArgumentException("int8 data holds " + data.byteSize()
                + " bytes, a " + rows + " × " + cols + " matrix needs " + rows * cols);
        if (scales.byteSize() < rows * Float.BYTES) throw new IllegalArgumentException("scales hold "
                + scales.byteSize() / Float.BYTES + " floats, " + rows + " rows need one each");
    }

    /**
     * Quantizes a floating-point matrix (rows × cols elements of {@code dtype}) into memory from
     * {@code arena}: scale = max|row| / 127, values rounded to nearest (ties away from zero).
     * A NaN or infinite weight is a {@link NativeException} naming its row.
     */
    public static Int8Matrix quantize(NativeContext ctx, MemorySegment src, DType dtype, long rows, long cols,
                                      Arena arena) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("cannot quantize a " + dtype + " matrix (only float ones)");
        MemorySegment q = arena.allocate(Math.max(1, rows * cols), 64);
        MemorySegment scales = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, rows));
        try (Arena call = Arena.ofConfined()) {
            MemorySegment m = tf_matrix.allocate(call);
            tf_matrix.data(m, src);
            tf_matrix.scales(m, MemorySegment.NULL);
            tf_matrix.rows(m, rows);
            tf_matrix.cols(m, cols);
            tf_matrix.dtype(m, NativeModel.nativeDType(dtype));
            Native.check(tfree4j_h.tf_quantize_rows(ctx.handle(), m, q, scales), "tf_quantize_rows");
        }
        return new Int8Matrix(q, scales, rows, cols);
    }

    /** The value of element (r, c) as a float. */
    public float get(long r, long c) {
        return data.get(ValueLayout.JAVA_BYTE, r * cols + c) * scales.getAtIndex(ValueLayout.JAVA_FLOAT, r);
    }

    /** Sets this matrix as weight {@code name} of {@code model}. */
    public void setOn(NativeModel model, String name) {
        model.setWeight(name, data, DType.I8, rows, cols, scales);
    }
}
