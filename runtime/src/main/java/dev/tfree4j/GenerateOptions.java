package dev.tfree4j;

import java.time.Duration;
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
 * @param wordEdgeWeight λ of docs/spec/tfree.md §6.2, the weight of edge trigrams' ids (1.0 in the reference)
 * @param temperature 0 = greedy (the reference's only strategy, the default); > 0 samples from
 *     softmax(score / temperature); word scores lie in about [0, 1], so useful values are ~0.02–0.2
 * @param topK sample among the k best words only (0 = all)
 * @param topP sample from the smallest set of words whose probability reaches p (1 = all)
 * @param seed the random seed of sampling (same seed, same words)
 * @param repetitionPenalty > 1 discourages words of the prompt and of the generation so far (1 = off)
 * @param attentionControls AtMan steering: attention paid to parts of the prompt is scaled in the
 *     prompt's forward pass and in every decode step (null = none)
 * @param timeout stop when this much time has passed since {@code generate} began (null = no limit):
 *     checked before every word, so the words so far come back with {@code StopReason.TIMEOUT}
 */
public record GenerateOptions(int maxWords, Integer logProbs, boolean echo, boolean echoReferenceCompat,
                              boolean abortOnEndOfText, List<String> stopWords, String moreWords,
                              float wordEdgeWeight, float temperature, int topK, float topP, long seed,
                              float repetitionPenalty, AttentionControls attentionControls, Duration timeout) {
    /**
     * The most log-probabilities reported per step: each is a dictionary word and its value, kept
     * for every generated word, so an unbounded k costs memory and time for nothing a user reads.
     */
    public static final int MAX_LOG_PROBS = 1000;

    public static final GenerateOptions DEFAULT = builder().build();

    public GenerateOptions {
        if (maxWords < 0) throw new IllegalArgumentException("maxWords must be >= 0, got " + maxWords);
        if (logProbs != null && (logProbs < 1 || logProbs > MAX_LOG_PROBS)) {
            throw new IllegalArgumentException("logProbs must be in [1, " + MAX_LOG_PROBS + "], got " + logProbs);
        }
        if (!(wordEdgeWeight >= 0) || Float.isInfinite(wordEdgeWeight)) {
            throw new IllegalArgumentException("wordEdgeWeight must be a finite value >= 0, got " + wordEdgeWeight);
        }
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0 (0 = all), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        if (!(repetitionPenalty > 0) || Float.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be > 0 (1 = off), got " + repetitionPenalty);
        }
        if (stopWords != null) {
            for (int i = 0; i < stopWords.size(); i++) {
                if (stopWords.get(i) == null) throw new IllegalArgumentException("stopWords[" + i + "] is null");
            }
        }
        stopWords = stopWords == null ? List.of() : List.copyOf(stopWords);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive (null = none), got " + timeout);
        }
    }

    /** Whether words are drawn at random rather than chosen greedily. */
    public boolean sampling() {
        return temperature > 0;
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
        b.temperature = temperature;
        b.topK = topK;
        b.topP = topP;
        b.seed = seed;
        b.repetitionPenalty = repetitionPenalty;
        b.attentionControls = attentionControls;
        b.timeout = timeout;
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
        private float temperature = 0f;
        private int topK = 0;
        private float topP = 1f;
        private long seed = 0;
        private float repetitionPenalty = 1f;
        private AttentionControls attentionControls;
        private Duration timeout;

        public Builder maxWords(int v) { maxWords = v; return this; }
        public Builder logProbs(Integer k) { logProbs = k; return this; }
        public Builder echo(boolean v) { echo = v; return this; }
        public Builder echoReferenceCompat(boolean v) { echoReferenceCompat = v; return this; }
        public Builder abortOnEndOfText(boolean v) { abortOnEndOfText = v; return this; }
        public Builder stopWords(List<String> v) { stopWords = v; return this; }
        public Builder stopWord(String v) { stopWords = v == null ? List.of() : List.of(v); return this; }
        public Builder moreWords(String v) { moreWords = v; return this; }
        public Builder wordEdgeWeight(float v) { wordEdgeWeight = v; return this; }
        public Builder temperature(float v) { temperature = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder topP(float v) { topP = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder repetitionPenalty(float v) { repetitionPenalty = v; return this; }
        public Builder attentionControls(AttentionControls v) { attentionControls = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }

        public GenerateOptions build() {
            return new GenerateOptions(maxWords, logProbs, echo, echoReferenceCompat, abortOnEndOfText, stopWords,
                    moreWords, wordEdgeWeight, temperature, topK, topP, seed, repetitionPenalty, attentionControls, timeout);
        }
    }
}
