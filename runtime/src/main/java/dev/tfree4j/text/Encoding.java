package dev.tfree4j.text;

import java.util.Arrays;
import java.util.List;

/**
 * A text encoded for the model (docs/spec/tfree.md §4): its words and, per word, one row of P vocab ids per
 * distinct trigram (or a single row for a hashed word). The embedding of word p is the sum of the
 * embedding rows of all ids of all rows r with {@code rowWord[r] == p}.
 *
 * @param words the words as fed to the model (lowercased if the config says so)
 * @param spans the same words with the span of the original text each stands for
 * @param population P, ids per row
 * @param ids flattened {@code [nRows, P]} vocab ids
 * @param rowWord {@code [nRows]} word position of each row (non-decreasing)
 */
public record Encoding(List<String> words, List<Word> spans, int population, int[] ids, int[] rowWord) {
    public Encoding {
        words = List.copyOf(words);
        spans = List.copyOf(spans);
        if (spans.size() != words.size()) throw new IllegalArgumentException("one span per word expected");
        if (population < 1 || ids.length != rowWord.length * population) {
            throw new IllegalArgumentException("ids must be [rows, population]");
        }
    }

    public int nWords() {
        return words.size();
    }

    public int nRows() {
        return rowWord.length;
    }

    /** The P ids of row {@code r}. */
    public int[] row(int r) {
        return Arrays.copyOfRange(ids, r * population, (r + 1) * population);
    }

    /** The encoding of words {@code from..nWords()-1} alone (their rows, positions renumbered from 0). */
    public Encoding tail(int from) {
        if (from < 0 || from > nWords()) throw new IllegalArgumentException("tail from " + from + " of " + nWords() + " words");
        int firstRow = 0;
        while (firstRow < rowWord.length && rowWord[firstRow] < from) firstRow++;
        int[] rows = new int[rowWord.length - firstRow];
        for (int r = 0; r < rows.length; r++) rows[r] = rowWord[firstRow + r] - from;
        return new Encoding(words.subList(from, words.size()), spans.subList(from, spans.size()), population,
                Arrays.copyOfRange(ids, firstRow * population, ids.length), rows);
    }
}
