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
        int n = list.size();
        // Blocks of words are independent (rows are cached in the table, so parallel workers share
        // them); each block appends its words' ids to flat growable arrays, so memory is the ids
        // themselves plus one small scratch per block, not two arrays per word (a 1M-word list
        // made millions of small arrays and peaked above 1 GB).
        int blocks = (n + BLOCK - 1) / BLOCK;
        Block[] built = new Block[blocks];
        IntStream.range(0, blocks).parallel().forEach(b -> built[b] = Block.of(list, b * BLOCK, Math.min(n, (b + 1) * BLOCK), tok));
        long[] offsets = new long[n + 1];
        long[] edgeOffsets = new long[n + 1];
        int[] nTrigrams = new int[n];
        long idCount = 0, edgeCount = 0;
        for (Block b : built) {
            idCount += b.ids.size;
            edgeCount += b.edgeIds.size;
        }
        int[] ids = new int[Math.toIntExact(idCount)];
        int[] edgeIds = new int[Math.toIntExact(edgeCount)];
        int word = 0, at = 0, edgeAt = 0;
        for (int bi = 0; bi < blocks; bi++) {
            Block b = built[bi];
            built[bi] = null;  // let each block go as soon as it is copied
            System.arraycopy(b.ids.values, 0, ids, at, b.ids.size);
            System.arraycopy(b.edgeIds.values, 0, edgeIds, edgeAt, b.edgeIds.size);
            for (int k = 0; k < b.nTrigrams.length; k++, word++) {
                offsets[word + 1] = at + b.idEnds[k];
                edgeOffsets[word + 1] = edgeAt + b.edgeEnds[k];
                nTrigrams[word] = b.nTrigrams[k];
            }
            at += b.ids.size;
            edgeAt += b.edgeIds.size;
        }
        return new WordPatterns(list, offsets, ids, edgeOffsets, edgeIds, nTrigrams);
    }

    /** Words per parallel block of {@link #build}. */
    private static final int BLOCK = 4096;

    /** The patterns of words [from, to): flat ids, and per word where its ids end within the block. */
    private record Block(Ints ids, Ints edgeIds, int[] idEnds, int[] edgeEnds, int[] nTrigrams) {
        static Block of(List<String> words, int from, int to, Tokenizer tok) {
            Block b = new Block(new Ints(), new Ints(), new int[to - from], new int[to - from], new int[to - from]);
            for (int i = from; i < to; i++) {
                b.nTrigrams[i - from] = pattern(i, words.get(i), tok, b.ids, b.edgeIds);
                b.idEnds[i - from] = b.ids.size;
                b.edgeEnds[i - from] = b.edgeIds.size;
            }
            return b;
        }
    }

    /** A growable int array. */
    private static final class Ints {
        int[] values = new int[1024];
        int size;

        void add(int v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        /** Sorts values [from, size) and keeps one of each. */
        void sortDistinctFrom(int from) {
            if (size - from < 2) return;
            Arrays.sort(values, from, size);
            int n = from + 1;
            for (int i = from + 1; i < size; i++) if (values[i] != values[n - 1]) values[n++] = values[i];
            size = n;
        }
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

    /** Appends I(w) to {@code ids} and E(w) to {@code edgeIds} (each sorted, distinct); returns n(w). */
    private static int pattern(int index, String word, Tokenizer tok, Ints ids, Ints edgeIds) {
        String w;
        try {
            w = requireSingleWord(word, tok);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("entry " + index + ": " + e.getMessage());
        }
        int idsFrom = ids.size, edgeFrom = edgeIds.size;
        if (tok.isHashed(w)) {
            for (int id : tok.hashedWordIds(w)) ids.add(id);
            ids.sortDistinctFrom(idsFrom);
            return 1;
        }
        int[] trigrams = Trigrams.ids(w);
        for (int t : trigrams) {
            Ints into = Trigrams.isEdge(t) ? edgeIds : ids;
            for (int id : tok.checkedRow(t)) into.add(id);
        }
        ids.sortDistinctFrom(idsFrom);
        edgeIds.sortDistinctFrom(edgeFrom);
        return trigrams.length;
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
