package dev.tfree4j.hat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The word splitter of HAT (Hierarchical Autoregressive Transformer) models: text to the byte
 * strings that the model reads as words. A port of {@code HATSplitter::split_with_limit} of Aleph
 * Alpha's Rust crate {@code hat-splitter} v0.1.10, exact to the byte (docs/spec/hat.md §1.1):
 * <ol>
 *   <li>UAX #29 word boundaries, as the crate's {@code unicode-segmentation} 1.12 finds them
 *       ({@link WordBreak}, Unicode 16.0);</li>
 *   <li>inside each piece, a cut after every punctuation character (general category P);</li>
 *   <li>a cut between a lowercase (Ll) and a directly following uppercase (Lu) letter;</li>
 *   <li>a piece that is one ASCII space joins a preceding piece of ASCII spaces;</li>
 *   <li>each piece is classified: one space, other whitespace (all Unicode White_Space), one
 *       punctuation character, or a word;</li>
 *   <li>pieces are grouped: a word joins a single space before it, punctuation joins the space,
 *       word or punctuation before it; every group is one word;</li>
 *   <li>a word longer than the byte limit is cut into chunks of at most that many bytes, at the
 *       last character boundary in reach, else (one character longer than the limit) inside it.</li>
 * </ol>
 * The general categories and White_Space come from the running JDK, whose Unicode version must be
 * 16.0 (JDK 25); a test guards that.
 *
 * <p>Splitting a prefix of a text gives a prefix of its words, the last possibly shorter, except in
 * the crate's rare cases that this port keeps (docs/spec/hat.md §9): U+2044 FRACTION SLASH after a
 * digit, U+202F NARROW NO-BREAK SPACE after a single space, and an Extend/Format/ZWJ character after
 * a single space and a non-space whitespace character. A newly typed character can then merge the
 * last word into the one before it.
 *
 * <p>All methods are thread-safe and allocate only per call, not per character.
 */
public final class HatSplitter {
    private HatSplitter() {}

    /**
     * Splits a text into words of at most {@code maxBytes} UTF-8 bytes each. Words concatenate to
     * the UTF-8 bytes of {@code text}; a word may end or start inside a character when one
     * character is longer than the limit.
     *
     * @throws IllegalArgumentException if {@code maxBytes <= 0} or the text holds a lone surrogate
     */
    public static List<byte[]> splitWithLimit(String text, int maxBytes) {
        requirePositive(maxBytes);
        int[] codePoints = codePoints(text);
        return cutToLimit(text.getBytes(StandardCharsets.UTF_8), codePoints, wordEnds(codePoints), maxBytes);
    }

