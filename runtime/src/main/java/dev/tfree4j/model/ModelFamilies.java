package dev.tfree4j.model;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.engine.NativeContext;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one registry of model families: every model directory is routed here to the family that
 * recognises it, then loaded by that family alone.
 */
public final class ModelFamilies {
    /** Every family this build runs, in the order they are asked. */
    private static final List<ModelFamily> FAMILIES = List.of(new TFreeFamily(), new HatFamily());

    private ModelFamilies() {}

    /** The families this build runs. */
    public static List<ModelFamily> all() {
        return FAMILIES;
    }

    /**
     * The family of the model in {@code dir}.
     *
     * @throws ModelFormatException when no family recognises it, naming what was found
     */
    public static ModelFamily of(Path dir) {
        FamilyProbe probe = FamilyProbe.of(dir);
        for (ModelFamily f : FAMILIES) {
            if (f.recognizes(probe)) return f;
        }
        String found = probe.modelType() != null
                ? "its config.json says model_type \"" + probe.modelType() + "\""
                : "it holds " + (probe.entries().isEmpty() ? "nothing" : String.join(", ", probe.entries()));
        String known = FAMILIES.stream().map(f -> f.name() + " (" + f.layout() + ")").collect(Collectors.joining("; "));
        throw new ModelFormatException(dir, "unknown model family: " + found + "; this tfree4j runs " + known);
    }

    /** Routes {@code dir} to its family and loads it onto {@code context}. */
    public static LoadedModel open(Path dir, NativeContext context, ModelOptions options) {
        return of(dir).load(dir, context, options);
    }
}
