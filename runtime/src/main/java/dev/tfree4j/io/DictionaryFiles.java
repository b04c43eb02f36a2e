package dev.tfree4j.io;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.text.MessageText;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Readers and writers for the external word dictionaries of docs/spec/tfree.md §6.1/§7.5: a pickled
 * {@code collections.Counter} (the reference's {@code top_word_dict}) and tfree4j's plain-text
 * word list.
 *
 * <h2>Word list format</h2>
 * UTF-8 text, one word per line, optionally followed by a TAB and a decimal count
 * ({@code word<TAB>count}); either every line has a count or none has. Line ends are {@code \n}
 * (a {@code \r} before it is dropped, so CRLF files work). Empty lines are ignored; a leading
 * byte-order mark is ignored. Inside a word, four characters must be escaped with a backslash:
 * {@code \\} (backslash), {@code \n} (newline), {@code \t} (tab) and {@code \r} (carriage
 * return); any other backslash sequence is an error. Nothing else is special: spaces, including
 * leading and trailing ones, belong to the word. Without counts, the file order is the order of
 * the dictionary, expressed as synthetic descending counts (first word N, last word 1) so that
 * a count-ordered consumer keeps it. Duplicate words are an error.
 */
public final class DictionaryFiles {
    private DictionaryFiles() {}

    /**
     * Reads a pickled {@code collections.Counter} (or plain dict) of word → count, in the
     * pickle's insertion order. Only the globals {@code collections.Counter/OrderedDict} are allowed.
     */
    public static LinkedHashMap<String, Long> readCounterPickle(Path file) {
        requireFile(file);
        try (Arena arena = Arena.ofConfined()) {
            return parseCounterPickle(file, ZipArchive.mapReadOnly(file, arena));
        }
    }

    /** {@link #readCounterPickle} of bytes already in memory; {@code file} only names them in messages. */
    public static LinkedHashMap<String, Long> parseCounterPickle(Path file, MemorySegment bytes) {
        Object root = Pickle.load(file, bytes, new Pickle.Options().allowDicts());
        if (!(root instanceof Map<?, ?> map)) {
            throw new ModelFormatException(file, "expected a pickled Counter or dict of word → count, found a "
                    + Pickle.describe(root));
        }
        return wordCounts(file, map, "counter");
    }

    /** Converts an unpickled dict to word → count, checking key and value types. */
    static LinkedHashMap<String, Long> wordCounts(Path file, Map<?, ?> map, String what) {
        LinkedHashMap<String, Long> out = new LinkedHashMap<>(Math.max(16, map.size() * 4 / 3 + 1));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String word)) {
                throw new ModelFormatException(file, what + " key " + Pickle.describe(e.getKey()) + " is not a string");
            }
            if (e.getValue() instanceof Long count) {
                out.put(word, count);
            } else if (e.getValue() instanceof BigInteger) {
                throw new ModelFormatException(file, what + " count of " + MessageText.quoteSingle(word) + " does not fit in 64 bits");
            } else {
                throw new ModelFormatException(file, what + " count of " + MessageText.quoteSingle(word) + " is " + Pickle.describe(e.getValue())
                        + ", not an integer");
            }
        }
        return out;
    }

    /** Reads a word list (format in the class comment). */
    public static LinkedHashMap<String, Long> readWordList(Path file) {
        return readWordList(file, word -> { });
    }

    /**
     * Reads a word list and hands every word to {@code check}, which may refuse it with an
     * {@link IllegalArgumentException}; the refusal becomes a {@link ModelFormatException} naming
     * the file and the line (e.g. a word that the model's splitter cuts into several words).
     */
    public static LinkedHashMap<String, Long> readWordList(Path file, Consumer<String> check) {
        requireFile(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + e, e);
        }
        return parseWordList(file, bytes, check);
    }

    /** {@link #readWordList(Path, Consumer)} of bytes already in memory; {@code file} only names them in messages. */
    public static LinkedHashMap<String, Long> parseWordList(Path file, byte[] bytes, Consumer<String> check) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(file, "word list is not valid UTF-8", e);
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);

        LinkedHashMap<String, Long> words = new LinkedHashMap<>();
        Boolean withCounts = null;
        int lineNo = 0;
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int stop = nl < 0 ? text.length() : nl;
            lineNo++;
            String line = text.substring(start, stop);
            start = stop + 1;
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) continue;

            int tab = line.indexOf('\t');
            boolean hasCount = tab >= 0;
            if (withCounts == null) withCounts = hasCount;
            if (withCounts != hasCount) {
                throw new ModelFormatException(file, "line " + lineNo + ": either every line has a TAB and a count or none has");
            }
            String word = unescape(file, lineNo, hasCount ? line.substring(0, tab) : line);
            try {
                check.accept(word);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file, "line " + lineNo + ": " + e.getMessage(), e);
            }
            long count = 0;
            if (hasCount) count = parseCount(file, lineNo, line.substring(tab + 1));
            if (words.putIfAbsent(word, count) != null) {
                throw new ModelFormatException(file, "line " + lineNo + ": duplicate word (first on line "
                        + firstLineOf(file, text, word) + ")");
            }
        }
        if (Boolean.FALSE.equals(withCounts)) {
            long synthetic = words.size();
            for (Map.Entry<String, Long> e : words.entrySet()) e.setValue(synthetic--);
        }
        return words;
    }

    /**
     * The line a word is first on, found again only for the error message (a map from every word
     * to its line doubled the memory of reading a big list).
     */
    private static int firstLineOf(Path file, String text, String word) {
        int lineNo = 0;
        for (int start = 0; start < text.length(); ) {
            int nl = text.indexOf('\n', start);
            int stop = nl < 0 ? text.length() : nl;
            lineNo++;
            String line = text.substring(start, stop);
            start = stop + 1;
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) continue;
            int tab = line.indexOf('\t');
            if (unescape(file, lineNo, tab >= 0 ? line.substring(0, tab) : line).equals(word)) return lineNo;
        }
        return -1;
    }

    /** Writes {@code counts} as a word list with counts, in map order (inverse of {@link #readWordList}). */
    public static void writeWordList(Path file, Map<String, Long> counts) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                String word = e.getKey();
                Long count = e.getValue();
                if (word == null || word.isEmpty()) throw new IllegalArgumentException("empty word cannot be written");
                if (count == null || count < 0) {
                    throw new IllegalArgumentException("count of '" + word + "' must be non-negative, got " + count);
                }
                w.write(escape(word));
                w.write('\t');
                w.write(Long.toString(count));
                w.write('\n');
            }
        }
    }

    static String escape(String word) {
        StringBuilder sb = new StringBuilder(word.length() + 8);
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String unescape(Path file, int lineNo, String s) {
        if (s.isEmpty()) throw new ModelFormatException(file, "line " + lineNo + ": empty word");
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i == s.length()) throw new ModelFormatException(file, "line " + lineNo + ": word ends with a lone backslash");
            switch (s.charAt(i)) {
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                default -> throw new ModelFormatException(file, "line " + lineNo + ": unknown escape \\" + s.charAt(i)
                        + " (only \\\\, \\n, \\t and \\r are defined)");
            }
        }
        return sb.toString();
    }

    private static long parseCount(Path file, int lineNo, String s) {
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ModelFormatException(file, "line " + lineNo + ": count " + MessageText.quoteSingle(s) + " is not a non-negative integer");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file, "line " + lineNo + ": count " + MessageText.quoteSingle(s) + " is too large");
        }
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) throw new ModelFormatException(file, "file not found");
    }
}
