package dev.tfree4j.cli;

import dev.tfree4j.Json;
import dev.tfree4j.hat.HatForward;
import dev.tfree4j.hat.HatGenerateOptions;
import dev.tfree4j.hat.HatGenerationResult;
import dev.tfree4j.hat.HatGenerator;
import dev.tfree4j.hat.HatModel;
import dev.tfree4j.hat.HatStreamListener;
import dev.tfree4j.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The HAT side of {@code logits}, {@code generate} and {@code split --model}: a HAT directory goes here. */
final class HatCli {
    private HatCli() {}

    /** Whether {@code --model} names a HAT checkpoint (its config.json's model_type). */
    static boolean isHat(ModelOption model) {
        return model.model != null && HatModel.isHatDirectory(model.directory());
    }

    static HatModel open(ModelOption model) {
        if (model.dictionary != null) throw new IllegalArgumentException("--dictionary does not apply to HAT models (they decode bytes)");
        return HatModel.open(model.directory(), model.options(), HatModel.WindowConvention.VLLM);
    }

    /** float32 [bytes, 256]: row t predicts byte t + 1. */
    static void logits(ModelOption model, String prompt, Path out) throws IOException {
        try (HatModel m = open(model)) {
            HatForward f = m.logits(prompt);
            Npy.writeFloats(out, f.logits(), f.length(), HatModel.VOCAB);
        }
    }

    static void generate(ModelOption model, String prompt, HatGenerateOptions options, boolean json, boolean logProbs,
                         PrintWriter out) {
        try (HatModel m = open(model)) {
            if (json) {
                HatGenerationResult r = HatGenerator.generate(m, prompt, options, null);
                out.println(Json.write(r.toJson(m.specialTokens(), logProbs)));
            } else {
                // Stream by word: a word's text is only final (valid UTF-8) once the word is complete.
                HatGenerator.generate(m, prompt, options, new HatStreamListener() {
                    @Override
                    public boolean onWord(byte[] word, String text) {
                        out.print(text);
                        out.flush();
                        return true;
                    }
                });
                out.println();
            }
        }
    }
}
