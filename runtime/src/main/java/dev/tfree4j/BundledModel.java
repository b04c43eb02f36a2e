package dev.tfree4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the default model that ships with tfree4j ({@code models/tfree-kjv-small} in the
 * checkout). Order: system property {@code tfree4j.model}, environment variable
 * {@code TFREE4J_MODEL}, {@code <tfree4j.root>/models/NAME} (the launcher sets tfree4j.root),
 * then {@code ./models/NAME}.
 */
public final class BundledModel {
    /** The folder name of the bundled model under models/. */
    public static final String NAME = "tfree-kjv-small";

    private BundledModel() {}

    public static Path locate() {
        String explicit = System.getProperty("tfree4j.model", System.getenv("TFREE4J_MODEL"));
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        List<Path> tried = new ArrayList<>();
        String root = System.getProperty("tfree4j.root");
        if (root != null && !root.isBlank()) tried.add(Path.of(root, "models", NAME));
        tried.add(Path.of("models", NAME).toAbsolutePath());
        for (Path dir : tried) {
            if (Files.isDirectory(dir)) return dir;
        }
        throw new TFreeException("the bundled model was not found (looked in " + tried
                + "); pass a model directory, or set -Dtfree4j.model=DIR or TFREE4J_MODEL");
    }
}
