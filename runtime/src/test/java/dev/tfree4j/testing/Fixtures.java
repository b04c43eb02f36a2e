package dev.tfree4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared reference material ({@code ../shared} beside the repository).
 *
 * <p>Order: system property {@code tfree4j.shared}, environment variable {@code TFREE4J_SHARED},
 * then {@code <repo root>/../shared}. Where it is absent, tests are skipped with a clear message,
 * except in CI ({@code CI=true}), where the fixtures are always present and absence is a failure.
 */
public final class Fixtures {
    private Fixtures() {}

    /** The repository root (set by Maven as {@code tfree4j.root}), else the working directory's. */
    public static Path repoRoot() {
        String root = System.getProperty("tfree4j.root");
        if (root != null && !root.isBlank()) return Path.of(root).toAbsolutePath().normalize();
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("CMakeLists.txt"))) dir = dir.getParent();
        return dir == null ? Path.of("").toAbsolutePath() : dir;
    }

    /** The shared folder, or skips (fails in CI) the calling test. */
    public static Path shared() {
        String explicit = System.getProperty("tfree4j.shared", System.getenv("TFREE4J_SHARED"));
        Path shared = explicit != null ? Path.of(explicit) : repoRoot().resolve("../shared").normalize();
        require(Files.isDirectory(shared.resolve("fixtures")),
                "shared fixtures not found at " + shared
                        + " (set -Dtfree4j.shared=DIR or TFREE4J_SHARED)");
        return shared;
    }

    /** The reference fixture {@code fixtures/tfree-ref-a}. */
    public static Path refA() {
        return shared().resolve("fixtures/tfree-ref-a");
    }

    private static void require(boolean present, String message) {
        if (present) return;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message);
        Assumptions.abort(message);
    }
}
