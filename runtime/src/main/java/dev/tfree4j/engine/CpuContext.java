package dev.tfree4j.engine;

import dev.tfree4j.bindings.tf_context_params;
import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The native execution context: a thread pool and the SIMD level the kernels use. One context
 * is usually shared by every model of a process; it is safe to use from several threads.
 */
public final class CpuContext implements AutoCloseable {
    /** SIMD levels, as in tf_simd. */
    public enum Simd { AUTO, SCALAR, AVX2, AVX512;
        int code() { return ordinal() - 1; }
        static Simd of(int code) { return values()[code + 1]; }
    }

    private MemorySegment handle;

    private CpuContext(MemorySegment handle) {
        this.handle = handle;
    }

    /** A context with {@code threads} threads (0 = physical cores) at the given SIMD level. */
    public static CpuContext create(int threads, Simd simd) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = physical cores), got " + threads);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = tf_context_params.allocate(arena);
            tfree4j_h.tf_context_params_init(params);
            tf_context_params.n_threads(params, threads);
            tf_context_params.simd(params, simd.code());
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Native.check(tfree4j_h.tf_context_create(params, out), "tf_context_create");
            return new CpuContext(Native.handle(out));
        }
    }

    public static CpuContext createDefault() {
        return create(0, Simd.AUTO);
    }

    /** The best SIMD level of this CPU (and build). */
    public static Simd bestSimd() {
        return Simd.of(tfree4j_h.tf_cpu_best_simd());
    }

    public Simd simd() {
        return Simd.of(tfree4j_h.tf_context_simd(handle()));
    }

    public int threads() {
        return tfree4j_h.tf_context_threads(handle());
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("context is closed");
        return handle;
    }

    @Override
    public synchronized void close() {
        if (handle != null) {
            tfree4j_h.tf_context_free(handle);
            handle = null;
        }
    }
}
