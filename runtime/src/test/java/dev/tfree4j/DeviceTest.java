package dev.tfree4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Device: parsing, the default from the system property, and what happens without a usable GPU. */
class DeviceTest {

    @Test
    void parsesTheFourForms() {
        assertEquals(Device.cpu(), Device.parse("cpu"));
        assertEquals(Device.cuda(0), Device.parse("cuda"));
        assertEquals(Device.cuda(0), Device.parse("cuda:0"));
        assertEquals(Device.cuda(3), Device.parse(" cuda:3 "));
        assertEquals(Device.Kind.CUDA, Device.parse("cuda:7").kind());
        assertEquals(7, Device.parse("cuda:7").ordinal());
        assertTrue(Device.parse("auto").kind() == Device.Kind.CPU || Device.parse("auto").kind() == Device.Kind.CUDA);
        assertEquals("cuda:2", Device.cuda(2).toString());
        assertEquals("cpu", Device.cpu().toString());
        assertEquals(Device.cuda(5), Device.parse(Device.cuda(5).toString()));
        assertNotEquals(Device.cuda(0), Device.cuda(1));
        assertNotEquals(Device.cpu(), Device.cuda(0));
        assertEquals("", Device.cuda(1).reason(), "an explicit choice has no auto reason");
    }

    @Test
    void refusesWhatIsNotADevice() {
        for (String bad : new String[] {"gpu", "CUDA", "cuda:", "cuda:-1", "cuda:x", "cuda:1:2", "cpu0", "", "cuda:9999999999"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad), bad);
            assertTrue(e.getMessage().contains("expected auto, cpu, cuda or cuda:N"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Device.parse(null));
        var e = assertThrows(IllegalArgumentException.class, () -> Device.cuda(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void theSystemPropertyIsTheDefault() {
        String saved = System.getProperty(Device.PROPERTY);
        try {
            System.setProperty(Device.PROPERTY, "cpu");
            assertEquals(Device.cpu(), Device.configured());
            assertEquals(Device.cpu(), ModelOptions.DEFAULT.resolvedDevice());
            System.setProperty(Device.PROPERTY, "cuda:2");
            assertEquals(Device.cuda(2), Device.configured());
            assertEquals(Device.cpu(), ModelOptions.DEFAULT.withDevice(Device.cpu()).resolvedDevice(), "an explicit device wins");
            System.setProperty(Device.PROPERTY, "tpu");
            var e = assertThrows(IllegalArgumentException.class, Device::configured);
            assertTrue(e.getMessage().contains(Device.PROPERTY) && e.getMessage().contains("tpu"), e.getMessage());
        } finally {
            if (saved == null) System.clearProperty(Device.PROPERTY);
            else System.setProperty(Device.PROPERTY, saved);
        }
    }

    /** No NVIDIA driver on this machine (no /dev/nvidiactl): the checks below know what must happen. */
    static void assumeNoGpu() {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidiactl")), "this machine has an NVIDIA driver");
    }

    /** A reason that names the missing piece: the runtime library, or the driver it needs. */
    static boolean namesTheCudaCause(String message) {
        return message.contains("CUDA runtime library not found") || message.contains("cudaErrorInsufficientDriver")
                || message.contains("cudaErrorNoDevice") || message.contains("driver");
    }

    @Test
    void autoFallsBackToTheCpuWithTheReason() {
        assumeNoGpu();
        Device d = Device.auto();
        assertEquals(Device.cpu(), d);
        assertTrue(d.reason().startsWith("auto: CPU, because "), d.reason());
        assertTrue(namesTheCudaCause(d.reason()), d.reason());
    }

    /** Here libcudart 13 is installed but there is no driver: the runtime's own words must come through. */
    @Test
    void withTheRuntimeButNoDriverTheReasonQuotesTheRuntime() {
        assumeNoGpu();
        CudaDevices.Report r = CudaDevices.report(true);
        Assumptions.assumeTrue(r.runtimePath() != null, "no CUDA runtime library here: " + r.problem());
        assertEquals(13, r.runtimeVersion() / 1000, "runtime " + r.runtimeVersion());
        assertEquals(0, r.driverVersion(), "driver version without a driver");
        assertTrue(r.gpus().isEmpty());
        assertTrue(r.problem().contains("CUDA driver version is insufficient"), r.problem());
        assertTrue(r.problem().contains("driver: none installed"), r.problem());
        assertTrue(Device.auto().reason().contains("CUDA driver version is insufficient"), Device.auto().reason());
    }

    @Test
    void anExplicitCudaDeviceThatCannotBeMetThrowsNamingWhy() {
        assumeNoGpu();
        var e = assertThrows(DeviceUnavailableException.class, () -> Device.cuda(0).requireAvailable());
        assertTrue(e.getMessage().startsWith("cuda:0 is not available: "), e.getMessage());
        assertTrue(namesTheCudaCause(e.getMessage()), e.getMessage());
        assertTrue(e instanceof TFreeException);
        assertEquals(Device.cpu(), Device.cpu().requireAvailable());
    }

    /** Opening a model on an unavailable GPU fails; it never runs on the CPU instead. */
    @Test
    void openingAModelOnAnUnavailableGpuFails() {
        assumeNoGpu();
        var e = assertThrows(DeviceUnavailableException.class,
                () -> TFreeModel.open(BundledModel.locate(), ModelOptions.DEFAULT.withDevice(Device.cuda(1))));
        assertTrue(e.getMessage().startsWith("cuda:1 is not available"), e.getMessage());
    }

    @Test
    void aModelOpenedOnTheCpuRunsThere() {
        try (TFreeModel m = TFreeModel.open(BundledModel.locate(), ModelOptions.DEFAULT.withDevice(Device.cpu()).withThreads(1))) {
            assertEquals(Device.cpu(), m.device());
        }
    }
}
