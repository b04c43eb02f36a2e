package dev.tfree4j.cli;

import dev.tfree4j.Json;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.eval.Evaluator;
import dev.tfree4j.io.TextFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tfree4j eval --text-file F}: held-out mean BCE and word accuracy (teacher forced). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Teacher-forced mean BCE loss and greedy word accuracy of a model on a text file.")
final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOption model;
    @Mixin CommonOptions common;

    @Option(names = "--text-file", required = true, paramLabel = "FILE", description = "UTF-8 text to evaluate on.")
    Path textFile;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        String text = TextFiles.readUtf8(textFile, "text file");
        PrintWriter out = spec.commandLine().getOut();
        try (TFreeModel m = TFreeModel.open(model.directory(), model.options())) {
            Evaluator.Result r = Evaluator.evaluate(m, text);
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("mean_bce", r.meanBce());
                o.put("word_accuracy", r.wordAccuracy());
                o.put("positions", r.positions());
                out.println(Json.write(o));
            } else {
                out.printf("mean BCE loss %.6f, word accuracy %.4f over %d positions%n", r.meanBce(), r.wordAccuracy(), r.positions());
            }
        }
        out.flush();
        return 0;
    }
}
