package dev.tfree4j.cli;

import dev.tfree4j.Json;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.hat.HatGenerateOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tfree4j generate [options] PROMPT}: continue a prompt, streaming words as they come. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Continue a prompt.")
final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOption model;
    @Mixin CommonOptions common;

    @Option(names = "--max-words", paramLabel = "N",
            description = "Words to generate at most (default 16; HAT: stop once N words are complete, default no limit).")
    Integer maxWords;

    @Option(names = "--max-bytes", paramLabel = "N", description = "HAT: bytes to generate at most (default 256).")
    Integer maxBytes;

    @Option(names = "--stop", paramLabel = "TEXT", description = "HAT: stop before this text (repeatable).")
    List<String> stopStrings = new ArrayList<>();

    @Option(names = "--log-probs", paramLabel = "K", description = "Report the top-K log-probabilities per word.")
    Integer logProbs;

    @Option(names = "--echo", description = "Include the prompt's words (with their log-probs).")
    boolean echo;

    @Option(names = "--echo-reference-compat",
            description = "Echo log-probs as the reference computes them (its row-0 bug), for comparisons.")
    boolean echoCompat;

    @Option(names = "--stop-word", description = "Stop after this word (repeatable).")
    List<String> stopWords = new ArrayList<>();

    @Option(names = "--no-abort-eot", description = "Keep going after <|endoftext|>.")
    boolean noAbortEot;

    @Option(names = "--more-words", paramLabel = "TEXT", description = "Extra candidate words (default: the prompt's).")
    String moreWords;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T",
            description = "0 = greedy (default, as the reference); > 0 samples. Word scores lie in ~[0, 1]: try 0.05.")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "Sample among the K best words (0 = all).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1", paramLabel = "P", description = "Nucleus sampling threshold (1 = off).")
    float topP;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed for sampling.")
    long seed;

    @Option(names = "--repetition-penalty", defaultValue = "1", paramLabel = "R",
            description = "> 1 discourages words already in the prompt or the output (1 = off).")
    float repetitionPenalty;

    @Option(names = "--json", description = "Print one JSON object instead of streaming text.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Stop generating after this many seconds (stop reason \"timeout\"); default: no limit.")
    Double timeoutSeconds;

    @Parameters(paramLabel = "PROMPT", description = "The text to continue.")
    String prompt;

    @Override
    public Integer call() {
        if (timeoutSeconds != null && !(timeoutSeconds > 0 && timeoutSeconds < 1e9)) {
            throw new IllegalArgumentException("--timeout must be a positive number of seconds, got " + timeoutSeconds);
        }
        if (HatCli.isHat(model)) {
            if (echo || echoCompat || moreWords != null || !stopWords.isEmpty() || timeout(timeoutSeconds)) {
                throw new IllegalArgumentException("--echo, --echo-reference-compat, --more-words, --stop-word and --timeout"
                        + " apply to T-FREE models; HAT takes --max-bytes, --max-words, --stop, the sampling options and --log-probs");
            }
            HatGenerateOptions.Builder b = HatGenerateOptions.builder().temperature(temperature).topK(topK).topP(topP)
                    .seed(seed).repetitionPenalty(repetitionPenalty).stopStrings(stopStrings)
                    .logProbs(logProbs == null ? 0 : logProbs);
            if (maxBytes != null) b.maxBytes(maxBytes);
            if (maxWords != null) b.maxWords(maxWords);
            HatCli.generate(model, prompt, b.build(), json, logProbs != null, spec.commandLine().getOut());
            return 0;
        }
        if (maxBytes != null || !stopStrings.isEmpty()) throw new IllegalArgumentException("--max-bytes and --stop apply to HAT models");
        if (maxWords == null) maxWords = 16;
        Duration timeout = timeoutSeconds == null ? null : Duration.ofNanos(Math.max(1, (long) (timeoutSeconds * 1e9)));
        GenerateOptions options = GenerateOptions.builder().timeout(timeout)
                .maxWords(maxWords).logProbs(logProbs).echo(echo).echoReferenceCompat(echoCompat)
                .stopWords(stopWords).abortOnEndOfText(!noAbortEot).moreWords(moreWords)
                .temperature(temperature).topK(topK).topP(topP).seed(seed).repetitionPenalty(repetitionPenalty).build();
        PrintWriter out = spec.commandLine().getOut();
        try (TFreeModel m = TFreeModel.open(model.directory(), model.options())) {
            if (json) {
                GenerationResult r = m.generate(prompt, options);
                out.println(Json.write(r.toJson()));
            } else {
                if (echo) out.print(prompt);
                GenerationResult r = m.generate(prompt, options, (word, id, text) -> {
                    out.print(text);
                    out.flush();
                    return true;
                });
                out.println();
                if (logProbs != null) printLogProbs(out, r);
                if (r.stopReason() == GenerationResult.StopReason.TIMEOUT) {
                    spec.commandLine().getErr().println("(stopped: --timeout " + timeoutSeconds + " s passed)");
                }
            }
        }
        out.flush();
        return 0;
    }

    private static boolean timeout(Double seconds) {
        return seconds != null;
    }

    private static void printLogProbs(PrintWriter out, GenerationResult r) {
        for (int i = 0; i < r.tokens().size(); i++) {
            List<Map.Entry<String, Float>> step = r.logProbs().get(i);
            StringBuilder line = new StringBuilder(Json.write(r.tokens().get(i))).append('\t');
            if (step != null) for (Map.Entry<String, Float> e : step) line.append(Json.write(e.getKey())).append('=').append(e.getValue()).append(' ');
            out.println(line.toString().strip());
        }
    }
}
