package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line arguments are taken literally: no picocli "@FILE" expansion (issue 20). */
class CliArgumentsTest {
    @Test
    void anArgumentStartingWithAtIsTextNotAFileToRead(@TempDir Path tmp) throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "root:x:0:0:SECRET-LINE\n");
        CliTest.Run r = CliTest.cli("split", "--json", "@" + secret);
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.out().contains("SECRET-LINE") || r.err().contains("SECRET-LINE"), "the file was read: " + r.out() + r.err());
        assertTrue(r.out().contains("secret"), "the argument itself was split: " + r.out());
    }
}
