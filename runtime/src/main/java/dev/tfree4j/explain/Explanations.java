package dev.tfree4j.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the target values of the baseline and of every suppressed run into explanations
 * (docs/spec/atman-dtm.md §A.4): the raw score of unit u for target word t is baseline[t] − perturbed[u][t];
 * a complete target sums them over t; post-processing applies per score, then the optional
 * min-max normalisation per explanation over all its items.
 */
final class Explanations {
    private Explanations() {}

    static List<Explanation> build(String prompt, ExplainSequence seq, List<SuppressionUnit> units, double[] baseline,
                                   double[][] perturbed, ExplainRequest request) {
        List<Explanation> out = new ArrayList<>();
        int targets = seq.targetCount();
        if (request.targetGranularity() == TargetGranularity.COMPLETE) {
            List<double[]> rows = new ArrayList<>();  // per unit {baseline, perturbed, raw}
            for (int u = 0; u < units.size(); u++) {
                double b = 0, p = 0, raw = 0;
                for (int t = 0; t < targets; t++) {
                    b += baseline[t];
                    p += perturbed[u][t];
                    raw += baseline[t] - perturbed[u][t];
                }
                rows.add(new double[] {b, p, raw});
            }
            List<Integer> all = java.util.stream.IntStream.range(0, units.size()).boxed().toList();
            out.add(explanation(seq.targetText(), 0, seq.targetText().length(), prompt, seq, units, all, rows, request));
            return out;
        }
        for (int t = 0; t < targets; t++) {
            List<Integer> visible = new ArrayList<>();
            List<double[]> rows = new ArrayList<>();
            for (int u = 0; u < units.size(); u++) {
                SuppressionUnit unit = units.get(u);
                // Target words at or after t cannot change the prediction of word t: not reported.
                if (unit.source() == SuppressionUnit.Source.TARGET && unit.last() >= seq.row(t) + 1) continue;
                visible.add(u);
                rows.add(new double[] {baseline[t], perturbed[u][t], baseline[t] - perturbed[u][t]});
            }
            var span = seq.targetSpans().get(t);
            out.add(explanation(seq.targetText().substring(span.start(), span.end()), span.start(), span.length(), prompt, seq,
                    units, visible, rows, request));
        }
        return out;
    }

    /** Items for the units with the given indices; rows[i] = {baseline, perturbed, raw score} of the i-th. */
    private static Explanation explanation(String target, int start, int length, String prompt, ExplainSequence seq,
                                           List<SuppressionUnit> units, List<Integer> which, List<double[]> rows,
                                           ExplainRequest request) {
        double[] scores = new double[rows.size()];
        for (int i = 0; i < scores.length; i++) scores[i] = request.postprocessing().apply(rows.get(i)[2]);
        if (request.normalize()) normalize(scores);
        List<ExplainItem> items = new ArrayList<>(which.size());
        for (int i = 0; i < which.size(); i++) {
            SuppressionUnit u = units.get(which.get(i));
            String source = u.source() == SuppressionUnit.Source.PROMPT ? prompt : seq.targetText();
            items.add(new ExplainItem(which.get(i), u.source(), u.start(), u.length(), source.substring(u.start(), u.end()),
                    scores[i], rows.get(i)[0], rows.get(i)[1]));
        }
        return new Explanation(target, start, length, items);
    }

    /** Min → 0, max → 1; all 0 when max = min (or there is nothing). */
    static void normalize(double[] scores) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        for (int i = 0; i < scores.length; i++) scores[i] = max > min ? (scores[i] - min) / (max - min) : 0;
    }
}
