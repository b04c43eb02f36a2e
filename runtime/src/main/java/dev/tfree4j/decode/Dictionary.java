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
    private final Map<String, Integer> firstIndex;
    private final Map<String, Long> trainingCounts;
    private final WordScorer scorer;
    private final int[] trigramCounts;

    private Dictionary(List<String> words, Map<String, Long> trainingCounts, WordScorer scorer, int[] trigramCounts) {
        this.words = List.copyOf(words);
        this.trainingCounts = Map.copyOf(trainingCounts);
        this.scorer = scorer;
        this.trigramCounts = trigramCounts;
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < this.words.size(); i++) index.putIfAbsent(this.words.get(i), i);
        this.firstIndex = index;
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
        return firstIndex.containsKey(word);
    }

    /** The token id of a word, or -1. */
    public int indexOf(String word) {
        return firstIndex.getOrDefault(word, -1);
    }

    /** How often the word was seen in the dictionary's source counts (0 if never). */
    public long trainingCount(String word) {
        return trainingCounts.getOrDefault(word, 0L);
    }

    WordScorer scorer() {
        return scorer;
    }

    @Override
    public void close() {
        scorer.close();
    }
}
