package dev.tfree4j.engine;

import dev.tfree4j.Device;
import dev.tfree4j.bindings.tf_context_params;
import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The native execution context: a thread pool and the SIMD level the kernels use, and the
 * device they run on (the CPU, or a CUDA GPU through libtfree4j's CUDA plugin: same API, host
 * pointers in and out). One context is usually shared by every model of a process; it is safe
 * to use from several threads.
 */
public final class NativeContext implements AutoCloseable {
    /** SIMD levels, as in tf_simd. */
    public enum Simd { AUTO, SCALAR, AVX2, AVX512;
        int code() { return ordinal() - 1; }
        static Simd of(int code) { return values()[code + 1]; }
    }

    private MemorySegment handle;
    /** The CUDA ordinal asked for (the native API reports the backend, not the ordinal). */
    private final int cudaOrdinal;

    private NativeContext(MemorySegment handle, int device) {
        this.handle = handle;
        this.cudaOrdinal = device;
    }

    /** A CPU context with {@code threads} threads (0 = physical cores) at the given SIMD level. */
    public static NativeContext create(int threads, Simd simd) {
        return create(threads, simd, Device.cpu());
    }

    /**
     * A context on {@code device}; a CUDA device is checked first ({@link Device#requireAvailable()}),
     * so what cannot be met is a {@link dev.tfree4j.DeviceUnavailableException} naming why.
     */
    public static NativeContext create(int threads, Simd simd, Device device) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = physical cores), got " + threads);
        device.requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = tf_context_params.allocate(arena);
            tfree4j_h.tf_context_params_init(params);
            tf_context_params.n_threads(params, threads);
            tf_context_params.simd(params, simd.code());
            tf_context_params.backend(params, device.isCuda() ? tfree4j_h.TF_BACKEND_CUDA() : tfree4j_h.TF_BACKEND_CPU());
            tf_context_params.device(params, device.ordinal());
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Native.check(tfree4j_h.tf_context_create(params, out), "tf_context_create");
            return new NativeContext(Native.handle(out), device.ordinal());
        }
    }

    public static NativeContext createDefault() {
        return create(0, Simd.AUTO);
    }

    /** The best SIMD level of this CPU (and build). */
    public static Simd bestSimd() {
        return Simd.of(tfree4j_h.tf_cpu_best_simd());
    }

    public Simd simd() {
        return Simd.of(tfree4j_h.tf_context_simd(handle()));
    }

    /** The device the kernels run on, as the native context reports it. */
    public Device device() {
        return tfree4j_h.tf_context_backend(handle()) == tfree4j_h.TF_BACKEND_CUDA()
                ? Device.cuda(cudaOrdinal) : Device.cpu();
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
