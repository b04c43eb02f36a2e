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
 * ({@link HatCheckpoint}). The forward pass is not built yet, so {@link #load} validates the
 * whole checkpoint (config and every weight) and then refuses it with
 * {@link UnsupportedModelException}: a HAT directory gets that message, or the precise format
 * error, instead of "unknown model family".
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
            throw new UnsupportedModelException(dir + ": HAT models are recognised and validated but cannot run yet:"
                    + " the forward pass is not built (" + checkpoint.tensors().size() + " tensors checked)");
        }
    }
}
