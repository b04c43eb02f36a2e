package dev.tfree4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Words from users' files in error messages: escaped, cut, never echoing a whole file (issue 20). */
class MessageTextTest {
    @Test
    void controlCharactersAreEscapedAndLongTextIsCut() {
        assertEquals("\"hello\"", MessageText.quote("hello"));
        assertEquals("'a'", MessageText.quoteSingle("a"));
        assertEquals("\"a\\u001B[31mb\\n\"", MessageText.quote("a\u001b[31mb\n"));
        assertEquals("\"say \\\"hi\\\"\"", MessageText.quote("say \"hi\""));
        String line = "root:$y$j9T$SECRETHASHSECRETHASHSECRETHASH:19000:0:99999:7:::";
        String q = MessageText.quote(line);
        assertFalse(q.contains("99999"), q);
        assertTrue(q.endsWith("(+" + (line.length() - MessageText.MAX_CODE_POINTS) + " more characters)"), q);
        assertEquals("\"😀\"", MessageText.quote("😀"));  // a surrogate pair is one code point
    }
}
