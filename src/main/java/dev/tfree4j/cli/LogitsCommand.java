package dev.tfree4j.cli;

import dev.tfree4j.TFreeModel;
import dev.tfree4j.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tfree4j logits --out FILE.npy PROMPT}: the prefill logits as float32 [words, vocab]; for a HAT
 * model float32 [bytes, 256], row t predicting byte t + 1 (special tokens encoded as the model does).
 */
@Command(name = "logits", mixinStandardHelpOptions = true, description = "Write a prompt's prefill logits to a .npy file.")
final class LogitsCommand implements Callable<Integer> {
    @Mixin ModelOption model;
    @Mixin CommonOptions common;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Output file (float32 [words, vocab]).")
    Path out;

    @Parameters(paramLabel = "PROMPT")
    String prompt;

    @Override
    public Integer call() throws IOException {
        if (HatCli.isHat(model)) {
            HatCli.logits(model, prompt, out);
            return 0;
        }
        try (TFreeModel m = TFreeModel.open(model.directory(), model.options())) {
            TFreeModel.Logits logits = m.logits(prompt);
            Npy.writeFloats(out, logits.values(), logits.rows(), logits.vocab());
        }
        return 0;
    }
}
