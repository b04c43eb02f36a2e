package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.hat.WordBreakTable.Property;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generation relies on the prefix property: splitting a prefix of a text yields a prefix of the
 * words, the last possibly shorter. The crate breaks it in three known ways (docs/spec/hat.md §9),
 * which the port keeps. Over seeded random text, every violation must be one of them, judged by
 * the prefix's last character and the character after it:
 * <ol>
 *   <li>U+2044 FRACTION SLASH (MidNum, but a symbol: a following digit joins it to the digits before);</li>
 *   <li>U+202F NARROW NO-BREAK SPACE (White_Space, but ExtendNumLet: a following letter or digit turns
 *       it into a word that joins a single space before it);</li>
 *   <li>a non-space White_Space character followed by Extend/Format/ZWJ (WB4 makes it a word, which
 *       joins a single space before it).</li>
 * </ol>
 */
class PrefixCausalityTest {
    /** Symbols that stress the grouping rules, the three triggers among them. */
    private static final String[] ALPHABET = {
        "a", "A", "b", "B", "z", "Z", "0", "9", " ", " ", " ", "  ", "\t", "\r", "\n", "\r\n",
        "_", ".", ",", "'", "-", ":", ";", "!", "?", "(", ")", "\"", "$", "&", "+", "^",
        "ä", "Ä", "é", "ß", "\u00A0", "\u2028", "\u3000", "\u0301", "\u200D", "\uFE0F", "\u00AD",
        "😀", "🏽", "🇩", "🇪", "€", "中", "ー", "カ", "ǅ", "¿", "«", "»", "א", "ב", "\u05F4", "٣",
        "\u2044", "\u202F", "Ⓜ", "⌚", "·",
    };

    @Test
    void everyViolationIsOneOfTheCratesKnownExceptions() {
        Random random = new Random(20261206);
        int[] limits = {100, 100, 16, 8, 4, 2, 1};
        int[] seen = new int[3];
        List<String> unexplained = new ArrayList<>();
        for (int n = 0; n < 4000; n++) {
            StringBuilder text = new StringBuilder();
            int symbols = 1 + random.nextInt(16);
            for (int i = 0; i < symbols; i++) text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            int maxBytes = limits[random.nextInt(limits.length)];
            int[] codePoints = text.codePoints().toArray();
            for (int length : PrefixCheck.nonCausalPrefixLengths(text.toString(), maxBytes)) {
                int last = codePoints[length - 1];
                Property next = WordBreakTable.property(codePoints[length]);
                if (last == 0x2044) {
                    seen[0]++;
                } else if (last == 0x202F) {
                    seen[1]++;
                } else if (HatSplitter.isWhiteSpace(last) && last != ' '
                        && (next == Property.EXTEND || next == Property.FORMAT || next == Property.ZWJ)) {
                    seen[2]++;
                } else {
                    unexplained.add(escape(text.toString()) + " limit " + maxBytes + " prefix " + length);
                }
            }
        }
        assertEquals(List.of(), unexplained);
        for (int kind = 0; kind < 3; kind++) assertTrue(seen[kind] > 0, "exception " + (kind + 1) + " never exercised");
    }

    @Test
    void textWithoutTriggersIsCausal() {
        assertEquals(List.of(), PrefixCheck.nonCausalPrefixLengths("Hello, world! thisIsCamel don't 3.14 a\u200D⌚ 🇩🇪🇩", 4));
        // The three exceptions, from the fixture's README.
        assertEquals(List.of(2), PrefixCheck.nonCausalPrefixLengths("1\u20442", 100));
        assertEquals(List.of(3), PrefixCheck.nonCausalPrefixLengths("a \u202Fb", 100));
        assertEquals(List.of(3), PrefixCheck.nonCausalPrefixLengths("a \t\u0301b", 100));
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> out.append(cp >= 0x20 && cp < 0x7F ? Character.toString(cp) : String.format("\\u{%X}", cp)));
        return out.toString();
    }
}
