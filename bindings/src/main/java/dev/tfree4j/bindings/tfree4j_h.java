// Generated from native/include/tfree4j.h by bindings/generator — do not edit.

package dev.tfree4j.bindings;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static java.lang.foreign.ValueLayout.*;

/**
 * Constants and functions of {@code tfree4j.h}. Each function's downcall handle is
 * created on first use; the library is found and loaded by {@link NativeLibrary}.
 */
@SuppressWarnings("restricted")
public class tfree4j_h {

    tfree4j_h() {
        // Should not be called directly
    }

    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    /** The symbol's address, or null when it cannot be found (see {@link #unresolved}). */
    static MemorySegment findOrNull(String symbol) {
        try {
            return NativeLibrary.lookup().find(symbol).orElse(null);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** A downcall handle for address, or one of the same type that throws {@link #unresolved}. */
    static MethodHandle downcallHandle(String symbol, MemorySegment address, FunctionDescriptor descriptor) {
        if (address != null) {
            return Linker.nativeLinker().downcallHandle(address, descriptor);
        }
        MethodType type = descriptor.toMethodType();
        MethodHandle thrower = MethodHandles.insertArguments(UNRESOLVED, 0, symbol)
                .asType(MethodType.methodType(type.returnType()));
        return MethodHandles.dropArguments(thrower, 0, type.parameterList());
    }

    static MemorySegment requireAddress(String symbol, MemorySegment address) {
        return address != null ? address : (MemorySegment) unresolved(symbol);
    }

    private static final MethodHandle UNRESOLVED;
    static {
        try {
            UNRESOLVED = MethodHandles.lookup().findStatic(tfree4j_h.class, "unresolved",
                    MethodType.methodType(Object.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Throws the reason symbol is unavailable: the library cannot be loaded, or lacks it. */
    private static Object unresolved(String symbol) {
        NativeLibrary.lookup();  // throws NativeLibrary's explanation if the library cannot be loaded
        throw new UnsatisfiedLinkError("unresolved symbol: " + symbol + " is not exported by "
                + NativeLibrary.path() + "; the native library is older than its bindings"
                + " (rebuild it: ./build.sh package) or the function is not implemented yet");
    }

    // enum tf_status

    private static final int TF_OK = (int)0L;
    /**
     * {@snippet lang=c :
     * enum tf_status.TF_OK = 0
     * }
     */
    public static int TF_OK() {
        return TF_OK;
    }

    private static final int TF_ERR_INVALID_ARGUMENT = (int)1L;
    /**
     * {@snippet lang=c :
     * enum tf_status.TF_ERR_INVALID_ARGUMENT = 1
     * }
     */
    public static int TF_ERR_INVALID_ARGUMENT() {
        return TF_ERR_INVALID_ARGUMENT;
    }

    private static final int TF_ERR_OUT_OF_MEMORY = (int)2L;
    /**
     * {@snippet lang=c :
     * enum tf_status.TF_ERR_OUT_OF_MEMORY = 2
     * }
     */
    public static int TF_ERR_OUT_OF_MEMORY() {
        return TF_ERR_OUT_OF_MEMORY;
    }

    private static final int TF_ERR_UNSUPPORTED = (int)3L;
    /**
     * {@snippet lang=c :
     * enum tf_status.TF_ERR_UNSUPPORTED = 3
     * }
     */
    public static int TF_ERR_UNSUPPORTED() {
        return TF_ERR_UNSUPPORTED;
    }

    private static final int TF_ERR_STATE = (int)4L;
    /**
     * {@snippet lang=c :
     * enum tf_status.TF_ERR_STATE = 4
     * }
     */
    public static int TF_ERR_STATE() {
        return TF_ERR_STATE;
    }

    private static final int TF_ERR_OUT_OF_RANGE = (int)5L;
    /**
     * {@snippet lang=c :
     * enum tf_status.TF_ERR_OUT_OF_RANGE = 5
     * }
     */
    public static int TF_ERR_OUT_OF_RANGE() {
        return TF_ERR_OUT_OF_RANGE;
    }

    private static final int TF_ERR_INTERNAL = (int)6L;
    /**
     * {@snippet lang=c :
     * enum tf_status.TF_ERR_INTERNAL = 6
     * }
     */
    public static int TF_ERR_INTERNAL() {
        return TF_ERR_INTERNAL;
    }

    // enum tf_simd

    private static final int TF_SIMD_AUTO = (int)-1L;
    /**
     * {@snippet lang=c :
     * enum tf_simd.TF_SIMD_AUTO = -1
     * }
     */
    public static int TF_SIMD_AUTO() {
        return TF_SIMD_AUTO;
    }

    private static final int TF_SIMD_SCALAR = (int)0L;
    /**
     * {@snippet lang=c :
     * enum tf_simd.TF_SIMD_SCALAR = 0
     * }
     */
    public static int TF_SIMD_SCALAR() {
        return TF_SIMD_SCALAR;
    }

    private static final int TF_SIMD_AVX2 = (int)1L;
    /**
     * {@snippet lang=c :
     * enum tf_simd.TF_SIMD_AVX2 = 1
     * }
     */
    public static int TF_SIMD_AVX2() {
        return TF_SIMD_AVX2;
    }

    private static final int TF_SIMD_AVX512 = (int)2L;
    /**
     * {@snippet lang=c :
     * enum tf_simd.TF_SIMD_AVX512 = 2
     * }
     */
    public static int TF_SIMD_AVX512() {
        return TF_SIMD_AVX512;
    }

    // enum tf_backend

    private static final int TF_BACKEND_CPU = (int)0L;
    /**
     * {@snippet lang=c :
     * enum tf_backend.TF_BACKEND_CPU = 0
     * }
     */
    public static int TF_BACKEND_CPU() {
        return TF_BACKEND_CPU;
    }

    private static final int TF_BACKEND_CUDA = (int)1L;
    /**
     * {@snippet lang=c :
     * enum tf_backend.TF_BACKEND_CUDA = 1
     * }
     */
    public static int TF_BACKEND_CUDA() {
        return TF_BACKEND_CUDA;
    }

    // enum tf_dtype

    private static final int TF_DTYPE_F32 = (int)0L;
    /**
     * {@snippet lang=c :
     * enum tf_dtype.TF_DTYPE_F32 = 0
     * }
     */
    public static int TF_DTYPE_F32() {
        return TF_DTYPE_F32;
    }

    private static final int TF_DTYPE_BF16 = (int)1L;
    /**
     * {@snippet lang=c :
     * enum tf_dtype.TF_DTYPE_BF16 = 1
     * }
     */
    public static int TF_DTYPE_BF16() {
        return TF_DTYPE_BF16;
    }

    private static final int TF_DTYPE_F16 = (int)2L;
    /**
     * {@snippet lang=c :
     * enum tf_dtype.TF_DTYPE_F16 = 2
     * }
     */
    public static int TF_DTYPE_F16() {
        return TF_DTYPE_F16;
    }

    private static final int TF_DTYPE_I8 = (int)3L;
    /**
     * {@snippet lang=c :
     * enum tf_dtype.TF_DTYPE_I8 = 3
     * }
     */
    public static int TF_DTYPE_I8() {
        return TF_DTYPE_I8;
    }

    // enum tf_activation_mode

    private static final int TF_ACT_FLOAT = (int)0L;
    /**
     * {@snippet lang=c :
     * enum tf_activation_mode.TF_ACT_FLOAT = 0
     * }
     */
    public static int TF_ACT_FLOAT() {
        return TF_ACT_FLOAT;
    }

    private static final int TF_ACT_INT8 = (int)1L;
    /**
     * {@snippet lang=c :
     * enum tf_activation_mode.TF_ACT_INT8 = 1
     * }
     */
    public static int TF_ACT_INT8() {
        return TF_ACT_INT8;
    }

    // enum tf_control_mode

    private static final int TF_CONTROL_NONE = (int)0L;
    /**
     * {@snippet lang=c :
     * enum tf_control_mode.TF_CONTROL_NONE = 0
     * }
     */
    public static int TF_CONTROL_NONE() {
        return TF_CONTROL_NONE;
    }

    private static final int TF_CONTROL_LOG_ADD = (int)1L;
    /**
     * {@snippet lang=c :
     * enum tf_control_mode.TF_CONTROL_LOG_ADD = 1
     * }
     */
    public static int TF_CONTROL_LOG_ADD() {
        return TF_CONTROL_LOG_ADD;
    }

    private static final int TF_CONTROL_MULT = (int)2L;
    /**
     * {@snippet lang=c :
     * enum tf_control_mode.TF_CONTROL_MULT = 2
     * }
     */
    public static int TF_CONTROL_MULT() {
        return TF_CONTROL_MULT;
    }

    // enum tf_rope_kind

    private static final int TF_ROPE_INTERLEAVED = (int)0L;
    /**
     * {@snippet lang=c :
     * enum tf_rope_kind.TF_ROPE_INTERLEAVED = 0
     * }
     */
    public static int TF_ROPE_INTERLEAVED() {
        return TF_ROPE_INTERLEAVED;
    }

    private static final int TF_ROPE_ROTATE_HALF = (int)1L;
    /**
     * {@snippet lang=c :
     * enum tf_rope_kind.TF_ROPE_ROTATE_HALF = 1
     * }
     */
    public static int TF_ROPE_ROTATE_HALF() {
        return TF_ROPE_ROTATE_HALF;
    }

    // enum tf_rope_scaling

    private static final int TF_ROPE_SCALING_NONE = (int)0L;
    /**
     * {@snippet lang=c :
     * enum tf_rope_scaling.TF_ROPE_SCALING_NONE = 0
     * }
     */
    public static int TF_ROPE_SCALING_NONE() {
        return TF_ROPE_SCALING_NONE;
    }

    private static final int TF_ROPE_SCALING_LLAMA3 = (int)1L;
    /**
     * {@snippet lang=c :
     * enum tf_rope_scaling.TF_ROPE_SCALING_LLAMA3 = 1
     * }
     */
    public static int TF_ROPE_SCALING_LLAMA3() {
        return TF_ROPE_SCALING_LLAMA3;
    }

    // enum tf_attention_kind

    private static final int TF_ATTENTION_CAUSAL = (int)0L;
    /**
     * {@snippet lang=c :
     * enum tf_attention_kind.TF_ATTENTION_CAUSAL = 0
     * }
     */
    public static int TF_ATTENTION_CAUSAL() {
        return TF_ATTENTION_CAUSAL;
    }

    private static final int TF_ATTENTION_NON_CAUSAL = (int)1L;
    /**
     * {@snippet lang=c :
     * enum tf_attention_kind.TF_ATTENTION_NON_CAUSAL = 1
     * }
     */
    public static int TF_ATTENTION_NON_CAUSAL() {
        return TF_ATTENTION_NON_CAUSAL;
    }

    private static class tf_last_error {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_last_error");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_last_error", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *tf_last_error(void)
     * }
     */
    public static FunctionDescriptor tf_last_error$descriptor() {
        return tf_last_error.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char *tf_last_error(void)
     * }
     */
    public static MethodHandle tf_last_error$handle() {
        return tf_last_error.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char *tf_last_error(void)
     * }
     */
    public static MemorySegment tf_last_error$address() {
        return tfree4j_h.requireAddress("tf_last_error", tf_last_error.ADDR);
    }

    /**
     * {@snippet lang=c :
     * const char *tf_last_error(void)
     * }
     */
    public static MemorySegment tf_last_error() {
        var mh$ = tf_last_error.HANDLE;
        try {
            return (MemorySegment)mh$.invokeExact();
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_version {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_version");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_version", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *tf_version(void)
     * }
     */
    public static FunctionDescriptor tf_version$descriptor() {
        return tf_version.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char *tf_version(void)
     * }
     */
    public static MethodHandle tf_version$handle() {
        return tf_version.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char *tf_version(void)
     * }
     */
    public static MemorySegment tf_version$address() {
        return tfree4j_h.requireAddress("tf_version", tf_version.ADDR);
    }

    /**
     * {@snippet lang=c :
     * const char *tf_version(void)
     * }
     */
    public static MemorySegment tf_version() {
        var mh$ = tf_version.HANDLE;
        try {
            return (MemorySegment)mh$.invokeExact();
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_cpu_best_simd {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_cpu_best_simd");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_cpu_best_simd", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t tf_cpu_best_simd(void)
     * }
     */
    public static FunctionDescriptor tf_cpu_best_simd$descriptor() {
        return tf_cpu_best_simd.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t tf_cpu_best_simd(void)
     * }
     */
    public static MethodHandle tf_cpu_best_simd$handle() {
        return tf_cpu_best_simd.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t tf_cpu_best_simd(void)
     * }
     */
    public static MemorySegment tf_cpu_best_simd$address() {
        return tfree4j_h.requireAddress("tf_cpu_best_simd", tf_cpu_best_simd.ADDR);
    }

    /**
     * {@snippet lang=c :
     * int32_t tf_cpu_best_simd(void)
     * }
     */
    public static int tf_cpu_best_simd() {
        var mh$ = tf_cpu_best_simd.HANDLE;
        try {
            return (int)mh$.invokeExact();
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_cpu_physical_cores {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_cpu_physical_cores");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_cpu_physical_cores", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t tf_cpu_physical_cores(void)
     * }
     */
    public static FunctionDescriptor tf_cpu_physical_cores$descriptor() {
        return tf_cpu_physical_cores.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t tf_cpu_physical_cores(void)
     * }
     */
    public static MethodHandle tf_cpu_physical_cores$handle() {
        return tf_cpu_physical_cores.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t tf_cpu_physical_cores(void)
     * }
     */
    public static MemorySegment tf_cpu_physical_cores$address() {
        return tfree4j_h.requireAddress("tf_cpu_physical_cores", tf_cpu_physical_cores.ADDR);
    }

    /**
     * {@snippet lang=c :
     * int32_t tf_cpu_physical_cores(void)
     * }
     */
    public static int tf_cpu_physical_cores() {
        var mh$ = tf_cpu_physical_cores.HANDLE;
        try {
            return (int)mh$.invokeExact();
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_context_params_init {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_context_params_init");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_context_params_init", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void tf_context_params_init(tf_context_params *params)
     * }
     */
    public static FunctionDescriptor tf_context_params_init$descriptor() {
        return tf_context_params_init.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void tf_context_params_init(tf_context_params *params)
     * }
     */
    public static MethodHandle tf_context_params_init$handle() {
        return tf_context_params_init.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void tf_context_params_init(tf_context_params *params)
     * }
     */
    public static MemorySegment tf_context_params_init$address() {
        return tfree4j_h.requireAddress("tf_context_params_init", tf_context_params_init.ADDR);
    }

    /**
     * {@snippet lang=c :
     * void tf_context_params_init(tf_context_params *params)
     * }
     */
    public static void tf_context_params_init(MemorySegment params) {
        var mh$ = tf_context_params_init.HANDLE;
        try {
            mh$.invokeExact(params);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_backend_available {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_INT
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_backend_available");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_backend_available", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t tf_backend_available(int32_t backend)
     * }
     */
    public static FunctionDescriptor tf_backend_available$descriptor() {
        return tf_backend_available.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t tf_backend_available(int32_t backend)
     * }
     */
    public static MethodHandle tf_backend_available$handle() {
        return tf_backend_available.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t tf_backend_available(int32_t backend)
     * }
     */
    public static MemorySegment tf_backend_available$address() {
        return tfree4j_h.requireAddress("tf_backend_available", tf_backend_available.ADDR);
    }

    /**
     * {@snippet lang=c :
     * int32_t tf_backend_available(int32_t backend)
     * }
     */
    public static int tf_backend_available(int backend) {
        var mh$ = tf_backend_available.HANDLE;
        try {
            return (int)mh$.invokeExact(backend);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_context_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_context_create");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_context_create", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_context_create(const tf_context_params *params, tf_context **out)
     * }
     */
    public static FunctionDescriptor tf_context_create$descriptor() {
        return tf_context_create.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_context_create(const tf_context_params *params, tf_context **out)
     * }
     */
    public static MethodHandle tf_context_create$handle() {
        return tf_context_create.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_context_create(const tf_context_params *params, tf_context **out)
     * }
     */
    public static MemorySegment tf_context_create$address() {
        return tfree4j_h.requireAddress("tf_context_create", tf_context_create.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_context_create(const tf_context_params *params, tf_context **out)
     * }
     */
    public static int tf_context_create(MemorySegment params, MemorySegment out) {
        var mh$ = tf_context_create.HANDLE;
        try {
            return (int)mh$.invokeExact(params, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_context_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_context_free");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_context_free", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void tf_context_free(tf_context *ctx)
     * }
     */
    public static FunctionDescriptor tf_context_free$descriptor() {
        return tf_context_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void tf_context_free(tf_context *ctx)
     * }
     */
    public static MethodHandle tf_context_free$handle() {
        return tf_context_free.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void tf_context_free(tf_context *ctx)
     * }
     */
    public static MemorySegment tf_context_free$address() {
        return tfree4j_h.requireAddress("tf_context_free", tf_context_free.ADDR);
    }

    /**
     * {@snippet lang=c :
     * void tf_context_free(tf_context *ctx)
     * }
     */
    public static void tf_context_free(MemorySegment ctx) {
        var mh$ = tf_context_free.HANDLE;
        try {
            mh$.invokeExact(ctx);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_context_simd {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_context_simd");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_context_simd", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t tf_context_simd(const tf_context *ctx)
     * }
     */
    public static FunctionDescriptor tf_context_simd$descriptor() {
        return tf_context_simd.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t tf_context_simd(const tf_context *ctx)
     * }
     */
    public static MethodHandle tf_context_simd$handle() {
        return tf_context_simd.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t tf_context_simd(const tf_context *ctx)
     * }
     */
    public static MemorySegment tf_context_simd$address() {
        return tfree4j_h.requireAddress("tf_context_simd", tf_context_simd.ADDR);
    }

    /**
     * {@snippet lang=c :
     * int32_t tf_context_simd(const tf_context *ctx)
     * }
     */
    public static int tf_context_simd(MemorySegment ctx) {
        var mh$ = tf_context_simd.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_context_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_context_threads");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_context_threads", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t tf_context_threads(const tf_context *ctx)
     * }
     */
    public static FunctionDescriptor tf_context_threads$descriptor() {
        return tf_context_threads.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t tf_context_threads(const tf_context *ctx)
     * }
     */
    public static MethodHandle tf_context_threads$handle() {
        return tf_context_threads.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t tf_context_threads(const tf_context *ctx)
     * }
     */
    public static MemorySegment tf_context_threads$address() {
        return tfree4j_h.requireAddress("tf_context_threads", tf_context_threads.ADDR);
    }

    /**
     * {@snippet lang=c :
     * int32_t tf_context_threads(const tf_context *ctx)
     * }
     */
    public static int tf_context_threads(MemorySegment ctx) {
        var mh$ = tf_context_threads.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_context_backend {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_context_backend");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_context_backend", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t tf_context_backend(const tf_context *ctx)
     * }
     */
    public static FunctionDescriptor tf_context_backend$descriptor() {
        return tf_context_backend.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t tf_context_backend(const tf_context *ctx)
     * }
     */
    public static MethodHandle tf_context_backend$handle() {
        return tf_context_backend.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t tf_context_backend(const tf_context *ctx)
     * }
     */
    public static MemorySegment tf_context_backend$address() {
        return tfree4j_h.requireAddress("tf_context_backend", tf_context_backend.ADDR);
    }

    /**
     * {@snippet lang=c :
     * int32_t tf_context_backend(const tf_context *ctx)
     * }
     */
    public static int tf_context_backend(MemorySegment ctx) {
        var mh$ = tf_context_backend.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_matmul {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_matmul");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_matmul", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_matmul(tf_context *ctx, const float *x, int64_t m, const tf_matrix *w, float *y)
     * }
     */
    public static FunctionDescriptor tf_matmul$descriptor() {
        return tf_matmul.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_matmul(tf_context *ctx, const float *x, int64_t m, const tf_matrix *w, float *y)
     * }
     */
    public static MethodHandle tf_matmul$handle() {
        return tf_matmul.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_matmul(tf_context *ctx, const float *x, int64_t m, const tf_matrix *w, float *y)
     * }
     */
    public static MemorySegment tf_matmul$address() {
        return tfree4j_h.requireAddress("tf_matmul", tf_matmul.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_matmul(tf_context *ctx, const float *x, int64_t m, const tf_matrix *w, float *y)
     * }
     */
    public static int tf_matmul(MemorySegment ctx, MemorySegment x, long m, MemorySegment w, MemorySegment y) {
        var mh$ = tf_matmul.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx, x, m, w, y);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_quantize_rows {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_quantize_rows");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_quantize_rows", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_quantize_rows(tf_context *ctx, const tf_matrix *src, int8_t *q, float *scales)
     * }
     */
    public static FunctionDescriptor tf_quantize_rows$descriptor() {
        return tf_quantize_rows.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_quantize_rows(tf_context *ctx, const tf_matrix *src, int8_t *q, float *scales)
     * }
     */
    public static MethodHandle tf_quantize_rows$handle() {
        return tf_quantize_rows.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_quantize_rows(tf_context *ctx, const tf_matrix *src, int8_t *q, float *scales)
     * }
     */
    public static MemorySegment tf_quantize_rows$address() {
        return tfree4j_h.requireAddress("tf_quantize_rows", tf_quantize_rows.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_quantize_rows(tf_context *ctx, const tf_matrix *src, int8_t *q, float *scales)
     * }
     */
    public static int tf_quantize_rows(MemorySegment ctx, MemorySegment src, MemorySegment q, MemorySegment scales) {
        var mh$ = tf_quantize_rows.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx, src, q, scales);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_add {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_add");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_add", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_add(tf_context *ctx, float *x, const float *y, int64_t count)
     * }
     */
    public static FunctionDescriptor tf_add$descriptor() {
        return tf_add.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_add(tf_context *ctx, float *x, const float *y, int64_t count)
     * }
     */
    public static MethodHandle tf_add$handle() {
        return tf_add.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_add(tf_context *ctx, float *x, const float *y, int64_t count)
     * }
     */
    public static MemorySegment tf_add$address() {
        return tfree4j_h.requireAddress("tf_add", tf_add.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_add(tf_context *ctx, float *x, const float *y, int64_t count)
     * }
     */
    public static int tf_add(MemorySegment ctx, MemorySegment x, MemorySegment y, long count) {
        var mh$ = tf_add.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx, x, y, count);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_sigmoid {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_sigmoid");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_sigmoid", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_sigmoid(tf_context *ctx, const float *x, int64_t count, float *out)
     * }
     */
    public static FunctionDescriptor tf_sigmoid$descriptor() {
        return tf_sigmoid.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_sigmoid(tf_context *ctx, const float *x, int64_t count, float *out)
     * }
     */
    public static MethodHandle tf_sigmoid$handle() {
        return tf_sigmoid.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_sigmoid(tf_context *ctx, const float *x, int64_t count, float *out)
     * }
     */
    public static MemorySegment tf_sigmoid$address() {
        return tfree4j_h.requireAddress("tf_sigmoid", tf_sigmoid.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_sigmoid(tf_context *ctx, const float *x, int64_t count, float *out)
     * }
     */
    public static int tf_sigmoid(MemorySegment ctx, MemorySegment x, long count, MemorySegment out) {
        var mh$ = tf_sigmoid.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx, x, count, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_softmax {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_softmax");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_softmax", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_softmax(tf_context *ctx, const float *x, int64_t count, float *out)
     * }
     */
    public static FunctionDescriptor tf_softmax$descriptor() {
        return tf_softmax.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_softmax(tf_context *ctx, const float *x, int64_t count, float *out)
     * }
     */
    public static MethodHandle tf_softmax$handle() {
        return tf_softmax.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_softmax(tf_context *ctx, const float *x, int64_t count, float *out)
     * }
     */
    public static MemorySegment tf_softmax$address() {
        return tfree4j_h.requireAddress("tf_softmax", tf_softmax.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_softmax(tf_context *ctx, const float *x, int64_t count, float *out)
     * }
     */
    public static int tf_softmax(MemorySegment ctx, MemorySegment x, long count, MemorySegment out) {
        var mh$ = tf_softmax.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx, x, count, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_word_scores {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_INT,
            tfree4j_h.C_FLOAT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_word_scores");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_word_scores", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_word_scores(tf_context *ctx, const float *logits, int64_t vocab, const tf_word_patterns *patterns, int32_t population, float edge_weight, float *scores)
     * }
     */
    public static FunctionDescriptor tf_word_scores$descriptor() {
        return tf_word_scores.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_word_scores(tf_context *ctx, const float *logits, int64_t vocab, const tf_word_patterns *patterns, int32_t population, float edge_weight, float *scores)
     * }
     */
    public static MethodHandle tf_word_scores$handle() {
        return tf_word_scores.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_word_scores(tf_context *ctx, const float *logits, int64_t vocab, const tf_word_patterns *patterns, int32_t population, float edge_weight, float *scores)
     * }
     */
    public static MemorySegment tf_word_scores$address() {
        return tfree4j_h.requireAddress("tf_word_scores", tf_word_scores.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_word_scores(tf_context *ctx, const float *logits, int64_t vocab, const tf_word_patterns *patterns, int32_t population, float edge_weight, float *scores)
     * }
     */
    public static int tf_word_scores(MemorySegment ctx, MemorySegment logits, long vocab, MemorySegment patterns, int population, float edge_weight, MemorySegment scores) {
        var mh$ = tf_word_scores.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx, logits, vocab, patterns, population, edge_weight, scores);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_dictionary_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_dictionary_create");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_dictionary_create", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_dictionary_create(tf_context *ctx, const tf_word_patterns *patterns, int64_t vocab, int32_t population, tf_dictionary **out)
     * }
     */
    public static FunctionDescriptor tf_dictionary_create$descriptor() {
        return tf_dictionary_create.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_dictionary_create(tf_context *ctx, const tf_word_patterns *patterns, int64_t vocab, int32_t population, tf_dictionary **out)
     * }
     */
    public static MethodHandle tf_dictionary_create$handle() {
        return tf_dictionary_create.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_dictionary_create(tf_context *ctx, const tf_word_patterns *patterns, int64_t vocab, int32_t population, tf_dictionary **out)
     * }
     */
    public static MemorySegment tf_dictionary_create$address() {
        return tfree4j_h.requireAddress("tf_dictionary_create", tf_dictionary_create.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_dictionary_create(tf_context *ctx, const tf_word_patterns *patterns, int64_t vocab, int32_t population, tf_dictionary **out)
     * }
     */
    public static int tf_dictionary_create(MemorySegment ctx, MemorySegment patterns, long vocab, int population, MemorySegment out) {
        var mh$ = tf_dictionary_create.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx, patterns, vocab, population, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_dictionary_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_dictionary_free");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_dictionary_free", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void tf_dictionary_free(tf_dictionary *dict)
     * }
     */
    public static FunctionDescriptor tf_dictionary_free$descriptor() {
        return tf_dictionary_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void tf_dictionary_free(tf_dictionary *dict)
     * }
     */
    public static MethodHandle tf_dictionary_free$handle() {
        return tf_dictionary_free.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void tf_dictionary_free(tf_dictionary *dict)
     * }
     */
    public static MemorySegment tf_dictionary_free$address() {
        return tfree4j_h.requireAddress("tf_dictionary_free", tf_dictionary_free.ADDR);
    }

    /**
     * {@snippet lang=c :
     * void tf_dictionary_free(tf_dictionary *dict)
     * }
     */
    public static void tf_dictionary_free(MemorySegment dict) {
        var mh$ = tf_dictionary_free.HANDLE;
        try {
            mh$.invokeExact(dict);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_dictionary_scores {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_FLOAT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_dictionary_scores");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_dictionary_scores", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_dictionary_scores(tf_dictionary *dict, const float *logits, int64_t n_rows, float edge_weight, float *scores)
     * }
     */
    public static FunctionDescriptor tf_dictionary_scores$descriptor() {
        return tf_dictionary_scores.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_dictionary_scores(tf_dictionary *dict, const float *logits, int64_t n_rows, float edge_weight, float *scores)
     * }
     */
    public static MethodHandle tf_dictionary_scores$handle() {
        return tf_dictionary_scores.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_dictionary_scores(tf_dictionary *dict, const float *logits, int64_t n_rows, float edge_weight, float *scores)
     * }
     */
    public static MemorySegment tf_dictionary_scores$address() {
        return tfree4j_h.requireAddress("tf_dictionary_scores", tf_dictionary_scores.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_dictionary_scores(tf_dictionary *dict, const float *logits, int64_t n_rows, float edge_weight, float *scores)
     * }
     */
    public static int tf_dictionary_scores(MemorySegment dict, MemorySegment logits, long n_rows, float edge_weight, MemorySegment scores) {
        var mh$ = tf_dictionary_scores.HANDLE;
        try {
            return (int)mh$.invokeExact(dict, logits, n_rows, edge_weight, scores);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_model_params_init {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_model_params_init");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_model_params_init", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void tf_model_params_init(tf_model_params *params)
     * }
     */
    public static FunctionDescriptor tf_model_params_init$descriptor() {
        return tf_model_params_init.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void tf_model_params_init(tf_model_params *params)
     * }
     */
    public static MethodHandle tf_model_params_init$handle() {
        return tf_model_params_init.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void tf_model_params_init(tf_model_params *params)
     * }
     */
    public static MemorySegment tf_model_params_init$address() {
        return tfree4j_h.requireAddress("tf_model_params_init", tf_model_params_init.ADDR);
    }

    /**
     * {@snippet lang=c :
     * void tf_model_params_init(tf_model_params *params)
     * }
     */
    public static void tf_model_params_init(MemorySegment params) {
        var mh$ = tf_model_params_init.HANDLE;
        try {
            mh$.invokeExact(params);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_model_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_model_create");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_model_create", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_model_create(tf_context *ctx, const tf_model_params *params, tf_model **out)
     * }
     */
    public static FunctionDescriptor tf_model_create$descriptor() {
        return tf_model_create.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_model_create(tf_context *ctx, const tf_model_params *params, tf_model **out)
     * }
     */
    public static MethodHandle tf_model_create$handle() {
        return tf_model_create.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_model_create(tf_context *ctx, const tf_model_params *params, tf_model **out)
     * }
     */
    public static MemorySegment tf_model_create$address() {
        return tfree4j_h.requireAddress("tf_model_create", tf_model_create.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_model_create(tf_context *ctx, const tf_model_params *params, tf_model **out)
     * }
     */
    public static int tf_model_create(MemorySegment ctx, MemorySegment params, MemorySegment out) {
        var mh$ = tf_model_create.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx, params, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_model_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_model_free");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_model_free", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void tf_model_free(tf_model *model)
     * }
     */
    public static FunctionDescriptor tf_model_free$descriptor() {
        return tf_model_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void tf_model_free(tf_model *model)
     * }
     */
    public static MethodHandle tf_model_free$handle() {
        return tf_model_free.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void tf_model_free(tf_model *model)
     * }
     */
    public static MemorySegment tf_model_free$address() {
        return tfree4j_h.requireAddress("tf_model_free", tf_model_free.ADDR);
    }

    /**
     * {@snippet lang=c :
     * void tf_model_free(tf_model *model)
     * }
     */
    public static void tf_model_free(MemorySegment model) {
        var mh$ = tf_model_free.HANDLE;
        try {
            mh$.invokeExact(model);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_model_set_weight {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_model_set_weight");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_model_set_weight", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_model_set_weight(tf_model *model, const char *name, const tf_matrix *w)
     * }
     */
    public static FunctionDescriptor tf_model_set_weight$descriptor() {
        return tf_model_set_weight.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_model_set_weight(tf_model *model, const char *name, const tf_matrix *w)
     * }
     */
    public static MethodHandle tf_model_set_weight$handle() {
        return tf_model_set_weight.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_model_set_weight(tf_model *model, const char *name, const tf_matrix *w)
     * }
     */
    public static MemorySegment tf_model_set_weight$address() {
        return tfree4j_h.requireAddress("tf_model_set_weight", tf_model_set_weight.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_model_set_weight(tf_model *model, const char *name, const tf_matrix *w)
     * }
     */
    public static int tf_model_set_weight(MemorySegment model, MemorySegment name, MemorySegment w) {
        var mh$ = tf_model_set_weight.HANDLE;
        try {
            return (int)mh$.invokeExact(model, name, w);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_model_finalize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_model_finalize");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_model_finalize", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_model_finalize(tf_model *model)
     * }
     */
    public static FunctionDescriptor tf_model_finalize$descriptor() {
        return tf_model_finalize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_model_finalize(tf_model *model)
     * }
     */
    public static MethodHandle tf_model_finalize$handle() {
        return tf_model_finalize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_model_finalize(tf_model *model)
     * }
     */
    public static MemorySegment tf_model_finalize$address() {
        return tfree4j_h.requireAddress("tf_model_finalize", tf_model_finalize.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_model_finalize(tf_model *model)
     * }
     */
    public static int tf_model_finalize(MemorySegment model) {
        var mh$ = tf_model_finalize.HANDLE;
        try {
            return (int)mh$.invokeExact(model);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_model_embed {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_model_embed");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_model_embed", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_model_embed(tf_model *model, const int32_t *ids, int64_t n_rows, int32_t population, const int32_t *row_word, int64_t n_words, float *out)
     * }
     */
    public static FunctionDescriptor tf_model_embed$descriptor() {
        return tf_model_embed.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_model_embed(tf_model *model, const int32_t *ids, int64_t n_rows, int32_t population, const int32_t *row_word, int64_t n_words, float *out)
     * }
     */
    public static MethodHandle tf_model_embed$handle() {
        return tf_model_embed.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_model_embed(tf_model *model, const int32_t *ids, int64_t n_rows, int32_t population, const int32_t *row_word, int64_t n_words, float *out)
     * }
     */
    public static MemorySegment tf_model_embed$address() {
        return tfree4j_h.requireAddress("tf_model_embed", tf_model_embed.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_model_embed(tf_model *model, const int32_t *ids, int64_t n_rows, int32_t population, const int32_t *row_word, int64_t n_words, float *out)
     * }
     */
    public static int tf_model_embed(MemorySegment model, MemorySegment ids, long n_rows, int population, MemorySegment row_word, long n_words, MemorySegment out) {
        var mh$ = tf_model_embed.HANDLE;
        try {
            return (int)mh$.invokeExact(model, ids, n_rows, population, row_word, n_words, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_cache_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_cache_create");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_cache_create", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_cache_create(tf_model *model, int32_t capacity, tf_cache **out)
     * }
     */
    public static FunctionDescriptor tf_cache_create$descriptor() {
        return tf_cache_create.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_cache_create(tf_model *model, int32_t capacity, tf_cache **out)
     * }
     */
    public static MethodHandle tf_cache_create$handle() {
        return tf_cache_create.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_cache_create(tf_model *model, int32_t capacity, tf_cache **out)
     * }
     */
    public static MemorySegment tf_cache_create$address() {
        return tfree4j_h.requireAddress("tf_cache_create", tf_cache_create.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_cache_create(tf_model *model, int32_t capacity, tf_cache **out)
     * }
     */
    public static int tf_cache_create(MemorySegment model, int capacity, MemorySegment out) {
        var mh$ = tf_cache_create.HANDLE;
        try {
            return (int)mh$.invokeExact(model, capacity, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_cache_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_cache_free");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_cache_free", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void tf_cache_free(tf_cache *cache)
     * }
     */
    public static FunctionDescriptor tf_cache_free$descriptor() {
        return tf_cache_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void tf_cache_free(tf_cache *cache)
     * }
     */
    public static MethodHandle tf_cache_free$handle() {
        return tf_cache_free.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void tf_cache_free(tf_cache *cache)
     * }
     */
    public static MemorySegment tf_cache_free$address() {
        return tfree4j_h.requireAddress("tf_cache_free", tf_cache_free.ADDR);
    }

    /**
     * {@snippet lang=c :
     * void tf_cache_free(tf_cache *cache)
     * }
     */
    public static void tf_cache_free(MemorySegment cache) {
        var mh$ = tf_cache_free.HANDLE;
        try {
            mh$.invokeExact(cache);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_cache_length {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_LONG,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_cache_length");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_cache_length", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int64_t tf_cache_length(const tf_cache *cache)
     * }
     */
    public static FunctionDescriptor tf_cache_length$descriptor() {
        return tf_cache_length.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int64_t tf_cache_length(const tf_cache *cache)
     * }
     */
    public static MethodHandle tf_cache_length$handle() {
        return tf_cache_length.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int64_t tf_cache_length(const tf_cache *cache)
     * }
     */
    public static MemorySegment tf_cache_length$address() {
        return tfree4j_h.requireAddress("tf_cache_length", tf_cache_length.ADDR);
    }

    /**
     * {@snippet lang=c :
     * int64_t tf_cache_length(const tf_cache *cache)
     * }
     */
    public static long tf_cache_length(MemorySegment cache) {
        var mh$ = tf_cache_length.HANDLE;
        try {
            return (long)mh$.invokeExact(cache);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_cache_truncate {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_cache_truncate");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_cache_truncate", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_cache_truncate(tf_cache *cache, int64_t length)
     * }
     */
    public static FunctionDescriptor tf_cache_truncate$descriptor() {
        return tf_cache_truncate.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_cache_truncate(tf_cache *cache, int64_t length)
     * }
     */
    public static MethodHandle tf_cache_truncate$handle() {
        return tf_cache_truncate.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_cache_truncate(tf_cache *cache, int64_t length)
     * }
     */
    public static MemorySegment tf_cache_truncate$address() {
        return tfree4j_h.requireAddress("tf_cache_truncate", tf_cache_truncate.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_cache_truncate(tf_cache *cache, int64_t length)
     * }
     */
    public static int tf_cache_truncate(MemorySegment cache, long length) {
        var mh$ = tf_cache_truncate.HANDLE;
        try {
            return (int)mh$.invokeExact(cache, length);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_cache_copy_prefix {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_cache_copy_prefix");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_cache_copy_prefix", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_cache_copy_prefix(tf_cache *dst, const tf_cache *src, int64_t length)
     * }
     */
    public static FunctionDescriptor tf_cache_copy_prefix$descriptor() {
        return tf_cache_copy_prefix.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_cache_copy_prefix(tf_cache *dst, const tf_cache *src, int64_t length)
     * }
     */
    public static MethodHandle tf_cache_copy_prefix$handle() {
        return tf_cache_copy_prefix.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_cache_copy_prefix(tf_cache *dst, const tf_cache *src, int64_t length)
     * }
     */
    public static MemorySegment tf_cache_copy_prefix$address() {
        return tfree4j_h.requireAddress("tf_cache_copy_prefix", tf_cache_copy_prefix.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_cache_copy_prefix(tf_cache *dst, const tf_cache *src, int64_t length)
     * }
     */
    public static int tf_cache_copy_prefix(MemorySegment dst, MemorySegment src, long length) {
        var mh$ = tf_cache_copy_prefix.HANDLE;
        try {
            return (int)mh$.invokeExact(dst, src, length);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_forward_params_init {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_forward_params_init");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_forward_params_init", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void tf_forward_params_init(tf_forward_params *params)
     * }
     */
    public static FunctionDescriptor tf_forward_params_init$descriptor() {
        return tf_forward_params_init.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void tf_forward_params_init(tf_forward_params *params)
     * }
     */
    public static MethodHandle tf_forward_params_init$handle() {
        return tf_forward_params_init.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void tf_forward_params_init(tf_forward_params *params)
     * }
     */
    public static MemorySegment tf_forward_params_init$address() {
        return tfree4j_h.requireAddress("tf_forward_params_init", tf_forward_params_init.ADDR);
    }

    /**
     * {@snippet lang=c :
     * void tf_forward_params_init(tf_forward_params *params)
     * }
     */
    public static void tf_forward_params_init(MemorySegment params) {
        var mh$ = tf_forward_params_init.HANDLE;
        try {
            mh$.invokeExact(params);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_model_forward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_model_forward");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_model_forward", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_model_forward(tf_model *model, tf_cache *cache, const float *embeddings, int64_t n, const tf_forward_params *params, float *logits)
     * }
     */
    public static FunctionDescriptor tf_model_forward$descriptor() {
        return tf_model_forward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_model_forward(tf_model *model, tf_cache *cache, const float *embeddings, int64_t n, const tf_forward_params *params, float *logits)
     * }
     */
    public static MethodHandle tf_model_forward$handle() {
        return tf_model_forward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_model_forward(tf_model *model, tf_cache *cache, const float *embeddings, int64_t n, const tf_forward_params *params, float *logits)
     * }
     */
    public static MemorySegment tf_model_forward$address() {
        return tfree4j_h.requireAddress("tf_model_forward", tf_model_forward.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_model_forward(tf_model *model, tf_cache *cache, const float *embeddings, int64_t n, const tf_forward_params *params, float *logits)
     * }
     */
    public static int tf_model_forward(MemorySegment model, MemorySegment cache, MemorySegment embeddings, long n, MemorySegment params, MemorySegment logits) {
        var mh$ = tf_model_forward.HANDLE;
        try {
            return (int)mh$.invokeExact(model, cache, embeddings, n, params, logits);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_model_forward_batch {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_model_forward_batch");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_model_forward_batch", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_model_forward_batch(tf_model *model, int32_t n_items, tf_cache **caches, const float **embeddings, const int64_t *n, const tf_forward_params **params, float **logits)
     * }
     */
    public static FunctionDescriptor tf_model_forward_batch$descriptor() {
        return tf_model_forward_batch.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_model_forward_batch(tf_model *model, int32_t n_items, tf_cache **caches, const float **embeddings, const int64_t *n, const tf_forward_params **params, float **logits)
     * }
     */
    public static MethodHandle tf_model_forward_batch$handle() {
        return tf_model_forward_batch.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_model_forward_batch(tf_model *model, int32_t n_items, tf_cache **caches, const float **embeddings, const int64_t *n, const tf_forward_params **params, float **logits)
     * }
     */
    public static MemorySegment tf_model_forward_batch$address() {
        return tfree4j_h.requireAddress("tf_model_forward_batch", tf_model_forward_batch.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_model_forward_batch(tf_model *model, int32_t n_items, tf_cache **caches, const float **embeddings, const int64_t *n, const tf_forward_params **params, float **logits)
     * }
     */
    public static int tf_model_forward_batch(MemorySegment model, int n_items, MemorySegment caches, MemorySegment embeddings, MemorySegment n, MemorySegment params, MemorySegment logits) {
        var mh$ = tf_model_forward_batch.HANDLE;
        try {
            return (int)mh$.invokeExact(model, n_items, caches, embeddings, n, params, logits);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_stack_params_init {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_stack_params_init");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_stack_params_init", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void tf_stack_params_init(tf_stack_params *params)
     * }
     */
    public static FunctionDescriptor tf_stack_params_init$descriptor() {
        return tf_stack_params_init.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void tf_stack_params_init(tf_stack_params *params)
     * }
     */
    public static MethodHandle tf_stack_params_init$handle() {
        return tf_stack_params_init.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void tf_stack_params_init(tf_stack_params *params)
     * }
     */
    public static MemorySegment tf_stack_params_init$address() {
        return tfree4j_h.requireAddress("tf_stack_params_init", tf_stack_params_init.ADDR);
    }

    /**
     * {@snippet lang=c :
     * void tf_stack_params_init(tf_stack_params *params)
     * }
     */
    public static void tf_stack_params_init(MemorySegment params) {
        var mh$ = tf_stack_params_init.HANDLE;
        try {
            mh$.invokeExact(params);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_stack_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_stack_create");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_stack_create", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_stack_create(tf_context *ctx, const tf_stack_params *params, tf_stack **out)
     * }
     */
    public static FunctionDescriptor tf_stack_create$descriptor() {
        return tf_stack_create.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_stack_create(tf_context *ctx, const tf_stack_params *params, tf_stack **out)
     * }
     */
    public static MethodHandle tf_stack_create$handle() {
        return tf_stack_create.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_stack_create(tf_context *ctx, const tf_stack_params *params, tf_stack **out)
     * }
     */
    public static MemorySegment tf_stack_create$address() {
        return tfree4j_h.requireAddress("tf_stack_create", tf_stack_create.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_stack_create(tf_context *ctx, const tf_stack_params *params, tf_stack **out)
     * }
     */
    public static int tf_stack_create(MemorySegment ctx, MemorySegment params, MemorySegment out) {
        var mh$ = tf_stack_create.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx, params, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_stack_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_stack_free");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_stack_free", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void tf_stack_free(tf_stack *stack)
     * }
     */
    public static FunctionDescriptor tf_stack_free$descriptor() {
        return tf_stack_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void tf_stack_free(tf_stack *stack)
     * }
     */
    public static MethodHandle tf_stack_free$handle() {
        return tf_stack_free.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void tf_stack_free(tf_stack *stack)
     * }
     */
    public static MemorySegment tf_stack_free$address() {
        return tfree4j_h.requireAddress("tf_stack_free", tf_stack_free.ADDR);
    }

    /**
     * {@snippet lang=c :
     * void tf_stack_free(tf_stack *stack)
     * }
     */
    public static void tf_stack_free(MemorySegment stack) {
        var mh$ = tf_stack_free.HANDLE;
        try {
            mh$.invokeExact(stack);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_stack_set_weight {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_stack_set_weight");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_stack_set_weight", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_stack_set_weight(tf_stack *stack, const char *name, const tf_matrix *w)
     * }
     */
    public static FunctionDescriptor tf_stack_set_weight$descriptor() {
        return tf_stack_set_weight.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_stack_set_weight(tf_stack *stack, const char *name, const tf_matrix *w)
     * }
     */
    public static MethodHandle tf_stack_set_weight$handle() {
        return tf_stack_set_weight.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_stack_set_weight(tf_stack *stack, const char *name, const tf_matrix *w)
     * }
     */
    public static MemorySegment tf_stack_set_weight$address() {
        return tfree4j_h.requireAddress("tf_stack_set_weight", tf_stack_set_weight.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_stack_set_weight(tf_stack *stack, const char *name, const tf_matrix *w)
     * }
     */
    public static int tf_stack_set_weight(MemorySegment stack, MemorySegment name, MemorySegment w) {
        var mh$ = tf_stack_set_weight.HANDLE;
        try {
            return (int)mh$.invokeExact(stack, name, w);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_stack_finalize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_stack_finalize");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_stack_finalize", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_stack_finalize(tf_stack *stack)
     * }
     */
    public static FunctionDescriptor tf_stack_finalize$descriptor() {
        return tf_stack_finalize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_stack_finalize(tf_stack *stack)
     * }
     */
    public static MethodHandle tf_stack_finalize$handle() {
        return tf_stack_finalize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_stack_finalize(tf_stack *stack)
     * }
     */
    public static MemorySegment tf_stack_finalize$address() {
        return tfree4j_h.requireAddress("tf_stack_finalize", tf_stack_finalize.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_stack_finalize(tf_stack *stack)
     * }
     */
    public static int tf_stack_finalize(MemorySegment stack) {
        var mh$ = tf_stack_finalize.HANDLE;
        try {
            return (int)mh$.invokeExact(stack);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_stack_cache_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_stack_cache_create");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_stack_cache_create", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_stack_cache_create(tf_stack *stack, int32_t capacity, tf_cache **out)
     * }
     */
    public static FunctionDescriptor tf_stack_cache_create$descriptor() {
        return tf_stack_cache_create.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_stack_cache_create(tf_stack *stack, int32_t capacity, tf_cache **out)
     * }
     */
    public static MethodHandle tf_stack_cache_create$handle() {
        return tf_stack_cache_create.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_stack_cache_create(tf_stack *stack, int32_t capacity, tf_cache **out)
     * }
     */
    public static MemorySegment tf_stack_cache_create$address() {
        return tfree4j_h.requireAddress("tf_stack_cache_create", tf_stack_cache_create.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_stack_cache_create(tf_stack *stack, int32_t capacity, tf_cache **out)
     * }
     */
    public static int tf_stack_cache_create(MemorySegment stack, int capacity, MemorySegment out) {
        var mh$ = tf_stack_cache_create.HANDLE;
        try {
            return (int)mh$.invokeExact(stack, capacity, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_stack_forward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_stack_forward");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_stack_forward", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_stack_forward(tf_stack *stack, tf_cache *cache, const float *input, int64_t n, const int32_t *positions, const tf_forward_params *params, float *out)
     * }
     */
    public static FunctionDescriptor tf_stack_forward$descriptor() {
        return tf_stack_forward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_stack_forward(tf_stack *stack, tf_cache *cache, const float *input, int64_t n, const int32_t *positions, const tf_forward_params *params, float *out)
     * }
     */
    public static MethodHandle tf_stack_forward$handle() {
        return tf_stack_forward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_stack_forward(tf_stack *stack, tf_cache *cache, const float *input, int64_t n, const int32_t *positions, const tf_forward_params *params, float *out)
     * }
     */
    public static MemorySegment tf_stack_forward$address() {
        return tfree4j_h.requireAddress("tf_stack_forward", tf_stack_forward.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_stack_forward(tf_stack *stack, tf_cache *cache, const float *input, int64_t n, const int32_t *positions, const tf_forward_params *params, float *out)
     * }
     */
    public static int tf_stack_forward(MemorySegment stack, MemorySegment cache, MemorySegment input, long n, MemorySegment positions, MemorySegment params, MemorySegment out) {
        var mh$ = tf_stack_forward.HANDLE;
        try {
            return (int)mh$.invokeExact(stack, cache, input, n, positions, params, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_stack_rope {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_stack_rope");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_stack_rope", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_stack_rope(tf_stack *stack, float *x, int64_t n, int32_t n_heads, const int32_t *positions)
     * }
     */
    public static FunctionDescriptor tf_stack_rope$descriptor() {
        return tf_stack_rope.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_stack_rope(tf_stack *stack, float *x, int64_t n, int32_t n_heads, const int32_t *positions)
     * }
     */
    public static MethodHandle tf_stack_rope$handle() {
        return tf_stack_rope.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_stack_rope(tf_stack *stack, float *x, int64_t n, int32_t n_heads, const int32_t *positions)
     * }
     */
    public static MemorySegment tf_stack_rope$address() {
        return tfree4j_h.requireAddress("tf_stack_rope", tf_stack_rope.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_stack_rope(tf_stack *stack, float *x, int64_t n, int32_t n_heads, const int32_t *positions)
     * }
     */
    public static int tf_stack_rope(MemorySegment stack, MemorySegment x, long n, int n_heads, MemorySegment positions) {
        var mh$ = tf_stack_rope.HANDLE;
        try {
            return (int)mh$.invokeExact(stack, x, n, n_heads, positions);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class tf_segment_attention {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_LONG,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_POINTER,
            tfree4j_h.C_INT,
            tfree4j_h.C_INT,
            tfree4j_h.C_INT,
            tfree4j_h.C_POINTER
        );

        public static final MemorySegment ADDR = tfree4j_h.findOrNull("tf_segment_attention");

        public static final MethodHandle HANDLE = tfree4j_h.downcallHandle("tf_segment_attention", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * tf_status tf_segment_attention(tf_context *ctx, const float *q, int64_t n_q, const float *k, const float *v, int64_t n_k, const int64_t *key_begin, const int64_t *key_end, int32_t n_heads, int32_t n_kv_heads, int32_t head_dim, float *out)
     * }
     */
    public static FunctionDescriptor tf_segment_attention$descriptor() {
        return tf_segment_attention.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * tf_status tf_segment_attention(tf_context *ctx, const float *q, int64_t n_q, const float *k, const float *v, int64_t n_k, const int64_t *key_begin, const int64_t *key_end, int32_t n_heads, int32_t n_kv_heads, int32_t head_dim, float *out)
     * }
     */
    public static MethodHandle tf_segment_attention$handle() {
        return tf_segment_attention.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * tf_status tf_segment_attention(tf_context *ctx, const float *q, int64_t n_q, const float *k, const float *v, int64_t n_k, const int64_t *key_begin, const int64_t *key_end, int32_t n_heads, int32_t n_kv_heads, int32_t head_dim, float *out)
     * }
     */
    public static MemorySegment tf_segment_attention$address() {
        return tfree4j_h.requireAddress("tf_segment_attention", tf_segment_attention.ADDR);
    }

    /**
     * {@snippet lang=c :
     * tf_status tf_segment_attention(tf_context *ctx, const float *q, int64_t n_q, const float *k, const float *v, int64_t n_k, const int64_t *key_begin, const int64_t *key_end, int32_t n_heads, int32_t n_kv_heads, int32_t head_dim, float *out)
     * }
     */
    public static int tf_segment_attention(MemorySegment ctx, MemorySegment q, long n_q, MemorySegment k, MemorySegment v, long n_k, MemorySegment key_begin, MemorySegment key_end, int n_heads, int n_kv_heads, int head_dim, MemorySegment out) {
        var mh$ = tf_segment_attention.HANDLE;
        try {
            return (int)mh$.invokeExact(ctx, q, n_q, k, v, n_k, key_begin, key_end, n_heads, n_kv_heads, head_dim, out);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
