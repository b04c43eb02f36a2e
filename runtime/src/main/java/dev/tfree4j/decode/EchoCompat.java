package dev.tfree4j.decode;

import dev.tfree4j.engine.CpuContext;
import dev.tfree4j.engine.Kernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;

/**
 * The reference's multi-row decode, bug included (spec §6.2 "Multi-row bug"): when echo decodes
 * several rows at once, every row's positive sums s(w) read row 0's activations, while the
 * total activation A is the row's own. Only used for echo in compatibility mode.
 *
 * <p>From score0(w) = s0/(P·n) + (s0 − A0)/(V − P·n) the buggy score of row r is
 * score0(w) + (A0 − Ar)/(V − P·n): the same s0, the row's own A.
 */
public final class EchoCompat {
    private EchoCompat() {}

    public static LinkedHashMap<String, Float> logProbs(CpuContext context, Decoder decoder, MemorySegment row0,
                                                       MemorySegment row, int k, String target) {
        CandidateSet candidates = decoder.candidates();
        int n = candidates.size();
        int vocab = (int) (row.byteSize() / Float.BYTES);
        int population = decoder.population();
        float a0 = activationSum(row0);
        float ar = activationSum(row);
        MemorySegment scores = decoder.scores(row0);
        for (int w = 0; w < n; w++) {
            int own = population * candidates.trigramCount(w);
            float s = scores.getAtIndex(ValueLayout.JAVA_FLOAT, w);
            scores.setAtIndex(ValueLayout.JAVA_FLOAT, w, s + (a0 - ar) / (float) (vocab - own));
        }
        MemorySegment probs = decoder.probabilities();
        Kernels.softmax(context, scores, n, probs);
        int chosen = Decoder.argmax(probs, n);
        return decoder.logProbs(chosen, k, target);
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
