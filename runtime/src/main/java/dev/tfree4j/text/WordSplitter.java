package dev.tfree4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * T-FREE's word split ({@code text_to_words}) and its inverse ({@code words_to_text}), docs/spec/tfree.md §1.
 *
 * <p>A text becomes letter runs, single digits, single other characters and special tokens that
 * record whitespace the default rule ("one space between two words") does not predict. All logic
 * works on Unicode code points; only spans are reported in UTF-16 indices.
 */
public final class WordSplitter {
    /** Marks an unexpected single space. */
    public static final String WHITESPACE_TOKEN = "<|ws|>";
    /** Marks a missing space where one was expected. */
    public static final String NO_WHITESPACE_TOKEN = "<|no_ws|>";
    /** Stands for one newline (5 characters, including a real U+000A). */
    public static final String LINEBREAK_TOKEN = "<|\n|>";
    /** End-of-text marker of the released configs. */
    public static final String END_OF_TEXT_TOKEN = "<|endoftext|>";
    /** Factorial forms: N spaces / N newlines in one word (splitting only produces N = 2, 4). */
    public static final String WS_2 = "<|2<-ws->|>";
    public static final String WS_4 = "<|4<-ws->|>";
    public static final String WS_6 = "<|6<-ws->|>";
    public static final String WS_8 = "<|8<-ws->|>";
    public static final String LINEBREAK_2 = "<|2<-\n->|>";
    public static final String LINEBREAK_4 = "<|4<-\n->|>";
    public static final String LINEBREAK_6 = "<|6<-\n->|>";
    public static final String LINEBREAK_8 = "<|8<-\n->|>";

    private static final String WS_FACTORIAL = "<-ws->";
    private static final String LINEBREAK_FACTORIAL = "<-\n->";

    /** Characters after which no space is expected (ASCII only). */
    private static final String NO_WS_AFTER = "#$=-+*/'\"\\(<[]~^&@%_\n ";
    /** Characters before which no space is expected (ASCII only). */
    private static final String NO_WS_BEFORE = ".,:;?!=-+*/'\"\\)>]~^&@%_\n 1234567890";

    /** Python's {@code <\|.*?\|>}: its '.' excludes only '\n' (Java's would also exclude '\r' etc.). */
    private static final Pattern SPECIAL = Pattern.compile("<\\|[^\\n]*?\\|>");

    private WordSplitter() {}

    /** {@code text_to_words}: the words of {@code text}. */
    public static List<String> split(String text) {
        List<Word> words = splitWithSpans(text);
        List<String> out = new ArrayList<>(words.size());
        for (Word w : words) out.add(w.text());
        return out;
    }

    /** {@code text_to_words} with the span of {@code text} each word came from. */
    public static List<Word> splitWithSpans(String text) {
        List<Word> out = new ArrayList<>();
        Matcher m = SPECIAL.matcher(text);
        int pos = 0;
        while (m.find()) {
            splitElement(text, pos, m.start(), out);
            splitElement(text, m.start(), m.end(), out);
            pos = m.end();
        }
        splitElement(text, pos, text.length(), out);
        return out;
    }

    /**
     * A lower bound on {@code split(text).size()}, counted without building anything and stopping
     * as soon as it exceeds {@code limit} (then {@code limit + 1} is returned): every special
     * token (or chunk that looks like one) is one word, and outside them every letter run and
     * every other character except ' ' and '\n' is a word of its own (whitespace may be dropped or
     * merged, so it is not counted). Lets a 10 MB prompt be refused for its length in
     * microseconds instead of after seconds and gigabytes of encoding.
     */
    public static int countWordsAtLeast(String text, int limit) {
        Matcher m = SPECIAL.matcher(text);
        int pos = 0;
        long count = 0;
        while (count <= limit && m.find()) {
            count += countElement(text, pos, m.start(), limit - count);
            if (m.start() < m.end()) count++;
            pos = m.end();
        }
        if (count <= limit) count += countElement(text, pos, text.length(), limit - count);
        return (int) Math.min(count, (long) limit + 1);
    }

