package dev.tfree4j.explain;

import java.util.Arrays;

/**
 * Conceptual suppression (docs/spec/atman-dtm.md §A.3, §A.8.5): a suppressed word also damps every other
 * position whose input embedding (what enters layer 0: for T-FREE the sum of the word's trigram
 * embedding rows) is cosine-similar to it, so a repeated or related word cannot carry the
 * suppressed information on its own.
 *
 * <p>Position k is a neighbour of a suppressed position i when k ≠ i, cos(x_i, x_k) ≥ κ and
 * cos ≥ 0. Its factor is {@code 1 − (1 − m)·cos} (scaled, the reference's default: cos = 1 gives
 * m, cos = κ gives 1 − (1 − m)·κ) or m (unscaled). For a unit of several words each member
 * contributes its neighbours and a position pulled in by several members takes the smallest
 * factor (the largest when m &gt; 1: the factor farthest from 1 wins). Members keep m.
 */
public final class ConceptualSuppression {
    /**
     * κ calibrated for summed-trigram embeddings on the bundled model (models/tfree-kjv-small),
     * with {@code ./tfree4j conceptual-threshold --text-file models/tfree-kjv-small/heldout.txt}
     * (256-word windows, 5,854 words): the median neighbourhood is 2 words (the spec's aim is
     * 1–3), mostly repeats of the same word, which have cosine 1 at any κ; 1.1 % of words gain a
     * neighbour that is another word, typically an inflection or case variant (husband/husbands,
     * Behold/behold). The paper's 0.7 (tuned for GPT-J) lets in orthographic look-alikes too
     * (years/ears: 3 %); 0.5 lets in 27 % (the/they, came/come). Recalibrate for other models;
     * docs/atman.md has the table.
     */
    public static final double CALIBRATED_THRESHOLD = 0.8;

    private final int n;
    private final double[] cos;  // [n, n] cosine similarities, clipped to [-1, 1]

    private ConceptualSuppression(int n, double[] cos) {
        this.n = n;
        this.cos = cos;
    }

    /**
     * The similarities of the rows of {@code embeddings} [n, hidden]: dot / sqrt(|a|²·|b|²) in
     * double, squared norms floored at 1e-16, so identical rows give exactly 1.
     */
    public static ConceptualSuppression of(float[] embeddings, int n, int hidden) {
        if (embeddings.length != (long) n * hidden) throw new IllegalArgumentException("embeddings must be [n, hidden]");
        double[] sq = new double[n];
        for (int i = 0; i < n; i++) sq[i] = Math.max(dot(embeddings, i, i, hidden), 1e-16);
        double[] cos = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = i; k < n; k++) {
                double c = dot(embeddings, i, k, hidden) / Math.sqrt(sq[i] * sq[k]);
                c = Math.max(-1, Math.min(1, c));
                cos[i * n + k] = c;
                cos[k * n + i] = c;
            }
        }
        return new ConceptualSuppression(n, cos);
    }

    private static double dot(float[] e, int a, int b, int hidden) {
        double s = 0;
        for (int c = 0; c < hidden; c++) s += (double) e[a * hidden + c] * e[b * hidden + c];
        return s;
    }

    public int size() {
        return n;
    }

    public double cosine(int i, int k) {
        return cos[i * n + k];
    }

    private boolean isNeighbour(int i, int k, double kappa) {
        double c = cosine(i, k);
        return c >= kappa && c >= 0;
    }

    /**
     * Factors [n] for suppressing {@code members} with factor m: 1 elsewhere, m on the members,
     * and (with κ not null) the neighbour factors described above.
     */
    public float[] factors(int[] members, float m, Double kappa, boolean scaled) {
        return factors(n, members, m, kappa == null ? null : this, kappa == null ? 0 : kappa, scaled);
    }

    /** Factors without conceptual suppression: m on the members, 1 elsewhere. */
    public static float[] plainFactors(int n, int[] members, float m) {
        return factors(n, members, m, null, 0, false);
    }

    private static float[] factors(int n, int[] members, float m, ConceptualSuppression cs, double kappa, boolean scaled) {
        float[] f = new float[n];
        Arrays.fill(f, 1f);
        if (cs != null) {
            for (int i : members) {
                for (int k = 0; k < n; k++) {
                    if (k == i || !cs.isNeighbour(i, k, kappa)) continue;
                    float fk = scaled ? (float) ((1.0 - m) * (1.0 - cs.cosine(i, k)) + m) : m;
                    f[k] = m <= 1 ? Math.min(f[k], fk) : Math.max(f[k], fk);
                }
            }
        }
        for (int i : members) f[i] = m;
        return f;
    }
}
