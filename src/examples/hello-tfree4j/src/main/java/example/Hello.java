package example;

import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import java.nio.file.Path;

/** Opens a T-FREE model, streams a continuation, and prints the result's words. */
public final class Hello {
    public static void main(String[] args) {
        ModelOptions options = ModelOptions.DEFAULT;
        if (args.length > 1 && !args[1].isBlank()) options = options.withDictionary(Path.of(args[1]));
        try (TFreeModel model = TFreeModel.open(Path.of(args[0]), options)) {
            System.out.print("streamed:");
            GenerationResult r = model.generate("Once upon a time", GenerateOptions.builder().maxWords(8).build(),
                    (word, id, text) -> {
                        System.out.print(text);
                        return true;
                    });
            System.out.println();
            System.out.println("words: " + r.tokens());
        }
    }
}
