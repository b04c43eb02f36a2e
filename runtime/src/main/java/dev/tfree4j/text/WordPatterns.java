package dev.tfree4j.text;

import dev.tfree4j.ModelFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The dictionary's sparse vocab-id patterns (docs/spec/tfree.md §6.1), used to score candidate next words.
 *
 * <p>Per word w: I(w) = the set of ids of its non-edge trigrams' rows (for a hashed word: its
 * hashed ids), E(w) = the set of ids of its edge trigrams' rows (empty for a hashed word), and
 * n(w) = its number of distinct trigrams (1 for a hashed word). Stored CSR-style: the ids of word i
 * are {@code ids[offsets[i] .. offsets[i+1])}. Within a word, ids are sorted ascending; the
 * reference's order is CPython's set iteration order, which only changes float summation order.
 */
public final class WordPatterns {
    /** The special words a counter-built dictionary always contains, in the order they are added. */
    public static final List<String> DICTIONARY_SPECIALS = List.of(
            WordSplitter.LINEBREAK_TOKEN, WordSplitter.END_OF_TEXT_TOKEN,
            WordSplitter.NO_WHITESPACE_TOKEN, WordSplitter.WHITESPACE_TOKEN,
            WordSplitter.WS_2, WordSplitter.WS_4, WordSplitter.WS_6, WordSplitter.WS_8,
            WordSplitter.LINEBREAK_2, WordSplitter.LINEBREAK_4, WordSplitter.LINEBREAK_6,
            WordSplitter.LINEBREAK_8);

    private final List<String> words;
    private final long[] offsets;
    private final int[] ids;
    private final long[] edgeOffsets;
    private final int[] edgeIds;
    private final int[] nTrigrams;

    private WordPatterns(List<String> words, long[] offsets, int[] ids, long[] edgeOffsets, int[] edgeIds,
                         int[] nTrigrams) {
        this.words = words;
        this.offsets = offsets;
        this.ids = ids;
        this.edgeOffsets = edgeOffsets;
        this.edgeIds = edgeIds;
        this.nTrigrams = nTrigrams;
    }

    /**
     * Patterns of {@code words} under {@code tok}'s config (lowercased first if it says so; the word
     * strings keep their case). Every word must split into exactly one word.
     *
     * @throws ModelFormatException naming a word that does not
     */
    public static WordPatterns build(List<String> words, Tokenizer tok) {
        List<String> list = List.copyOf(words);
        // words are independent; rows are cached in the table, so parallel workers share them
        int[][][] perWord = new int[list.size()][][];
        IntStream.range(0, list.size()).parallel().forEach(i -> perWord[i] = pattern(i, list.get(i), tok));
        long[] offsets = new long[list.size() + 1];
        long[] edgeOffsets = new long[list.size() + 1];
        int[] nTrigrams = new int[list.size()];
        for (int i = 0; i < list.size(); i++) {
            offsets[i + 1] = offsets[i] + perWord[i][0].length;
            edgeOffsets[i + 1] = edgeOffsets[i] + perWord[i][1].length;
            nTrigrams[i] = perWord[i][2][0];
        }
        int[] ids = new int[Math.toIntExact(offsets[list.size()])];
        int[] edgeIds = new int[Math.toIntExact(edgeOffsets[list.size()])];
        for (int i = 0; i < list.size(); i++) {
            System.arraycopy(perWord[i][0], 0, ids, (int) offsets[i], perWord[i][0].length);
            System.arraycopy(perWord[i][1], 0, edgeIds, (int) edgeOffsets[i], perWord[i][1].length);
        }
        return new WordPatterns(list, offsets, ids, edgeOffsets, edgeIds, nTrigrams);
    }

