// Generated from driver_types.h, cuda_runtime_api.h (CUDART_VERSION 13000) by bindings/generator — do not edit.

package dev.tfree4j.bindings.cuda;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static java.lang.foreign.ValueLayout.*;

/**
 * Constants and functions of {@code driver_types.h, cuda_runtime_api.h}. Each function's downcall handle is
 * created on first use; the library is found and loaded by {@link CudaLibrary}.
 */
@SuppressWarnings("restricted")
public class cuda_runtime_h {

    cuda_runtime_h() {
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
            return CudaLibrary.lookup().find(symbol).orElse(null);
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
            UNRESOLVED = MethodHandles.lookup().findStatic(cuda_runtime_h.class, "unresolved",
                    MethodType.methodType(Object.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Throws the reason symbol is unavailable: the library cannot be loaded, or lacks it. */
    private static Object unresolved(String symbol) {
        CudaLibrary.lookup();  // throws CudaLibrary's explanation if the library cannot be loaded
        throw new UnsatisfiedLinkError("unresolved symbol: " + symbol + " is not exported by "
                + CudaLibrary.path() + "; the CUDA runtime is older than these bindings (generated for the CUDA major version in the first line)");
    }

    // enum cudaError

    private static final int cudaSuccess = (int)0L;
    /**
     * {@snippet lang=c :
     * enum cudaError.cudaSuccess = 0
     * }
     */
    public static int cudaSuccess() {
        return cudaSuccess;
    }

    private static final int cudaErrorInitializationError = (int)3L;
    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorInitializationError = 3
     * }
     */
    public static int cudaErrorInitializationError() {
        return cudaErrorInitializationError;
    }

    private static final int cudaErrorInsufficientDriver = (int)35L;
    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorInsufficientDriver = 35
     * }
     */
    public static int cudaErrorInsufficientDriver() {
        return cudaErrorInsufficientDriver;
    }

    private static final int cudaErrorNoDevice = (int)100L;
    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorNoDevice = 100
     * }
     */
    public static int cudaErrorNoDevice() {
        return cudaErrorNoDevice;
    }

