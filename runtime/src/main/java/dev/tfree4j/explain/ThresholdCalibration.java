package dev.tfree4j.explain;

import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Encoding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Calibrates the conceptual suppression threshold κ for a model (docs/spec/atman-dtm.md §A.8.5): the
 * similarity distribution of summed-trigram input embeddings differs from GPT-J's, so κ = 0.7 of
 * the paper does not carry over. The text is cut into windows of the model's context length;
 * for every word, its neighbourhood at κ is the number of other words in its window whose input
 * embedding has cosine ≥ κ with it. A useful κ gives a median neighbourhood of 1–3 words.
 */
public final class ThresholdCalibration {
    /**
     * Neighbourhood sizes at one κ over all words of the sample: all neighbours (identical words
     * have cosine 1 and always count), and those that are a different word.
     */
    public record Row(double kappa, double median, double mean, double p90, double medianOther, double meanOther,
                      double shareWithOther) {}

    private ThresholdCalibration() {}

    /** Sweeps {@code kappas} over {@code text} in windows of {@code window} words. */
    public static List<Row> sweep(LoadedModel model, String text, double[] kappas, int window) {
        Encoding all = model.tokenizer().encode(text);
        int hidden = model.config().hiddenSize();
        List<List<Integer>> sizes = new ArrayList<>();
        List<List<Integer>> other = new ArrayList<>();
        for (int k = 0; k < kappas.length; k++) {
            sizes.add(new ArrayList<>());
            other.add(new ArrayList<>());
        }
        for (int start = 0; start < all.nWords(); start += window) {
            int n = Math.min(window, all.nWords() - start);
            if (n < 2) break;
            float[] emb = embed(model, slice(all, start, n), hidden);
            ConceptualSuppression cs = ConceptualSuppression.of(emb, n, hidden);
            List<String> words = all.words().subList(start, start + n);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < kappas.length; k++) {
                    int count = 0, different = 0;
                    for (int j = 0; j < n; j++) {
                        if (j == i || cs.cosine(i, j) < kappas[k]) continue;
                        count++;
                        if (!words.get(j).equals(words.get(i))) different++;
                    }
                    sizes.get(k).add(count);
                    other.get(k).add(different);
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < kappas.length; k++) {
            int[] s = sizes.get(k).stream().mapToInt(Integer::intValue).sorted().toArray();
            int[] o = other.get(k).stream().mapToInt(Integer::intValue).sorted().toArray();
            if (s.length == 0) throw new IllegalArgumentException("the calibration text has fewer than 2 words");
            double share = Arrays.stream(o).filter(v -> v > 0).count() / (double) o.length;
            rows.add(new Row(kappas[k], quantile(s, 0.5), Arrays.stream(s).average().orElse(0), quantile(s, 0.9),
                    quantile(o, 0.5), Arrays.stream(o).average().orElse(0), share));
        }
        return rows;
    }

    private static double quantile(int[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static float[] embed(LoadedModel model, Encoding enc, int hidden) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, (long) enc.nWords() * hidden);
            model.embed(enc, out);
            return out.toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    /** Words [start, start + n) of an encoding, as an encoding of their own. */
    private static Encoding slice(Encoding e, int start, int n) {
        int[] rowWord = e.rowWord();
        int r0 = 0;
        while (r0 < rowWord.length && rowWord[r0] < start) r0++;
        int r1 = r0;
        while (r1 < rowWord.length && rowWord[r1] < start + n) r1++;
        int[] rw = new int[r1 - r0];
        for (int r = r0; r < r1; r++) rw[r - r0] = rowWord[r] - start;
        int p = e.population();
        return new Encoding(e.words().subList(start, start + n), e.spans().subList(start, start + n), p,
                Arrays.copyOfRange(e.ids(), r0 * p, r1 * p), rw);
    }
}
