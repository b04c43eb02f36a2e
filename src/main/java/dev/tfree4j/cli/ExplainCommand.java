package dev.tfree4j.cli;

import dev.tfree4j.ControlMode;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ExplainHtml;
import dev.tfree4j.explain.ExplainJson;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.ExplainResult;
import dev.tfree4j.explain.PostProcessing;
import dev.tfree4j.explain.PromptGranularity;
import dev.tfree4j.explain.TargetGranularity;
import dev.tfree4j.explain.TargetScore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tfree4j explain [options] PROMPT}: which parts of the prompt a target continuation
 * depends on (AtMan). Prints the prompt coloured by score, {@code --json} the hosted explain
 * API's shape, {@code --html FILE} a self-contained page.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explain a continuation with AtMan: suppress the attention paid to each part of the prompt in turn"
                + " and report how much less likely the target becomes (positive = the part supported it).",
                "Without --target, the model first generates the target (--generate N words, default 8)."})
final class ExplainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOption model;
    @Mixin CommonOptions common;

    static final class TargetChoice {
        @Option(names = "--target", paramLabel = "TEXT",
                description = "The continuation to explain, as text following the prompt (include the space that separates them).")
        String text;

        @Option(names = "--generate", paramLabel = "N", description = "Generate N words greedily and explain them (default 8).")
        Integer words;
    }

    @ArgGroup(exclusive = true)
    TargetChoice target;

    @Option(names = "--factor", defaultValue = "0.1", paramLabel = "F",
            description = "Attention multiplier of a suppressed unit (default ${DEFAULT-VALUE}; 0 = removed in log-add mode).")
    float factor;

    @Option(names = "--mode", defaultValue = "log-add", paramLabel = "MODE",
            description = "log-add (default: add ln F to the scores) or mult (the paper's (score − row min)·F).")
    String mode;

    @Option(names = "--granularity", defaultValue = "auto", paramLabel = "G",
            description = "Prompt units: auto (closest to --units units; default), word, sentence, paragraph.")
    String granularity;

    @Option(names = "--delimiter", paramLabel = "TEXT", description = "Custom units: a unit ends after each occurrence of TEXT.")
    String delimiter;

    @Option(names = "--units", defaultValue = "30", paramLabel = "N", description = "Unit count auto granularity aims at (default ${DEFAULT-VALUE}).")
    int autoUnits;

    @Option(names = "--per-word", description = "One explanation per target word (default: one for the whole target).")
    boolean perWord;

    @Option(names = "--score", defaultValue = "dict", paramLabel = "S",
            description = "What is measured: dict (ln p under the dictionary softmax; default), word-score (raw word score), bce.")
    String score;

    @Option(names = "--conceptual", paramLabel = "K",
            description = "Conceptual suppression: also suppress words whose input embedding has cosine >= K;"
                    + " 'calibrated' = the value calibrated for summed-trigram embeddings (0.8, see docs/atman.md).")
    String conceptual;

    @Option(names = "--conceptual-unscaled", description = "Give conceptual neighbours the full factor (default: scaled by similarity).")
    boolean conceptualUnscaled;

    @Option(names = "--post", defaultValue = "none", paramLabel = "P", description = "Post-processing: none (default), abs, square.")
    String post;

    @Option(names = "--normalize", description = "Map each explanation's scores to [0, 1].")
    boolean normalize;

    @Option(names = "--layers", split = ",", paramLabel = "L", description = "Only control these layers (comma-separated; default all).")
    int[] layers;

    @Option(names = "--max-batch", defaultValue = "8", paramLabel = "B", description = "Suppressed passes per native call (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--json", description = "Print JSON (the hosted explain API's shape, plus log-probs and settings).")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page with a heatmap and a table.")
    Path html;

    @Option(names = "--no-color", description = "Print a table instead of the coloured prompt.")
    boolean noColor;

    @Parameters(paramLabel = "PROMPT", description = "The prompt.")
    String prompt;

    @Override
    public Integer call() {
        ExplainRequest.Builder req = ExplainRequest.builder(prompt).factor(factor).mode(mode())
                .promptGranularity(granularity()).targetGranularity(perWord ? TargetGranularity.WORD : TargetGranularity.COMPLETE)
                .score(score()).postprocessing(post()).normalize(normalize).layers(layers).maxBatch(maxBatch)
                .conceptualScaled(!conceptualUnscaled);
        if (conceptual != null) req.conceptualThreshold(conceptualThreshold());
        PrintWriter out = spec.commandLine().getOut();
        try (TFreeModel m = TFreeModel.open(model.directory(), model.options())) {
            if (target != null && target.text != null) {
                req.target(target.text);
            } else {
                int n = target != null && target.words != null ? target.words : 8;
                if (n < 1) throw new ParameterException(spec.commandLine(), "--generate must be >= 1, got " + n);
                GenerationResult g = m.generate(prompt, GenerateOptions.builder().maxWords(n).build());
                if (g.tokens().isEmpty()) throw new IllegalArgumentException("the model generated no words to explain");
                req.targetWords(g.tokens());
            }
            ExplainResult r = m.explain(req.build());
            if (html != null) writeHtml(r);
            if (json) out.println(ExplainJson.write(r));
            else TerminalView.print(out, r, !noColor);
        }
        out.flush();
        return 0;
    }

    private void writeHtml(ExplainResult r) {
        try {
            Path parent = html.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(html, ExplainHtml.render(r), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(html + ": cannot write: " + e.getMessage(), e);
        }
    }

    private double conceptualThreshold() {
        if (conceptual.equals("calibrated")) return dev.tfree4j.explain.ConceptualSuppression.CALIBRATED_THRESHOLD;
        try {
            return Double.parseDouble(conceptual);
        } catch (NumberFormatException e) {
            throw bad("--conceptual", conceptual, "a number >= 0 or 'calibrated'");
        }
    }

    private ControlMode mode() {
        return switch (mode) {
            case "log-add", "log_add" -> ControlMode.LOG_ADD;
            case "mult" -> ControlMode.MULT;
            default -> throw bad("--mode", mode, "log-add, mult");
        };
    }

    private PromptGranularity granularity() {
        if (delimiter != null) {
            if (!granularity.equals("auto") && !granularity.equals("custom")) {
                throw new ParameterException(spec.commandLine(), "--delimiter sets custom units; it cannot be combined with --granularity " + granularity);
            }
            return PromptGranularity.custom(delimiter);
        }
        return switch (granularity) {
            case "auto" -> {
                if (autoUnits < 1) throw new ParameterException(spec.commandLine(), "--units must be >= 1, got " + autoUnits);
                yield PromptGranularity.auto(autoUnits);
            }
            case "word", "token" -> PromptGranularity.WORD;
            case "sentence" -> PromptGranularity.SENTENCE;
            case "paragraph" -> PromptGranularity.PARAGRAPH;
            case "custom" -> throw new ParameterException(spec.commandLine(), "--granularity custom needs --delimiter TEXT");
            default -> throw bad("--granularity", granularity, "auto, word, sentence, paragraph (or --delimiter TEXT)");
        };
    }

    private TargetScore score() {
        return switch (score) {
            case "dict", "dict-logprob" -> TargetScore.DICT_LOGPROB;
            case "word-score" -> TargetScore.WORD_SCORE;
            case "bce" -> TargetScore.BCE;
            default -> throw bad("--score", score, "dict, word-score, bce");
        };
    }

    private PostProcessing post() {
        return switch (post) {
            case "none" -> PostProcessing.NONE;
            case "abs", "absolute" -> PostProcessing.ABSOLUTE;
            case "square" -> PostProcessing.SQUARE;
            default -> throw bad("--post", post, "none, abs, square");
        };
    }

    private ParameterException bad(String option, String value, String allowed) {
        return new ParameterException(spec.commandLine(), "invalid value for " + option + ": '" + value + "' (one of " + allowed + ")");
    }
}
