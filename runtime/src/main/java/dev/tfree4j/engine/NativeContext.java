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
 * pointers in and out). It is safe to use from several threads.
 *
 * <p>Models share contexts by default ({@link #acquireShared}): one per distinct (threads, SIMD
 * level, device) in a JVM, so two models opened alike use one thread pool instead of each
 * bringing its own and oversubscribing the cores. A shared context is reference-counted: each
 * {@link #close()} releases one acquisition, the last frees it. {@link #create} makes a private
 * context that its one owner closes.
 */
public final class NativeContext implements AutoCloseable {
    /** SIMD levels, as in tf_simd. */
    public enum Simd { AUTO, SCALAR, AVX2, AVX512;
        int code() { return ordinal() - 1; }
        static Simd of(int code) { return values()[code + 1]; }
    }

    /** The settings a shared context is looked up by. */
    private record SharedKey(int threads, Simd simd, Device device) {}

    /** The live shared contexts; guarded by the class lock. */
    private static final java.util.Map<SharedKey, NativeContext> SHARED = new java.util.HashMap<>();

    private MemorySegment handle;
    /** Null for a private context. */
    private SharedKey sharedKey;
    /** Acquisitions not yet closed (a private context: 1). */
    private int users = 1;
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

    /**
     * The JVM's shared context for these settings, created on first use; every call must be
     * matched by one {@link #close()}.
     */
    public static NativeContext acquireShared(int threads, Simd simd, Device device) {
        SharedKey key = new SharedKey(threads, simd, device);
        synchronized (NativeContext.class) {
            NativeContext shared = SHARED.get(key);
            if (shared != null) {
                shared.users++;
                return shared;
            }
            NativeContext created = create(threads, simd, device);
            created.sharedKey = key;
            SHARED.put(key, created);
            return created;
        }
    }

    /** Whether this context is shared between models ({@link #acquireShared}). */
    public boolean isShared() {
        return sharedKey != null;
    }

    /** Whether the context is still open (a shared one: while any acquisition is not closed). */
    public synchronized boolean isOpen() {
        return handle != null;
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

    /** Releases this acquisition; the last one frees the native context. */
    @Override
    public void close() {
        synchronized (NativeContext.class) {
            synchronized (this) {
                if (handle == null || --users > 0) return;
                if (sharedKey != null) SHARED.remove(sharedKey);
                tfree4j_h.tf_context_free(handle);
                handle = null;
            }
        }
    }
}