    /**
     * The one word {@code word} is to the model (after the tokenizer's normalisation).
     *
     * @throws IllegalArgumentException naming the word and its parts when it splits into several
     *     words or none (readers turn this into a format error naming the file and line)
     */
    public static String requireSingleWord(String word, Tokenizer tok) {
        List<String> split = WordSplitter.split(tok.normalize(word));
        if (split.size() != 1) {
            // At most a few parts, each cut: a "dictionary" that is really another file (a symlink
            // to /etc/shadow) must not be echoed into the message.
            List<String> parts = new java.util.ArrayList<>(split.stream().limit(4).map(WordPatterns::quote).toList());
            if (split.size() > 4) parts.add("…");
            throw new IllegalArgumentException("dictionary word " + quote(word) + " splits into " + split.size()
                    + " words " + parts + "; every dictionary word must be exactly one word");
        }
        return split.get(0);
    }

    /** {I(w), E(w), {n(w)}} of one dictionary word. */
    private static int[][] pattern(int index, String word, Tokenizer tok) {
        String w;
        try {
            w = requireSingleWord(word, tok);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("entry " + index + ": " + e.getMessage());
        }
        if (tok.isHashed(w)) return new int[][] {sortedSet(tok.hashedWordIds(w)), new int[0], {1}};
        int[] trigrams = Trigrams.ids(w);
        int p = tok.config().vocabPopulation();
        int[] inner = new int[trigrams.length * p];
        int[] edge = new int[trigrams.length * p];
        int ni = 0;
        int ne = 0;
        for (int t : trigrams) {
            int[] row = tok.checkedRow(t);
            if (Trigrams.isEdge(t)) {
                System.arraycopy(row, 0, edge, ne, p);
                ne += p;
            } else {
                System.arraycopy(row, 0, inner, ni, p);
                ni += p;
            }
        }
        return new int[][] {sortedSet(Arrays.copyOf(inner, ni)), sortedSet(Arrays.copyOf(edge, ne)),
                {trigrams.length}};
    }

    private static int[] sortedSet(int[] a) {
        if (a.length == 0) return a;
        Arrays.sort(a);
        int n = 1;
        for (int i = 1; i < a.length; i++) if (a[i] != a[n - 1]) a[n++] = a[i];
        return Arrays.copyOf(a, n);
    }

    private static String quote(String s) {
        return MessageText.quote(s);
    }

    /**
     * The dictionary order for a word counter (docs/spec/tfree.md §6.1): entries with count <= 0 dropped, the 12
     * {@link #DICTIONARY_SPECIALS} added with count 0 where missing, then a stable sort by count
     * descending (ties keep insertion order, so new specials come last). Index = the word's token id.
     */
    public static List<String> orderDictionary(LinkedHashMap<String, Long> counter) {
        LinkedHashMap<String, Long> kept = new LinkedHashMap<>();
        counter.forEach((word, count) -> {
            if (count == null) throw new IllegalArgumentException("no count for word " + quote(word));
            if (count > 0) kept.put(word, count);
        });
        for (String special : DICTIONARY_SPECIALS) kept.putIfAbsent(special, 0L);
        List<Map.Entry<String, Long>> entries = new ArrayList<>(kept.entrySet());
        entries.sort((a, b) -> Long.compare(b.getValue(), a.getValue())); // List.sort is stable
        return entries.stream().map(Map.Entry::getKey).toList();
    }

    /** The words, in dictionary order. */
    public List<String> words() {
        return words;
    }

    public int size() {
        return words.size();
    }

    /** CSR offsets into {@link #ids()}: word i's non-edge ids are {@code ids[offsets[i] .. offsets[i+1])}. */
    public long[] offsets() {
        return offsets;
    }

    /** Concatenated I(w) sets. */
    public int[] ids() {
        return ids;
    }

    /** CSR offsets into {@link #edgeIds()}. */
    public long[] edgeOffsets() {
        return edgeOffsets;
    }

    /** Concatenated E(w) sets. */
    public int[] edgeIds() {
        return edgeIds;
    }

    /** n(w) per word. */
    public int[] nTrigrams() {
        return nTrigrams;
    }

    /** I(w) of word {@code i}, sorted. */
    public int[] ids(int i) {
        return Arrays.copyOfRange(ids, (int) offsets[i], (int) offsets[i + 1]);
    }

    /** E(w) of word {@code i}, sorted. */
    public int[] edgeIds(int i) {
        return Arrays.copyOfRange(edgeIds, (int) edgeOffsets[i], (int) edgeOffsets[i + 1]);
    }
}
