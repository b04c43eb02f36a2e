package dev.tfree4j.model;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Finds NaN and infinite weights ({@code ModelOptions.withWeightCheck(true)}). Off by default:
 * it reads every byte of the checkpoint once, which for a large mapped model means paging it
 * all in at load time. A value is NaN or infinite exactly when all its exponent bits are set,
 * so the scan tests bits and never converts: per element one load, one AND, one compare.
 */
public final class WeightCheck {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private WeightCheck() {}

    /** Checks every weight and every int8 weight's scales. */
    public static void requireFinite(ModelWeights weights) {
        List<Tensor> tensors = new ArrayList<>();
        for (ModelWeights.Weight w : weights.weights().values()) {
            tensors.add(w.data());
            if (w.scales() != null) tensors.add(w.scales());
        }
        requireFinite(tensors, weights.file());
    }

    /** @throws ModelFormatException naming the file, the tensor, the element (flat and as indices) and its value */
    public static void requireFinite(Collection<Tensor> tensors, Path file) {
        for (Tensor t : tensors) {
            long bad = firstNonFinite(t);
            if (bad >= 0) {
                float v = t.getFloat(bad);
                throw new ModelFormatException(file, "tensor " + t.name() + " " + t.dtype() + Arrays.toString(t.shape())
                        + " holds " + v + " at element " + bad + " (index " + Arrays.toString(indices(t.shape(), bad))
                        + "); weights must be finite");
            }
        }
    }

    /** Flat index of the first NaN or infinity in a floating-point tensor, or -1 (also for integer tensors). */
    static long firstNonFinite(Tensor t) {
        MemorySegment d = t.data();
        long n = t.numel();
        switch (t.dtype()) {
            case F32 -> {
                for (long i = 0; i < n; i++) if ((d.get(U32, i * 4) & 0x7F800000) == 0x7F800000) return i;
            }
            case BF16 -> {
                for (long i = 0; i < n; i++) if ((d.get(U16, i * 2) & 0x7F80) == 0x7F80) return i;
            }
            case F16 -> {
                for (long i = 0; i < n; i++) if ((d.get(U16, i * 2) & 0x7C00) == 0x7C00) return i;
            }
            default -> { }
        }
        return -1;
    }

    /** Row-major indices of flat element {@code flat}. */
    static long[] indices(long[] shape, long flat) {
        long[] idx = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }
}
