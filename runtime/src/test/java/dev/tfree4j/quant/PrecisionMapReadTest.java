package dev.tfree4j.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** precision.json / --int8 PLAN is parsed as strictly as the configs, and only from a regular file. */
class PrecisionMapReadTest {
    @TempDir Path tmp;

    private static final String VALID = "{\"format\": \"" + PrecisionMap.FORMAT + "\", \"version\": 1, \"activations\": \"a8\","
            + " \"int8\": [\"transformer.layers.0.mlp.swiglu.weight\"]}";

    private ModelFormatException refused(String json, String expected) throws IOException {
        Path file = Files.writeString(tmp.resolve("plan.json"), json);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> PrecisionMap.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        return e;
    }

    @Test
    void aValidMapReads() throws IOException {
        PrecisionMap m = PrecisionMap.read(Files.writeString(tmp.resolve("ok.json"), VALID));
        assertEquals(List.of("transformer.layers.0.mlp.swiglu.weight"), List.copyOf(m.int8()));
    }

    @Test
    void duplicateKeysAndTrailingGarbageAreErrors() throws IOException {
        refused(VALID.replace("\"version\": 1,", "\"version\": 1, \"version\": 1,"), "Duplicate field 'version'");
        refused(VALID + " {}", "Trailing token");
        refused(VALID + " garbage", "not valid JSON");
        refused("[1, 2]", "must be a JSON object");
    }

    @Test
    void onlyARegularFileOfBoundedSizeIsRead() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dir.json"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> PrecisionMap.read(dir));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());

        Path big = Files.writeString(tmp.resolve("big.json"), " ".repeat((int) PrecisionMap.MAX_FILE_BYTES) + VALID);
        e = assertThrows(ModelFormatException.class, () -> PrecisionMap.read(big));
        assertTrue(e.getMessage().contains("at most " + PrecisionMap.MAX_FILE_BYTES), e.getMessage());

        Path missing = tmp.resolve("missing.json");
        e = assertThrows(ModelFormatException.class, () -> PrecisionMap.read(missing));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());

        // A FIFO would block the reader forever (nobody writes it): refused at once.
        Path fifo = tmp.resolve("plan.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        ModelFormatException f = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ModelFormatException.class, () -> PrecisionMap.read(fifo)));
        assertTrue(f.getMessage().contains("not a regular file"), f.getMessage());
    }
}
