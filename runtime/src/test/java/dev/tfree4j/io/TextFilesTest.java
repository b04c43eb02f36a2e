package dev.tfree4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.TFreeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User-named text files: errors name the file and the real cause (issue 20: "Input length = 1", FIFO as "missing"). */
class TextFilesTest {
    @TempDir Path tmp;

    private void refused(Path file, String expected) {
        var e = assertThrows(TFreeException.class, () -> TextFiles.readUtf8(file, "text file"));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void readsUtf8AndNamesEachFailure() throws Exception {
        assertEquals("Größe 😀\n", TextFiles.readUtf8(Files.writeString(tmp.resolve("ok.txt"), "Größe 😀\n"), "text file"));
        refused(Files.write(tmp.resolve("latin1.txt"), new byte[] {'G', (byte) 0xF6, 'e'}), "is not valid UTF-8 text");
        refused(tmp.resolve("missing.txt"), "does not exist");
        refused(Files.createDirectory(tmp.resolve("dir")), "is not a regular file");
        Path fifo = tmp.resolve("fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) refused(fifo, "is not a regular file");
    }
}
