package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HatSplitterTest {

    @Test
    void splitsLikeTheSpecExamples() {
        assertEquals(List.of("Hello,", " world!"), HatSplitter.split("Hello, world!"));
        assertEquals(List.of("this", "Is", "Camel", "Case", " and"), HatSplitter.split("thisIsCamelCase and"));
        assertEquals(List.of("HTTPServer", " parse", "JSON", " i", "Phone"), HatSplitter.split("HTTPServer parseJSON iPhone"));
        assertEquals(List.of("line1", "\r\n", "line2"), HatSplitter.split("line1\r\nline2"));
        assertEquals(List.of(), HatSplitter.split(""));
        assertEquals(List.of(), HatSplitter.splitWithLimit("", 1));
    }

    @Test
    void aCharacterLongerThanTheLimitIsCut() {
        List<byte[]> words = HatSplitter.splitWithLimit("🌝", 2);
        assertEquals(2, words.size());
        assertArrayEquals(new byte[] {(byte) 0xF0, (byte) 0x9F}, words.get(0));
        assertArrayEquals(new byte[] {(byte) 0x8C, (byte) 0x9D}, words.get(1));
        // Otherwise cuts go back to a character boundary.
        assertEquals(List.of("f", "ü", "r"), strings(HatSplitter.splitWithLimit("für", 2)));
    }

    @Test
    void rejectsNonPositiveLimitsAndInvalidText() {
        assertThrows(IllegalArgumentException.class, () -> HatSplitter.splitWithLimit("a", 0));
        assertThrows(IllegalArgumentException.class, () -> HatSplitter.splitWithLimit("a", -1));
        assertThrows(IllegalArgumentException.class, () -> HatSplitter.splitWithLimit(new byte[] {'a'}, 0));
        assertThrows(IllegalArgumentException.class, () -> HatSplitter.splitWithLimit(new byte[] {(byte) 0xC3}, 8));
        assertThrows(IllegalArgumentException.class, () -> HatSplitter.splitWithLimit("a\uD800b", 8));
        assertThrows(IllegalArgumentException.class, () -> HatSplitter.split("\uDC00"));
    }

    @Test
    void wordsConcatenateToTheText() {
        String text = "Größe über 10€! 你好吗 👍🏽 ok\u202F000 \t\u0301x";
        for (int limit : new int[] {1, 2, 3, 5, 100}) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (byte[] word : HatSplitter.splitWithLimit(text, limit)) {
                assertTrue(word.length >= 1 && word.length <= limit, "limit " + limit);
                joined.writeBytes(word);
            }
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), joined.toByteArray(), "limit " + limit);
        }
    }

    private static List<String> strings(List<byte[]> words) {
        return words.stream().map(w -> new String(w, StandardCharsets.UTF_8)).toList();
    }
}
