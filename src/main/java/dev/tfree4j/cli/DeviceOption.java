package dev.tfree4j.cli;

import dev.tfree4j.Device;
import picocli.CommandLine.Option;

/** {@code --device}: where a command's models run. */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "auto|cpu|cuda[:N]",
            description = "Where the model runs: auto (a usable GPU, else the CPU), cpu, cuda (= cuda:0) or cuda:N."
                    + " Default: the system property tfree4j.device, else auto. An unusable cuda choice is an error.")
    String device;

    /** The chosen device; null = the default (ModelOptions resolves it). */
    Device device() {
        return device == null ? null : Device.parse(device);
    }
}
