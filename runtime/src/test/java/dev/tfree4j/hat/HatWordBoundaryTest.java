package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Generation's word-boundary test on hand-worked cases (docs/spec/hat.md §3.1 step 4, §3.2, §9). */
class HatWordBoundaryTest {
    static final HatSpecialTokens SPECIALS = new HatSpecialTokens(Map.of("<|eot_id|>", 192), 12);

    static List<String> split(HatWordBoundary.Policy policy, String currentHex, int b) {
        HatWordBoundary boundary = new HatWordBoundary(SPECIALS, policy, 12);
        return boundary.split(HexFormat.of().parseHex(currentHex), b).stream().map(HexFormat.of()::formatHex).toList();
    }

    static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void validTextIsReSplitByTheModelsEncoding() {
        for (HatWordBoundary.Policy p : HatWordBoundary.Policy.values()) {
            assertEquals(List.of(hex("Hello,")), split(p, hex("Hello"), ','), "punctuation joins the word");
            assertEquals(List.of(hex("Hello,"), hex(" ")), split(p, hex("Hello,"), ' '), "a space starts the next word");
            assertEquals(List.of(hex("ab"), "c0"), split(p, hex("ab"), 192), "a special byte is a word of its own");
            // An incomplete character stays in the word; completed, it splits off with its leading bytes
            // carried (§3.1 step 5: " 10" then "€").
            assertEquals(List.of(hex(" 10") + "e2"), split(p, hex(" 10"), 0xE2));
            assertEquals(List.of(hex(" 10"), "e282ac"), split(p, hex(" 10") + "e282", 0xAC));
            // max_word_size 12: the re-split chunks a 13-byte word.
            assertEquals(List.of(hex("abcdefghijkl"), hex("m")), split(p, hex("abcdefghijkl"), 'm'));
        }
    }

    @Test
    void invalidBytesStartANewWordUnderVllmAndStayUnderHfUntilTheCap() {
        // 0x80 cannot start a character; after "a" + C3, 'b' cannot continue it.
        assertEquals(List.of(hex("ab"), "80"), split(HatWordBoundary.Policy.VLLM, hex("ab"), 0x80));
        assertEquals(List.of(hex("a") + "c3", hex("b")), split(HatWordBoundary.Policy.VLLM, hex("a") + "c3", 'b'));
        assertEquals(List.of(hex("ab") + "80"), split(HatWordBoundary.Policy.HF, hex("ab"), 0x80));
        assertEquals(List.of(hex("ab") + "80" + hex("c")), split(HatWordBoundary.Policy.HF, hex("ab") + "80", 'c'));
        // The HF word never decodes again; the cap of 12 bytes is what ends it.
        String twelve = hex("ab") + "80" + hex("cdefghijk");
        assertEquals(List.of(twelve, hex("x")), split(HatWordBoundary.Policy.HF, twelve, 'x'));
    }
}
