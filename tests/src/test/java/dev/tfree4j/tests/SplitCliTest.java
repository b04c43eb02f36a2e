package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tfree4j split}: the HAT scheme against the crate's golden cases; bad --input-jsonl files. */
class SplitCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every golden case of one byte limit through one --input-jsonl run: words_hex (and words) exact. */
    @Test
    void hatSchemeReproducesTheCrateOnEveryCase(@TempDir Path tmp) throws Exception {
        List<JsonNode> cases = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.fixture("hat-splitter").resolve("cases.jsonl"))) {
            if (!line.isBlank()) cases.add(JSON.readTree(line));
        }
        for (int limit : new int[] {100, 4, 1}) {
            List<JsonNode> chosen = cases.stream().filter(c -> c.get("max_bytes").asInt() == limit && !c.get("text").asText().isEmpty()).toList();
            assertTrue(chosen.size() > 50, "cases with limit " + limit + ": " + chosen.size());
            StringBuilder input = new StringBuilder();
            for (JsonNode c : chosen) input.append(JSON.writeValueAsString(c.get("text").asText())).append('\n');
            Path file = Files.writeString(tmp.resolve("in-" + limit + ".jsonl"), input);
            CliTest.Run r = CliTest.cli("split", "--scheme", "hat", "--max-bytes", String.valueOf(limit), "--input-jsonl", file.toString());
            assertEquals(0, r.exit(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(chosen.size(), lines.size());
            for (int i = 0; i < chosen.size(); i++) {
                JsonNode expected = chosen.get(i), actual = JSON.readTree(lines.get(i));
                assertEquals(expected.get("words_hex"), actual.get("words_hex"), "case " + expected.get("id"));
                assertEquals(expected.get("words"), actual.get("words"), "case " + expected.get("id") + " words");
            }
        }
    }

    @Test
    void hatSchemeOnTheCommandLine() {
        CliTest.Run r = CliTest.cli("split", "--scheme", "hat", "--json", "Hello, world!");
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"words_hex\":[\"48656c6c6f2c\",\"20776f726c6421\"],\"words\":[\"Hello,\",\" world!\"]}", r.out().strip());
        CliTest.Run cut = CliTest.cli("split", "--scheme", "hat", "--max-bytes", "2", "\uD83C\uDF1D");  // 🌝: 4 bytes
        assertEquals(0, cut.exit(), cut.err());
        assertEquals(List.of("0xf09f", "0x8c9d"), cut.out().lines().toList());
        CliTest.Run bad = CliTest.cli("split", "--max-bytes", "4", "x");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("--scheme hat only"), bad.err());
    }

    @Test
    void inputJsonlMustBeARegularFileOfValidText(@TempDir Path tmp) throws Exception {
        Path surrogate = Files.writeString(tmp.resolve("s.jsonl"), "\"ok\"\n\"bad \\ud800 here\"\n");
        CliTest.Run r = CliTest.cli("split", "--input-jsonl", surrogate.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.err().contains(":2:") && r.err().contains("unpaired surrogate"), r.err());

        Path fifo = tmp.resolve("in.fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available");
        CliTest.Run f = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> CliTest.cli("split", "--input-jsonl", fifo.toString()));
        assertEquals(1, f.exit());
        assertTrue(f.err().contains("not a regular file"), f.err());
    }
}