    /** {@link #countWordsAtLeast} of one element of the special-token split; stops past {@code budget}. */
    private static long countElement(String text, int start, int end, long budget) {
        if (start == end) return 0;
        if (end - start >= 2 && text.startsWith("<|", start) && text.startsWith("|>", end - 2)) return 1;
        long count = 0;
        int i = start;
        while (i < end && count <= budget) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isRunChar(cp)) {
                while (i < end) {
                    int next = text.codePointAt(i);
                    if (!isRunChar(next)) break;
                    i += Character.charCount(next);
                }
                count++;
            } else if (cp != ' ' && cp != '\n') {
                count++;
            }
        }
        return count;
    }

    /** One element of the special-token split: a special token, or a chunk handled on its own. */
    private static void splitElement(String text, int start, int end, List<Word> out) {
        if (start == end) return;
        String element = text.substring(start, end);
        // Plain string test: also catches chunks like "<|a\nb|>" or "<|>" that the regex did not.
        if (element.startsWith("<|") && element.endsWith("|>")) {
            out.add(new Word(element, start, end - start));
            return;
        }
        List<Word> pieces = pieces(text, start, end);
        List<Word> compressed = compressWhitespace(pieces);
        for (int i = 0; i < compressed.size(); i++) {
            Word w = compressed.get(i);
            if (w.text().equals("\n")) compressed.set(i, new Word(LINEBREAK_TOKEN, w.start(), w.length()));
        }
        mergeFactorials(compressed, out);
    }

    /**
     * Python's {@code re.split(r"(\d|\W|\_)", chunk)} without empty strings: single Nd digits,
     * single '_', single non-word characters, and maximal runs of the remaining word characters.
     */
    private static List<Word> pieces(String text, int start, int end) {
        List<Word> pieces = new ArrayList<>();
        int i = start;
        while (i < end) {
            int cp = text.codePointAt(i);
            int j = i + Character.charCount(cp);
            if (isRunChar(cp)) {
                while (j < end) {
                    int next = text.codePointAt(j);
                    if (!isRunChar(next)) break;
                    j += Character.charCount(next);
                }
            }
            pieces.add(new Word(text.substring(i, j), i, j - i));
            i = j;
        }
        return pieces;
    }

    /** A word character ({@code \w}) that is not a separator of its own (Nd digit or '_'). */
    private static boolean isRunChar(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.LETTER_NUMBER,
                    Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /** Spec §1.3: insert {@code <|no_ws|>} where a space is missing, drop expected spaces. */
    private static List<Word> compressWhitespace(List<Word> s) {
        // A. a space was expected between two non-space pieces but is not there
        List<Word> t = new ArrayList<>(s.size() * 2);
        for (int i = 0; i < s.size(); i++) {
            Word y = s.get(i);
            if (i > 0) {
                Word x = s.get(i - 1);
                if (!isSpace(x) && !isSpace(y) && !noWsAfter(x.text()) && !noWsBefore(y.text())) {
                    t.add(new Word(NO_WHITESPACE_TOKEN, y.start(), 0));
                }
            }
            t.add(y);
        }
        // B. a space between two "normal" pieces is implied and dropped; all others are marked
        List<Word> out = new ArrayList<>(t.size());
        int last = t.size() - 1;
        for (int i = 0; i <= last; i++) {
            Word w = t.get(i);
            if (!isSpace(w)) {
                out.add(w);
            } else if (i == 0 || i == last
                    || noWsAfter(t.get(i - 1).text()) || noWsBefore(t.get(i + 1).text())) {
                out.add(new Word(WHITESPACE_TOKEN, w.start(), w.length()));
            }
        }
        return out;
    }

    /** Spec §1.4: runs of {@code <|ws|>} / {@code <|\n|>} become {@code <|4..|>}, {@code <|2..|>}. */
    private static void mergeFactorials(List<Word> tokens, List<Word> out) {
        int i = 0;
        while (i < tokens.size()) {
            Word w = tokens.get(i);
            boolean ws = w.text().equals(WHITESPACE_TOKEN);
            if (!ws && !w.text().equals(LINEBREAK_TOKEN)) {
                if (!w.text().isEmpty()) out.add(w);
                i++;
                continue;
            }
            int runEnd = i;
            while (runEnd < tokens.size() && tokens.get(runEnd).text().equals(w.text())) runEnd++;
            String name = ws ? WS_FACTORIAL : LINEBREAK_FACTORIAL;
            int q = (runEnd - i) / 2;
            int r = (runEnd - i) % 2;
            int at = i; // next run member not yet covered by an emitted word
            while (q > 2) {
                at = emitMerged(tokens, at, 4, "<|4" + name + "|>", out);
                q -= 2;
            }
            if (q > 0) at = emitMerged(tokens, at, 2 * q, "<|" + (2 * q) + name + "|>", out);
            if (r == 1) at = emitMerged(tokens, at, 1, w.text(), out);
            i = runEnd;
        }
    }

    /** Emits {@code word} covering run members {@code from .. from+count-1}; returns the next. */
    private static int emitMerged(List<Word> tokens, int from, int count, String word, List<Word> out) {
        int start = tokens.get(from).start();
        int end = tokens.get(from + count - 1).end();
        out.add(new Word(word, start, end - start));
        return from + count;
    }

    /** {@code words_to_text}: inverts {@link #split} for texts without literal special-token syntax. */
    public static String join(List<String> words) {
        List<String> expanded = new ArrayList<>(words.size());
        for (String w : words) expandFactorial(w, expanded);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < expanded.size(); i++) {
            String n = expanded.get(i);
            if (n.isEmpty()) throw new IllegalArgumentException("empty word at index " + i);
            if (i > 0 && spaceExpected(expanded.get(i - 1), n)) sb.append(' ');
            switch (n) {
                case WHITESPACE_TOKEN -> sb.append(' ');
                case NO_WHITESPACE_TOKEN -> { }
                case LINEBREAK_TOKEN -> sb.append('\n');
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }

    /** A joined text and, per word, the span of that text the word became. */
    public record Joined(String text, List<Word> words) {}

    /**
     * {@link #join} that also reports where each word ended up: its span starts after the implied
     * space before it, whitespace words cover the whitespace they became, {@code <|no_ws|>} is
     * empty. For a text t without literal special-token syntax, the spans equal those of
     * {@link #splitWithSpans}(t) on {@code split(t)}.
     */
    public static Joined joinWithSpans(List<String> words) {
        StringBuilder sb = new StringBuilder();
        List<Word> spans = new ArrayList<>(words.size());
        List<String> units = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.isEmpty()) throw new IllegalArgumentException("empty word at index " + i);
            units.clear();
            expandFactorial(w, units);
            int start = -1;
            for (String n : units) {
                if (previous != null && spaceExpected(previous, n)) sb.append(' ');
                if (start < 0) start = sb.length();
                switch (n) {
                    case WHITESPACE_TOKEN -> sb.append(' ');
                    case NO_WHITESPACE_TOKEN -> { }
                    case LINEBREAK_TOKEN -> sb.append('\n');
                    default -> sb.append(n);
                }
                previous = n;
            }
            if (start < 0) start = sb.length();  // a factorial of count 0 becomes nothing
            spans.add(new Word(w, start, sb.length() - start));
        }
        return new Joined(sb.toString(), List.copyOf(spans));
    }

    /**
     * Whether a word only stands for whitespace (or its absence): {@code <|ws|>},
     * {@code <|no_ws|>}, the line break and the factorial space/newline forms.
     */
    public static boolean isWhitespaceWord(String word) {
        return word.equals(WHITESPACE_TOKEN) || word.equals(NO_WHITESPACE_TOKEN) || word.equals(LINEBREAK_TOKEN)
                || isFactorial(word);
    }

    /** Whether a word is a line break or a factorial run of line breaks. */
    public static boolean isLineBreakWord(String word) {
        return word.equals(LINEBREAK_TOKEN) || (isFactorial(word) && word.contains(LINEBREAK_FACTORIAL));
    }

    /** {@code <|N<-ws->|>} or {@code <|N<-\n->|>}, as {@link #join} expands them. */
    private static boolean isFactorial(String word) {
        return looksSpecial(word) && word.length() > 2 && isAsciiDigit(word.charAt(2))
                && (word.contains(WS_FACTORIAL) || word.contains(LINEBREAK_FACTORIAL));
    }

    /** Whether {@code join} puts the implied space between adjacent words {@code p} and {@code n}. */
    private static boolean spaceExpected(String p, String n) {
        return !(p.equals(NO_WHITESPACE_TOKEN) || n.equals(NO_WHITESPACE_TOKEN)
                || noWsAfter(p) || noWsBefore(n)
                || p.equals(WHITESPACE_TOKEN) || n.equals(WHITESPACE_TOKEN)
                || looksSpecial(p) || looksSpecial(n));
    }

    /** {@code <|N<-ws->|>} / {@code <|N<-\n->|>} become N single tokens; other words stay. */
    private static void expandFactorial(String word, List<String> out) {
        if (looksSpecial(word) && word.length() > 2 && isAsciiDigit(word.charAt(2))) {
            String unit = word.contains(WS_FACTORIAL) ? WHITESPACE_TOKEN
                    : word.contains(LINEBREAK_FACTORIAL) ? LINEBREAK_TOKEN : null;
            if (unit != null) {
                int digitsEnd = 2;
                while (digitsEnd < word.length() && isAsciiDigit(word.charAt(digitsEnd))) digitsEnd++;
                int n;
                try {
                    n = Integer.parseInt(word.substring(2, digitsEnd));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("factorial count too large in " + word, e);
                }
                for (int k = 0; k < n; k++) out.add(unit);
                return;
            }
        }
        out.add(word);
    }

    /** A word of the form {@code <|...|>} (also the overlapping 3-char {@code <|>}). */
    static boolean looksSpecial(String word) {
        return word.startsWith("<|") && word.endsWith("|>");
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSpace(Word w) {
        return w.text().equals(" ");
    }

    private static boolean noWsAfter(String piece) {
        return NO_WS_AFTER.indexOf(piece.codePointBefore(piece.length())) >= 0;
    }

    private static boolean noWsBefore(String piece) {
        return NO_WS_BEFORE.indexOf(piece.codePointAt(0)) >= 0;
    }
}
