package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ExplainItem;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.Explanation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tfree4j explain}, run in-process on the reference fixture model. */
class ExplainCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "The quick brown fox jumps over the lazy dog.\n\nThen it <slept> & dreamt.";
    private static final String TARGET = " And then";

    private static String[] args(String... extra) {
        String[] base = {"explain", "--model", ReferenceFixture.dir().resolve("checkpoint").toString(), "--dictionary",
                ReferenceFixture.dir().resolve("dictionary/top_words_counter.pckl").toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void jsonHasTheHostedApiShapeAndTheLibrarysNumbers() throws Exception {
        CliTest.Run r = CliTest.cli(args("--json", "--granularity", "word", "--target", TARGET, PROMPT));
        assertEquals(0, r.exit(), r.err());
        JsonNode root = JSON.readTree(r.out());
        assertEquals(1, root.get("explanations").size());
        JsonNode ex = root.get("explanations").get(0);
        assertEquals(TARGET, ex.get("target").asText());
        Explanation want;
        try (TFreeModel m = ReferenceFixture.open()) {
            want = m.explain(ExplainRequest.builder(PROMPT).target(TARGET)
                    .promptGranularity(dev.tfree4j.explain.PromptGranularity.WORD).build()).explanations().getFirst();
        }
        assertEquals(want.items().size(), ex.get("items").size());
        for (int i = 0; i < want.items().size(); i++) {
            JsonNode item = ex.get("items").get(i);
            ExplainItem w = want.items().get(i);
            for (String field : new String[] {"start", "length", "score", "baseline_logprob", "perturbed_logprob"}) {
                assertTrue(item.has(field), field);
            }
            assertEquals(w.start(), item.get("start").asInt());
            assertEquals(w.length(), item.get("length").asInt());
            assertEquals(w.score(), item.get("score").asDouble(), 0.0);
            assertEquals(w.baselineLogProb(), item.get("baseline_logprob").asDouble(), 0.0);
            assertEquals(w.perturbedLogProb(), item.get("perturbed_logprob").asDouble(), 0.0);
            String source = item.get("type").asText().equals("prompt") ? PROMPT : TARGET;
            assertEquals(source.substring(w.start(), w.start() + w.length()), item.get("text").asText());
        }
        assertEquals("word", root.get("settings").get("prompt_granularity").asText());
        assertEquals(0.1, root.get("settings").get("control_factor").asDouble(), 1e-7);
        assertTrue(root.get("settings").get("control_log_additive").asBoolean());
    }

    @Test
    void generateAndPerWordGiveOneExplanationPerGeneratedWord() throws Exception {
        CliTest.Run r = CliTest.cli(args("--json", "--generate", "3", "--per-word", "--mode", "mult", "--post", "square",
                "--normalize", "--layers", "0,1", "--conceptual", "0.6", PROMPT));
        assertEquals(0, r.exit(), r.err());
        JsonNode root = JSON.readTree(r.out());
        assertEquals(3, root.get("target_words").size());
        assertEquals(3, root.get("explanations").size());
        for (int t = 0; t < 3; t++) {
            JsonNode ex = root.get("explanations").get(t);
            double min = 1, max = 0;
            int targetItems = 0;
            for (JsonNode i : ex.get("items")) {
                min = Math.min(min, i.get("score").asDouble());
                max = Math.max(max, i.get("score").asDouble());
                if (i.get("type").asText().equals("target")) targetItems++;
            }
            assertEquals(0.0, min);
            assertEquals(1.0, max);
            assertEquals(t, targetItems);
        }
        assertFalse(root.get("settings").get("control_log_additive").asBoolean());
        assertEquals(0.6, root.get("settings").get("contextual_control_threshold").asDouble());
    }

    @Test
    void htmlIsOneSelfContainedPageWithHeatmapAndTable(@TempDir Path tmp) throws Exception {
        Path page = tmp.resolve("out/explain.html");
        CliTest.Run r = CliTest.cli(args("--html", page.toString(), "--granularity", "word", "--no-color", "--target", TARGET,
                PROMPT));
        assertEquals(0, r.exit(), r.err());
        String html = Files.readString(page);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("&lt;") && html.contains("&amp;"), "the prompt's < and & are escaped");
        assertFalse(html.contains("<slept>"), "no raw markup from the prompt");
        // Nothing is loaded from elsewhere.
        assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertFalse(html.contains("@import") || html.contains("url("));
        // One coloured span per prompt unit in the heatmap, and a table row per item.
        Matcher spans = Pattern.compile("<span class=\"u\" style=\"background:rgba\\(").matcher(html);
        int count = 0;
        while (spans.find()) count++;
        int words = 18;  // The quick brown fox jumps over the lazy dog . / Then it < slept > & dreamt .
        int targetItems = 1;  // "And" (the last target word is what is explained)
        assertEquals(words + targetItems, count);
        assertEquals(words + targetItems + 1, html.split("<tr>", -1).length - 1);
        // The text output (no colours) lists the top units.
        assertFalse(r.out().contains("\u001b["));
        assertTrue(r.out().contains("target: \" And then\""), r.out());
    }

    @Test
    void colouredTerminalOutputByDefault() {
        CliTest.Run r = CliTest.cli(args("--generate", "2", "--conceptual", "calibrated", "Once upon a time"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\u001b[48;2;"), "24-bit background colours");
        assertTrue(r.out().contains("suppressed passes"));
    }

    @Test
    void badInputIsOneClearLine() {
        CliTest.Run seam = CliTest.cli(args("--target", "then", "Hello "));
        assertEquals(1, seam.exit());
        assertTrue(seam.err().contains("split differently at the seam"), seam.err());
        assertFalse(seam.err().contains("\tat "), "no stack trace");
        CliTest.Run layer = CliTest.cli(args("--layers", "7", "--target", " x", "Hello"));
        assertEquals(1, layer.exit());
        assertTrue(layer.err().contains("layer 7 does not exist"), layer.err());
        CliTest.Run factor = CliTest.cli(args("--factor", "-1", "--target", " x", "Hello"));
        assertEquals(1, factor.exit());
        assertTrue(factor.err().contains("factor"), factor.err());
        CliTest.Run mode = CliTest.cli(args("--mode", "add", "--target", " x", "Hello"));
        assertEquals(2, mode.exit());
        assertTrue(mode.err().contains("--mode"), mode.err());
        CliTest.Run both = CliTest.cli(args("--generate", "2", "--target", " x", "Hello"));
        assertEquals(2, both.exit());
        CliTest.Run zero = CliTest.cli(args("--generate", "0", "Hello"));
        assertEquals(2, zero.exit());
        CliTest.Run delim = CliTest.cli(args("--granularity", "word", "--delimiter", "###", "--target", " x", "Hello"));
        assertEquals(2, delim.exit());
        CliTest.Run missing = CliTest.cli(args("--target", " x"));
        assertEquals(2, missing.exit());
        CliTest.Run kappa = CliTest.cli(args("--conceptual", "high", "--target", " x", "Hello"));
        assertEquals(2, kappa.exit());
        assertTrue(kappa.err().contains("calibrated"), kappa.err());
    }
}
