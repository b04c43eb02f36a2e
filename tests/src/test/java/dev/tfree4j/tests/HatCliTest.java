package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.io.Npy;
import dev.tfree4j.io.SafeTensors;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.testing.Fixtures;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HAT commands on hat-tiny-a against its goldens: {@code logits --model} (the teacher-forced
 * rows), {@code generate --model --json} (the greedy bytes, words, log-probs) and
 * {@code split --model} (the model's own encoding).
 */
class HatCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path fixture() {
        return Fixtures.fixture("hat-tiny-a");
    }

    static JsonNode golden() throws Exception {
        return JSON.readTree(fixture().resolve("golden/generate.json").toFile());
    }

    @Test
    void logitsWritesTheTeacherForcedRowsOfTheModelsEncoding(@TempDir Path tmp) throws Exception {
        String prompt = golden().get("forward").get(0).get("prompt").asText();  // starts with <|begin_of_text|>
        Path out = tmp.resolve("l.npy");
        CliTest.Run r = CliTest.cli("logits", "--model", fixture().toString(), "--out", out.toString(), prompt);
        assertEquals(0, r.exit(), r.err());
        Npy.Array got = Npy.read(out);
        try (Arena arena = Arena.ofConfined()) {
            Tensor want = SafeTensors.open(fixture().resolve("golden/forward.safetensors"), arena).tensors().get("p0.logits");
            assertEquals(java.util.List.of(want.dim(0), 256L), java.util.Arrays.stream(got.shape()).boxed().toList());
            float[] w = want.toFloatArray(), g = got.floats();
            for (int i = 0; i < w.length; i++) assertEquals(w[i], g[i], 1e-4, "value " + i);
        }
    }

    @Test
    void generateJsonGivesTheGreedyBytesWordsAndLogProbs() throws Exception {
        JsonNode g = golden().get("generate").get(4);
        CliTest.Run r = CliTest.cli("generate", "--model", fixture().toString(), "--max-bytes", "48", "--log-probs", "2",
                "--json", g.get("prompt").asText());
        assertEquals(0, r.exit(), r.err());
        JsonNode o = JSON.readTree(r.out());
        assertEquals(g.get("generated_hex").asText(), o.get("completion_hex").asText());
        assertEquals(g.get("generated_text").asText(), o.get("completion").asText());
        StringBuilder joined = new StringBuilder();
        for (JsonNode w : o.get("words_hex")) joined.append(w.asText());
        assertEquals(g.get("generated_hex").asText(), joined.toString());
        assertEquals(48, o.get("log_probs").size());
        JsonNode step = o.get("log_probs").get(0);
        assertEquals(step.get("byte").asInt(), step.get("top").get(0).get(0).asInt(), "greedy picks the top byte");
        assertEquals("max_bytes", o.get("stop_reason").asText());
        assertTrue(o.get("timings").get("decode_bytes_per_second").asDouble() > 0);

        CliTest.Run words = CliTest.cli("generate", "--model", fixture().toString(), "--max-words", "1", "--json",
                g.get("prompt").asText());
        assertEquals(0, words.exit(), words.err());
        assertEquals("max_words", JSON.readTree(words.out()).get("stop_reason").asText());
        CliTest.Run bad = CliTest.cli("generate", "--model", fixture().toString(), "--echo", "x");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("apply to T-FREE models"), bad.err());
    }

    @Test
    void splitWithTheModelUsesItsSpecialTokensAndWordSize() throws Exception {
        JsonNode prompt2 = golden().get("forward").get(2);
        CliTest.Run r = CliTest.cli("split", "--model", fixture().toString(), prompt2.get("prompt").asText());
        assertEquals(0, r.exit(), r.err());
        JsonNode o = JSON.readTree(r.out());
        assertEquals(prompt2.get("num_words").asInt(), o.get("words_hex").size());
        assertEquals("c1", o.get("words_hex").get(0).asText());
        assertEquals("<|begin_of_text|>", o.get("words").get(0).asText());
        // max_word_size 12: a 34-byte word is cut 12 + 12 + 10 (prompt 5's first word).
        CliTest.Run longWord = CliTest.cli("split", "--model", fixture().toString(), "Supercalifragilisticexpialidocious");
        JsonNode lw = JSON.readTree(longWord.out());
        assertEquals(3, lw.get("words_hex").size());
        assertEquals("Supercalifra", new String(HexFormat.of().parseHex(lw.get("words_hex").get(0).asText())));
    }
}
