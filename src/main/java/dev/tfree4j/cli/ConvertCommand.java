package dev.tfree4j.cli;

import dev.tfree4j.BundledModel;
import dev.tfree4j.convert.ConvertOptions;
import dev.tfree4j.convert.ConvertProgress;
import dev.tfree4j.convert.ConvertReport;
import dev.tfree4j.convert.Converter;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.ActivationMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tfree4j convert --model IN --out OUT [--int8 none|all|PLAN.json] [--activations a16|a8]}:
 * writes a model in the tfree4j layout (safetensors + config.json + precision.json).
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a model to the tfree4j layout (model.safetensors, config.json, precision.json),"
                + " optionally with int8 weights.")
final class ConvertCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Option(names = {"-m", "--model"}, paramLabel = "DIR",
            description = "Model to convert (reference or tfree4j layout). Default: the bundled model.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must not exist, see --force).")
    Path out;

    @Option(names = "--int8", defaultValue = "none", paramLabel = "none|all|FILE",
            description = "Weights to store in int8: none (default), all components, or those of a precision-map JSON file.")
    String int8;

    @Option(names = "--activations", paramLabel = "a16|a8",
            description = "How int8 weights multiply: a16 (float activations) or a8 (int8 activations, W8A8)."
                    + " Default: the plan file's setting, else a16.")
    String activations;

    @Option(names = "--dtype", defaultValue = "keep", paramLabel = "keep|f32|bf16",
            description = "Stored type of the weights that stay floating point (default keep: the source bytes unchanged).")
    String dtype;

    @Option(names = "--dictionary", paramLabel = "FILE",
            description = "Bundle this dictionary (.pckl Counter or .txt word list) instead of the source's.")
    Path dictionary;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Native threads (default: physical cores).")
    int threads;

    @Option(names = "--force", description = "Replace OUT if it exists.")
    boolean force;

    @Option(names = "--quiet", description = "No progress bar (shown only in a terminal, for models from 64 MiB).")
    boolean quiet;

    @Override
    public Integer call() {
        ConvertOptions options = ConvertOptions.DEFAULT.withInt8(int8)
                .withActivations(activationMode())
                .withWeightType(weightType())
                .withDictionary(dictionary)
                .withForce(force);
        Path in = model != null ? model : BundledModel.locate();
        PrintWriter w = spec.commandLine().getOut();
        ConvertReport r;
        try (NativeContext context = NativeContext.create(threads, NativeContext.Simd.AUTO)) {
            r = Converter.convert(context, in, out, options, quiet ? ConvertProgress.NONE : progress());
        }
        w.printf(Locale.ROOT, "converted %s -> %s%n", in, r.out());
        w.printf(Locale.ROOT, "  weights: %d tensors (+%d int8 scale tensors), %s parameters%n",
                r.weights(), r.scaleTensors(), count(r.parameters()));
        w.printf(Locale.ROOT, "  int8: %d of %d components, %.1f %% of parameters; activations %s%n",
                r.int8Weights(), r.components(), 100 * r.int8Share(), r.activations() == ActivationMode.INT8 ? "a8" : "a16");
        w.printf(Locale.ROOT, "  model.safetensors: %s (source weights %s), %.2f s%n",
                bytes(r.fileBytes()), bytes(r.sourceBytes()), r.seconds());
        w.flush();
        return 0;
    }

    private ActivationMode activationMode() {
        if (activations == null) return null;
        return switch (activations) {
            case "a16" -> ActivationMode.FLOAT;
            case "a8" -> ActivationMode.INT8;
            default -> throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--activations': '" + activations + "' (expected a16 or a8)");
        };
    }

    private ConvertOptions.WeightType weightType() {
        return switch (dtype) {
            case "keep" -> ConvertOptions.WeightType.KEEP;
            case "f32" -> ConvertOptions.WeightType.F32;
            case "bf16" -> ConvertOptions.WeightType.BF16;
            default -> throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--dtype': '" + dtype + "' (expected keep, f32 or bf16)");
        };
    }

    /** A progress bar on stderr for large conversions in an interactive terminal; nothing otherwise. */
    private static ConvertProgress progress() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal() ? new TerminalProgress() : ConvertProgress.NONE;
    }

    static String bytes(long n) {
        if (n < 0) return "?";
        if (n < 1 << 20) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        if (n < 1L << 30) return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
        return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
    }

    static String count(long n) {
        if (n < 1_000_000) return String.format(Locale.ROOT, "%,d", n);
        if (n < 1_000_000_000) return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        return String.format(Locale.ROOT, "%.2fB", n / 1e9);
    }
}
