package dev.tfree4j.hat;

import java.util.List;

/**
 * Options of HAT generation (docs/spec/hat.md §3). Defaults: greedy, 256 bytes, no word limit,
 * the vLLM boundary policy with the config's {@code max_word_size} as the word cap, the HF
 * carried-byte fix-up, the cached engine.
 *
 * @param maxBytes       byte budget of the completion (>= 1)
 * @param maxWords       stop once this many words are complete (>= 1; {@link Integer#MAX_VALUE} = no limit)
 * @param stopStrings    stop when the completion's text contains one of these (cut before it)
 * @param temperature    0 = greedy (argmax, lowest byte on ties); > 0 samples
 * @param topK           sampling: keep the k most likely bytes (0 = all)
 * @param topP           sampling: nucleus (1 = all)
 * @param repetitionPenalty sampling: 1 = none
 * @param seed           sampling seed
 * @param logProbs       per step, the top-k bytes' log-probabilities (0 = none; <= 256)
 * @param policy         the boundary policy for bytes that are not valid UTF-8 ({@link HatWordBoundary})
 * @param maxWordBytes   the hard word-length cap; 0 = the config's {@code max_word_size}
 * @param carriedFixup   re-run the decoder on carried bytes with the new predictive vector (HF: true)
 * @param cached         false = recompute the whole forward at every byte (the reference check)
 */
public record HatGenerateOptions(int maxBytes, int maxWords, List<String> stopStrings, float temperature, int topK,
                                 float topP, float repetitionPenalty, long seed, int logProbs,
                                 HatWordBoundary.Policy policy, int maxWordBytes, boolean carriedFixup, boolean cached) {
    public static final HatGenerateOptions DEFAULT = builder().build();

    public HatGenerateOptions {
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        if (maxWords < 1) throw new IllegalArgumentException("maxWords must be >= 1, got " + maxWords);
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) if (s.isEmpty()) throw new IllegalArgumentException("an empty stop string");
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy), got " + temperature);
        }
        if (logProbs < 0 || logProbs > HatModel.VOCAB) throw new IllegalArgumentException("logProbs must be in [0, 256], got " + logProbs);
        if (maxWordBytes < 0) throw new IllegalArgumentException("maxWordBytes must be >= 0 (0 = max_word_size), got " + maxWordBytes);
        if (policy == null) throw new IllegalArgumentException("policy is null");
    }

    public boolean sampling() {
        return temperature > 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxBytes = maxBytes;
        b.maxWords = maxWords;
        b.stopStrings = stopStrings;
        b.temperature = temperature;
        b.topK = topK;
        b.topP = topP;
        b.repetitionPenalty = repetitionPenalty;
        b.seed = seed;
        b.logProbs = logProbs;
        b.policy = policy;
        b.maxWordBytes = maxWordBytes;
        b.carriedFixup = carriedFixup;
        b.cached = cached;
        return b;
    }

    public static final class Builder {
        private int maxBytes = 256, maxWords = Integer.MAX_VALUE, topK, logProbs, maxWordBytes;
        private List<String> stopStrings = List.of();
        private float temperature, topP = 1f, repetitionPenalty = 1f;
        private long seed;
        private HatWordBoundary.Policy policy = HatWordBoundary.Policy.VLLM;
        private boolean carriedFixup = true, cached = true;

        public Builder maxBytes(int v) { maxBytes = v; return this; }
        public Builder maxWords(int v) { maxWords = v; return this; }
        public Builder stopStrings(List<String> v) { stopStrings = v; return this; }
        public Builder temperature(float v) { temperature = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder topP(float v) { topP = v; return this; }
        public Builder repetitionPenalty(float v) { repetitionPenalty = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder logProbs(int v) { logProbs = v; return this; }
        public Builder policy(HatWordBoundary.Policy v) { policy = v; return this; }
        public Builder maxWordBytes(int v) { maxWordBytes = v; return this; }
        public Builder carriedFixup(boolean v) { carriedFixup = v; return this; }
        public Builder cached(boolean v) { cached = v; return this; }

        public HatGenerateOptions build() {
            return new HatGenerateOptions(maxBytes, maxWords, stopStrings, temperature, topK, topP, repetitionPenalty, seed,
                    logProbs, policy, maxWordBytes, carriedFixup, cached);
        }
    }
}
