package dev.tfree4j.engine;

import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.MemorySegment;

/** Stand-alone native kernels the runtime calls outside a model forward. */
public final class Kernels {
    private Kernels() {}

    /** out[n] = softmax(x[n]); out may alias x. */
    public static void softmax(NativeContext ctx, MemorySegment x, long n, MemorySegment out) {
        Native.check(tfree4j_h.tf_softmax(ctx.handle(), x, n, out), "tf_softmax");
    }

    /** y[m, w.rows] = x[m, w.cols] · wᵀ for a weight tensor w (2-D, or a vector as one row). */
    public static void matmul(NativeContext ctx, MemorySegment x, long m, dev.tfree4j.io.Tensor w, MemorySegment y) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Native.check(tfree4j_h.tf_matmul(ctx.handle(), x, m, NativeStack.matrix(arena, w), y), "tf_matmul(" + w.name() + ")");
        }
    }

    /**
     * Segmented non-causal attention (HAT's encoder connector): query i [of nQ] sees keys
     * [keyBegin[i], keyEnd[i]) of k, v [nK, kvHeads × headDim]; out [nQ, heads × headDim].
     */
    public static void segmentAttention(NativeContext ctx, MemorySegment q, long nQ, MemorySegment k, MemorySegment v,
                                        long nK, MemorySegment keyBegin, MemorySegment keyEnd, int heads, int kvHeads,
                                        int headDim, MemorySegment out) {
        Native.check(tfree4j_h.tf_segment_attention(ctx.handle(), q, nQ, k, v, nK, keyBegin, keyEnd, heads, kvHeads,
                headDim, out), "tf_segment_attention");
    }
}
