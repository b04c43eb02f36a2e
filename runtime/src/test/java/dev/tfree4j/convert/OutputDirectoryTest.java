package dev.tfree4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a conversion may write (RELIABILITY.md, "convert"): never into, over or around the
 * source, never the working directory, and with --force only over an empty directory or a
 * converted model. Each refusal must come before anything is created or deleted.
 */
class OutputDirectoryTest {
    @TempDir Path tmp;
    private Path source;

    @BeforeEach
    void makeSource() throws IOException {
        source = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(source.resolve("transformer"));
        Files.writeString(source.resolve("transformer/transformer.pt"), "weights");
    }

    private IllegalArgumentException refused(Path target, boolean force, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutputDirectory.prepare(source, target, force));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        return e;
    }

    private void assertSourceIntact() throws IOException {
        assertEquals("weights", Files.readString(source.resolve("transformer/transformer.pt")));
        try (Stream<Path> entries = Files.list(source)) {
            assertEquals(List.of(source.resolve("transformer")), entries.toList(), "nothing added to the source");
        }
    }

    @Test
    void neverInsideTheSource() throws IOException {
        refused(source.resolve("config.json"), false, "is inside the source model");
        refused(source.resolve("transformer/transformer.pt"), true, "is inside the source model");
        refused(source.resolve("sub/dir/model"), true, "is inside the source model");
        assertSourceIntact();
    }

    @Test
    void neverTheSourceOrADirectoryContainingIt() throws IOException {
        refused(source, true, "is or contains the source model");
        refused(tmp, true, "is or contains the source model");
        refused(source.resolve("transformer/.."), true, "is or contains the source model");
        assertSourceIntact();
    }

    @Test
    void neverTheWorkingDirectoryOrAnAncestor() {
        Path cwd = Path.of("").toAbsolutePath();
        refused(Path.of("."), true, "working directory");
        refused(cwd.getParent(), true, "working directory");
    }

    @Test
    void forceReplacesOnlyAnEmptyDirectoryOrAConvertedModel() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("thesis.tex"), "precious");
        refused(data, false, "already exists; pass --force");
        refused(data, true, "neither empty nor a converted model");
        assertEquals("precious", Files.readString(data.resolve("thesis.tex")));

        Path file = Files.writeString(tmp.resolve("notes.txt"), "precious");
        refused(file, true, "is not a directory");
        assertEquals("precious", Files.readString(file));

        Path notAModel = Files.createDirectories(tmp.resolve("other-model"));
        Files.writeString(notAModel.resolve("config.json"), "{\"format\": \"something-else\"}");
        refused(notAModel, true, "neither empty nor a converted model");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        OutputDirectory.prepare(source, empty, true).abandon();
        assertTrue(Files.isDirectory(empty), "an abandoned conversion leaves the old target");

        Path converted = Files.createDirectories(tmp.resolve("converted"));
        Files.writeString(converted.resolve("config.json"), "{\"format\": \"tfree4j-model\", \"version\": 1}");
        OutputDirectory out = OutputDirectory.prepare(source, converted, true);
        Files.writeString(out.temp().resolve("config.json"), "new");
        out.commit();
        assertEquals("new", Files.readString(converted.resolve("config.json")));
    }

    @Test
    void aFailedConversionLeavesNoCreatedParentsBehind() throws IOException {
        Path target = tmp.resolve("a/b/c/model");
        OutputDirectory out = OutputDirectory.prepare(source, target, false);
        assertTrue(Files.isDirectory(out.temp()));
        out.abandon();
        assertFalse(Files.exists(tmp.resolve("a")), "the parents the conversion created are gone");

        // A parent that existed before stays, with whatever it held.
        Path kept = Files.createDirectories(tmp.resolve("kept"));
        OutputDirectory.prepare(source, kept.resolve("x/model"), false).abandon();
        assertTrue(Files.isDirectory(kept));
        assertFalse(Files.exists(kept.resolve("x")));
    }
}
