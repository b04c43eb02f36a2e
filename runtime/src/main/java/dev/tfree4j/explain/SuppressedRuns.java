package dev.tfree4j.explain;

import dev.tfree4j.engine.KvCache;
import dev.tfree4j.engine.NativeModel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Runs the suppressed forward passes of an explanation and scores their target rows.
 *
 * <p>A pass with factors m starts at i0, the first position with m ≠ 1: its cache receives a copy
 * of the baseline's first i0 positions and only positions i0..n−1 are computed. Target rows
 * before i0 keep the baseline's values exactly. A pass whose factors are all 1 is not run.
 */
final class SuppressedRuns {
    /** One suppressed pass: the factor of every position [n]. */
    record Job(float[] factors) {
        /** The first position with a factor other than 1, or -1. */
        int firstControlled() {
            for (int i = 0; i < factors.length; i++) if (factors[i] != 1f) return i;
            return -1;
        }
    }

    private final NativeModel model;
    private final KvCache baseline;
    private final MemorySegment embeddings;
    private final ExplainSequence seq;
    private final TargetScorer scorer;
    private final double[] baselineValues;
    private final KvCache.ControlMode mode;
    private final MemorySegment layerMask;
    private final int maxBatch;
    private int forwards;
    private int batches;
    private long positionsRecomputed;
    private long forwardNanos;
    private long scoringNanos;

    SuppressedRuns(NativeModel model, KvCache baseline, MemorySegment embeddings, ExplainSequence seq, TargetScorer scorer,
                   double[] baselineValues, KvCache.ControlMode mode, MemorySegment layerMask, int maxBatch) {
        this.model = model;
        this.baseline = baseline;
        this.embeddings = embeddings;
        this.seq = seq;
        this.scorer = scorer;
        this.baselineValues = baselineValues;
        this.mode = mode;
        this.layerMask = layerMask;
        this.maxBatch = maxBatch;
    }

    /** Per job, per target word, the value under that job's suppression. */
    double[][] run(List<Job> jobs) {
        int n = seq.length();
        int hidden = model.shape().hiddenSize();
        int vocab = model.shape().vocabSize();
        double[][] values = new double[jobs.size()][];
        try (Arena arena = Arena.ofConfined(); KvCache cache = model.newCache(n)) {
            MemorySegment control = arena.allocate(ValueLayout.JAVA_FLOAT, n);
            MemorySegment logits = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * vocab);
            KvCache.ForwardOptions how = new KvCache.ForwardOptions(control, mode, layerMask, null, null, false);
            for (int j = 0; j < jobs.size(); j++) {
                Job job = jobs.get(j);
                int i0 = job.firstControlled();
                if (i0 < 0) {
                    values[j] = baselineValues.clone();
                    continue;
                }
                long start = System.nanoTime();
                MemorySegment.copy(job.factors(), 0, control, ValueLayout.JAVA_FLOAT, 0, n);
                cache.copyPrefixFrom(baseline, i0);
                cache.forward(embeddings.asSlice((long) i0 * hidden * Float.BYTES), n - i0, how, logits);
                forwards++;
                batches++;
                positionsRecomputed += n - i0;
                long forwarded = System.nanoTime();
                forwardNanos += forwarded - start;
                values[j] = score(logits, i0, vocab);
                scoringNanos += System.nanoTime() - forwarded;
            }
        }
        return values;
    }

    /** Target values of one pass whose logits hold rows i0..n−1. */
    private double[] score(MemorySegment logits, int i0, int vocab) {
        double[] v = new double[seq.targetCount()];
        for (int t = 0; t < v.length; t++) {
            int r = seq.row(t);
            v[t] = r < i0 ? baselineValues[t] : scorer.value(Explainer.row(logits, r - i0, vocab), t);
        }
        return v;
    }

    int forwards() {
        return forwards;
    }

    int batches() {
        return batches;
    }

    long positionsRecomputed() {
        return positionsRecomputed;
    }

    long forwardNanos() {
        return forwardNanos;
    }

    long scoringNanos() {
        return scoringNanos;
    }
}
