import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code runtime/src/main/java/dev/tfree4j/hat/WordBreakTable.java}, the Word_Break and
 * Extended_Pictographic tables of the HAT splitter, from the Unicode Character Database.
 *
 * <p>Run by hand (see {@code tools/unicode/README.md}):
 * <pre>
 *   java tools/unicode/GenerateWordBreakTable.java UCD_DIR runtime/src/main/java/dev/tfree4j/hat/WordBreakTable.java
 * </pre>
 * where {@code UCD_DIR} holds the files of one Unicode version laid out as on unicode.org
 * ({@code https://www.unicode.org/Public/16.0.0/ucd/}): {@code auxiliary/WordBreakProperty.txt},
 * {@code emoji/emoji-data.txt}, {@code extracted/DerivedGeneralCategory.txt}, {@code PropList.txt}.
 *
 * <p>The last two are not tabulated: the splitter takes the general categories P, Ll, Lu and the
 * White_Space property from the running JDK. The generator checks, code point by code point, that
 * the JDK it runs on agrees with the UCD files on those four, and records a digest of the JDK's
 * answers; a test compares that digest with the JDK the tests run on.
 */
public final class GenerateWordBreakTable {

    /** The Word_Break values in the order of the generated enum; the first is the default. */
    private static final List<String> WORD_BREAK_VALUES = List.of(
            "Other", "CR", "LF", "Newline", "Extend", "ZWJ", "Regional_Indicator", "Format",
            "Katakana", "Hebrew_Letter", "ALetter", "Single_Quote", "Double_Quote", "MidNumLet",
            "MidLetter", "MidNum", "Numeric", "ExtendNumLet", "WSegSpace");

    private static final int CODE_POINTS = 0x110000;
    private static final Pattern DATA_LINE =
            Pattern.compile("^([0-9A-F]{4,6})(?:\\.\\.([0-9A-F]{4,6}))?\\s*;\\s*([A-Za-z_]+)\\s*(?:#.*)?$");
    private static final Pattern VERSION = Pattern.compile("^# \\S+-(\\d+\\.\\d+\\.\\d+)\\.txt");

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java GenerateWordBreakTable.java UCD_DIR OUTPUT.java");
            System.exit(2);
        }
        Path ucd = Path.of(args[0]);
        Path wordBreakFile = ucd.resolve("auxiliary/WordBreakProperty.txt");
        String version = unicodeVersion(wordBreakFile);
        for (String other : List.of("extracted/DerivedGeneralCategory.txt", "PropList.txt")) {
            String v = unicodeVersion(ucd.resolve(other));
            if (!v.equals(version)) {
                throw new IllegalStateException(other + " is Unicode " + v + ", WordBreakProperty.txt is " + version);
            }
        }
        String emojiVersion = "# Used with Emoji Version " + version.substring(0, version.lastIndexOf('.'));
        if (Files.readAllLines(ucd.resolve("emoji/emoji-data.txt")).stream().noneMatch(l -> l.startsWith(emojiVersion))) {
            throw new IllegalStateException("emoji/emoji-data.txt lacks the line '" + emojiVersion + "'");
        }

        byte[] wordBreak = new byte[CODE_POINTS];
        for (String[] entry : entries(wordBreakFile)) {
            int value = WORD_BREAK_VALUES.indexOf(entry[2]);
            if (value < 0) throw new IllegalStateException("unknown Word_Break value " + entry[2]);
            fill(wordBreak, entry, (byte) value);
        }
        byte[] pictographic = new byte[CODE_POINTS];
        for (String[] entry : entries(ucd.resolve("emoji/emoji-data.txt"))) {
            if (entry[2].equals("Extended_Pictographic")) fill(pictographic, entry, (byte) 1);
        }

        checkJdkAgainstUcd(ucd);
        String digest = jdkCharacterDigest();

        List<int[]> wordBreakRanges = ranges(wordBreak);
        List<int[]> pictographicRanges = new ArrayList<>();
        for (int[] range : ranges(pictographic)) if (range[1] == 1) pictographicRanges.add(range);

        String source = render(version, digest, wordBreakRanges, pictographicRanges, pictographic);
        Files.writeString(Path.of(args[1]), source, StandardCharsets.UTF_8);
        System.err.printf("Unicode %s: %d Word_Break ranges, %d Extended_Pictographic ranges, JDK digest %s%n",
                version, wordBreakRanges.size(), pictographicRanges.size(), digest);
    }

    private static String unicodeVersion(Path file) throws IOException {
        String first = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
        Matcher m = VERSION.matcher(first);
        if (!m.find()) throw new IllegalStateException("no version in the first line of " + file + ": " + first);
        return m.group(1);
    }

    /** Every data line as {first, last, value} (hex strings and the property value). */
    private static List<String[]> entries(Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = DATA_LINE.matcher(line.strip());
            if (!m.matches()) throw new IllegalStateException("unparsed line in " + file + ": " + line);
            out.add(new String[] {m.group(1), m.group(2) == null ? m.group(1) : m.group(2), m.group(3)});
        }
        return out;
    }

    private static void fill(byte[] table, String[] entry, byte value) {
        Arrays.fill(table, Integer.parseInt(entry[0], 16), Integer.parseInt(entry[1], 16) + 1, value);
    }

    /** Maximal runs of equal values as {start, value}. */
    private static List<int[]> ranges(byte[] table) {
        List<int[]> out = new ArrayList<>();
        for (int cp = 0; cp < CODE_POINTS; cp++) {
            if (cp == 0 || table[cp] != table[cp - 1]) out.add(new int[] {cp, table[cp]});
        }
        return out;
    }

    // ---- the JDK's character data that the splitter uses, checked against the UCD ----

    static boolean isPunctuation(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || switch (Character.getType(cp)) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    private static void checkJdkAgainstUcd(Path ucd) throws IOException {
        String[] category = new String[CODE_POINTS];
        Arrays.fill(category, "Cn");
        for (String[] entry : entries(ucd.resolve("extracted/DerivedGeneralCategory.txt"))) {
            Arrays.fill(category, Integer.parseInt(entry[0], 16), Integer.parseInt(entry[1], 16) + 1, entry[2]);
        }
        boolean[] whiteSpace = new boolean[CODE_POINTS];
        for (String[] entry : entries(ucd.resolve("PropList.txt"))) {
            if (!entry[2].equals("White_Space")) continue;
            Arrays.fill(whiteSpace, Integer.parseInt(entry[0], 16), Integer.parseInt(entry[1], 16) + 1, true);
        }
        int mismatches = 0;
        for (int cp = 0; cp < CODE_POINTS; cp++) {
            boolean ok = isPunctuation(cp) == category[cp].startsWith("P")
                    && (Character.getType(cp) == Character.LOWERCASE_LETTER) == category[cp].equals("Ll")
                    && (Character.getType(cp) == Character.UPPERCASE_LETTER) == category[cp].equals("Lu")
                    && isWhiteSpace(cp) == whiteSpace[cp];
            if (!ok && mismatches++ < 20) System.err.printf("JDK differs from the UCD at U+%04X%n", cp);
        }
        if (mismatches > 0) {
            throw new IllegalStateException(mismatches + " code points where this JDK (" + Runtime.version()
                    + ") differs from the UCD on P/Ll/Lu/White_Space: run the generator on a JDK of the same Unicode version");
        }
    }

    /**
     * SHA-256 over one byte per code point: bit 0 P, bit 1 Ll, bit 2 Lu, bit 3 White_Space. The
     * test {@code UnicodeVersionGuardTest} computes the same digest from the runtime's predicates.
     */
    private static String jdkCharacterDigest() throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int cp = 0; cp < CODE_POINTS; cp++) {
            int type = Character.getType(cp);
            int bits = (isPunctuation(cp) ? 1 : 0) | (type == Character.LOWERCASE_LETTER ? 2 : 0)
                    | (type == Character.UPPERCASE_LETTER ? 4 : 0) | (isWhiteSpace(cp) ? 8 : 0);
            sha.update((byte) bits);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    // ---- output ----

    private static String render(String version, String digest, List<int[]> wordBreak, List<int[]> pictographic,
                                 byte[] isPictographic) {
        StringBuilder s = new StringBuilder();
        s.append("""
                package dev.tfree4j.hat;

                import java.util.Arrays;

                // GENERATED by tools/unicode/GenerateWordBreakTable.java from the Unicode Character Database %s
                // (auxiliary/WordBreakProperty.txt, emoji/emoji-data.txt). Do not edit; regenerate (tools/unicode/README.md).

                /**
                 * The Word_Break property (UAX #29) and the Extended_Pictographic property of every code point,
                 * Unicode %s: the data of the word-break rules in {@link WordBreak}.
                 */
                final class WordBreakTable {
                    private WordBreakTable() {}

                    /** The Unicode version of these tables. */
                    static final String UNICODE_VERSION = "%s";

                    /**
                     * SHA-256 of the JDK's general categories P, Ll, Lu and its White_Space (one byte per code point,
                     * see {@code UnicodeVersionGuardTest}) on the JDK that generated this file, after the generator
                     * checked them against the same UCD version.
                     */
                    static final String JDK_CHARACTER_DIGEST = "%s";

                    /** Word_Break property values, named as in the UCD (upper case). */
                    enum Property {
                """.formatted(version, version, version, digest));
        for (int i = 0; i < WORD_BREAK_VALUES.size(); i++) {
            s.append("        ").append(WORD_BREAK_VALUES.get(i).toUpperCase(java.util.Locale.ROOT))
                    .append(i + 1 < WORD_BREAK_VALUES.size() ? ",\n" : ";\n");
        }
        s.append("""

                        private static final Property[] VALUES = values();
                    }

                    /** The Word_Break property of a code point. */
                    static Property property(int codePoint) {
                        if (codePoint < LATIN.length) return Property.VALUES[LATIN[codePoint]];
                        return Property.VALUES[WORD_BREAK_VALUE[rangeOf(WORD_BREAK_START, codePoint)]];
                    }

                    /** Whether a code point has the Extended_Pictographic property. */
                    static boolean isExtendedPictographic(int codePoint) {
                        // Ranges alternate: PICTOGRAPHIC_START[2k] starts a pictographic run, [2k+1] ends it.
                        // Below the first start, rangeOf is -1: odd, so not pictographic.
                        return (rangeOf(PICTOGRAPHIC_START, codePoint) & 1) == 0;
                    }

                    /** Index of the last start <= codePoint (starts are sorted, the first is <= every code point asked). */
                    private static int rangeOf(int[] starts, int codePoint) {
                        int i = Arrays.binarySearch(starts, codePoint);
                        return i >= 0 ? i : -i - 2;
                    }

                """);
        s.append("    /** First code point of each run of equal Word_Break values. */\n");
        s.append("    private static final int[] WORD_BREAK_START = {\n");
        appendInts(s, wordBreak.stream().mapToInt(r -> r[0]).toArray(), true);
        s.append("    };\n\n    /** Word_Break value (Property ordinal) of each run. */\n");
        s.append("    private static final byte[] WORD_BREAK_VALUE = {\n");
        appendInts(s, wordBreak.stream().mapToInt(r -> r[1]).toArray(), false);
        s.append("    };\n\n");
        s.append("    /** Extended_Pictographic runs: start of a run, first code point after it, start of the next, ... */\n");
        s.append("    private static final int[] PICTOGRAPHIC_START = {\n");
        int[] bounds = new int[pictographic.size() * 2];
        for (int i = 0; i < pictographic.size(); i++) {
            int start = pictographic.get(i)[0];
            int end = start;
            while (end < CODE_POINTS && isPictographic[end] == 1) end++;
            bounds[2 * i] = start;
            bounds[2 * i + 1] = end;
        }
        appendInts(s, bounds, true);
        s.append("""
                    };

                    /** Word_Break values of U+0000..U+07FF, looked up directly (initialised after the tables above). */
                    private static final byte[] LATIN = new byte[0x800];

                    static {
                        for (int cp = 0; cp < LATIN.length; cp++) LATIN[cp] = WORD_BREAK_VALUE[rangeOf(WORD_BREAK_START, cp)];
                    }
                }
                """);
        return s.toString();
    }

    private static void appendInts(StringBuilder s, int[] values, boolean hex) {
        int perLine = hex ? 10 : 24;
        for (int i = 0; i < values.length; i += perLine) {
            s.append("        ");
            for (int j = i; j < Math.min(i + perLine, values.length); j++) {
                s.append(hex ? String.format("0x%04X", values[j]) : Integer.toString(values[j]));
                s.append(j + 1 < values.length ? (j + 1 < i + perLine ? ", " : ",") : "");
            }
            s.append('\n');
        }
    }
}
