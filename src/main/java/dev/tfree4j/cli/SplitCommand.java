package dev.tfree4j.cli;

import dev.tfree4j.Json;
import dev.tfree4j.text.WordSplitter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tfree4j split [--json] TEXT}: the words a text is split into (docs/spec/tfree.md §1). */
@Command(name = "split", mixinStandardHelpOptions = true, description = "Split text into T-FREE words.")
final class SplitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Option(names = "--json", description = "Print the words as a JSON array.")
    boolean json;

    @Option(names = "--input-jsonl", paramLabel = "FILE", description = "Split every JSON string line of FILE; one JSON result per line.")
    Path inputJsonl;

    @Parameters(paramLabel = "TEXT", arity = "0..1")
    String text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (inputJsonl != null) {
            for (String line : Json.readStringLines(inputJsonl)) out.println(Json.write(WordSplitter.split(line)));
        } else {
            if (text == null) throw new IllegalArgumentException("give TEXT or --input-jsonl FILE");
            List<String> words = WordSplitter.split(text);
            if (json) out.println(Json.write(words));
            else for (String w : words) out.println(Json.write(w));
        }
        out.flush();
        return 0;
    }
}
