package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dictionary files that are empty or not word lists at all (issue 20). */
class DictionaryFileTest {
    private static ModelFormatException refused(Path dictionary) {
        Path checkpoint = ReferenceFixture.dir().resolve("checkpoint");
        return assertThrows(ModelFormatException.class,
                () -> TFreeModel.open(checkpoint, ModelOptions.DEFAULT.withDictionary(dictionary)).close());
    }

    @Test
    void anEmptyWordListIsRefused(@TempDir Path tmp) throws IOException {
        for (String content : new String[] {"", "\n\n"}) {
            Path list = Files.writeString(tmp.resolve("words.txt"), content);
            var e = refused(list);
            assertTrue(e.getMessage().startsWith(list.toString()) && e.getMessage().contains("holds no words"), e.getMessage());
        }
    }

    /** A "dictionary" that is really another file (a symlink to /etc/shadow) is not echoed into the error. */
    @Test
    void aFileThatIsNotAWordListIsNotEchoedBack(@TempDir Path tmp) throws IOException {
        String secret = "S".repeat(60);
        Path shadow = Files.writeString(tmp.resolve("shadow"), "root:$y$j9T$" + secret + ":19000:0:99999:7:::\n");
        Path list = Files.createSymbolicLink(tmp.resolve("words.txt"), shadow);
        var e = refused(list);
        assertTrue(e.getMessage().contains("splits into"), e.getMessage());
        assertFalse(e.getMessage().contains(secret.substring(0, 40)) || e.getMessage().contains("99999"), e.getMessage());

        Path escapes = Files.writeString(tmp.resolve("esc.txt"), "the\nred\u001b[31mword\n");
        var esc = refused(escapes);
        assertFalse(esc.getMessage().contains("\u001b"), "a terminal escape reached the message: " + esc.getMessage());
    }
}
