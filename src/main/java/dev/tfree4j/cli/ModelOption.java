package dev.tfree4j.cli;

import dev.tfree4j.ModelOptions;
import dev.tfree4j.BundledModel;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --model}, {@code --dictionary}, {@code --threads}, {@code --device}: which model to open and how. */
final class ModelOption {
    @Option(names = {"-m", "--model"}, paramLabel = "DIR",
            description = "Checkpoint directory (reference layout). Default: the bundled model.")
    Path model;

    @Option(names = "--dictionary", paramLabel = "FILE",
            description = "Dictionary: a pickled Counter (.pckl), a word list (.txt) or a tokenizer.pt.")
    Path dictionary;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Native threads (default: physical cores).")
    int threads;

    @Mixin DeviceOption device;

    Path directory() {
        return model != null ? model : BundledModel.locate();
    }

    ModelOptions options() {
        return ModelOptions.DEFAULT.withDictionary(dictionary).withThreads(threads).withDevice(device.device());
    }
}
