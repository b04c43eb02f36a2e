package dev.tfree4j.decode;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Stochastic choice of the next word from the candidates' scores (the reference only decodes
 * greedily; this is tfree4j's addition). Order: repetition penalty on the raw scores, division
 * by the temperature, softmax, top-k, top-p (nucleus), then one draw from a seeded generator.
 *
 * <p>T-FREE word scores lie roughly in [0, 1], so the dictionary softmax at temperature 1 is
 * nearly flat; useful temperatures are small (about 0.02–0.2).
 */
public final class Sampler {
    private final float temperature;
    private final int topK;
    private final float topP;
    private final float repetitionPenalty;
    private final SplittableRandom random;

    /**
     * @param temperature > 0
     * @param topK keep the k best candidates (0 = all)
     * @param topP keep the smallest set whose probability reaches p (1 = all)
     * @param repetitionPenalty > 0; 1 = none; a seen word's score s becomes s/penalty if s > 0, else s·penalty
     * @param seed the random seed
     */
    public Sampler(float temperature, int topK, float topP, float repetitionPenalty, long seed) {
        if (!(temperature > 0) || Float.isInfinite(temperature)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        if (!(repetitionPenalty > 0) || Float.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be > 0, got " + repetitionPenalty);
        }
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.repetitionPenalty = repetitionPenalty;
        this.random = new SplittableRandom(seed);
    }

    /** Draws a candidate index from raw scores [n]; {@code seen} are indices to penalise. */
    public int sample(MemorySegment scores, int n, Set<Integer> seen) {
        double[] logits = new double[n];
        for (int i = 0; i < n; i++) logits[i] = scores.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        if (repetitionPenalty != 1f) {
            for (int i : seen) {
                if (i >= 0 && i < n) logits[i] = logits[i] > 0 ? logits[i] / repetitionPenalty : logits[i] * repetitionPenalty;
            }
        }
        Integer[] order = candidatesByScore(logits);
        int keep = topK > 0 ? Math.min(topK, n) : n;
        double max = logits[order[0]];
        double[] weights = new double[keep];
        double total = 0;
        for (int r = 0; r < keep; r++) {
            weights[r] = Math.exp((logits[order[r]] - max) / temperature);
            total += weights[r];
        }
        if (topP < 1f) {
            double mass = 0;
            int cut = keep;
            for (int r = 0; r < keep; r++) {
                mass += weights[r] / total;
                if (mass >= topP) { cut = r + 1; break; }
            }
            keep = cut;
            total = 0;
            for (int r = 0; r < keep; r++) total += weights[r];
        }
        double u = random.nextDouble() * total;
        for (int r = 0; r < keep; r++) {
            u -= weights[r];
            if (u < 0) return order[r];
        }
        return order[keep - 1];
    }

    /** Candidate indices by descending score, ties by index (a stable, deterministic order). */
    private static Integer[] candidatesByScore(double[] logits) {
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(logits[b], logits[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        return order;
    }
}
