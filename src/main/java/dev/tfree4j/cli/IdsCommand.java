package dev.tfree4j.cli;

import dev.tfree4j.Json;
import dev.tfree4j.model.ModelTokenizer;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.WordSplitter;
import java.io.PrintWriter;
import dev.tfree4j.BundledModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tfree4j ids --model DIR TEXT}: per word, the vocab ids the embedding sums. */
@Command(name = "ids", mixinStandardHelpOptions = true,
        description = "Per word, its vocab ids (sorted, with multiplicity) under a model's tokenizer.")
final class IdsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Option(names = {"-m", "--model"}, paramLabel = "DIR", description = "Checkpoint directory. Default: the bundled model.")
    Path model;

    @Option(names = "--json", description = "Print JSON: [{\"word\": ..., \"ids\": [...]}, ...].")
    boolean json;

    @Option(names = "--input-jsonl", paramLabel = "FILE", description = "Process every JSON string line of FILE; one JSON result per line.")
    Path inputJsonl;

    @Parameters(paramLabel = "TEXT", arity = "0..1")
    String text;

    @Override
    public Integer call() {
        Tokenizer tokenizer = ModelTokenizer.open(model != null ? model : BundledModel.locate());
        PrintWriter out = spec.commandLine().getOut();
        if (inputJsonl != null) {
            for (String line : Json.readStringLines(inputJsonl)) out.println(Json.write(idsOf(tokenizer, line)));
        } else {
            if (text == null) throw new IllegalArgumentException("give TEXT or --input-jsonl FILE");
            List<Map<String, Object>> result = idsOf(tokenizer, text);
            if (json) {
                out.println(Json.write(result));
            } else {
                for (Map<String, Object> w : result) {
                    int[] ids = (int[]) w.get("ids");
                    out.println(Json.write(w.get("word")) + "\t"
                            + IntStream.of(ids).mapToObj(String::valueOf).collect(Collectors.joining(" ")));
                }
            }
        }
        out.flush();
        return 0;
    }

    private static List<Map<String, Object>> idsOf(Tokenizer tokenizer, String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        String input = tokenizer.config().lowercase() ? text.toLowerCase(java.util.Locale.ROOT) : text;
        for (String word : WordSplitter.split(input)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("word", word);
            entry.put("ids", tokenizer.vocabIds(word));
            out.add(entry);
        }
        return out;
    }
}
