package dev.tfree4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the reference fixtures. The repository vendors them under {@code testdata/fixtures/}
 * (copies of {@code ../shared/fixtures/}, kept identical by {@code VendoredCopiesTest}), so a
 * fresh clone runs every parity test with nothing beside it.
 *
 * <p>{@link #shared()} is the original shared folder, needed only to check the copies: system
 * property {@code tfree4j.shared}, environment variable {@code TFREE4J_SHARED}, then
 * {@code <repo root>/../shared}. Where it is absent, that check is skipped with a clear message,
 * except in CI ({@code CI=true}), where the folder is always present and absence is a failure.
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

    /** The repository's vendored test data, {@code <repo root>/testdata}. */
    public static Path testData() {
        return repoRoot().resolve("testdata");
    }

    /** A vendored fixture, {@code testdata/fixtures/<name>}; fails when the repository lacks it. */
    public static Path fixture(String name) {
        Path dir = testData().resolve("fixtures").resolve(name);
        if (!Files.isDirectory(dir)) Assertions.fail("vendored fixture missing: " + dir + " (copy it from ../shared/fixtures)");
        return dir;
    }

    /** The reference fixture {@code tfree-ref-a}: a tiny T-FREE checkpoint and the reference's outputs. */
    public static Path refA() {
        return fixture("tfree-ref-a");
    }

    private static void require(boolean present, String message) {
        if (present) return;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message);
        Assumptions.abort(message);
    }
}
