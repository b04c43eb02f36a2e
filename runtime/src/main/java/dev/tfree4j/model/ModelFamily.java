package dev.tfree4j.model;

import dev.tfree4j.ModelOptions;
import dev.tfree4j.engine.NativeContext;
import java.nio.file.Path;

/**
 * A family of models tfree4j runs: how its directories look and how to load one. A directory is
 * routed to its family first ({@link ModelFamilies}, from which files exist and the
 * {@code model_type} of a {@code config.json}), and only then read strictly by that family, so
 * one family's validation never rejects another family's config.
 *
 * <p>Adding a family (e.g. HAT, whose unit is a byte): implement this interface (recognise its
 * directories; load its weights onto the native context and give what a session needs: encode
 * text into units, embed them, decode units to text) and list it in {@link ModelFamilies}.
 */
public interface ModelFamily {
    /** A short name for messages, e.g. "T-FREE". */
    String name();

    /** What a directory of this family holds, for the error when a directory matches no family. */
    String layout();

    /** Whether the directory described by {@code probe} belongs to this family. */
    boolean recognizes(FamilyProbe probe);

    /**
     * Loads the model in {@code dir} onto {@code context}.
     *
     * @throws dev.tfree4j.ModelFormatException naming the file and problem when the directory
     *     is not a valid model of this family
     */
    LoadedModel load(Path dir, NativeContext context, ModelOptions options);
}
