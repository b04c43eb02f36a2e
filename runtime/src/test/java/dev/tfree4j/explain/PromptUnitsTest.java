package dev.tfree4j.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.testing.Fixtures;
import dev.tfree4j.text.Word;
import dev.tfree4j.text.WordSplitter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Suppression units of a prompt (docs/spec/atman-dtm.md §A.6, §A.8.1; Part C items 2, 17, 19). */
class PromptUnitsTest {
    private static List<SuppressionUnit> units(String text, PromptGranularity g) {
        return PromptUnits.split(text, WordSplitter.splitWithSpans(text), g);
    }

    /** The units' span texts. */
    private static List<String> texts(String text, PromptGranularity g) {
        List<String> out = new ArrayList<>();
        for (SuppressionUnit u : units(text, g)) out.add(text.substring(u.start(), u.end()));
        return out;
    }

    private static List<List<Integer>> positions(String text, PromptGranularity g) {
        List<List<Integer>> out = new ArrayList<>();
        for (SuppressionUnit u : units(text, g)) out.add(java.util.Arrays.stream(u.positions()).boxed().toList());
        return out;
    }

    @Test
    void wordUnitsAttachWhitespaceToTheFollowingWord() {
        // words: Hello <|2<-ws->|> World ! <|ws|>   (the trailing space joins the last unit)
        String text = "Hello  World! ";
        assertEquals(List.of("Hello", "World", "!"), texts(text, PromptGranularity.WORD));
        assertEquals(List.of(List.of(0), List.of(1, 2), List.of(3, 4)), positions(text, PromptGranularity.WORD));
        // a.b: a . <|no_ws|> b
        assertEquals(List.of(List.of(0), List.of(1), List.of(2, 3)), positions("a.b", PromptGranularity.WORD));
        // A prompt of whitespace only is one unit covering it.
        assertEquals(List.of("  \n"), texts("  \n", PromptGranularity.WORD));
    }

    @Test
    void sentencesEndAfterTerminatorsAndBeforeLineBreaks() {
        String text = "In the beginning. God said: let there be light!\nAnd there was? Yes";
        assertEquals(List.of("In the beginning.", "God said: let there be light!", "And there was?", "Yes"),
                texts(text, PromptGranularity.SENTENCE));
        assertEquals(List.of("no end", "next line"), texts("no end\nnext line", PromptGranularity.SENTENCE));
        // The line break starts the next unit (whitespace joins what follows).
        List<List<Integer>> p = positions("no end\nnext line", PromptGranularity.SENTENCE);
        assertEquals(List.of(List.of(0, 1), List.of(2, 3, 4)), p);
    }

    @Test
    void paragraphsEndBeforeRunsOfLineBreaks() {
        String text = "First one.\nStill first.\n\nSecond.\n\n\n\nThird";
        assertEquals(List.of("First one.\nStill first.", "Second.", "Third"), texts(text, PromptGranularity.PARAGRAPH));
    }

    @Test
    void customDelimiterEndsAUnitAfterEachOccurrence() {
        String text = "Q: a ### Q: b ### Q: c";
        assertEquals(List.of("Q: a ###", "Q: b ###", "Q: c"), texts(text, PromptGranularity.custom("###")));
        assertEquals(List.of(text), texts(text, PromptGranularity.custom("never")));
    }

    /** Part C item 2: no words, no units. */
    @Test
    void emptyPromptHasNoUnits() {
        for (PromptGranularity g : List.of(PromptGranularity.WORD, PromptGranularity.SENTENCE, PromptGranularity.PARAGRAPH,
                PromptGranularity.AUTO, PromptGranularity.custom("x"))) {
            assertEquals(List.of(), units("", g));
        }
    }

