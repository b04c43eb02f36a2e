package dev.tfree4j.hat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Special tokens around the {@link HatSplitter} (docs/spec/hat.md §1.2): a HAT model's
 * {@code special_token_dict} maps strings such as {@code "<|eot_id|>"} to byte values that never
 * occur in UTF-8 (0xC0, 0xC1, 0xF5..0xFF), so they share the 256-entry byte vocabulary.
 *
 * <p>{@link #encode} cuts the text at every occurrence of a special string (a regex alternation of
 * the strings in dictionary order: at each position the first string in that order that matches
 * wins), makes each occurrence the one-byte word {@code [id]}, and splits the text between them with
 * {@link HatSplitter#splitWithLimit(String, int)} and the model's {@code max_word_size}.
 * {@link #decode} turns bytes back into text. Instances are immutable and thread-safe.
 */
public final class HatSpecialTokens {
    private final Map<String, Integer> ids;
    private final String[] stringOfByte = new String[256];
    private final Pattern occurrence;
    private final int maxWordSize;

    /**
     * @param specialTokenDict special string to byte id, iterated in the dictionary's order (use a
     *     {@link LinkedHashMap} for the order of {@code config.json}); may be empty
     * @param maxWordSize the byte limit of a word, {@code max_word_size} of {@code config.json}
     * @throws IllegalArgumentException for an empty string, an id that can occur in UTF-8, two
     *     strings with one id, or {@code maxWordSize <= 0}
     */
    public HatSpecialTokens(Map<String, Integer> specialTokenDict, int maxWordSize) {
        if (maxWordSize <= 0) throw new IllegalArgumentException("maxWordSize must be positive, was " + maxWordSize);
        this.maxWordSize = maxWordSize;
        this.ids = Collections.unmodifiableMap(new LinkedHashMap<>(specialTokenDict));
        for (Map.Entry<String, Integer> entry : ids.entrySet()) {
            String string = entry.getKey();
            int id = entry.getValue();
            if (string.isEmpty()) throw new IllegalArgumentException("empty special token string");
            if (!(id == 0xC0 || id == 0xC1 || (id >= 0xF5 && id <= 0xFF))) {
                throw new IllegalArgumentException("special token " + string + " has id " + id
                        + ", a byte that can occur in UTF-8 (allowed: 192, 193, 245..255)");
            }
            if (stringOfByte[id] != null) {
                throw new IllegalArgumentException("special tokens " + stringOfByte[id] + " and " + string + " share id " + id);
            }
            stringOfByte[id] = string;
        }
        this.occurrence = ids.isEmpty() ? null
                : Pattern.compile(ids.keySet().stream().map(Pattern::quote).collect(Collectors.joining("|")));
    }

    /** The reference default, {@code {"<|eot_id|>": 192}}. */
    public static HatSpecialTokens defaults(int maxWordSize) {
        return new HatSpecialTokens(Map.of("<|eot_id|>", 192), maxWordSize);
    }

    /** The special strings and their ids, in dictionary order. */
    public Map<String, Integer> ids() {
        return ids;
    }

    /** The special string of byte id {@code b}, or null when {@code b} is not a special token. */
    public String stringOf(int b) {
        return stringOfByte[b & 0xFF];
    }

    /** The byte limit of a word. */
    public int maxWordSize() {
        return maxWordSize;
    }

    /**
     * The words of a text: one-byte words for special strings, the {@link HatSplitter}'s words of
     * the text between them.
     *
     * @throws IllegalArgumentException if the text holds a lone surrogate
     */
    public List<byte[]> encode(String text) {
        List<byte[]> words = new ArrayList<>();
        int from = 0;
        if (occurrence != null) {
            Matcher m = occurrence.matcher(text);
            while (m.find()) {
                words.addAll(HatSplitter.splitWithLimit(text.substring(from, m.start()), maxWordSize));
                words.add(new byte[] {(byte) (int) ids.get(m.group())});
                from = m.end();
            }
        }
        words.addAll(HatSplitter.splitWithLimit(text.substring(from), maxWordSize));
        return words;
    }

    /**
     * Text of bytes: each special id becomes its string, the rest is decoded as UTF-8 with
     * malformed sequences replaced by U+FFFD.
     */
    public String decode(byte[] bytes) {
        ByteArrayOutputStream utf8 = new ByteArrayOutputStream(bytes.length);
        for (byte b : bytes) {
            String special = stringOfByte[b & 0xFF];
            if (special == null) utf8.write(b);
            else utf8.writeBytes(special.getBytes(StandardCharsets.UTF_8));
        }
        return utf8.toString(StandardCharsets.UTF_8);
    }
}
