package dev.tfree4j.decode;

import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.WordScorer;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.WordPatterns;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The candidate words of decoding (docs/spec/tfree.md §6.1): an ordered word list whose index is the token id,
 * each word's sparse pattern in native memory, and the training counts reported in results.
 * Immutable and shared by every generation of a model.
 */
public final class Dictionary implements AutoCloseable {
    private final List<String> words;
    /**
     * Open addressing over the words' hashes: slot → first index of a word + 1 (0 = empty). A
     * HashMap of boxed entries cost about 60 bytes a word; this costs 8 (load factor 1/2).
     */
    private final int[] firstIndex;
    /** The training count of word i (aligned with {@link #words}); entries not in the list go to {@link #otherCounts}. */
    private final long[] counts;
    private final Map<String, Long> otherCounts;
    private final WordScorer scorer;
    private final int[] trigramCounts;

    private Dictionary(List<String> words, Map<String, Long> trainingCounts, WordScorer scorer, int[] trigramCounts) {
        this.words = List.copyOf(words);
        this.scorer = scorer;
        this.trigramCounts = trigramCounts;
        int n = this.words.size();
        int capacity = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1;
        this.firstIndex = new int[capacity];
        for (int i = 0; i < n; i++) {
            String w = this.words.get(i);
            int slot = slotOf(w);
            if (slot < 0) firstIndex[-slot - 1] = i + 1;
        }
        this.counts = new long[n];
        Map<String, Long> other = new HashMap<>();
        trainingCounts.forEach((word, count) -> {
            int i = indexOf(word);
            if (i >= 0) counts[i] = count;
            else other.put(word, count);
        });
        this.otherCounts = Map.copyOf(other);
    }

    /** The slot holding {@code word} (>= 0), or -(the free slot where it would go) - 1. */
    private int slotOf(String word) {
        int mask = firstIndex.length - 1;
        int slot = (word.hashCode() * 0x9E3779B9) >>> 1 & mask;
        while (true) {
            int entry = firstIndex[slot];
            if (entry == 0) return -slot - 1;
            if (words.get(entry - 1).equals(word)) return slot;
            slot = (slot + 1) & mask;
        }
    }

    /** Builds the patterns of {@code words} (already in token-id order) with the model's tokenizer. */
    public static Dictionary build(NativeContext context, Tokenizer tokenizer, List<String> words, Map<String, Long> trainingCounts) {
        WordPatterns p = WordPatterns.build(words, tokenizer);
        return new Dictionary(words, trainingCounts, scorerFor(context, tokenizer, p), p.nTrigrams());
    }

    /** The native scorer of patterns {@code p}, built once here (packed for the kernel). */
    static WordScorer scorerFor(NativeContext context, Tokenizer tokenizer, WordPatterns p) {
        return new WordScorer(context, tokenizer.config().vocabSize(), tokenizer.config().vocabPopulation(),
                p.offsets(), p.ids(), p.edgeOffsets(), p.edgeIds(), p.nTrigrams());
    }

    /** n(w): the number of distinct trigrams of word {@code index} (1 for hashed words). */
    public int trigramCount(int index) {
        return trigramCounts[index];
    }

    public List<String> words() {
        return words;
    }

    public int size() {
        return words.size();
    }

    public boolean contains(String word) {
        return indexOf(word) >= 0;
    }

    /** The token id of a word (its first index), or -1. */
    public int indexOf(String word) {
        int slot = slotOf(word);
        return slot < 0 ? -1 : firstIndex[slot] - 1;
    }

    /** How often the word was seen in the dictionary's source counts (0 if never). */
    public long trainingCount(String word) {
        int i = indexOf(word);
        return i >= 0 ? counts[i] : otherCounts.getOrDefault(word, 0L);
    }

    WordScorer scorer() {
        return scorer;
    }

    @Override
    public void close() {
        scorer.close();
    }
}
