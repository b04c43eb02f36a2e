package dev.tfree4j;

import dev.tfree4j.bindings.tfree4j_h;
import java.util.Objects;

/**
 * Where a model runs: the CPU, or a CUDA GPU.
 * <pre>{@code
 * Device.cpu()            // this library's CPU kernels; never loads any CUDA library
 * Device.cuda(0)          // GPU 0; opening a model on it throws DeviceUnavailableException if it cannot be used
 * Device.auto()           // GPU 0 when one is usable, else the CPU (reason() says why)
 * Device.parse("cuda:1")  // "auto", "cpu", "cuda" (= cuda:0) or "cuda:N"
 * }</pre>
 * A CUDA device is usable when the CUDA runtime library loads, it finds a device (which needs a
 * driver), and libtfree4j has its CUDA plugin ({@code tf_backend_available(TF_BACKEND_CUDA)}).
 * A model on a GPU has the same API; results agree with the CPU's to rounding, not bit for bit.
 */
public final class Device {

    /** System property with the default device of {@link ModelOptions}: auto, cpu, cuda or cuda:N. */
    public static final String PROPERTY = "tfree4j.device";

    public enum Kind { CPU, CUDA }

    private static final Device CPU = new Device(Kind.CPU, 0, "");

    private final Kind kind;
    private final int ordinal;
    private final String reason;

    private Device(Kind kind, int ordinal, String reason) {
        this.kind = kind;
        this.ordinal = ordinal;
        this.reason = reason;
    }

    /** The CPU. */
    public static Device cpu() {
        return CPU;
    }

    /** CUDA device {@code ordinal}; whether it can be used is checked when it is used ({@link #requireAvailable()}). */
    public static Device cuda(int ordinal) {
        if (ordinal < 0) throw new IllegalArgumentException("CUDA device ordinal must be >= 0, got " + ordinal);
        return new Device(Kind.CUDA, ordinal, "");
    }

    /**
     * CUDA device 0 when it is usable, else the CPU. Never throws; {@link #reason()} says why this
     * device was chosen (for logging). Loads the CUDA runtime library if it is there.
     */
    public static Device auto() {
        CudaDevices.Report r = CudaDevices.report(false);
        if (!r.ok()) return new Device(Kind.CPU, 0, "auto: CPU, because " + r.problem());
        GpuInfo gpu = r.gpus().getFirst();
        String plugin = nativeCudaProblem();
        if (plugin != null) {
            return new Device(Kind.CPU, 0, "auto: CPU, because CUDA device 0 (" + gpu.name() + ") is there but " + plugin);
        }
        return new Device(Kind.CUDA, 0, "auto: CUDA device 0, " + gpu.name() + " (compute capability "
                + gpu.computeCapability() + ")");
    }

    /**
     * "auto" ({@link #auto()}, resolved now), "cpu", "cuda" (device 0) or "cuda:N".
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Device parse(String text) {
        if (text == null) throw new IllegalArgumentException("device is null (expected auto, cpu, cuda or cuda:N)");
        String s = text.strip();
        if (s.equals("auto")) return auto();
        if (s.equals("cpu")) return cpu();
        if (s.equals("cuda")) return cuda(0);
        if (s.matches("cuda:\\d{1,9}")) return cuda(Integer.parseInt(s.substring(5)));
        throw new IllegalArgumentException("unknown device '" + text + "': expected auto, cpu, cuda or cuda:N (N = 0, 1, ...)");
    }

    /**
     * The default device: the system property {@value #PROPERTY} if set ({@link #parse}), else
     * {@link #auto()}.
     *
     * @throws IllegalArgumentException naming the property when its value is not a device
     */
    public static Device configured() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) return auto();
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + PROPERTY + ": " + e.getMessage(), e);
        }
    }

    /**
     * This device if it can be used here.
     *
     * @throws DeviceUnavailableException naming why not: CUDA runtime library not found, no driver
     *     or too old a driver, no device, ordinal out of range, or no CUDA plugin in libtfree4j
     */
    public Device requireAvailable() {
        if (kind == Kind.CPU) return this;
        CudaDevices.Report r = CudaDevices.report(false);
        if (!r.ok()) throw new DeviceUnavailableException(this + " is not available: " + r.problem());
        if (ordinal >= r.gpus().size()) {
            throw new DeviceUnavailableException(this + " is not available: there " + (r.gpus().size() == 1
                    ? "is 1 CUDA device (cuda:0)" : "are " + r.gpus().size() + " CUDA devices (cuda:0 to cuda:"
                    + (r.gpus().size() - 1) + ")"));
        }
        String plugin = nativeCudaProblem();
        if (plugin != null) throw new DeviceUnavailableException(this + " is not available: " + plugin);
        return this;
    }

    /** Null when libtfree4j can run the CUDA backend, else its reason (e.g. no plugin in this build). */
    private static String nativeCudaProblem() {
        if (tfree4j_h.tf_backend_available(tfree4j_h.TF_BACKEND_CUDA()) == 1) return null;
        String why = tfree4j_h.tf_last_error().reinterpret(Long.MAX_VALUE).getString(0);
        return "libtfree4j cannot run CUDA: " + (why.isEmpty() ? "no reason given" : why);
    }

    public Kind kind() {
        return kind;
    }

    /** The CUDA device ordinal (0 for the CPU). */
    public int ordinal() {
        return ordinal;
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    /** Why {@link #auto()} chose this device; empty for a device chosen explicitly. */
    public String reason() {
        return reason;
    }

    /** Equal when kind and ordinal are (the reason is commentary). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.kind == kind && d.ordinal == ordinal;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, ordinal);
    }

    /** "cpu" or "cuda:N", as {@link #parse} reads it. */
    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + ordinal;
    }
}
