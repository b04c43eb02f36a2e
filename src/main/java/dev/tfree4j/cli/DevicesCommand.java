package dev.tfree4j.cli;

import dev.tfree4j.CudaDevices;
import dev.tfree4j.Device;
import dev.tfree4j.GpuInfo;
import dev.tfree4j.bindings.tfree4j_h;
import dev.tfree4j.engine.NativeContext;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tfree4j devices}: the CPU and each CUDA GPU, or why there is none, and what auto picks. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the devices models can run on: the CPU and each CUDA GPU (or why there is none).")
final class DevicesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("cpu: %d physical cores, SIMD %s%n", tfree4j_h.tf_cpu_physical_cores(),
                NativeContext.bestSimd().name().toLowerCase(Locale.ROOT));
        CudaDevices.Report r = CudaDevices.report(true);
        if (!r.ok()) {
            out.println("cuda: none (" + r.problem() + ")");
        } else {
            out.println("cuda: runtime " + CudaDevices.version(r.runtimeVersion()) + " (" + r.runtimePath() + "), driver supports CUDA "
                    + CudaDevices.version(r.driverVersion()));
            for (GpuInfo g : r.gpus()) {
                out.printf("cuda:%d: %s, compute capability %s, %d SMs, memory %s total, %s free%n", g.ordinal(), g.name(),
                        g.computeCapability(), g.multiprocessors(), gib(g.totalMemory()),
                        g.freeMemory() < 0 ? "?" : gib(g.freeMemory()));
            }
        }
        Device auto = Device.auto();
        out.println("auto: " + auto + " (" + auto.reason().replaceFirst("^auto: ", "") + ")");
        out.flush();
        return 0;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
