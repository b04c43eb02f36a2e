package dev.tfree4j.quant;

import dev.tfree4j.TFreeModel;
import dev.tfree4j.divergence.Aggregate;
import dev.tfree4j.divergence.BaseRun;
import dev.tfree4j.divergence.DivergenceEval;
import dev.tfree4j.engine.NativeModel.ActivationMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Chooses which components to store in int8 by their divergence (atman-dtm spec §B.2–B.3):
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
        long total = model.loaded().parameterCount();
        int passes = 1 + components.size() * 3;
        int[] done = {0};
        Progress p = progress == null ? (a, b, c) -> {} : progress;
        try (ComponentSwitch sw = new ComponentSwitch(model)) {
            p.update("unchanged", done[0], passes);
            Aggregate unchanged = evaluate(model, base);
            p.update("probe", ++done[0], passes);

            List<Probe> probes = new ArrayList<>();
            for (String c : components) {
                sw.apply(Set.of(c));
                probes.add(new Probe(c, sw.parameters(c), evaluate(model, base)));
                p.update("probe " + Components.label(c), ++done[0], passes);
            }
            sw.apply(Set.of());

            List<String> fdtOrder = rank(probes, Comparator
                    .comparingDouble((Probe x) -> -x.aggregate().fdtMean())
                    .thenComparingDouble(x -> x.aggregate().sdtMean())
                    .thenComparingDouble(x -> x.aggregate().perplexity()));
            List<Point> fdtCurve = cumulate(model, base, sw, fdtOrder, total, "FDT order", done, passes, p);
            List<String> pplOrder = rank(probes, Comparator.comparingDouble((Probe x) -> x.aggregate().meanBce())
                    .thenComparingDouble(x -> x.aggregate().perplexity()));
            List<Point> pplCurve = cumulate(model, base, sw, pplOrder, total, "loss order", done, passes, p);
            return new Result(activations, total, unchanged, probes, fdtOrder, fdtCurve, pplOrder, pplCurve);
        }
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

    private static List<Point> cumulate(TFreeModel model, BaseRun base, ComponentSwitch sw, List<String> order, long total,
                                        String phase, int[] done, int passes, Progress p) {
        List<Point> curve = new ArrayList<>();
        Set<String> on = new LinkedHashSet<>();
        long q = 0;
        for (String c : order) {
            on.add(c);
            q += sw.parameters(c);
            sw.apply(on);
            curve.add(new Point(on.size(), c, (double) q / total, evaluate(model, base)));
            p.update(phase, ++done[0], passes);
        }
        sw.apply(Set.of());
        return curve;
    }

    private static Aggregate evaluate(TFreeModel model, BaseRun base) {
        return DivergenceEval.evaluate(model, base).aggregate();
    }
}
