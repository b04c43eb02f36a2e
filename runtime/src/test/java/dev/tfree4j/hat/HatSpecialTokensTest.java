package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HatSpecialTokensTest {

    private static HatSpecialTokens chat() {
        Map<String, Integer> dict = new LinkedHashMap<>();
        dict.put("<|begin_of_text|>", 193);
        dict.put("<|eot_id|>", 192);
        dict.put("<|start_header_id|>", 245);
        dict.put("<|end_header_id|>", 246);
        return new HatSpecialTokens(dict, 100);
    }

    @Test
    void specialStringsBecomeOneByteWordsAndTheRestIsSplit() {
        List<byte[]> words = chat().encode("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there!<|eot_id|>");
        assertEquals(List.of("c1", "f5", "user", "f6", "\n", "\n", "Hi", " there!", "c0"), show(words));
    }

    @Test
    void eachSegmentIsSplitWithMaxWordSize() {
        HatSpecialTokens tokens = HatSpecialTokens.defaults(4);
        assertEquals(List.of("Hell", "o,", " wor", "ld!", "c0", "ab"), show(tokens.encode("Hello, world!<|eot_id|>ab")));
        assertEquals(List.of(), tokens.encode(""));
        assertEquals(List.of("c0", "c0"), show(tokens.encode("<|eot_id|><|eot_id|>")));
    }

    @Test
    void alternationTakesTheFirstStringInDictionaryOrder() {
        Map<String, Integer> dict = new LinkedHashMap<>();
        dict.put("<a>", 0xF7);
        dict.put("<a>b", 0xF8);
        assertEquals(List.of("f7", "b"), show(new HatSpecialTokens(dict, 100).encode("<a>b")));
        Map<String, Integer> reversed = new LinkedHashMap<>();
        reversed.put("<a>b", 0xF8);
        reversed.put("<a>", 0xF7);
        assertEquals(List.of("f8"), show(new HatSpecialTokens(reversed, 100).encode("<a>b")));
    }

    @Test
    void decodeRestoresTheText() {
        HatSpecialTokens tokens = chat();
        String text = "<|begin_of_text|>Größe 🌝<|eot_id|>";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        tokens.encode(text).forEach(bytes::writeBytes);
        assertEquals(text, tokens.decode(bytes.toByteArray()));
        assertEquals("a\uFFFD<|eot_id|>", tokens.decode(new byte[] {'a', (byte) 0xE4, (byte) 0xC0}));
    }

    @Test
    void rejectsIdsThatCanOccurInUtf8() {
        assertThrows(IllegalArgumentException.class, () -> new HatSpecialTokens(Map.of("<x>", 65), 100));
        assertThrows(IllegalArgumentException.class, () -> new HatSpecialTokens(Map.of("<x>", 0xF4), 100));
        assertThrows(IllegalArgumentException.class, () -> new HatSpecialTokens(Map.of("", 0xC0), 100));
        assertThrows(IllegalArgumentException.class, () -> new HatSpecialTokens(Map.of("<x>", 0xC0, "<y>", 0xC0), 100));
        assertThrows(IllegalArgumentException.class, () -> HatSpecialTokens.defaults(0));
    }

    /** One-byte special words as hex, other words as text. */
    private static List<String> show(List<byte[]> words) {
        List<String> out = new ArrayList<>();
        for (byte[] w : words) {
            int b = w[0] & 0xFF;
            out.add(w.length == 1 && (b == 0xC0 || b == 0xC1 || b >= 0xF5) ? Integer.toHexString(b) : new String(w, StandardCharsets.UTF_8));
        }
        return out;
    }
}
