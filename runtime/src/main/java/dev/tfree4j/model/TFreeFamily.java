package dev.tfree4j.model;

import dev.tfree4j.ModelOptions;
import dev.tfree4j.engine.NativeContext;
import java.nio.file.Path;

/**
 * T-FREE (spec tfree.md): words hashed into trigram rows, a transformer, a sigmoid head scored
 * against a dictionary. Two layouts ({@link ModelDirectory}): the reference's
 * {@code transformer/} + {@code tokenizer/} folders (.pt and JSON-in-.yaml configs), and the
 * tfree4j converted layout ({@code config.json} with {@code "format": "tfree4j-model"}).
 */
final class TFreeFamily implements ModelFamily {
    @Override
    public String name() {
        return "T-FREE";
    }

    @Override
    public String layout() {
        return "reference layout: transformer/transformer.pt, transformer/transformer_config.yaml,"
                + " tokenizer/tokenizer_config.yaml; or tfree4j layout: config.json with \"format\": \""
                + ConvertedConfig.FORMAT + "\", model.safetensors, precision.json";
    }

    /**
     * The reference layout has a {@code transformer/} or {@code tokenizer/} folder; the converted
     * one a config.json without a {@code model_type} (another family's mark). A config.json with
     * a wrong or missing format is still T-FREE's to refuse, with the converted layout's message.
     */
    @Override
    public boolean recognizes(FamilyProbe probe) {
        if (probe.configJson()) return probe.modelType() == null;
        return probe.has("transformer") || probe.has("tokenizer") || probe.entries().isEmpty();
    }

    @Override
    public LoadedModel load(Path dir, NativeContext context, ModelOptions options) {
        return LoadedModel.load(context, dir, options.dictionary(), options.activations(), options.checkWeights());
    }
}
