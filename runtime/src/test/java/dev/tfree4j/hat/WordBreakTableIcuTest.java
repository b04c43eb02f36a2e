package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * ICU4J 76.1 (Unicode 16.0) as an independent oracle: the generated table gives ICU's Word_Break and
 * Extended_Pictographic for every code point, and the JDK's P/Ll/Lu/White_Space that the splitter
 * uses are ICU's too. (Only ICU's property data is used here, never its tailored break rules.)
 */
class WordBreakTableIcuTest {

    @Test
    void icuIsUnicode16() {
        assertEquals(WordBreakTable.UNICODE_VERSION, UCharacter.getUnicodeVersion().toString().substring(0, 6));
    }

    @Test
    void wordBreakAndExtendedPictographicOfEveryCodePointAreIcus() {
        List<String> differences = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String icu = UCharacter.getPropertyValueName(UProperty.WORD_BREAK,
                    UCharacter.getIntPropertyValue(cp, UProperty.WORD_BREAK), UProperty.NameChoice.LONG);
            String ours = WordBreakTable.property(cp).name();
            if (!ours.equals(icu.toUpperCase(Locale.ROOT))) differences.add(String.format("U+%04X %s vs ICU %s", cp, ours, icu));
            boolean pictographic = UCharacter.hasBinaryProperty(cp, UProperty.EXTENDED_PICTOGRAPHIC);
            if (WordBreakTable.isExtendedPictographic(cp) != pictographic) {
                differences.add(String.format("U+%04X Extended_Pictographic %s vs ICU %s", cp, !pictographic, pictographic));
            }
        }
        assertEquals(List.of(), differences.subList(0, Math.min(20, differences.size())), differences.size() + " differences");
    }

    @Test
    void theJdksCharacterClassesAreIcus() {
        List<String> differences = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            int type = UCharacter.getType(cp);
            boolean punctuation = switch (type) {
                case UCharacter.CONNECTOR_PUNCTUATION, UCharacter.DASH_PUNCTUATION, UCharacter.START_PUNCTUATION,
                     UCharacter.END_PUNCTUATION, UCharacter.INITIAL_PUNCTUATION, UCharacter.FINAL_PUNCTUATION,
                     UCharacter.OTHER_PUNCTUATION -> true;
                default -> false;
            };
            boolean same = HatSplitter.isPunctuation(cp) == punctuation
                    && (Character.getType(cp) == Character.LOWERCASE_LETTER) == (type == UCharacter.LOWERCASE_LETTER)
                    && (Character.getType(cp) == Character.UPPERCASE_LETTER) == (type == UCharacter.UPPERCASE_LETTER)
                    && HatSplitter.isWhiteSpace(cp) == UCharacter.hasBinaryProperty(cp, UProperty.WHITE_SPACE);
            if (!same) differences.add(String.format("U+%04X", cp));
        }
        assertEquals(List.of(), differences.subList(0, Math.min(20, differences.size())), differences.size() + " differences");
    }
}
