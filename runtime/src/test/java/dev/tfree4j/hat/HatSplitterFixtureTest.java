package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden splits of the real crate {@code hat-splitter} v0.1.10 (testdata/fixtures/hat-splitter,
 * 3,385 cases): every word byte for byte, and exactly the crate's prefix-causality exceptions.
 */
class HatSplitterFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> cases() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.fixture("hat-splitter").resolve("cases.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) out.add(JSON.readTree(line));
        }
        assertEquals(3385, out.size(), "cases in cases.jsonl");
        return out;
    }

    @Test
    void everyCaseSplitsExactlyLikeTheCrate() throws IOException {
        List<String> failures = new ArrayList<>();
        for (JsonNode c : cases()) {
            String text = c.get("text").asText();
            int maxBytes = c.get("max_bytes").asInt();
            List<String> expected = new ArrayList<>();
            c.get("words_hex").forEach(w -> expected.add(w.asText()));
            List<String> actual = hex(HatSplitter.splitWithLimit(text, maxBytes));
            if (!expected.equals(actual)) {
                failures.add("case " + c.get("id") + " " + JSON.valueToTree(text) + " limit " + maxBytes
                        + "\n  expected " + expected + "\n  actual   " + actual);
            }
            // The byte-array entry point agrees with the String one.
            assertEquals(actual, hex(HatSplitter.splitWithLimit(text.getBytes(StandardCharsets.UTF_8), maxBytes)));
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " cases differ");
    }

    @Test
    void unlimitedSplitGivesTheWordsAsStrings() throws IOException {
        for (JsonNode c : cases()) {
            if (c.get("max_bytes").asInt() != 100 || !c.has("words")) continue;
            String text = c.get("text").asText();
            if (text.getBytes(StandardCharsets.UTF_8).length > 100) continue; // no word can reach the limit
            List<String> expected = new ArrayList<>();
            c.get("words").forEach(w -> expected.add(w.asText()));
            assertEquals(expected, HatSplitter.split(text), () -> "case " + c.get("id"));
        }
    }

    @Test
    void theCratesPrefixCausalityExceptionsAreReproducedExactly() throws IOException {
        List<String> failures = new ArrayList<>();
        int flagged = 0;
        for (JsonNode c : cases()) {
            List<Integer> expected = new ArrayList<>();
            if (c.has("non_causal_prefix_chars")) c.get("non_causal_prefix_chars").forEach(n -> expected.add(n.asInt()));
            if (!expected.isEmpty()) flagged++;
            List<Integer> actual = PrefixCheck.nonCausalPrefixLengths(c.get("text").asText(), c.get("max_bytes").asInt());
            if (!expected.equals(actual)) failures.add("case " + c.get("id") + ": expected " + expected + ", actual " + actual);
        }
        assertEquals(27, flagged, "cases flagged non-causal in the fixture");
        assertEquals(List.of(), failures);
    }

    private static List<String> hex(List<byte[]> words) {
        List<String> out = new ArrayList<>(words.size());
        for (byte[] w : words) out.add(HexFormat.of().formatHex(w));
        return out;
    }
}
