package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The splitter takes the general categories P, Ll, Lu and White_Space from the running JDK, and its
 * word-break table is Unicode 16.0. A JDK of another Unicode version (JDK 26 is 17.0) would split
 * some texts differently from the crate the models were trained with. These tests fail then.
 *
 * <p>To move on: the HAT models follow the crate, whose {@code unicode-segmentation} 1.12 and
 * {@code regex} are Unicode 16.0, so do NOT regenerate the table for a newer Unicode unless the
 * crate moved too. Instead, if the JDK's character data changed, ship the four character classes as
 * tables generated from the UCD 16.0.0 files as well (see tools/unicode/README.md). If the crate
 * moved to a new Unicode version, regenerate WordBreakTable.java from that version's UCD with
 * tools/unicode/GenerateWordBreakTable.java on a JDK of the same Unicode version (it checks the JDK
 * and records the digest below), vendor that version's WordBreakTest, and update the probes here.
 */
class UnicodeVersionGuardTest {
    private static final String HOW_TO_FIX = " - the JDK's Unicode version is not the table's ("
            + WordBreakTable.UNICODE_VERSION + "): see UnicodeVersionGuardTest's Javadoc and tools/unicode/README.md";

    @Test
    void theJdkKnowsUnicode16ButNot17() {
        // U+1C89 CYRILLIC CAPITAL LETTER TJE: new in Unicode 16.0.
        assertTrue(Character.isDefined(0x1C89), "U+1C89 (Unicode 16.0) unknown" + HOW_TO_FIX);
        assertEquals(Character.UPPERCASE_LETTER, Character.getType(0x1C89), "U+1C89" + HOW_TO_FIX);
        // U+088F ARABIC LETTER NOON WITH RING ABOVE: new in Unicode 17.0.
        assertFalse(Character.isDefined(0x088F), "U+088F (Unicode 17.0) is known" + HOW_TO_FIX);
    }

    @Test
    void theJdksCharacterDataIsWhatTheGeneratorChecked() throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            int type = Character.getType(cp);
            int bits = (HatSplitter.isPunctuation(cp) ? 1 : 0) | (type == Character.LOWERCASE_LETTER ? 2 : 0)
                    | (type == Character.UPPERCASE_LETTER ? 4 : 0) | (HatSplitter.isWhiteSpace(cp) ? 8 : 0);
            sha.update((byte) bits);
        }
        assertEquals(WordBreakTable.JDK_CHARACTER_DIGEST, HexFormat.of().formatHex(sha.digest()),
                "P/Ll/Lu/White_Space of this JDK differ from those checked against UCD "
                        + WordBreakTable.UNICODE_VERSION + HOW_TO_FIX);
    }

    /** The predicates are Java regex's {@code \p{P}} and Unicode {@code \s}, Rust's classes (spec section 9). */
    @Test
    void thePredicatesAreTheRegexClasses() {
        Matcher punctuation = Pattern.compile("\\p{P}").matcher("");
        Matcher whiteSpace = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS).matcher("");
        int whiteSpaceCount = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String s = Character.toString(cp);
            String where = String.format("U+%04X", cp);
            assertEquals(punctuation.reset(s).matches(), HatSplitter.isPunctuation(cp), where);
            boolean isWhiteSpace = whiteSpace.reset(s).matches();
            assertEquals(isWhiteSpace, HatSplitter.isWhiteSpace(cp), where);
            if (isWhiteSpace) whiteSpaceCount++;
        }
        assertEquals(25, whiteSpaceCount, "White_Space code points");
    }
}
