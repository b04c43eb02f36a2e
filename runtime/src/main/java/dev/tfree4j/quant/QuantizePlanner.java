package dev.tfree4j.quant;

import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.divergence.Aggregate;
import dev.tfree4j.divergence.BaseRun;
import dev.tfree4j.divergence.DivergenceEval;
import dev.tfree4j.ActivationMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Chooses which components to store in int8 by their divergence (docs/spec/atman-dtm.md §B.2–B.3):
 * <ol>
 *   <li>probe: quantize each component alone and measure FDT/SDT/perplexity on the base run;</li>
 *   <li>rank: least harmful first — highest mean FDT, then lowest mean SDT, then lowest
 *       perplexity, then model order;</li>
 *   <li>cumulate: quantize the ranked components one more at a time and measure again, giving
 *       FDT/SDT/perplexity against the int8 share of parameters;</li>
 *   <li>the same cumulation in the order of the probes' teacher-forced loss (the paper's
 *       perplexity-ordered baseline). T-FREE's loss is the multi-label BCE of the next word's
 *       trigram rows, the analogue of log-perplexity; the dictionary-softmax perplexity is reported
 *       too, but over ~10⁴–10⁶ candidates whose scores lie in [0, 1] it is nearly flat;</li>
 *   <li>{@link #cut}: the longest prefix of the FDT order whose every point meets a floor.</li>
 * </ol>
 * The model is changed in place while planning and restored before {@link #plan} returns. Its
 * activation mode (W8A16 or W8A8) is the one the plan is measured for.
 */
public final class QuantizePlanner {
    /** A component quantized alone. */
    public record Probe(String component, long parameters, Aggregate aggregate) {}

    /** The first {@code components} of an order in int8. */
    public record Point(int components, String added, double int8Share, Aggregate aggregate) {}

    /** Everything a plan measured. */
    public record Result(ActivationMode activations, long totalParameters, Aggregate unchanged, List<Probe> probes,
                         List<String> fdtOrder, List<Point> fdtCurve, List<String> perplexityOrder,
                         List<Point> perplexityCurve) {}

    /** Progress of the many evaluation passes: phase name, passes done, passes in total. */
    public interface Progress {
        void update(String phase, int done, int total);
    }

    private QuantizePlanner() {}

    public static Result plan(TFreeModel model, BaseRun base, ActivationMode activations, Progress progress) {
        List<String> components = Components.of(model.config().numLayers());
        long total = ModelInternals.loaded(model).parameterCount();
        Progress p = progress == null ? (a, b, c) -> {} : progress;
        try (ComponentSwitch sw = new ComponentSwitch(model)) {
            Passes passes = new Passes(model, base, sw, p, 1 + components.size());
            Aggregate unchanged = passes.evaluate(Set.of(), "unchanged");

            List<Probe> probes = new ArrayList<>();
            for (String c : components) {
                probes.add(new Probe(c, sw.parameters(c), passes.evaluate(Set.of(c), "probe " + Components.label(c))));
            }

            List<String> fdtOrder = rank(probes, Comparator
                    .comparingDouble((Probe x) -> -x.aggregate().fdtMean())
                    .thenComparingDouble(x -> x.aggregate().sdtMean())
                    .thenComparingDouble(x -> x.aggregate().perplexity()));
            List<String> pplOrder = rank(probes, Comparator.comparingDouble((Probe x) -> x.aggregate().meanBce())
                    .thenComparingDouble(x -> x.aggregate().perplexity()));
            passes.expect(prefixes(fdtOrder), prefixes(pplOrder));
            List<Point> fdtCurve = cumulate(passes, sw, fdtOrder, total, "FDT order");
            List<Point> pplCurve = cumulate(passes, sw, pplOrder, total, "loss order");
            sw.apply(Set.of());
            return new Result(activations, total, unchanged, probes, fdtOrder, fdtCurve, pplOrder, pplCurve);
        }
    }

    /**
     * The evaluation passes of one plan, each set of int8 components measured once: a curve's
     * first point is a probe, both curves end at "everything int8", and the two orders often
     * share a prefix. Reusing a measurement is exact because switching components restores the
     * weights bit for bit and the result does not depend on the order they were switched in.
     */
    private static final class Passes {
        private final TFreeModel model;
        private final BaseRun base;
        private final ComponentSwitch sw;
        private final Progress progress;
        private final Map<Set<String>, Aggregate> measured = new HashMap<>();
        private int total;

        Passes(TFreeModel model, BaseRun base, ComponentSwitch sw, Progress progress, int total) {
            this.model = model;
            this.base = base;
            this.sw = sw;
            this.progress = progress;
            this.total = total;
            progress.update("unchanged", 0, total);
        }

        /** Raises the expected total by the sets of the given lists not measured yet. */
        @SafeVarargs
        final void expect(List<Set<String>>... lists) {
            Set<Set<String>> fresh = new HashSet<>();
            for (List<Set<String>> l : lists) {
                for (Set<String> s : l) if (!measured.containsKey(s)) fresh.add(s);
            }
            total += fresh.size();
        }

        Aggregate evaluate(Set<String> int8, String phase) {
            Set<String> key = Set.copyOf(int8);
            Aggregate known = measured.get(key);
            if (known != null) return known;
            sw.apply(key);
            Aggregate a = DivergenceEval.evaluate(model, base).aggregate();
            measured.put(key, a);
            progress.update(phase, measured.size(), total);
            return a;
        }

    }

    private static List<Set<String>> prefixes(List<String> order) {
        List<Set<String>> out = new ArrayList<>();
        for (int i = 1; i <= order.size(); i++) out.add(Set.copyOf(order.subList(0, i)));
        return out;
    }

    /**
     * The precision map of the longest prefix of the FDT order whose points all keep
     * {@code metric(aggregate) >= floor} (empty if even the first component breaks it).
     */
    public static PrecisionMap cut(Result r, ToDoubleFunction<Aggregate> metric, double floor, String description) {
        Set<String> chosen = new LinkedHashSet<>();
        for (Point pt : r.fdtCurve()) {
            if (metric.applyAsDouble(pt.aggregate()) < floor) break;
            chosen.add(pt.added());
        }
        return PrecisionMap.of(chosen, r.activations(), description);
    }

    /** The int8 share of parameters of a precision map. */
    public static double int8Share(Result r, PrecisionMap map) {
        long q = r.probes().stream().filter(x -> map.isInt8(x.component())).mapToLong(Probe::parameters).sum();
        return (double) q / r.totalParameters();
    }

    private static List<String> rank(List<Probe> probes, Comparator<Probe> order) {
        // List.sort is stable, so equal probes keep model order.
        List<Probe> sorted = new ArrayList<>(probes);
        sorted.sort(order);
        return sorted.stream().map(Probe::component).toList();
    }

    private static List<Point> cumulate(Passes passes, ComponentSwitch sw, List<String> order, long total, String phase) {
        List<Point> curve = new ArrayList<>();
        Set<String> on = new LinkedHashSet<>();
        long q = 0;
        for (String c : order) {
            on.add(c);
            q += sw.parameters(c);
            curve.add(new Point(on.size(), c, (double) q / total, passes.evaluate(on, phase)));
        }
        return curve;
    }
}
