package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The official UAX #29 word-boundary tests of Unicode 16.0 (testdata/unicode/WordBreakTest-16.0.0.txt,
 * vendored unchanged from the Unicode Character Database) against {@link WordBreak}, boundary by
 * boundary: all 1,826 lines.
 */
class WordBreakConformanceTest {

    @Test
    void everyLineOfWordBreakTest16() throws IOException {
        List<String> lines = Files.readAllLines(
                Fixtures.testData().resolve("unicode/WordBreakTest-16.0.0.txt"), StandardCharsets.UTF_8);
        assertTrue(lines.get(0).startsWith("# WordBreakTest-16.0.0.txt"), "not the 16.0.0 file: " + lines.get(0));
        assertEquals("16.0.0", WordBreakTable.UNICODE_VERSION);
        int cases = 0;
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String data = lines.get(n).split("#", 2)[0].strip();
            if (data.isEmpty()) continue;
            cases++;
            List<Integer> codePoints = new ArrayList<>();
            List<Integer> expected = new ArrayList<>();
            for (String token : data.split("\\s+")) {
                switch (token) {
                    case "÷" -> expected.add(codePoints.size());
                    case "×" -> { }
                    default -> codePoints.add(Integer.parseInt(token, 16));
                }
            }
            int[] text = codePoints.stream().mapToInt(Integer::intValue).toArray();
            List<Integer> actual = new ArrayList<>(List.of(0));
            for (int at = 0; at < text.length; ) {
                at = WordBreak.nextBoundary(text, at, text.length);
                actual.add(at);
            }
            if (!expected.equals(actual)) failures.add("line " + (n + 1) + ": " + lines.get(n) + "\n  actual " + actual);
        }
        assertEquals(1826, cases, "test lines in WordBreakTest-16.0.0.txt");
        assertEquals(List.of(), failures);
    }
}