    /** Part C item 17: 10, 100 and 2,000 words; the auto level's unit count is the closest to 30. */
    @Test
    void autoPicksTheLevelClosestToThirtyUnits() {
        // 10 words in one sentence: word level (10 units) beats sentence (1) and paragraph (1).
        String ten = sentence(10);
        assertEquals(PromptGranularity.WORD, resolve(ten));
        assertEquals(10, WordSplitter.split(ten).size());
        assertEquals(10, units(ten, PromptGranularity.AUTO).size());
        // 100 words in 10 sentences of 10: word 100 (|70|), sentence 10 (|20|), paragraph 1 (|29|).
        String hundred = String.join(" ", java.util.Collections.nCopies(10, sentence(10)));
        assertEquals(100, WordSplitter.split(hundred).size());
        assertEquals(PromptGranularity.SENTENCE, resolve(hundred));
        // 2,000 words: 200 sentences of 10 in 25 paragraphs: word 2000, sentence 200, paragraph 25.
        List<String> paragraphs = new ArrayList<>();
        for (int p = 0; p < 25; p++) paragraphs.add(String.join(" ", java.util.Collections.nCopies(8, sentence(10))));
        String long2000 = String.join("\n\n", paragraphs);
        assertEquals(2000 + 24, WordSplitter.split(long2000).size());
        assertEquals(PromptGranularity.PARAGRAPH, resolve(long2000));
        assertEquals(25, units(long2000, PromptGranularity.AUTO).size());
        // Another target moves the choice: 200 is closest to 150.
        assertEquals(PromptGranularity.SENTENCE, PromptUnits.resolveAuto(long2000, WordSplitter.splitWithSpans(long2000), 150));
    }

    private static PromptGranularity resolve(String text) {
        return PromptUnits.resolveAuto(text, WordSplitter.splitWithSpans(text), PromptGranularity.DEFAULT_AUTO_TARGET);
    }

    /** {@code words} words: "Word", filler, "end" and a full stop. */
    private static String sentence(int words) {
        StringBuilder sb = new StringBuilder("Word");
        for (int i = 1; i < words - 2; i++) sb.append(" w").append((char) ('a' + i % 26));
        return sb.append(" end.").toString();
    }

    /**
     * Part C item 19 on every fixture text (the reference's word-split examples: whitespace runs,
     * code, umlauts, specials): at every granularity the spans are in order, do not overlap, lie
     * inside the text, every word belongs to exactly one unit, and the text between spans is
     * whitespace the units do not report.
     */
    @Test
    void spansTileThePromptAtEveryGranularity() throws IOException {
        JsonNode examples = new ObjectMapper().readTree(Fixtures.refA().resolve("wordsplit_examples.json").toFile())
                .get("examples");
        int checked = 0;
        for (JsonNode ex : examples) {
            String text = ex.get("text").asText();
            if (!ex.get("roundtrip_ok").asBoolean()) continue;  // literal special-token syntax
            for (PromptGranularity g : List.of(PromptGranularity.WORD, PromptGranularity.SENTENCE,
                    PromptGranularity.PARAGRAPH, PromptGranularity.AUTO, PromptGranularity.custom("."))) {
                checkTiling(text, WordSplitter.splitWithSpans(text), units(text, g));
                checked++;
            }
        }
        assertTrue(checked > 800, "checked " + checked);
    }

    static void checkTiling(String text, List<Word> words, List<SuppressionUnit> units) {
        int covered = 0;
        int previousEnd = 0;
        int nextPosition = 0;
        for (SuppressionUnit u : units) {
            assertTrue(u.start() >= previousEnd, () -> "overlap or disorder in " + units + " of " + text);
            assertTrue(u.end() <= text.length(), () -> "span beyond the text: " + u);
            String gap = text.substring(previousEnd, u.start());
            assertTrue(gap.chars().allMatch(c -> c == ' ' || c == '\n'), () -> "non-whitespace gap '" + gap + "' in " + text);
            previousEnd = u.end();
            for (int p : u.positions()) assertEquals(nextPosition++, p, "every word once, in order");
            covered += u.size();
        }
        String tail = text.substring(previousEnd);
        assertTrue(tail.chars().allMatch(c -> c == ' ' || c == '\n'), () -> "non-whitespace tail in " + text);
        assertEquals(words.size(), covered);
    }
}
