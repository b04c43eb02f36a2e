package dev.tfree4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordSplitterTest {
    private static final String NL = WordSplitter.LINEBREAK_TOKEN;

    @Test
    void everyFixtureExampleSplitsJoinsAndHasConsistentSpans() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Fixtures.refA().resolve("wordsplit_examples.json").toFile());
        JsonNode examples = root.get("examples");
        assertEquals(246, examples.size());
        int roundTrips = 0;
        for (JsonNode ex : examples) {
            String text = ex.get("text").asText();
            List<String> expected = strings(ex.get("words"));
            assertEquals(expected, WordSplitter.split(text), () -> "split of " + json(text));
            assertEquals(ex.get("words_to_text").asText(), WordSplitter.join(expected),
                    () -> "join of " + json(text));
            if (ex.get("roundtrip_ok").asBoolean()) {
                assertEquals(text, WordSplitter.join(WordSplitter.split(text)), () -> "round trip " + json(text));
                roundTrips++;
            }
            checkSpans(text, WordSplitter.splitWithSpans(text));
        }
        assertEquals(173, roundTrips, "examples marked roundtrip_ok");
    }

    /** joinWithSpans = join, and on round-tripping texts its spans are the splitter's spans. */
    @Test
    void joinWithSpansAgreesWithJoinAndWithTheSplittersSpans() throws IOException {
        JsonNode examples = new ObjectMapper().readTree(Fixtures.refA().resolve("wordsplit_examples.json").toFile())
                .get("examples");
        int compared = 0;
        for (JsonNode ex : examples) {
            String text = ex.get("text").asText();
            List<String> words = strings(ex.get("words"));
            WordSplitter.Joined joined = WordSplitter.joinWithSpans(words);
            assertEquals(WordSplitter.join(words), joined.text(), () -> "joined text of " + json(text));
            assertEquals(words.size(), joined.words().size());
            if (ex.get("roundtrip_ok").asBoolean()) {
                assertEquals(WordSplitter.splitWithSpans(text), joined.words(), () -> "spans of " + json(text));
                compared++;
            }
        }
        assertEquals(173, compared);
        // A generated continuation: the implied spaces lie between the spans.
        WordSplitter.Joined j = WordSplitter.joinWithSpans(List.of("unto", "me", ",", "<|2<-ws->|>", "I"));
        assertEquals("unto me,  I", j.text());
        assertEquals(List.of(new Word("unto", 0, 4), new Word("me", 5, 2), new Word(",", 7, 1),
                new Word("<|2<-ws->|>", 8, 2), new Word("I", 10, 1)), j.words());
    }

    @Test
    void whitespaceAndLineBreakWords() {
        for (String w : List.of("<|ws|>", "<|no_ws|>", NL, "<|2<-ws->|>", "<|4<-ws->|>", "<|8<-\n->|>")) {
            assertTrue(WordSplitter.isWhitespaceWord(w), w);
        }
        for (String w : List.of("a", ".", "<|endoftext|>", "\t", "<|>", "<|x<-ws->|>")) {
            assertTrue(!WordSplitter.isWhitespaceWord(w), w);
        }
        assertTrue(WordSplitter.isLineBreakWord(NL) && WordSplitter.isLineBreakWord("<|2<-\n->|>"));
        assertTrue(!WordSplitter.isLineBreakWord("<|2<-ws->|>") && !WordSplitter.isLineBreakWord("."));
    }

    /** Spec §1.6, including the rows not in the fixture file. */
    @Test
    void specWorkedExamples() {
        check("", List.of());
        check("Hello World!", List.of("Hello", "World", "!"));
        check("Hello  World", List.of("Hello", "<|2<-ws->|>", "World"));
        check("a   b", List.of("a", "<|2<-ws->|>", "<|ws|>", "b"));
        check("a      b", List.of("a", "<|4<-ws->|>", "<|2<-ws->|>", "b"));
        check("a.b", List.of("a", ".", "<|no_ws|>", "b"));
        check("e.g. U.S.A.", List.of("e", ".", "<|no_ws|>", "g", ".", "U", ".", "<|no_ws|>", "S", ".",
                "<|no_ws|>", "A", "."));
        check("x=1+2", List.of("x", "=", "1", "+", "2"));
        check("foo_bar(baz)", List.of("foo", "_", "bar", "<|no_ws|>", "(", "baz", ")"));
        check("Größe: 12,5 m²", List.of("Größe", ":", "<|ws|>", "1", "2", ",", "5", "m²"));
        check("cafe\u0301", List.of("cafe", "<|no_ws|>", "\u0301"));
        check("line1\nline2", List.of("line", "1", NL, "line", "2"));
        check("a\n\nb", List.of("a", "<|2<-\n->|>", "b"));
        check("a \n b", List.of("a", "<|ws|>", NL, "<|ws|>", "b"));
        check("  leading and trailing  ", List.of("<|2<-ws->|>", "leading", "and", "trailing", "<|2<-ws->|>"));
        check("Hi <|endoftext|> there", List.of("Hi", "<|ws|>", "<|endoftext|>", "<|ws|>", "there"));
        check("Hello<|startoftext|> World!", List.of("Hello", "<|startoftext|>", "<|ws|>", "World", "!"));
        check("This is a <|test with some numbers 1234.", List.of("This", "is", "a", "<", "|", "<|no_ws|>",
                "test", "with", "some", "numbers", "<|ws|>", "1", "2", "3", "4", "."));
        check("<|a\nb|>", List.of("<|a\nb|>"));
        check("<|>", List.of("<|>"));
        check("don't", List.of("don", "'", "t"));
        check("He said \"hi\"", List.of("He", "said", "<|ws|>", "\"", "hi", "\""));
        check("#include <stdio.h>", List.of("#", "include", "<", "stdio", ".", "<|no_ws|>", "h", ">"));
        check("\tTab", List.of("\t", "<|no_ws|>", "Tab"));
        check("x\u00a0y", List.of("x", "<|no_ws|>", "\u00a0", "<|no_ws|>", "y"));
        check("١٢٣", List.of("١", "<|no_ws|>", "٢", "<|no_ws|>", "٣"));
        check("if (a[i] >= 0) { return -1; }", List.of("if", "(", "a", "<|no_ws|>", "[", "i", "]", "<|ws|>", ">",
                "=", "<|ws|>", "0", ")", "{", "return", "<|ws|>", "-", "1", ";", "}"));
        check("\n".repeat(7), List.of("<|4<-\n->|>", "<|2<-\n->|>", NL));
        check("C++ and C#", List.of("C", "+", "+", "<|ws|>", "and", "C", "<|no_ws|>", "#"));
        // literal special tokens are interpreted: no round trip
        assertEquals(List.of("3", "<|ws|>", "<|ws|>", "<|ws|>", "4"), WordSplitter.split("3 <|ws|> 4"));
        assertEquals("3   4", WordSplitter.join(WordSplitter.split("3 <|ws|> 4")));
    }

    @Test
    void factorialRunsOfOneToTen() {
        String[] expected = {"ws", "2", "2 ws", "4", "4 ws", "4 2", "4 2 ws", "4 4", "4 4 ws", "4 4 2"};
        for (int c = 1; c <= 10; c++) {
            List<String> names = new ArrayList<>();
            for (String w : WordSplitter.split(" ".repeat(c))) names.add(w.equals("<|ws|>") ? "ws" : w.substring(2, 3));
            assertEquals(expected[c - 1], String.join(" ", names), "run of " + c + " spaces");
            assertEquals("a" + " ".repeat(c) + "b", WordSplitter.join(WordSplitter.split("a" + " ".repeat(c) + "b")));
        }
        assertEquals(List.of("x", "<|4<-\n->|>", "<|4<-\n->|>", "<|4<-\n->|>", "<|2<-\n->|>", NL),
                WordSplitter.split("x" + "\n".repeat(15)));
    }

    @Test
    void joinExpandsFactorialsSplittingNeverProduces() {
        assertEquals("a      b", WordSplitter.join(List.of("a", WordSplitter.WS_6, "b")));
        assertEquals("a\n\n\n\n\n\n\n\nb", WordSplitter.join(List.of("a", WordSplitter.LINEBREAK_8, "b")));
        assertEquals("a b", WordSplitter.join(List.of("a", "b")));
        assertEquals("a<|endoftext|>b", WordSplitter.join(List.of("a", "<|endoftext|>", "b")));
        assertThrows(IllegalArgumentException.class, () -> WordSplitter.join(List.of("a", "", "b")));
    }

    @Test
    void codePointsNotUtf16Units() {
        // a supplementary letter (U+1D400, Lu) joins a letter run; an emoji (So) stands alone
        assertEquals(List.of("a\uD835\uDC00b"), WordSplitter.split("a\uD835\uDC00b"));
        assertEquals(List.of("a", "<|no_ws|>", "\uD83D\uDE00", "<|no_ws|>", "b"), WordSplitter.split("a\uD83D\uDE00b"));
        // '.' in Python's special-token regex excludes only '\n': '\r' and U+2028 are inside tokens
        assertEquals(List.of("<|a\rb|>"), WordSplitter.split("<|a\rb|>"));
        assertEquals(List.of("x", "<|a\u2028b|>"), WordSplitter.split("x<|a\u2028b|>"));
    }

    @Test
    void spansOfSpecialWhitespace() {
        List<Word> words = WordSplitter.splitWithSpans("ab  c.d\ne");
        assertEquals(List.of(new Word("ab", 0, 2), new Word("<|2<-ws->|>", 2, 2), new Word("c", 4, 1),
                new Word(".", 5, 1), new Word("<|no_ws|>", 6, 0), new Word("d", 6, 1), new Word(NL, 7, 1),
                new Word("e", 8, 1)), words);
        // the expected single space is covered by no word
        assertEquals(List.of(new Word("a", 0, 1), new Word("b", 2, 1)), WordSplitter.splitWithSpans("a b"));
    }

    private static void check(String text, List<String> words) {
        assertEquals(words, WordSplitter.split(text), () -> "split of " + json(text));
        assertEquals(text, WordSplitter.join(words), () -> "join of " + json(text));
        checkSpans(text, WordSplitter.splitWithSpans(text));
    }

    /** In order, non-overlapping, inside the text; each span holds what its word stands for. */
    static void checkSpans(String text, List<Word> words) {
        StringBuilder rebuilt = new StringBuilder();
        int pos = 0;
        for (Word w : words) {
            String where = json(text) + " word " + json(w.text()) + " at " + w.start();
            assertTrue(w.start() >= pos && w.end() <= text.length(), where);
            String gap = text.substring(pos, w.start());
            assertTrue(gap.isEmpty() || gap.equals(" "), "only a single dropped space between words: " + where);
            rebuilt.append(gap);
            String covered = text.substring(w.start(), w.end());
            // a word covers the whitespace it encodes, or its own text (literal special tokens too)
            assertTrue(covered.equals(w.text()) || covered.equals(standsFor(w.text())), where + " covers " + json(covered));
            rebuilt.append(covered);
            pos = w.end();
        }
        String tail = text.substring(pos);
        assertTrue(tail.isEmpty(), "text after the last word: " + json(text));
        assertEquals(text, rebuilt.toString());
    }

    /** The original text a word covers. */
    private static String standsFor(String word) {
        return switch (word) {
            case "<|ws|>" -> " ";
            case "<|no_ws|>" -> "";
            case "<|\n|>" -> "\n";
            case "<|2<-ws->|>" -> "  ";
            case "<|4<-ws->|>" -> "    ";
            case "<|2<-\n->|>" -> "\n\n";
            case "<|4<-\n->|>" -> "\n\n\n\n";
            default -> word;
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp > 0x7e) sb.append(String.format("\\u{%x}", cp));
            else sb.appendCodePoint(cp);
        });
        return sb.append('"').toString();
    }
}
