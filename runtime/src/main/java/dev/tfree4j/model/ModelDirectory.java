package dev.tfree4j.model;

import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of a checkpoint in the reference layout (spec §7.1):
 * <pre>
 * DIR/transformer/transformer.pt           state dict (torch zip)
 * DIR/transformer/transformer_config.yaml  architecture (JSON text)
 * DIR/tokenizer/tokenizer_config.yaml      tokenizer (JSON text)
 * DIR/tokenizer/tokenizer.pt               optional: trigram table and/or dictionary
 * DIR/dictionary/*.pckl | *.txt            optional (tfree4j): the dictionary
 * </pre>
 */
public record ModelDirectory(Path root, Path transformerWeights, Path transformerConfig, Path tokenizerConfig,
                             Optional<Path> tokenizerFile, Optional<Path> dictionaryFile) {

    public static ModelDirectory of(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir, "model directory does not exist");
        }
        Path weights = require(dir.resolve("transformer/transformer.pt"), dir);
        Path config = require(dir.resolve("transformer/transformer_config.yaml"), dir);
        Path tokConfig = require(dir.resolve("tokenizer/tokenizer_config.yaml"), dir);
        Path tokFile = dir.resolve("tokenizer/tokenizer.pt");
        return new ModelDirectory(dir, weights, config, tokConfig,
                Files.isRegularFile(tokFile) ? Optional.of(tokFile) : Optional.empty(), findDictionary(dir));
    }

    /** Only the tokenizer part, for commands that need no weights (e.g. {@code ids}). */
    public static Path tokenizerConfigOf(Path dir) {
        if (!Files.isDirectory(dir)) throw new ModelFormatException(dir, "model directory does not exist");
        return require(dir.resolve("tokenizer/tokenizer_config.yaml"), dir);
    }

    private static Path require(Path file, Path dir) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(dir, "missing " + dir.relativize(file)
                    + " (expected the reference layout: transformer/transformer.pt, transformer/transformer_config.yaml,"
                    + " tokenizer/tokenizer_config.yaml)");
        }
        return file;
    }

    private static Optional<Path> findDictionary(Path dir) {
        Path folder = dir.resolve("dictionary");
        if (!Files.isDirectory(folder)) return Optional.empty();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".pckl") || p.toString().endsWith(".pkl") || p.toString().endsWith(".txt"))
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            throw new ModelFormatException(folder, "cannot list: " + e.getMessage(), e);
        }
    }
}
