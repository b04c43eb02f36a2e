package dev.tfree4j.cli;

import dev.tfree4j.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.BundledModel;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.divergence.Aggregate;
import dev.tfree4j.divergence.BaseRun;
import dev.tfree4j.divergence.DivergenceEval;
import dev.tfree4j.ActivationMode;
import dev.tfree4j.quant.Components;
import dev.tfree4j.quant.PrecisionMap;
import dev.tfree4j.quant.QuantizePlanner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tfree4j quantize-plan}: which components can be int8 without changing what the model
 * generates (Divergent Token Metrics, docs/spec/atman-dtm.md §B.2–B.3), and precision maps for {@code convert}.
 */
@Command(name = "quantize-plan", mixinStandardHelpOptions = true,
        description = {"Quantizes each component alone and measures FDT/SDT, ranks the components (least harmful first),"
                + " then quantizes cumulatively in that order and in the order of the probes' loss (BCE; the paper's perplexity baseline), and writes a"
                + " precision map per floor for `tfree4j convert --int8 FILE`."})
final class QuantizePlanCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Mixin QualityOptions quality;
    @Mixin DeviceOption device;

    @Option(names = {"-m", "--model"}, paramLabel = "DIR", description = "Model to plan for (default: the bundled model).")
    Path model;

    @Option(names = "--activations", paramLabel = "a16|a8", defaultValue = "a16",
            description = "Measure with W8A16 (a16, default) or W8A8 (a8) int8 matmuls.")
    String activations;

    @Option(names = "--floor", paramLabel = "F", split = ",", defaultValue = "0.9",
            description = "Keep the longest prefix of the FDT order whose FDT metric stays >= F·N (repeatable or"
                    + " comma-separated; default ${DEFAULT-VALUE}).")
    List<Double> floors;

    @Option(names = "--floor-metric", paramLabel = "median|mean|p25", defaultValue = "median",
            description = "Which aggregate of per-prompt FDT the floor applies to (default ${DEFAULT-VALUE}).")
    String floorMetric;

    @Option(names = "--out", paramLabel = "DIR", description = "Write report.json and one plan-*.json per floor here.")
    Path out;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Native threads (default: physical cores).")
    int threads;

    @Option(names = "--json", description = "Print the full report as JSON instead of tables.")
    boolean json;

    @Override
    public Integer call() {
        List<String> prompts = quality.readPrompts();
        ActivationMode mode = QualityOptions.activations(activations);
        ToDoubleFunction<Aggregate> metric = switch (floorMetric) {
            case "median" -> Aggregate::fdtMedian;
            case "mean" -> Aggregate::fdtMean;
            case "p25" -> Aggregate::fdtP25;
            default -> throw new IllegalArgumentException("--floor-metric must be median, mean or p25, got " + floorMetric);
        };
        for (double f : floors) {
            if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException("--floor must lie in [0, 1] (a fraction of N), got " + f);
        }
        Path dir = model != null ? model : BundledModel.locate();
        PrintWriter pw = spec.commandLine().getOut();
        try (TFreeModel m = TFreeModel.open(dir, ModelOptions.DEFAULT.withThreads(threads).withDevice(device.device()).withActivations(mode))) {
            BaseRun base;
            try (Progress bar = new Progress("base run", prompts.size(), quality.quiet)) {
                base = DivergenceEval.baseline(m, prompts, quality.words, done -> bar.stepTo(done, null));
            }
            // The planner raises the total once the probes have fixed the orders.
            int probesAndUnchanged = 1 + Components.of(m.config().numLayers()).size();
            QuantizePlanner.Result r;
            try (Progress bar = new Progress("passes", probesAndUnchanged, quality.quiet)) {
                r = QuantizePlanner.plan(m, base, mode, (phase, done, total) -> bar.stepTo(done, total, phase));
            }
            List<PrecisionMap> maps = new ArrayList<>();
            for (double f : floors) {
                String note = String.format(Locale.ROOT, "tfree4j quantize-plan: longest FDT-ordered prefix with FDT %s >= %.2f N"
                        + " (N = %d, %d prompts, %s)", floorMetric, f, quality.words, prompts.size(), activations);
                maps.add(QuantizePlanner.cut(r, metric, f * quality.words, note));
            }
            ObjectNode report = report(r, floors, maps);
            if (out != null) write(report, maps);
            if (json) {
                pw.println(Json.write(report));
            } else {
                print(pw, r, floors, maps);
            }
        }
        pw.flush();
        return 0;
    }

    private void write(ObjectNode report, List<PrecisionMap> maps) {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("report.json"), Json.write(report) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + out + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < floors.size(); i++) maps.get(i).write(out.resolve(planName(floors.get(i))));
    }

    private String planName(double floor) {
        return String.format(Locale.ROOT, "plan-%s-fdt-%s-%.2f.json", activations, floorMetric, floor);
    }

    private ObjectNode report(QuantizePlanner.Result r, List<Double> floors, List<PrecisionMap> maps) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("activations", activations);
        root.put("words", quality.words);
        root.put("total_parameters", r.totalParameters());
        root.set("unchanged", aggregate(r.unchanged()));
        ArrayNode probes = root.putArray("probes");
        for (QuantizePlanner.Probe p : r.probes()) {
            ObjectNode o = aggregate(p.aggregate());
            o.put("component", p.component());
            o.put("parameters", p.parameters());
            probes.add(o);
        }
        root.set("fdt_curve", curve(r.fdtCurve()));
        root.set("perplexity_curve", curve(r.perplexityCurve()));
        ArrayNode plans = root.putArray("plans");
        for (int i = 0; i < floors.size(); i++) {
            ObjectNode o = plans.addObject();
            o.put("floor", floors.get(i));
            o.put("metric", "fdt_" + floorMetric);
            o.put("components", maps.get(i).int8().size());
            o.put("int8_share", QuantizePlanner.int8Share(r, maps.get(i)));
            o.put("file", planName(floors.get(i)));
        }
        return root;
    }

    private static ArrayNode curve(List<QuantizePlanner.Point> points) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (QuantizePlanner.Point p : points) {
            ObjectNode o = aggregate(p.aggregate());
            o.put("components", p.components());
            o.put("added", p.added());
            o.put("int8_share", p.int8Share());
            a.add(o);
        }
        return a;
    }

    private static ObjectNode aggregate(Aggregate a) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("fdt_mean", a.fdtMean());
        o.put("fdt_median", a.fdtMedian());
        o.put("fdt_p25", a.fdtP25());
        o.put("sdt_mean", a.sdtMean());
        o.put("sdt_norm", a.sdtNorm());
        o.put("perplexity", a.perplexity());
        o.put("mean_bce", a.meanBce());
        return o;
    }

    private void print(PrintWriter out, QuantizePlanner.Result r, List<Double> floors, List<PrecisionMap> maps) {
        Aggregate u = r.unchanged();
        out.printf("unchanged model: FDT mean %.2f, SDT mean %.2f, BCE %.6f (N = %d)%n%n", u.fdtMean(), u.sdtMean(),
                u.meanBce(), quality.words);
        out.println("Components quantized alone, least harmful first:");
        out.printf("%-14s %10s %9s %9s %9s %10s%n", "component", "params", "FDT mean", "FDT med", "SDT mean", "BCE");
        for (String c : r.fdtOrder()) {
            QuantizePlanner.Probe p = r.probes().stream().filter(x -> x.component().equals(c)).findFirst().orElseThrow();
            Aggregate a = p.aggregate();
            out.printf("%-14s %10d %9.2f %9.1f %9.2f %10.6f%n", Components.label(c), p.parameters(), a.fdtMean(), a.fdtMedian(),
                    a.sdtMean(), a.meanBce());
        }
        out.println();
        out.println("Cumulative int8 (FDT order | loss order, the perplexity-style baseline):");
        out.printf("%4s %-14s %7s %8s %8s %9s | %-14s %7s %8s %8s %9s%n", "k", "added", "int8 %", "FDT mean", "SDT mean",
                "BCE", "added", "int8 %", "FDT mean", "SDT mean", "BCE");
        for (int i = 0; i < r.fdtCurve().size(); i++) {
            QuantizePlanner.Point a = r.fdtCurve().get(i), b = r.perplexityCurve().get(i);
            out.printf("%4d %-14s %7.1f %8.2f %8.2f %9.6f | %-14s %7.1f %8.2f %8.2f %9.6f%n", a.components(),
                    Components.label(a.added()), 100 * a.int8Share(), a.aggregate().fdtMean(), a.aggregate().sdtMean(),
                    a.aggregate().meanBce(), Components.label(b.added()), 100 * b.int8Share(), b.aggregate().fdtMean(),
                    b.aggregate().sdtMean(), b.aggregate().meanBce());
        }
        out.println();
        for (int i = 0; i < floors.size(); i++) {
            PrecisionMap m = maps.get(i);
            out.printf("floor FDT %s >= %.2f N: %d components int8, %.1f %% of parameters%s%n", floorMetric, floors.get(i),
                    m.int8().size(), 100 * QuantizePlanner.int8Share(r, m),
                    this.out == null ? "" : " -> " + this.out.resolve(planName(floors.get(i))));
        }
    }
}
