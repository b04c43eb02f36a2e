package dev.tfree4j.cli;

import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.Json;
import dev.tfree4j.BundledModel;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.divergence.Aggregate;
import dev.tfree4j.divergence.BaseRun;
import dev.tfree4j.divergence.DivergenceEval;
import dev.tfree4j.divergence.DivergenceReport;
import dev.tfree4j.quant.ComponentSwitch;
import dev.tfree4j.quant.Components;
import dev.tfree4j.quant.PrecisionMap;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tfree4j divergence}: Divergent Token Metrics of a candidate model against a base model
 * on the base model's own greedy continuations.
 */
@Command(name = "divergence", mixinStandardHelpOptions = true,
        description = {"Divergent Token Metrics: how a candidate (e.g. int8) model departs from a base model on the"
                + " base model's own greedy output.",
                "FDT = first step where the candidate, teacher forced on the base's words, would pick another word;"
                        + " SDT = number of such steps."})
final class DivergenceCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Mixin QualityOptions quality;
    @Mixin DeviceOption device;

    @Option(names = "--base", paramLabel = "DIR", description = "Base model (default: the bundled model).")
    Path base;

    @Option(names = "--candidate", paramLabel = "DIR", description = "Candidate model (default: the base directory).")
    Path candidate;

    @Option(names = "--candidate-int8", paramLabel = "all|FILE",
            description = "Quantize the candidate's components in memory first: all of them, or those of a precision map.")
    String candidateInt8;

    @Option(names = "--activations", paramLabel = "a16|a8",
            description = "How the candidate's int8 weights multiply (default: as its directory says, else a16).")
    String activations;

    @Option(names = "--base-cache", paramLabel = "FILE",
            description = "Read the base run from FILE if it exists and matches, else compute it and write it there.")
    Path baseCache;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Native threads (default: physical cores).")
    int threads;

    @Option(names = "--json", description = "Print one JSON object {\"prompts\": [...], \"aggregate\": {...}}.")
    boolean json;

    @Override
    public Integer call() {
        List<String> prompts = quality.readPrompts();
        Path baseDir = base != null ? base : BundledModel.locate();
        Path candDir = candidate != null ? candidate : baseDir;
        ModelOptions opts = ModelOptions.DEFAULT.withThreads(threads).withDevice(device.device());
        PrintWriter out = spec.commandLine().getOut();
        BaseRun run;
        try (TFreeModel b = TFreeModel.open(baseDir, opts)) {
            run = baseRun(b, prompts);
        }
        ModelOptions candOpts = activations == null ? opts : opts.withActivations(QualityOptions.activations(activations));
        try (TFreeModel c = TFreeModel.open(candDir, candOpts); ComponentSwitch sw = new ComponentSwitch(c)) {
            if (candidateInt8 != null) sw.apply(int8Set(c));
            DivergenceReport r;
            try (Progress bar = new Progress("candidate", prompts.size(), quality.quiet)) {
                r = DivergenceEval.evaluate(c, run, quality.nearTie, done -> bar.stepTo(done, null));
            }
            if (json) {
                out.println(Json.write(r.toJson()));
            } else {
                print(out, r);
            }
        }
        out.flush();
        return 0;
    }

    private BaseRun baseRun(TFreeModel b, List<String> prompts) {
        if (baseCache != null && Files.isRegularFile(baseCache)) {
            BaseRun cached = BaseRun.read(baseCache);
            if (cached.words() == quality.words && cached.prompts().equals(prompts)
                    && cached.candidateCount() == ModelInternals.loaded(b).dictionary().size()) {
                return cached;
            }
            System.err.println("note: " + baseCache + " was made for other prompts, N or dictionary; recomputing it");
        }
        BaseRun run;
        try (Progress bar = new Progress("base run", prompts.size(), quality.quiet)) {
            run = DivergenceEval.baseline(b, prompts, quality.words, done -> bar.stepTo(done, null));
        }
        if (baseCache != null) run.write(baseCache);
        return run;
    }

    private Set<String> int8Set(TFreeModel c) {
        int layers = c.config().numLayers();
        if (candidateInt8.equals("all")) return Set.copyOf(Components.of(layers));
        Path file = Path.of(candidateInt8);
        PrecisionMap map = PrecisionMap.read(file);
        map.checkAgainst(layers, file);
        return map.int8();
    }

    static void print(PrintWriter out, DivergenceReport r) {
        Aggregate a = r.aggregate();
        out.printf("%d prompts, N = %d words%n", a.prompts(), a.words());
        out.printf("FDT  mean %.2f  median %.1f  p25 %.1f  p75 %.1f  (FDT/N %.3f)%n", a.fdtMean(), a.fdtMedian(), a.fdtP25(),
                a.fdtP75(), a.fdtNorm());
        out.printf("SDT  mean %.2f  median %.1f  p25 %.1f  p75 %.1f  (SDT/N %.3f)%n", a.sdtMean(), a.sdtMedian(), a.sdtP25(),
                a.sdtP75(), a.sdtNorm());
        StringBuilder share = new StringBuilder();
        a.shareFdtAtLeast().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> share.append(String.format("  FDT>=%d: %.1f%%", e.getKey(), 100 * e.getValue())));
        out.println("share of prompts" + share);
        out.printf("divergences %d, of which near-tie (base margin < %.0e) %d%n", a.divergences(), r.nearTieEpsilon(),
                a.nearTieDivergences());
        out.printf("teacher-forced perplexity %.4f, mean BCE %.6f%n", a.perplexity(), a.meanBce());
    }
}
