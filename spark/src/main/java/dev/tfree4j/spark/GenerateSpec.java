package dev.tfree4j.spark;

import dev.tfree4j.GenerateOptions;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@link GenerateOptions} as they travel to the executors (the runtime's options are not
 * {@link Serializable}, and two of them cannot be honoured on Spark: see {@link #of}).
 */
record GenerateSpec(int maxWords, Integer logProbs, boolean echo, boolean echoReferenceCompat, boolean abortOnEndOfText,
                    List<String> stopWords, String moreWords, float wordEdgeWeight, float temperature, int topK,
                    float topP, long seed, float repetitionPenalty) implements Serializable {

    /**
     * Copies the options; refuses {@code timeout} (a row's words would depend on how busy its
     * executor was, so a retried task could write different rows) and {@code attentionControls}
     * (character spans of one prompt; apply them per row with the single-JVM API).
     */
    static GenerateSpec of(GenerateOptions o) {
        if (o == null) throw new IllegalArgumentException("options is null");
        if (o.timeout() != null) {
            throw new IllegalArgumentException("GenerateOptions.timeout is not supported on Spark: a row's words would depend"
                    + " on the executor's load, and a retried task must write the same rows");
        }
        if (o.attentionControls() != null) {
            throw new IllegalArgumentException("GenerateOptions.attentionControls are spans of one prompt and are not supported on Spark");
        }
        return new GenerateSpec(o.maxWords(), o.logProbs(), o.echo(), o.echoReferenceCompat(), o.abortOnEndOfText(),
                List.copyOf(o.stopWords()), o.moreWords(), o.wordEdgeWeight(), o.temperature(), o.topK(), o.topP(),
                o.seed(), o.repetitionPenalty());
    }

    /** The options for one row: with sampling, the seed is {@link #rowSeed} of the row's key. */
    GenerateOptions forRow(Object key) {
        GenerateOptions.Builder b = GenerateOptions.builder().maxWords(maxWords).logProbs(logProbs).echo(echo)
                .echoReferenceCompat(echoReferenceCompat).abortOnEndOfText(abortOnEndOfText).stopWords(stopWords)
                .moreWords(moreWords).wordEdgeWeight(wordEdgeWeight).temperature(temperature).topK(topK).topP(topP)
                .seed(seed).repetitionPenalty(repetitionPenalty);
        if (temperature > 0) b.seed(rowSeed(seed, key));
        return b.build();
    }

    boolean sampling() {
        return temperature > 0;
    }

    /**
     * The sampling seed of one row: SplitMix64's finaliser of {@code seed XOR FNV-1a-64(UTF-8 of
     * String.valueOf(key))}. It depends on the row's key only, never on the partition, the task
     * attempt or the row's position, so a retried or re-partitioned job draws the same words.
     */
    static long rowSeed(long seed, Object key) {
        if (key == null) throw new IllegalArgumentException("a row's key is null; sampling needs a key on every row");
        long h = 0xcbf29ce484222325L;                       // FNV-1a 64 offset basis
        for (byte b : String.valueOf(key).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;                            // FNV-1a 64 prime
        }
        long z = seed ^ h;                                  // SplitMix64 finaliser (mix64)
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
