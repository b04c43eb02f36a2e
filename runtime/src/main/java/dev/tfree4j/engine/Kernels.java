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
}
