package dev.tfree4j.divergence;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Divergence over a prompt set (docs/spec/atman-dtm.md §B.1 items 5–6): mean, median and quartiles of
 * per-prompt FDT and SDT, their normalised forms, the share of prompts with FDT ≥ k, near-tie
 * counts, and the teacher-forced perplexity and BCE of the candidate on the reference words.
 * Percentiles use linear interpolation between order statistics (numpy's default).
 */
public record Aggregate(int prompts, int words, double fdtMean, double fdtMedian, double fdtP25, double fdtP75,
                        double sdtMean, double sdtMedian, double sdtP25, double sdtP75, double fdtNorm, double sdtNorm,
                        Map<Integer, Double> shareFdtAtLeast, int divergences, int nearTieDivergences,
                        double perplexity, double meanBce) {

    public static Aggregate of(List<PromptDivergence> results, int words, int vocab) {
        if (results.isEmpty()) throw new IllegalArgumentException("no prompts to aggregate");
        double[] fdt = results.stream().mapToDouble(PromptDivergence::fdt).toArray();
        double[] sdt = results.stream().mapToDouble(PromptDivergence::sdt).toArray();
        double fdtNorm = results.stream().mapToDouble(r -> r.length() == 0 ? 1 : (double) r.fdt() / r.length()).average().orElse(1);
        double sdtNorm = results.stream().mapToDouble(r -> r.length() == 0 ? 0 : (double) r.sdt() / r.length()).average().orElse(0);
        Map<Integer, Double> share = new LinkedHashMap<>();
        for (int k : new int[] {Math.max(1, words / 4), Math.max(1, words / 2), Math.max(1, words * 3 / 4), words}) {
            share.put(k, results.stream().filter(r -> r.fdt() >= Math.min(k, r.length())).count() / (double) results.size());
        }
        long steps = results.stream().mapToLong(PromptDivergence::length).sum();
        double lp = results.stream().mapToDouble(PromptDivergence::logProbSum).sum();
        double bce = results.stream().mapToDouble(PromptDivergence::bceSum).sum();
        return new Aggregate(results.size(), words, mean(fdt), percentile(fdt, 50), percentile(fdt, 25), percentile(fdt, 75),
                mean(sdt), percentile(sdt, 50), percentile(sdt, 25), percentile(sdt, 75), fdtNorm, sdtNorm,
                Map.copyOf(share), results.stream().mapToInt(PromptDivergence::sdt).sum(),
                results.stream().mapToInt(r -> r.nearTie().size()).sum(),
                steps == 0 ? 1.0 : Math.exp(-lp / steps), steps == 0 ? 0.0 : bce / steps);
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** The q-th percentile (0..100) with linear interpolation between closest ranks. */
    public static double percentile(double[] values, double q) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q / 100.0 * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }
}
