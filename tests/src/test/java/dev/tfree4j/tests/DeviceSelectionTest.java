package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.Device;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.engine.NativeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The test suite runs on the device of -Dtfree4j.device (the parent pom passes it on; default
 * cpu, native/tools/gpu_test.sh sets cuda). The models the tests open must really be there: with
 * tfree4j.device=cuda and no usable GPU this test — and every test that opens a model — fails
 * with DeviceUnavailableException instead of quietly running on the CPU.
 */
class DeviceSelectionTest {

    @Test
    void fixtureModelsOpenOnTheConfiguredDevice() {
        String property = System.getProperty(Device.PROPERTY);
        assertTrue(property != null && !property.isBlank(), "the pom passes " + Device.PROPERTY + " to the tests");
        Device wanted = Device.parse(property);
        try (TFreeModel m = ReferenceFixture.open()) {
            assertEquals(wanted, m.device(), "the reference fixture model's device");
        }
        try (TFreeModel m = TFreeModel.openDefault()) {
            assertEquals(wanted, m.device(), "the bundled model's device");
        }
    }

    @Test
    void devicesCommandListsTheCpuAndSaysWhyThereIsNoGpu() {
        CliTest.Run r = CliTest.cli("devices");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(String.format("cpu: %d physical cores, SIMD %s", dev.tfree4j.bindings.tfree4j_h.tf_cpu_physical_cores(),
                NativeContext.bestSimd().name().toLowerCase(Locale.ROOT)), lines[0]);
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidiactl")), "this machine has an NVIDIA driver");
        assertTrue(lines[1].startsWith("cuda: none (") && (lines[1].contains("driver") || lines[1].contains("not found")), r.out());
        assertTrue(lines[2].startsWith("auto: cpu (CPU, because "), r.out());
        assertEquals(3, lines.length, r.out());
    }

    @Test
    void anUnusableCudaDeviceIsAnErrorOnTheCommandLine() {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidiactl")), "this machine has an NVIDIA driver");
        CliTest.Run r = CliTest.cli("generate", "--device", "cuda:0", "--model", BundledModel.locate().toString(), "In the beginning");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("tfree4j: error: cuda:0 is not available: "), r.err());
        assertEquals("", r.out());
        r = CliTest.cli("generate", "--device", "tpu", "x");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("unknown device 'tpu'"), r.err());
        r = CliTest.cli("generate", "--device", "cpu", "--max-words", "2", "In the beginning");
        assertEquals(0, r.exit(), r.err());
    }
}
