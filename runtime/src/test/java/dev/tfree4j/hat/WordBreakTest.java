package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviours of the crate's scan that the official tests do not pin (see {@link WordBreak}'s Javadoc). */
class WordBreakTest {

    @Test
    void aZwjEmojiSequenceKeepsATentativeMidLetter() {
        // A literal UAX #29 reading gives "a" | ":\u200D\u231A"; the crate keeps one segment.
        assertEquals(List.of("a:\u200D\u231A"), segments("a:\u200D\u231A"));
        assertEquals(List.of("a", ":", "\u231A"), segments("a:\u231A"));
    }

    @Test
    void aSegmentEndsAfterAnEmojiReachedThroughZwj() {
        // U+24C2 is ALetter and Extended_Pictographic: UAX #29 would join the b (WB5); the crate does not.
        assertEquals(List.of("a\u200D\u24C2", "b"), segments("a\u200D\u24C2b"));
    }

    @Test
    void midLettersAndMidNumsAreGivenBackWithoutALetterOrDigitAfter() {
        assertEquals(List.of("a:b"), segments("a:b"));
        assertEquals(List.of("a", ":", " "), segments("a: "));
        assertEquals(List.of("1,000"), segments("1,000"));
        assertEquals(List.of("1", ",", "a"), segments("1,a"));
        assertEquals(List.of("1", "\u2044"), segments("1\u2044"));
        assertEquals(List.of("1\u20442"), segments("1\u20442"));
    }

    static List<String> segments(String text) {
        int[] codePoints = text.codePoints().toArray();
        List<String> out = new ArrayList<>();
        for (int at = 0; at < codePoints.length; ) {
            int next = WordBreak.nextBoundary(codePoints, at, codePoints.length);
            out.add(new String(codePoints, at, next - at));
            at = next;
        }
        return out;
    }
}
