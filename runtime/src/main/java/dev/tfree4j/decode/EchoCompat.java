package dev.tfree4j.decode;

import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.Kernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;

/**
 * The reference's multi-row decode, bug included (docs/spec/tfree.md §6.2 "Multi-row bug"): when echo decodes
 * several rows at once, every row's positive sums s(w) read row 0's activations, while the
 * total activation A is the row's own. Only used for echo in compatibility mode.
 *
 * <p>From score0(w) = s0/(P·n) + (s0 − A0)/(V − P·n) the buggy score of row r is
 * score0(w) + (A0 − Ar)/(V − P·n): the same s0, the row's own A.
 */
public final class EchoCompat {
    private final NativeContext context;
    private final Decoder decoder;
    private final float[] row0Scores;  // score0(w) of every candidate, computed once per echo
    private final float a0;
    private final int vocab;

    /** Scores row 0 once; {@link #logProbs} then derives every other row's buggy scores from it. */
    public EchoCompat(NativeContext context, Decoder decoder, MemorySegment row0) {
        this.context = context;
        this.decoder = decoder;
        this.vocab = (int) (row0.byteSize() / Float.BYTES);
        this.a0 = activationSum(row0);
        this.row0Scores = decoder.scores(row0).toArray(ValueLayout.JAVA_FLOAT);
    }

    /** The log-prob report of one row as the reference's multi-row decode computes it. */
    public LinkedHashMap<String, Float> logProbs(MemorySegment row, int k, String target) {
        CandidateSet candidates = decoder.candidates();
        int n = candidates.size();
        int population = decoder.population();
        float ar = activationSum(row);
        MemorySegment scores = decoder.lastScores();
        for (int w = 0; w < n; w++) {
            int own = population * candidates.trigramCount(w);
            scores.setAtIndex(ValueLayout.JAVA_FLOAT, w, row0Scores[w] + (a0 - ar) / (float) (vocab - own));
        }
        MemorySegment probs = decoder.probabilities();
        Kernels.softmax(context, scores, n, probs);
        return decoder.logProbs(Decoder.argmax(probs, n), k, target);
    }

    /** A = Σ sigmoid(x), accumulated in double. */
    static float activationSum(MemorySegment row) {
        double sum = 0;
        long n = row.byteSize() / Float.BYTES;
        for (long i = 0; i < n; i++) {
            float x = row.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            sum += (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        return (float) sum;
    }
}
