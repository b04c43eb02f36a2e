package dev.tfree4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.ActivationMode;
import dev.tfree4j.io.TransformerConfig;
import dev.tfree4j.quant.PrecisionMap;
import dev.tfree4j.text.TokenizerConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The configuration of a model directory in either layout: architecture, tokenizer, and which
 * weights are int8 with how they multiply (always "none" for the reference layout).
 *
 * @param transformerJson the architecture config as JSON (what a conversion copies into config.json)
 * @param tokenizerJson   the tokenizer config as JSON
 */
public record ModelConfig(TransformerConfig transformer, TokenizerConfig tokenizer, PrecisionMap precision,
                          JsonNode transformerJson, JsonNode tokenizerJson) {

    public ActivationMode activations() {
        return precision.activations();
    }

    /** Reads and cross-checks the configs of {@code files}. */
    public static ModelConfig read(ModelDirectory files) {
        ModelConfig config = switch (files.layout()) {
            case REFERENCE -> readReference(files);
            case TFREE4J -> readConverted(files);
        };
        config.checkAgree(files);
        // Before anything is sized by the config (the precision map's component list, the shape
        // table, the rotary table): a crafted num_layers or sequence_length is refused here.
        ModelLimits.check(files, config);
        if (files.layout() == ModelDirectory.Layout.TFREE4J) {
            config.precision().checkAgainst(config.transformer().numLayers(), files.precisionMap().orElseThrow());
        }
        return config;
    }

    private static ModelConfig readReference(ModelDirectory files) {
        TransformerConfig t = TransformerConfig.read(files.transformerConfig());
        TokenizerConfig k = TokenizerConfig.read(files.tokenizerConfig());
        // Both files were just parsed and checked; read again as plain JSON trees to keep every key.
        ObjectMapper json = new ObjectMapper();
        try {
            return new ModelConfig(t, k, PrecisionMap.none(), json.readTree(files.transformerConfig().toFile()),
                    json.readTree(files.tokenizerConfig().toFile()));
        } catch (IOException e) {
            throw new ModelFormatException(files.root(), "cannot read the configs: " + e.getMessage(), e);
        }
    }

    private static ModelConfig readConverted(ModelDirectory files) {
        ConvertedConfig c = ConvertedConfig.read(files.transformerConfig());
        Path precisionFile = files.precisionMap().orElseThrow();
        PrecisionMap precision = PrecisionMap.read(precisionFile);
        if (precision.activations() != c.activations()) {
            throw new ModelFormatException(files.root(), "config.json says activations \""
                    + ConvertedConfig.activationName(c.activations()) + "\" but precision.json says \""
                    + ConvertedConfig.activationName(precision.activations()) + "\"");
        }
        return new ModelConfig(c.transformer(), c.tokenizer(), precision, c.transformerJson(), c.tokenizerJson());
    }

    private void checkAgree(ModelDirectory files) {
        if (transformer.embeddingAggregation() != TransformerConfig.Aggregation.SUM || transformer.embeddingNormalization()) {
            throw new ModelFormatException(files.transformerConfig(), "unsupported embedding: tfree4j runs"
                    + " embedding_aggregation \"sum\" without embedding_normalization (the released models' setting)");
        }
        if (transformer.vocabSize() != tokenizer.vocabSize()) {
            throw new ModelFormatException(files.root(), "vocab_size differs between the transformer config ("
                    + transformer.vocabSize() + ") and the tokenizer config (" + tokenizer.vocabSize() + ")");
        }
        if (transformer.sequenceLength() != tokenizer.sequenceLength()) {
            throw new ModelFormatException(files.root(), "sequence_length differs between the transformer config ("
                    + transformer.sequenceLength() + ") and the tokenizer config (" + tokenizer.sequenceLength() + ")");
        }
    }
}
