package dev.tfree4j.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Byte-level trigrams of a word (docs/spec/tfree.md §2): the 3-byte windows of the UTF-8 of {@code " " + word + " "},
 * as ids {@code b0 + 256*b1 + 65536*b2} in [0, 2^24).
 */
public final class Trigrams {
    /** Number of possible trigram ids (rows of the trigram table). */
    public static final int COUNT = 1 << 24;

    private static final int SPACE = 0x20;

    private Trigrams() {}

    /** Distinct trigram ids of {@code word}, in order of first occurrence (the reference uses a set). */
    public static int[] ids(String word) {
        byte[] b = (" " + word + " ").getBytes(StandardCharsets.UTF_8);
        int n = b.length - 2;
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = id(b[i], b[i + 1], b[i + 2]);
        return distinct(all);
    }

    /** The id of the trigram of bytes {@code b0 b1 b2}: first byte least significant. */
    public static int id(byte b0, byte b1, byte b2) {
        return (b0 & 0xFF) | (b1 & 0xFF) << 8 | (b2 & 0xFF) << 16;
    }

    /** The three bytes of a trigram id. */
    public static byte[] bytes(int id) {
        checkId(id);
        return new byte[] {(byte) id, (byte) (id >>> 8), (byte) (id >>> 16)};
    }

    /** Edge trigram: starts or ends with a space byte, i.e. touches a word boundary (used by decoding). */
    public static boolean isEdge(int id) {
        checkId(id);
        return (id & 0xFF) == SPACE || (id >>> 16) == SPACE;
    }

    /**
     * Whether a word bypasses trigrams and is hashed as a whole (docs/spec/tfree.md §3.3): every word when the
     * config says {@code entire_words}, otherwise any word containing {@code "<|"}.
     */
    public static boolean isHashedWord(String word, boolean entireWords) {
        return entireWords || word.contains("<|");
    }

    private static int[] distinct(int[] all) {
        if (all.length <= 64) { // words are short: a quadratic scan beats a hash set
            int[] out = new int[all.length];
            int n = 0;
            outer:
            for (int id : all) {
                for (int k = 0; k < n; k++) if (out[k] == id) continue outer;
                out[n++] = id;
            }
            return Arrays.copyOf(out, n);
        }
        Set<Integer> seen = new LinkedHashSet<>();
        for (int id : all) seen.add(id);
        return seen.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void checkId(int id) {
        if (id < 0 || id >= COUNT) throw new IllegalArgumentException("not a trigram id: " + id);
    }
}
