package dev.tfree4j.cli;

import dev.tfree4j.TFreeException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the bundled default model lives: models/ in the tfree4j checkout (or -Dtfree4j.model). */
final class DefaultModel {
    static final String NAME = "tfree-kjv-small";

    private DefaultModel() {}

    static Path locate() {
        String explicit = System.getProperty("tfree4j.model", System.getenv("TFREE4J_MODEL"));
        if (explicit != null) return Path.of(explicit);
        String root = System.getProperty("tfree4j.root");
        Path dir = Path.of(root == null ? "." : root, "models", NAME);
        if (!Files.isDirectory(dir)) {
            throw new TFreeException("no --model given and the bundled model is not at " + dir
                    + " (set --model DIR or TFREE4J_MODEL)");
        }
        return dir;
    }
}
