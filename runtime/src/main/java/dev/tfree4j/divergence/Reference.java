package dev.tfree4j.divergence;

import java.util.List;

/**
 * The base model's greedy continuation of one prompt (docs/spec/atman-dtm.md §B.1 item 1): the words it
 * chose, their indices in the candidate set (dictionary + the prompt's words), and per step the
 * base model's top-1/top-2 margin so that divergences at near-ties can be told apart.
 *
 * @param prompt    the prompt text
 * @param words     y_0 … y_{n−1}, n ≤ N (shorter only when the context filled up or an empty
 *                  word was chosen)
 * @param indices   candidate index of each word
 * @param margins   ln p(top-1) − ln p(top-2) of the base model at each step (= score difference)
 * @param logProbs  ln p(y_n) under the base model's dictionary softmax
 */
public record Reference(String prompt, List<String> words, int[] indices, float[] margins, float[] logProbs) {
    public Reference {
        words = List.copyOf(words);
        if (indices.length != words.size() || margins.length != words.size() || logProbs.length != words.size()) {
            throw new IllegalArgumentException("a reference needs one index, margin and log-prob per word");
        }
    }

    public int length() {
        return words.size();
    }
}
