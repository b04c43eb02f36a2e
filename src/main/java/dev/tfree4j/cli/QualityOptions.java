package dev.tfree4j.cli;

import dev.tfree4j.ActivationMode;
import dev.tfree4j.BundledModel;
import dev.tfree4j.TFreeException;
import dev.tfree4j.io.TextFiles;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by {@code divergence} and {@code quantize-plan}: the prompt set and N. */
final class QualityOptions {
    @Option(names = "--prompts", paramLabel = "FILE",
            description = "Prompts, one per line (default: the shipped set, models/prompts/prompts.txt).")
    Path prompts;

    @Option(names = "--limit", paramLabel = "K", defaultValue = "0",
            description = "Use only the first K prompts (0 = all).")
    int limit;

    @Option(names = "--words", paramLabel = "N", defaultValue = "100",
            description = "Length N of the base model's greedy continuation per prompt (default: ${DEFAULT-VALUE}).")
    int words;

    @Option(names = "--near-tie", paramLabel = "EPS", defaultValue = "1e-3",
            description = "Divergences where the base's top-1/top-2 margin is below EPS nats are flagged near-tie.")
    float nearTie;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    List<String> readPrompts() {
        Path file = prompts != null ? prompts : BundledModel.locate().getParent().resolve("prompts/prompts.txt");
        if (words < 1) throw new IllegalArgumentException("--words must be >= 1, got " + words);
        if (limit < 0) throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        List<String> lines = TextFiles.readUtf8(file, "prompt file").lines().filter(s -> !s.isBlank()).toList();
        if (lines.isEmpty()) throw new TFreeException(file + ": the prompt file has no prompts (one per line)");
        return limit > 0 && limit < lines.size() ? lines.subList(0, limit) : lines;
    }

    static ActivationMode activations(String value) {
        return switch (value) {
            case "a16", "a32" -> ActivationMode.FLOAT;
            case "a8" -> ActivationMode.INT8;
            default -> throw new IllegalArgumentException("activations must be a16 or a8, got " + value);
        };
    }
}
