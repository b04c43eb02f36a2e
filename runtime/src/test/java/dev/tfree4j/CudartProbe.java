package dev.tfree4j;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link CudaIsolationTest}: does something with devices, then prints
 * whether libcudart is mapped into this process ({@code /proc/self/maps}).
 * Modes: {@code cpu} (open the bundled model on Device.cpu() and generate), {@code default} (the
 * same with ModelOptions.DEFAULT: the device comes from -Dtfree4j.device), {@code auto}
 * (Device.auto()), {@code cuda} (open on cuda:0; prints the exception's message).
 */
public final class CudartProbe {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "cpu", "default" -> {
                ModelOptions options = ModelOptions.DEFAULT.withThreads(1);
                if (args[0].equals("cpu")) options = options.withDevice(Device.cpu());
                try (TFreeModel m = TFreeModel.open(BundledModel.locate(), options)) {
                    System.out.println("device " + m.device());
                    System.out.println("words " + m.generate("In the beginning", GenerateOptions.builder().maxWords(2).build()).tokens().size());
                }
            }
            case "auto" -> System.out.println("device " + Device.auto() + " reason " + Device.auto().reason());
            case "cuda" -> {
                try (TFreeModel m = TFreeModel.open(BundledModel.locate(), ModelOptions.DEFAULT.withDevice(Device.cuda(0)))) {
                    System.out.println("device " + m.device());
                } catch (DeviceUnavailableException e) {
                    System.out.println("unavailable " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        boolean mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.contains("libcudart"));
        System.out.println("libcudart mapped: " + mapped);
    }
}
