package dev.tfree4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.bindings.cuda.CudaLibrary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A CPU choice never loads the CUDA runtime: checked in fresh JVMs ({@link CudartProbe}), because
 * this test JVM has loaded libcudart for other tests. {@code /proc/self/maps} is Linux's.
 */
class CudaIsolationTest {

    static String probe(String mode, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        for (String p : new String[] {"tfree4j.root", "tfree4j.library.path", "tfree4j.model"}) {
            if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
        }
        cmd.addAll(List.of(jvmArgs));
        cmd.add(CudartProbe.class.getName());
        cmd.add(mode);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe " + mode + " hung:\n" + out);
        assertEquals(0, p.exitValue(), "probe " + mode + " failed:\n" + out);
        return out;
    }

    static void assumeLinux() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "no /proc/self/maps (not Linux)");
    }

    @Test
    void aModelOnTheCpuNeverLoadsLibcudart() throws Exception {
        assumeLinux();
        String out = probe("cpu");
        assertTrue(out.contains("device cpu") && out.contains("words 2"), out);
        assertTrue(out.contains("libcudart mapped: false"), out);
    }

    @Test
    void theDevicePropertyCpuNeverLoadsLibcudart() throws Exception {
        assumeLinux();
        String out = probe("default", "-D" + Device.PROPERTY + "=cpu");
        assertTrue(out.contains("device cpu") && out.contains("words 2"), out);
        assertTrue(out.contains("libcudart mapped: false"), out);
    }

    /** The control: the check does see libcudart when discovery loads it (where it is installed). */
    @Test
    void autoLoadsLibcudartWhereItIsInstalled() throws Exception {
        assumeLinux();
        Assumptions.assumeTrue(CudaLibrary.problem() == null, "no CUDA runtime here: " + CudaLibrary.problem());
        String out = probe("auto");
        assertTrue(out.contains("libcudart mapped: true"), out);
    }

    /** An override naming a library that is not there: "not found" with the path, and no fallback. */
    @Test
    void aCudartOverrideThatIsNotThereIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeLinux();
        Path missing = dir.resolve("lib/libcudart.so.13");
        String out = probe("cuda", "-D" + CudaLibrary.PATH_PROPERTY + "=" + missing);
        assertTrue(out.contains("unavailable cuda:0 is not available: CUDA runtime library not found"), out);
        assertTrue(out.contains(missing.toString()), out);
        assertTrue(out.contains("libcudart mapped: false"), out);
    }
}
