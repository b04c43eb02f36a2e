package dev.tfree4j;

import static dev.tfree4j.bindings.cuda.cuda_runtime_h.*;

import dev.tfree4j.bindings.cuda.CudaLibrary;
import dev.tfree4j.bindings.cuda.cudaDeviceProp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Discovery of CUDA devices through the CUDA runtime (libcudart, bound in
 * {@code dev.tfree4j.bindings.cuda}). Asking loads libcudart (once per JVM); nothing here is
 * called for a CPU device, so a JVM that only uses the CPU never maps it.
 *
 * <p>{@link #report(boolean)} never throws: whatever goes wrong becomes its {@code problem}.
 */
public final class CudaDevices {

    private CudaDevices() {}

    /**
     * What the CUDA runtime says about this machine.
     *
     * @param runtimePath where libcudart was loaded from, or null when it was not
     * @param runtimeVersion CUDART version, e.g. 13000 (0 when libcudart is not loaded)
     * @param driverVersion the CUDA version the installed driver supports, e.g. 13000; 0 = no driver
     * @param gpus the devices, ordinal order; empty when there is a problem
     * @param problem null when the runtime works, else why there are no usable devices
     */
    public record Report(String runtimePath, int runtimeVersion, int driverVersion, List<GpuInfo> gpus, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Asks the CUDA runtime for its devices.
     *
     * @param freeMemory also query each device's free memory; that creates the device's primary
     *     CUDA context (a few hundred MB of device memory and some time), so discovery alone skips it
     */
    public static Report report(boolean freeMemory) {
        String missing = CudaLibrary.problem();
        if (missing != null) return new Report(null, 0, 0, List.of(), missing);
        String path = CudaLibrary.path();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            int runtime = cudaRuntimeGetVersion(value) == cudaSuccess() ? value.get(ValueLayout.JAVA_INT, 0) : 0;
            if (runtime / 1000 != CudaLibrary.MAJOR) {
                return new Report(path, runtime, 0, List.of(), "CUDA runtime " + version(runtime) + " (" + path
                        + ") is not the CUDA " + CudaLibrary.MAJOR + " runtime these bindings were generated for");
            }
            value.set(ValueLayout.JAVA_INT, 0, 0);
            int driver = cudaDriverGetVersion(value) == cudaSuccess() ? value.get(ValueLayout.JAVA_INT, 0) : 0;
            int status = cudaGetDeviceCount(value);
            if (status != cudaSuccess()) {
                return new Report(path, runtime, driver, List.of(), "CUDA runtime " + version(runtime) + " (" + path
                        + ") cannot use a GPU: " + errorText(status) + " (driver: " + driverText(driver) + ")");
            }
            int count = value.get(ValueLayout.JAVA_INT, 0);
            if (count == 0) {
                return new Report(path, runtime, driver, List.of(), "no CUDA device (CUDA runtime " + version(runtime)
                        + ", driver " + driverText(driver) + ")");
            }
            List<GpuInfo> gpus = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                MemorySegment prop = cudaDeviceProp.allocate(arena);
                if ((status = cudaGetDeviceProperties(prop, i)) != cudaSuccess()) {
                    return new Report(path, runtime, driver, List.of(), "CUDA device " + i + " cannot be queried: "
                            + errorText(status));
                }
                gpus.add(describe(arena, i, prop, freeMemory));
            }
            return new Report(path, runtime, driver, List.copyOf(gpus), null);
        }
    }

    /** One device, from its cudaDeviceProp and a few attributes. */
    private static GpuInfo describe(Arena arena, int ordinal, MemorySegment prop, boolean freeMemory) {
        String name = cudaDeviceProp.name(prop).getString(0);
        long free = -1;
        if (freeMemory) {
            MemorySegment f = arena.allocate(ValueLayout.JAVA_LONG), t = arena.allocate(ValueLayout.JAVA_LONG);
            if (cudaSetDevice(ordinal) == cudaSuccess() && cudaMemGetInfo(f, t) == cudaSuccess()) {
                free = f.get(ValueLayout.JAVA_LONG, 0);
            }
        }
        return new GpuInfo(ordinal, name, cudaDeviceProp.major(prop), cudaDeviceProp.minor(prop),
                cudaDeviceProp.multiProcessorCount(prop), cudaDeviceProp.totalGlobalMem(prop), free,
                attribute(arena, cudaDevAttrClockRate(), ordinal), attribute(arena, cudaDevAttrMemoryClockRate(), ordinal),
                cudaDeviceProp.memoryBusWidth(prop), cudaDeviceProp.l2CacheSize(prop));
    }

    /** A cudaDeviceAttr value, or -1 when the runtime does not report it. */
    private static int attribute(Arena arena, int attr, int ordinal) {
        MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
        return cudaDeviceGetAttribute(v, attr, ordinal) == cudaSuccess() ? v.get(ValueLayout.JAVA_INT, 0) : -1;
    }

    /** "cudaErrorInsufficientDriver: CUDA driver version is insufficient for CUDA runtime version" */
    static String errorText(int status) {
        return cudaGetErrorName(status).reinterpret(256).getString(0) + ": "
                + cudaGetErrorString(status).reinterpret(1024).getString(0);
    }

    /** 13000 -> "13.0", 12040 -> "12.4" */
    public static String version(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }

    static String driverText(int driver) {
        return driver == 0 ? "none installed" : "supports CUDA " + version(driver);
    }
}
