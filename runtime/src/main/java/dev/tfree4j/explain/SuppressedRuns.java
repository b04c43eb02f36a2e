package dev.tfree4j.explain;

import dev.tfree4j.ControlMode;
import dev.tfree4j.Session;
import dev.tfree4j.TFreeModel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
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

    private final TFreeModel model;
    private final Session baseline;
    private final MemorySegment embeddings;
    private final ExplainSequence seq;
    private final TargetScorer scorer;
    private final double[] baselineValues;
    private final ControlMode mode;
    private final MemorySegment layerMask;
    private final int maxBatch;
    private int forwards;
    private int batches;
    private long positionsRecomputed;
    private long forwardNanos;
    private long scoringNanos;

    SuppressedRuns(TFreeModel model, Session baseline, MemorySegment embeddings, ExplainSequence seq, TargetScorer scorer,
                   double[] baselineValues, ControlMode mode, MemorySegment layerMask, int maxBatch) {
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

    /**
     * Per job, per target word, the value under that job's suppression. Jobs run in batches of
     * up to maxBatch passes per native call, each on its own cache; the results do not depend on
     * the batching (every pass has two or more rows, whose values the batch does not change).
     */
    double[][] run(List<Job> jobs) {
        int n = seq.length();
        int hidden = model.config().hiddenSize();
        int vocab = model.config().vocabSize();
        double[][] values = new double[jobs.size()][];
        int slots = Math.min(maxBatch, Math.max(1, jobs.size()));
        List<Session> sessions = new ArrayList<>();
        List<String> words = seq.input().words();
        try (Arena arena = Arena.ofConfined()) {
            // A pass needs the logits of the target rows at or after its first suppressed position.
            int maxRows = Explainer.logitRows(n, seq.row(0));
            MemorySegment[] control = new MemorySegment[slots];
            MemorySegment[] logits = new MemorySegment[slots];
            for (int s = 0; s < slots; s++) {
                sessions.add(model.newSession(n));
                control[s] = arena.allocate(ValueLayout.JAVA_FLOAT, n);
                logits[s] = arena.allocate(ValueLayout.JAVA_FLOAT, (long) maxRows * vocab);
            }
            List<Session.BatchItem> batch = new ArrayList<>();
            int[] jobOf = new int[slots], i0Of = new int[slots], firstOf = new int[slots];
            for (int j = 0; j <= jobs.size(); j++) {
                boolean flush = j == jobs.size() || batch.size() == slots;
                if (flush && !batch.isEmpty()) {
                    long start = System.nanoTime();
                    Session.forwardBatch(batch);
                    long forwarded = System.nanoTime();
                    forwardNanos += forwarded - start;
                    for (int s = 0; s < batch.size(); s++) values[jobOf[s]] = score(logits[s], i0Of[s], firstOf[s], vocab);
                    scoringNanos += System.nanoTime() - forwarded;
                    batches++;
                    batch.clear();
                }
                if (j == jobs.size()) break;
                Job job = jobs.get(j);
                int i0 = job.firstControlled();
                if (i0 < 0) {
                    values[j] = baselineValues.clone();
                    continue;
                }
                int s = batch.size();
                int from = Math.min(i0, Math.max(0, n - 2));
                int rows = Math.min(n - from, Explainer.logitRows(n, Math.max(i0, seq.row(0))));
                MemorySegment.copy(job.factors(), 0, control[s], ValueLayout.JAVA_FLOAT, 0, n);
                sessions.get(s).copyPrefixFrom(baseline, from);
                batch.add(new Session.BatchItem(sessions.get(s), embeddings.asSlice((long) from * hidden * Float.BYTES),
                        words.subList(from, n), control[s], mode, layerMask, rows, logits[s]));
                jobOf[s] = j;
                i0Of[s] = i0;
                firstOf[s] = n - rows;
                forwards++;
                positionsRecomputed += n - from;
            }
        } finally {
            for (Session c : sessions) c.close();
        }
        return values;
    }

    /** Target values of one pass suppressing from i0 whose logits hold rows first..n−1. */
    private double[] score(MemorySegment logits, int i0, int first, int vocab) {
        double[] v = new double[seq.targetCount()];
        int[] logitRow = new int[v.length];
        int tFrom = v.length;  // targets before the suppressed position keep their baseline value
        for (int t = v.length - 1; t >= 0; t--) {
            logitRow[t] = seq.row(t) - first;
            if (seq.row(t) < i0) {
                v[t] = baselineValues[t];
            } else {
                tFrom = t;
            }
        }
        for (int t = 0; t < tFrom; t++) v[t] = baselineValues[t];
        scorer.values(logits, logitRow, tFrom, v);
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
