package dev.tfree4j.decode;

import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.WordScorer;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.WordPatterns;
import java.util.ArrayList;
import java.util.List;

/**
 * The candidates of one generation: the dictionary followed by the extra words
 * ({@code more_words}, by default the prompt's words) that are not in it. As in the reference,
 * extra words are not de-duplicated among themselves: a repeated prompt word gets two indices.
 */
public final class CandidateSet implements AutoCloseable {
    private final Dictionary dictionary;
    private final List<String> extraWords;
    private final WordScorer extraScorer;  // null when there are no extra words
    private final int[] extraTrigramCounts;

    public CandidateSet(NativeContext context, Tokenizer tokenizer, Dictionary dictionary, List<String> moreWords) {
        this.dictionary = dictionary;
        List<String> extra = new ArrayList<>();
        for (String w : moreWords) {
            if (!dictionary.contains(w)) extra.add(w);
        }
        this.extraWords = List.copyOf(extra);
        if (extra.isEmpty()) {
            this.extraScorer = null;
            this.extraTrigramCounts = new int[0];
        } else {
            WordPatterns patterns = WordPatterns.build(extra, tokenizer);
            this.extraScorer = Dictionary.scorerFor(context, tokenizer, patterns);
            this.extraTrigramCounts = patterns.nTrigrams();
        }
    }

    /** n(w) of candidate {@code index}. */
    public int trigramCount(int index) {
        int base = dictionary.size();
        return index < base ? dictionary.trigramCount(index) : extraTrigramCounts[index - base];
    }

    public int size() {
        return dictionary.size() + extraWords.size();
    }

    public String word(int index) {
        int base = dictionary.size();
        return index < base ? dictionary.words().get(index) : extraWords.get(index - base);
    }

    /** The first index of a word among the candidates, or -1. */
    public int indexOf(String word) {
        int i = dictionary.indexOf(word);
        if (i >= 0) return i;
        int j = extraWords.indexOf(word);
        return j < 0 ? -1 : dictionary.size() + j;
    }

    public List<String> extraWords() {
        return extraWords;
    }

    public Dictionary dictionary() {
        return dictionary;
    }

    WordScorer extraScorer() {
        return extraScorer;
    }

    @Override
    public void close() {
        if (extraScorer != null) extraScorer.close();
    }
}