    private static final int cudaErrorInvalidDevice = (int)101L;
    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorInvalidDevice = 101
     * }
     */
    public static int cudaErrorInvalidDevice() {
        return cudaErrorInvalidDevice;
    }

    // enum cudaDeviceAttr

    private static final int cudaDevAttrComputeCapabilityMajor = (int)75L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrComputeCapabilityMajor = 75
     * }
     */
    public static int cudaDevAttrComputeCapabilityMajor() {
        return cudaDevAttrComputeCapabilityMajor;
    }

    private static final int cudaDevAttrComputeCapabilityMinor = (int)76L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrComputeCapabilityMinor = 76
     * }
     */
    public static int cudaDevAttrComputeCapabilityMinor() {
        return cudaDevAttrComputeCapabilityMinor;
    }

    private static final int cudaDevAttrMultiProcessorCount = (int)16L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrMultiProcessorCount = 16
     * }
     */
    public static int cudaDevAttrMultiProcessorCount() {
        return cudaDevAttrMultiProcessorCount;
    }

    private static final int cudaDevAttrClockRate = (int)13L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrClockRate = 13
     * }
     */
    public static int cudaDevAttrClockRate() {
        return cudaDevAttrClockRate;
    }

    private static final int cudaDevAttrMemoryClockRate = (int)36L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrMemoryClockRate = 36
     * }
     */
    public static int cudaDevAttrMemoryClockRate() {
        return cudaDevAttrMemoryClockRate;
    }

    private static final int cudaDevAttrGlobalMemoryBusWidth = (int)37L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrGlobalMemoryBusWidth = 37
     * }
     */
    public static int cudaDevAttrGlobalMemoryBusWidth() {
        return cudaDevAttrGlobalMemoryBusWidth;
    }

    private static final int cudaDevAttrL2CacheSize = (int)38L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrL2CacheSize = 38
     * }
     */
    public static int cudaDevAttrL2CacheSize() {
        return cudaDevAttrL2CacheSize;
    }

    private static class cudaGetErrorName {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_h.C_POINTER,
            cuda_runtime_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_h.findOrNull("cudaGetErrorName");

        public static final MethodHandle HANDLE = cuda_runtime_h.downcallHandle("cudaGetErrorName", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *cudaGetErrorName(cudaError_t error)
     * }
     */
    public static FunctionDescriptor cudaGetErrorName$descriptor() {
        return cudaGetErrorName.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char *cudaGetErrorName(cudaError_t error)
     * }
     */
    public static MethodHandle cudaGetErrorName$handle() {
        return cudaGetErrorName.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char *cudaGetErrorName(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorName$address() {
        return cuda_runtime_h.requireAddress("cudaGetErrorName", cudaGetErrorName.ADDR);
    }

    /**
     * {@snippet lang=c :
     * const char *cudaGetErrorName(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorName(int error) {
        var mh$ = cudaGetErrorName.HANDLE;
        try {
            return (MemorySegment)mh$.invokeExact(error);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetErrorString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_h.C_POINTER,
            cuda_runtime_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_h.findOrNull("cudaGetErrorString");

        public static final MethodHandle HANDLE = cuda_runtime_h.downcallHandle("cudaGetErrorString", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *cudaGetErrorString(cudaError_t error)
     * }
     */
    public static FunctionDescriptor cudaGetErrorString$descriptor() {
        return cudaGetErrorString.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char *cudaGetErrorString(cudaError_t error)
     * }
     */
    public static MethodHandle cudaGetErrorString$handle() {
        return cudaGetErrorString.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char *cudaGetErrorString(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorString$address() {
        return cuda_runtime_h.requireAddress("cudaGetErrorString", cudaGetErrorString.ADDR);
    }

    /**
     * {@snippet lang=c :
     * const char *cudaGetErrorString(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorString(int error) {
        var mh$ = cudaGetErrorString.HANDLE;
        try {
            return (MemorySegment)mh$.invokeExact(error);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaDriverGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_h.C_INT,
            cuda_runtime_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_h.findOrNull("cudaDriverGetVersion");

        public static final MethodHandle HANDLE = cuda_runtime_h.downcallHandle("cudaDriverGetVersion", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static FunctionDescriptor cudaDriverGetVersion$descriptor() {
        return cudaDriverGetVersion.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static MethodHandle cudaDriverGetVersion$handle() {
        return cudaDriverGetVersion.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static MemorySegment cudaDriverGetVersion$address() {
        return cuda_runtime_h.requireAddress("cudaDriverGetVersion", cudaDriverGetVersion.ADDR);
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static int cudaDriverGetVersion(MemorySegment driverVersion) {
        var mh$ = cudaDriverGetVersion.HANDLE;
        try {
            return (int)mh$.invokeExact(driverVersion);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaRuntimeGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_h.C_INT,
            cuda_runtime_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_h.findOrNull("cudaRuntimeGetVersion");

        public static final MethodHandle HANDLE = cuda_runtime_h.downcallHandle("cudaRuntimeGetVersion", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static FunctionDescriptor cudaRuntimeGetVersion$descriptor() {
        return cudaRuntimeGetVersion.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static MethodHandle cudaRuntimeGetVersion$handle() {
        return cudaRuntimeGetVersion.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static MemorySegment cudaRuntimeGetVersion$address() {
        return cuda_runtime_h.requireAddress("cudaRuntimeGetVersion", cudaRuntimeGetVersion.ADDR);
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static int cudaRuntimeGetVersion(MemorySegment runtimeVersion) {
        var mh$ = cudaRuntimeGetVersion.HANDLE;
        try {
            return (int)mh$.invokeExact(runtimeVersion);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetDeviceCount {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_h.C_INT,
            cuda_runtime_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_h.findOrNull("cudaGetDeviceCount");

        public static final MethodHandle HANDLE = cuda_runtime_h.downcallHandle("cudaGetDeviceCount", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static FunctionDescriptor cudaGetDeviceCount$descriptor() {
        return cudaGetDeviceCount.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static MethodHandle cudaGetDeviceCount$handle() {
        return cudaGetDeviceCount.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static MemorySegment cudaGetDeviceCount$address() {
        return cuda_runtime_h.requireAddress("cudaGetDeviceCount", cudaGetDeviceCount.ADDR);
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static int cudaGetDeviceCount(MemorySegment count) {
        var mh$ = cudaGetDeviceCount.HANDLE;
        try {
            return (int)mh$.invokeExact(count);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaSetDevice {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_h.C_INT,
            cuda_runtime_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_h.findOrNull("cudaSetDevice");

        public static final MethodHandle HANDLE = cuda_runtime_h.downcallHandle("cudaSetDevice", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaSetDevice(int device)
     * }
     */
    public static FunctionDescriptor cudaSetDevice$descriptor() {
        return cudaSetDevice.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaSetDevice(int device)
     * }
     */
    public static MethodHandle cudaSetDevice$handle() {
        return cudaSetDevice.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaSetDevice(int device)
     * }
     */
    public static MemorySegment cudaSetDevice$address() {
        return cuda_runtime_h.requireAddress("cudaSetDevice", cudaSetDevice.ADDR);
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaSetDevice(int device)
     * }
     */
    public static int cudaSetDevice(int device) {
        var mh$ = cudaSetDevice.HANDLE;
        try {
            return (int)mh$.invokeExact(device);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaMemGetInfo {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_h.C_INT,
            cuda_runtime_h.C_POINTER,
            cuda_runtime_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_h.findOrNull("cudaMemGetInfo");

        public static final MethodHandle HANDLE = cuda_runtime_h.downcallHandle("cudaMemGetInfo", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static FunctionDescriptor cudaMemGetInfo$descriptor() {
        return cudaMemGetInfo.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static MethodHandle cudaMemGetInfo$handle() {
        return cudaMemGetInfo.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static MemorySegment cudaMemGetInfo$address() {
        return cuda_runtime_h.requireAddress("cudaMemGetInfo", cudaMemGetInfo.ADDR);
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static int cudaMemGetInfo(MemorySegment free, MemorySegment total) {
        var mh$ = cudaMemGetInfo.HANDLE;
        try {
            return (int)mh$.invokeExact(free, total);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaDeviceGetAttribute {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_h.C_INT,
            cuda_runtime_h.C_POINTER,
            cuda_runtime_h.C_INT,
            cuda_runtime_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_h.findOrNull("cudaDeviceGetAttribute");

        public static final MethodHandle HANDLE = cuda_runtime_h.downcallHandle("cudaDeviceGetAttribute", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static FunctionDescriptor cudaDeviceGetAttribute$descriptor() {
        return cudaDeviceGetAttribute.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static MethodHandle cudaDeviceGetAttribute$handle() {
        return cudaDeviceGetAttribute.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static MemorySegment cudaDeviceGetAttribute$address() {
        return cuda_runtime_h.requireAddress("cudaDeviceGetAttribute", cudaDeviceGetAttribute.ADDR);
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static int cudaDeviceGetAttribute(MemorySegment value, int attr, int device) {
        var mh$ = cudaDeviceGetAttribute.HANDLE;
        try {
            return (int)mh$.invokeExact(value, attr, device);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetDeviceProperties {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_h.C_INT,
            cuda_runtime_h.C_POINTER,
            cuda_runtime_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_h.findOrNull("cudaGetDeviceProperties");

        public static final MethodHandle HANDLE = cuda_runtime_h.downcallHandle("cudaGetDeviceProperties", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device)
     * }
     */
    public static FunctionDescriptor cudaGetDeviceProperties$descriptor() {
        return cudaGetDeviceProperties.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device)
     * }
     */
    public static MethodHandle cudaGetDeviceProperties$handle() {
        return cudaGetDeviceProperties.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device)
     * }
     */
    public static MemorySegment cudaGetDeviceProperties$address() {
        return cuda_runtime_h.requireAddress("cudaGetDeviceProperties", cudaGetDeviceProperties.ADDR);
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device)
     * }
     */
    public static int cudaGetDeviceProperties(MemorySegment prop, int device) {
        var mh$ = cudaGetDeviceProperties.HANDLE;
        try {
            return (int)mh$.invokeExact(prop, device);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
