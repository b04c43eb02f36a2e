package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.cli.Main;
import dev.tfree4j.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process, against the reference fixture. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String checkpoint() {
        return ReferenceFixture.dir().resolve("checkpoint").toString();
    }

    private static String dictionary() {
        return ReferenceFixture.dir().resolve("dictionary/top_words_counter.pckl").toString();
    }

    @Test
    void generateTimeoutStopsEarlyAndBadTimeoutsAreRejected() throws Exception {
        // 1000 words take far longer than a millisecond, so the deadline ends the generation.
        Run r = cli("generate", "--model", checkpoint(), "--dictionary", dictionary(), "--max-words", "1000",
                "--no-abort-eot", "--timeout", "0.001", "--json", "Tell me a story about");
        assertEquals(0, r.exit(), r.err());
        JsonNode got = JSON.readTree(r.out());
        assertEquals("timeout", got.get("stop_reason").asText());
        assertTrue(got.get("tokens").size() < 1000);
        for (String bad : List.of("0", "-1", "NaN")) {
            Run b = cli("generate", "--model", checkpoint(), "--timeout", bad, "x");
            assertTrue(b.exit() != 0, bad);
            assertTrue(b.err().contains("--timeout"), b.err());
        }
    }

    @Test
    void generateJsonMatchesTheReference() throws Exception {
        JsonNode ref = ReferenceFixture.prompt(0).get("generate");
        Run r = cli("generate", "--model", checkpoint(), "--dictionary", dictionary(), "--max-words", "8",
                "--log-probs", "5", "--json", ReferenceFixture.prompt(0).get("prompt").asText());
        assertEquals(0, r.exit(), r.err());
        JsonNode got = JSON.readTree(r.out());
        assertEquals(ref.get("completion"), got.get("completion"));
        assertEquals(ref.get("tokens"), got.get("tokens"));
        assertEquals(ref.get("token_ids"), got.get("token_ids"));
        assertEquals(8, got.get("log_probs").size());
        assertEquals(ref.get("log_probs").get(0).get(0).get(0), got.get("log_probs").get(0).get(0).get(0));
        assertTrue(got.get("timings").has("prefill_ms"));
    }

    @Test
    void generateStreamsText() {
        JsonNode ref = ReferenceFixture.prompt(5).get("generate");
        Run r = cli("generate", "-m", checkpoint(), "--dictionary", dictionary(), "--max-words", "8",
                ReferenceFixture.prompt(5).get("prompt").asText());
        assertEquals(0, r.exit(), r.err());
        assertEquals(ref.get("completion").asText() + System.lineSeparator(), r.out());
    }

    @Test
    void logitsWritesTheReferencePrefillLogits(@TempDir Path tmp) {
        Path out = tmp.resolve("logits.npy");
        Run r = cli("logits", "--model", checkpoint(), "--dictionary", dictionary(), "--out", out.toString(),
                ReferenceFixture.prompt(1).get("prompt").asText());
        assertEquals(0, r.exit(), r.err());
        ForwardParityTest.assertClose("logits --out", ReferenceFixture.array(1, "prefill_logits"), Npy.read(out).floats(), 1e-4);
        assertEquals(2, Npy.read(out).shape().length);
    }

    @Test
    void splitAndIdsMatchTheReference(@TempDir Path tmp) throws Exception {
        List<String> lines = new ArrayList<>();
        ReferenceFixture.promptIndices().forEach(i -> lines.add(JsonLine.of(ReferenceFixture.prompt(i).get("prompt").asText())));
        Path input = tmp.resolve("prompts.jsonl");
        Files.write(input, lines);

        Run split = cli("split", "--input-jsonl", input.toString());
        assertEquals(0, split.exit(), split.err());
        String[] splitLines = split.out().split("\n");
        Run ids = cli("ids", "--model", checkpoint(), "--input-jsonl", input.toString());
        assertEquals(0, ids.exit(), ids.err());
        String[] idLines = ids.out().split("\n");
        for (int i = 0; i < lines.size(); i++) {
            JsonNode prompt = ReferenceFixture.prompt(i);
            assertEquals(prompt.get("text_to_words"), JSON.readTree(splitLines[i]), "split of prompt " + i);
            JsonNode perWord = JSON.readTree(idLines[i]);
            JsonNode detail = prompt.get("words_detail");
            assertEquals(detail.size(), perWord.size());
            for (int w = 0; w < detail.size(); w++) {
                assertEquals(detail.get(w).get("vocab_ids_sorted_with_multiplicity"), perWord.get(w).get("ids"),
                        "ids of word " + w + " of prompt " + i);
            }
        }
        Run single = cli("split", "--json", "Hello  World");
        assertEquals("[\"Hello\",\"<|2<-ws->|>\",\"World\"]", single.out().strip());
    }

    @Test
    void errorsAreOneClearLineWithoutStackTrace(@TempDir Path tmp) {
        Run missing = cli("generate", "--model", tmp.resolve("nope").toString(), "hi");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("tfree4j: error: "), missing.err());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        assertFalse(missing.err().contains("\tat "), "no stack trace without --verbose");

        Run verbose = cli("generate", "--verbose", "--model", tmp.resolve("nope").toString(), "hi");
        assertEquals(1, verbose.exit());
        assertTrue(verbose.err().contains("\tat "), "stack trace with --verbose");

        String longPrompt = "word ".repeat(200);
        Run tooLong = cli("generate", "--model", checkpoint(), "--dictionary", dictionary(), longPrompt);
        assertEquals(1, tooLong.exit());
        assertTrue(tooLong.err().contains("sequence_length is 128"), tooLong.err());

        Run usage = cli("generate", "--max-words");
        assertEquals(2, usage.exit());
    }

    /** A JSON string literal. */
    static final class JsonLine {
        static String of(String s) {
            try {
                return JSON.writeValueAsString(s);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
