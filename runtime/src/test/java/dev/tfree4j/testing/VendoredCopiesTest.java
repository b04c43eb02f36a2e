package dev.tfree4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository vendors the shared specs ({@code docs/spec/}) and fixtures
 * ({@code testdata/fixtures/}) so that a fresh clone needs nothing beside it. Where the shared
 * folder is present (always in CI), the copies must be identical to it, file for file: a fixture
 * or spec updated there and not here would otherwise be tested against silently stale data.
 */
class VendoredCopiesTest {

    @Test
    void specsAreIdenticalToTheSharedOnes() {
        Path shared = Fixtures.shared().resolve("spec");
        assertSameTree(shared, Fixtures.repoRoot().resolve("docs/spec"));
    }

    @Test
    void fixturesAreIdenticalToTheSharedOnes() {
        Path shared = Fixtures.shared().resolve("fixtures");
        assertSameTree(shared, Fixtures.testData().resolve("fixtures"));
    }

    @Test
    void theParityFixtureIsVendored() {
        // Independent of ../shared: a fresh clone must hold the fixture every parity test reads.
        Path refA = Fixtures.refA();
        assertTrue(Files.isRegularFile(refA.resolve("manifest.json")), refA + " has no manifest.json");
        assertTrue(Files.isRegularFile(refA.resolve("checkpoint/transformer/transformer.pt")), refA + " has no checkpoint");
    }

    /** Every file under {@code shared} exists under {@code copy} with the same bytes, and no more. */
    private static void assertSameTree(Path shared, Path copy) {
        TreeSet<String> expected = relativeFiles(shared), actual = relativeFiles(copy);
        assertEquals(expected, actual, "the files of " + copy + " differ from " + shared);
        List<String> differing = new ArrayList<>();
        for (String f : expected) {
            try {
                if (Files.mismatch(shared.resolve(f), copy.resolve(f)) != -1) differing.add(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertEquals(List.of(), differing, "vendored copies under " + copy + " differ from " + shared
                + ": copy them again (cp -r)");
    }

    private static TreeSet<String> relativeFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            TreeSet<String> out = new TreeSet<>();
            files.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
