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
 *
 * <p>A pass computes at least two rows (it starts at i0 − 1 when i0 is the last position): a
 * single-row forward takes the kernels' decode path, whose matmul sums in another order, while
 * every row of a multi-row forward is computed exactly as in the baseline's full pass. So each
 * suppressed pass equals a full recompute bit for bit (up to the native 256-row chunking of
 * inputs longer than that).
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
                int from = Math.min(i0, Math.max(0, n - 2));
                MemorySegment.copy(job.factors(), 0, control, ValueLayout.JAVA_FLOAT, 0, n);
                cache.copyPrefixFrom(baseline, from);
                cache.forward(embeddings.asSlice((long) from * hidden * Float.BYTES), n - from, how, logits);
                forwards++;
                batches++;
                positionsRecomputed += n - from;
                long forwarded = System.nanoTime();
                forwardNanos += forwarded - start;
                values[j] = score(logits, i0, from, vocab);
                scoringNanos += System.nanoTime() - forwarded;
            }
        }
        return values;
    }

    /** Target values of one pass suppressing from i0 whose logits hold rows from..n−1. */
    private double[] score(MemorySegment logits, int i0, int from, int vocab) {
        double[] v = new double[seq.targetCount()];
        for (int t = 0; t < v.length; t++) {
            int r = seq.row(t);
            v[t] = r < i0 ? baselineValues[t] : scorer.value(Explainer.row(logits, r - from, vocab), t);
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
