package dev.tfree4j.model;

import dev.tfree4j.ModelOptions;
import dev.tfree4j.UnsupportedModelException;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.hat.HatCheckpoint;
import dev.tfree4j.hat.HatConfig;
import dev.tfree4j.hat.HatWeightIndex;
import java.nio.file.Path;

/**
 * HAT (spec hat.md): Aleph Alpha's hierarchical byte models, in the published Hugging Face layout
 * ({@link HatCheckpoint}). A HAT model runs as a {@code dev.tfree4j.hat.HatModel}, which
 * {@code TFreeModel.open} builds directly; {@link LoadedModel} is T-FREE's word-level model, so
 * {@link #load} validates the whole checkpoint (config and every weight) and then refuses with
 * {@link UnsupportedModelException} pointing there (tools that need a T-FREE model get that
 * message, or the precise format error, instead of "unknown model family").
 */
final class HatFamily implements ModelFamily {
    @Override
    public String name() {
        return "HAT";
    }

    @Override
    public String layout() {
        return "config.json with \"model_type\": \"" + HatConfig.MODEL_TYPE + "\", " + HatCheckpoint.SINGLE_FILE
                + " or " + HatWeightIndex.FILE_NAME + " with its shards";
    }

    @Override
    public boolean recognizes(FamilyProbe probe) {
        return probe.configJson() && HatConfig.MODEL_TYPE.equals(probe.modelType());
    }

    @Override
    public LoadedModel load(Path dir, NativeContext context, ModelOptions options) {
        try (HatCheckpoint checkpoint = HatCheckpoint.open(dir)) {
            throw new UnsupportedModelException(dir + ": a HAT model (" + checkpoint.tensors().size() + " tensors checked)"
                    + " runs through TFreeModel.open / HatModel.open, not as a T-FREE word-level model");
        }
    }
}
