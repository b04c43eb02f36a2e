package dev.tfree4j;

import java.util.List;

/**
 * How to generate. The defaults are the reference implementation's ({@code max_tokens} 16,
 * greedy, no log-probs, no echo, stop at end-of-text). Build with {@link #builder()}.
 *
 * @param maxWords how many words to generate at most (>= 0)
 * @param logProbs report the top-k log-probabilities per step (null = none)
 * @param echo prepend the prompt's words to the result, with their log-probs
 * @param echoReferenceCompat reproduce the reference's multi-row decode bug in echo log-probs
 *     (every row's positive sums read row 0's activations); off = correct per-row scores
 * @param abortOnEndOfText stop after generating the end-of-text word
 * @param stopWords stop after generating any of these words (the stop word is included)
 * @param moreWords extra candidate words as text (split into words); null = the prompt itself
 * @param wordEdgeWeight λ of spec §6.2, the weight of edge trigrams' ids (1.0 in the reference)
 */
public record GenerateOptions(int maxWords, Integer logProbs, boolean echo, boolean echoReferenceCompat,
                              boolean abortOnEndOfText, List<String> stopWords, String moreWords,
                              float wordEdgeWeight) {
    public static final GenerateOptions DEFAULT = builder().build();

    public GenerateOptions {
        if (maxWords < 0) throw new IllegalArgumentException("maxWords must be >= 0, got " + maxWords);
        if (logProbs != null && logProbs < 1) throw new IllegalArgumentException("logProbs must be >= 1, got " + logProbs);
        if (!(wordEdgeWeight >= 0) || Float.isInfinite(wordEdgeWeight)) {
            throw new IllegalArgumentException("wordEdgeWeight must be a finite value >= 0, got " + wordEdgeWeight);
        }
        stopWords = stopWords == null ? List.of() : List.copyOf(stopWords);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxWords = maxWords;
        b.logProbs = logProbs;
        b.echo = echo;
        b.echoReferenceCompat = echoReferenceCompat;
        b.abortOnEndOfText = abortOnEndOfText;
        b.stopWords = stopWords;
        b.moreWords = moreWords;
        b.wordEdgeWeight = wordEdgeWeight;
        return b;
    }

    /** Fluent builder with the reference's defaults. */
    public static final class Builder {
        private int maxWords = 16;
        private Integer logProbs;
        private boolean echo;
        private boolean echoReferenceCompat;
        private boolean abortOnEndOfText = true;
        private List<String> stopWords = List.of();
        private String moreWords;
        private float wordEdgeWeight = 1.0f;

        public Builder maxWords(int v) { maxWords = v; return this; }
        public Builder logProbs(Integer k) { logProbs = k; return this; }
        public Builder echo(boolean v) { echo = v; return this; }
        public Builder echoReferenceCompat(boolean v) { echoReferenceCompat = v; return this; }
        public Builder abortOnEndOfText(boolean v) { abortOnEndOfText = v; return this; }
        public Builder stopWords(List<String> v) { stopWords = v; return this; }
        public Builder stopWord(String v) { stopWords = v == null ? List.of() : List.of(v); return this; }
        public Builder moreWords(String v) { moreWords = v; return this; }
        public Builder wordEdgeWeight(float v) { wordEdgeWeight = v; return this; }

        public GenerateOptions build() {
            return new GenerateOptions(maxWords, logProbs, echo, echoReferenceCompat, abortOnEndOfText, stopWords,
                    moreWords, wordEdgeWeight);
        }
    }
}
