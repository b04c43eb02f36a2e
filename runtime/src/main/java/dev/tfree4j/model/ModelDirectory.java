package dev.tfree4j.model;

import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of a model directory, in one of two layouts (detected by which files exist).
 *
 * <p>The reference layout (docs/spec/tfree.md §7.1), as the reference implementation saves it:
 * <pre>
 * DIR/transformer/transformer.pt           state dict (torch zip)
 * DIR/transformer/transformer_config.yaml  architecture (JSON text)
 * DIR/tokenizer/tokenizer_config.yaml      tokenizer (JSON text)
 * DIR/tokenizer/tokenizer.pt               optional: trigram table and/or dictionary
 * DIR/dictionary/*.pckl | *.txt            optional (tfree4j): the dictionary
 * </pre>
 * The tfree4j layout, written by {@code tfree4j convert} (see {@link ConvertedConfig}):
 * <pre>
 * DIR/config.json                          format, version, activations, transformer + tokenizer configs
 * DIR/model.safetensors                    the weights by state-dict name; int8 ones with NAME.scale
 * DIR/precision.json                       the precision map applied (which weights are int8)
 * DIR/tokenizer/tokenizer.pt               optional, as above
 * DIR/dictionary/*.pckl | *.txt            optional, as above
 * </pre>
 *
 * @param transformerWeights transformer.pt or model.safetensors
 * @param transformerConfig  transformer_config.yaml or config.json
 * @param tokenizerConfig    tokenizer_config.yaml or config.json
 * @param precisionMap       precision.json (tfree4j layout only)
 */
public record ModelDirectory(Path root, Layout layout, Path transformerWeights, Path transformerConfig,
                             Path tokenizerConfig, Optional<Path> precisionMap, Optional<Path> tokenizerFile,
                             Optional<Path> dictionaryFile) {

    /** Which of the two layouts a directory has. */
    public enum Layout { REFERENCE, TFREE4J }

    public static final String CONFIG_JSON = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String PRECISION_JSON = "precision.json";
    public static final String TOKENIZER_FILE = "tokenizer/tokenizer.pt";
    public static final String DICTIONARY_FOLDER = "dictionary";

    public static ModelDirectory of(Path dir) {
        Layout layout = layoutOf(dir);
        Path tokFile = dir.resolve(TOKENIZER_FILE);
        Optional<Path> tokenizer = Files.isRegularFile(tokFile) ? Optional.of(tokFile) : Optional.empty();
        if (layout == Layout.TFREE4J) {
            Path config = require(dir.resolve(CONFIG_JSON), dir, layout);
            return new ModelDirectory(dir, layout, require(dir.resolve(WEIGHTS), dir, layout), config, config,
                    Optional.of(require(dir.resolve(PRECISION_JSON), dir, layout)), tokenizer, findDictionary(dir));
        }
        Path weights = require(dir.resolve("transformer/transformer.pt"), dir, layout);
        Path config = require(dir.resolve("transformer/transformer_config.yaml"), dir, layout);
        Path tokConfig = require(dir.resolve("tokenizer/tokenizer_config.yaml"), dir, layout);
        return new ModelDirectory(dir, layout, weights, config, tokConfig, Optional.empty(), tokenizer, findDictionary(dir));
    }

    /**
     * The layout of {@code dir}: tfree4j when it has a {@code config.json}, else the reference
     * layout. A directory with both a {@code config.json} and a {@code transformer/} folder is
     * refused rather than guessed.
     */
    public static Layout layoutOf(Path dir) {
        if (!Files.isDirectory(dir)) throw new ModelFormatException(dir, "model directory does not exist");
        boolean converted = Files.exists(dir.resolve(CONFIG_JSON));
        if (converted && Files.exists(dir.resolve("transformer"))) {
            throw new ModelFormatException(dir, "holds both a config.json (tfree4j layout) and a transformer/ folder"
                    + " (reference layout); keep one");
        }
        return converted ? Layout.TFREE4J : Layout.REFERENCE;
    }

    /** The tokenizer config file alone (tokenizer_config.yaml or config.json), for commands that need no weights. */
    public static Path tokenizerConfigOf(Path dir) {
        ModelFamilies.of(dir);  // another family's directory is named as such, not misread as T-FREE
        return layoutOf(dir) == Layout.TFREE4J
                ? require(dir.resolve(CONFIG_JSON), dir, Layout.TFREE4J)
                : require(dir.resolve("tokenizer/tokenizer_config.yaml"), dir, Layout.REFERENCE);
    }

    private static Path require(Path file, Path dir, Layout layout) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(dir, "missing " + dir.relativize(file) + (layout == Layout.TFREE4J
                    ? " (expected the tfree4j layout: config.json, model.safetensors, precision.json)"
                    : " (expected the reference layout: transformer/transformer.pt, transformer/transformer_config.yaml,"
                    + " tokenizer/tokenizer_config.yaml; or the tfree4j layout: config.json, model.safetensors, precision.json)"));
        }
        return file;
    }

    private static Optional<Path> findDictionary(Path dir) {
        Path folder = dir.resolve(DICTIONARY_FOLDER);
        if (!Files.isDirectory(folder)) return Optional.empty();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(ModelDirectory::isDictionaryName)
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            throw new ModelFormatException(folder, "cannot list: " + e.getMessage(), e);
        }
    }

    /** Whether a file in {@code dictionary/} is picked up as the dictionary: a pickled Counter or a word list. */
    public static boolean isDictionaryName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".pckl") || name.endsWith(".pkl") || name.endsWith(".txt");
    }
}