    /**
     * Splits UTF-8 text into words of at most {@code maxBytes} bytes each, like
     * {@link #splitWithLimit(String, int)}.
     *
     * @throws IllegalArgumentException if {@code maxBytes <= 0} or {@code utf8} is not valid UTF-8
     */
    public static List<byte[]> splitWithLimit(byte[] utf8, int maxBytes) {
        requirePositive(maxBytes);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8: " + e.getMessage(), e);
        }
        int[] codePoints = codePoints(text);
        return cutToLimit(utf8, codePoints, wordEnds(codePoints), maxBytes);
    }

    /**
     * Splits a text into words without a byte limit (the crate's {@code split}).
     *
     * @throws IllegalArgumentException if the text holds a lone surrogate
     */
    public static List<String> split(String text) {
        int[] codePoints = codePoints(text);
        int[] ends = wordEnds(codePoints);
        List<String> words = new ArrayList<>(ends.length);
        int start = 0;
        for (int end : ends) {
            words.add(new String(codePoints, start, end - start));
            start = end;
        }
        return words;
    }

    // ---- the character classes of steps 2, 3 and 5, from the JDK ----

    /** General category P (Pc, Pd, Ps, Pe, Pi, Pf, Po): Rust's and Java's {@code \p{P}}. */
    static boolean isPunctuation(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /**
     * The Unicode White_Space property: Rust's {@code \s}, Java's {@code \s} only with
     * {@code Pattern.UNICODE_CHARACTER_CLASS} (not {@link Character#isWhitespace}). Derived as the
     * JDK's regex engine derives it: the separators Zs, Zl, Zp, and U+0009..U+000D, U+0085.
     */
    static boolean isWhiteSpace(int codePoint) {
        if ((codePoint >= 0x09 && codePoint <= 0x0D) || codePoint == 0x85) return true;
        return switch (Character.getType(codePoint)) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /** Step 3: a lowercase letter (Ll) directly followed by an uppercase one (Lu). */
    private static boolean isCamelCaseStep(int codePoint, int next) {
        return Character.getType(codePoint) == Character.LOWERCASE_LETTER
                && Character.getType(next) == Character.UPPERCASE_LETTER;
    }

    // ---- steps 1-6: word ends, in code points ----

    /** What a piece is, for the grouping of step 6. */
    private enum Kind { SPACE, WHITESPACE, PUNCTUATION, WORD }

    /** The end (exclusive, in code points) of every word, in order. */
    private static int[] wordEnds(int[] text) {
        Grouping grouping = new Grouping(text);
        for (int segment = 0; segment < text.length; ) {
            int segmentEnd = WordBreak.nextBoundary(text, segment, text.length);
            int pieceStart = segment;
            for (int i = segment; i < segmentEnd; i++) {
                boolean last = i + 1 == segmentEnd;
                if (last || isPunctuation(text[i]) || isCamelCaseStep(text[i], text[i + 1])) {
                    grouping.add(pieceStart, i + 1);
                    pieceStart = i + 1;
                }
            }
            segment = segmentEnd;
        }
        return grouping.finish();
    }

    /** Steps 4-6 over the pieces of steps 1-3, which arrive in order and cover the text. */
    private static final class Grouping {
        private final int[] text;
        private final int[] ends;
        private int wordCount;
        private int pendingStart = -1; // the last piece, held back for step 4
        private int pendingEnd;
        private boolean pendingAllSpaces;
        private Kind groupLastKind; // kind of the last piece of the open group; null before the first

        Grouping(int[] text) {
            this.text = text;
            this.ends = new int[text.length];
        }

        void add(int start, int end) {
            boolean oneSpace = end - start == 1 && text[start] == ' ';
            if (oneSpace && pendingStart >= 0 && pendingAllSpaces) {
                pendingEnd = end; // step 4: combine spaces
                return;
            }
            if (pendingStart >= 0) group(pendingStart, pendingEnd);
            pendingStart = start;
            pendingEnd = end;
            pendingAllSpaces = true;
            for (int i = start; i < end && pendingAllSpaces; i++) pendingAllSpaces = text[i] == ' ';
        }

        int[] finish() {
            if (pendingStart >= 0) group(pendingStart, pendingEnd);
            if (groupLastKind != null) ends[wordCount++] = text.length;
            return Arrays.copyOf(ends, wordCount);
        }

        private void group(int start, int end) {
            Kind kind = classify(start, end);
            boolean joins = groupLastKind != null
                    && ((groupLastKind == Kind.SPACE && kind == Kind.WORD)
                        || (kind == Kind.PUNCTUATION && groupLastKind != Kind.WHITESPACE));
            if (!joins && groupLastKind != null) ends[wordCount++] = start;
            groupLastKind = kind;
        }

        /** Step 5. */
        private Kind classify(int start, int end) {
            if (end - start == 1 && text[start] == ' ') return Kind.SPACE;
            boolean allWhiteSpace = true;
            for (int i = start; i < end && allWhiteSpace; i++) allWhiteSpace = isWhiteSpace(text[i]);
            if (allWhiteSpace) return Kind.WHITESPACE;
            if (end - start == 1 && isPunctuation(text[start])) return Kind.PUNCTUATION;
            return Kind.WORD;
        }
    }

    // ---- step 7: the byte limit ----

    private static List<byte[]> cutToLimit(byte[] utf8, int[] codePoints, int[] wordEnds, int maxBytes) {
        List<byte[]> words = new ArrayList<>(wordEnds.length);
        int wordStart = 0; // in bytes
        int codePoint = 0;
        for (int end : wordEnds) {
            int wordEnd = wordStart;
            for (; codePoint < end; codePoint++) wordEnd += utf8Length(codePoints[codePoint]);
            for (int chunk = wordStart; chunk < wordEnd; ) {
                int reach = Math.min(chunk + maxBytes, wordEnd);
                int cut = reach;
                // Back to the last character boundary after the chunk start; none: cut inside the character.
                while (cut > chunk && cut < wordEnd && isContinuationByte(utf8[cut])) cut--;
                if (cut == chunk) cut = reach;
                words.add(Arrays.copyOfRange(utf8, chunk, cut));
                chunk = cut;
            }
            wordStart = wordEnd;
        }
        return words;
    }

    private static boolean isContinuationByte(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    private static void requirePositive(int maxBytes) {
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }

    /** The code points of a text that must be valid Unicode (no lone surrogates). */
    private static int[] codePoints(String text) {
        int[] out = new int[text.length()];
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out[count++] = Character.toCodePoint(c, text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("text holds a lone surrogate at index " + i);
            } else {
                out[count++] = c;
            }
        }
        return Arrays.copyOf(out, count);
    }
}
