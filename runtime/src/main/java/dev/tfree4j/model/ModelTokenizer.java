package dev.tfree4j.model;

import dev.tfree4j.io.TokenizerFile;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.TokenizerConfig;
import dev.tfree4j.text.TrigramTable;
import dev.tfree4j.text.VocabHasher;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tokenizer of a checkpoint directory alone, without loading its weights. */
public final class ModelTokenizer {
    private ModelTokenizer() {}

    /**
     * Uses tokenizer/tokenizer.pt's table when present, else recomputes rows from the config;
     * either layout of {@link ModelDirectory}.
     */
    public static Tokenizer open(Path dir) {
        Path configFile = ModelDirectory.tokenizerConfigOf(dir);
        TokenizerConfig config = ModelDirectory.layoutOf(dir) == ModelDirectory.Layout.TFREE4J
                ? ConvertedConfig.read(configFile).tokenizer()
                : TokenizerConfig.read(configFile);
        Path tokFile = dir.resolve(ModelDirectory.TOKENIZER_FILE);
        // The mapping lives as long as the tokenizer is reachable.
        TokenizerFile file = Files.isRegularFile(tokFile) ? TokenizerFile.read(tokFile, Arena.ofAuto()) : null;
        return new Tokenizer(config, table(config, file));
    }

    /** The trigram table: read from tokenizer.pt if it has one, else computed from the config. */
    static TrigramTable table(TokenizerConfig config, TokenizerFile file) {
        if (file != null && file.trigramToVocab().isPresent()) {
            return TensorTrigramTable.of(file.trigramToVocab().get(), config);
        }
        if (!"hash".equals(config.initialize())) {
            throw new dev.tfree4j.ModelFormatException("tokenizer initialize \"" + config.initialize()
                    + "\" needs its trigram table from tokenizer/tokenizer.pt (only \"hash\" can be recomputed)");
        }
        return new VocabHasher(config.vocabSize(), config.vocabPopulation(), config.vocabPopulationPartialLowercase());
    }
}
