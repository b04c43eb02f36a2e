package dev.tfree4j.cli;

import dev.tfree4j.Json;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ThresholdCalibration;
import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.io.TextFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tfree4j conceptual-threshold --text-file F}: the neighbourhood sizes that candidate
 * conceptual suppression thresholds κ give on a text sample, to calibrate κ for a model
 * (see {@link ThresholdCalibration}).
 */
@Command(name = "conceptual-threshold", mixinStandardHelpOptions = true,
        description = "Calibrate the conceptual suppression threshold of 'explain --conceptual K' on a text sample.")
final class ConceptualThresholdCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOption model;
    @Mixin CommonOptions common;

    @Option(names = "--text-file", required = true, paramLabel = "FILE", description = "UTF-8 sample text.")
    Path textFile;

    @Option(names = "--window", paramLabel = "N", description = "Words per window (default: the model's sequence length).")
    Integer window;

    @Option(names = "--kappa", split = ",", paramLabel = "K",
            defaultValue = "0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0", description = "Thresholds to try (default ${DEFAULT-VALUE}).")
    double[] kappas;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        String text = TextFiles.readUtf8(textFile, "text file");
        PrintWriter out = spec.commandLine().getOut();
        try (TFreeModel m = TFreeModel.open(model.directory(), model.options())) {
            int w = window != null ? window : m.config().sequenceLength();
            if (w < 2) throw new ParameterException(spec.commandLine(), "--window must be >= 2, got " + w);
            List<ThresholdCalibration.Row> rows = ThresholdCalibration.sweep(ModelInternals.loaded(m), text, kappas, w);
            if (json) {
                List<Object> list = new ArrayList<>();
                for (ThresholdCalibration.Row r : rows) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("kappa", r.kappa());
                    o.put("median_neighbours", r.median());
                    o.put("mean_neighbours", r.mean());
                    o.put("p90_neighbours", r.p90());
                    o.put("median_other_word_neighbours", r.medianOther());
                    o.put("mean_other_word_neighbours", r.meanOther());
                    o.put("share_with_other_word_neighbours", r.shareWithOther());
                    list.add(o);
                }
                out.println(Json.write(list));
            } else {
                out.printf("windows of %d words; neighbours = other positions with cosine >= kappa (identical words always count)%n", w);
                out.println("kappa  median  mean   p90   | other words: mean  share of words with one");
                for (ThresholdCalibration.Row r : rows) {
                    out.printf(java.util.Locale.ROOT, "%5.2f  %6.1f  %5.2f  %4.0f  |              %5.3f  %5.1f %%%n", r.kappa(), r.median(),
                            r.mean(), r.p90(), r.meanOther(), 100 * r.shareWithOther());
                }
            }
        }
        out.flush();
        return 0;
    }
}
