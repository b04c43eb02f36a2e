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
 * <p>Adding a family (e.g. HAT, whose unit is a byte and whose {@code config.json} says
 * {@code "model_type": "hierarchical_autoregressive_transformer"}):
 * <ol>
 *   <li>implement this interface: {@link #recognizes} looks only at the {@link FamilyProbe}
 *       (files, {@code model_type}), never at keys another family would reject;</li>
 *   <li>{@link #load} reads and validates the family's configs strictly, opens its weights onto
 *       the native context and returns the loaded model, which gives what a
 *       {@link dev.tfree4j.Session} needs: encode text into units, run units on top of a cache
 *       (the next unit's distribution), decode units to text;</li>
 *   <li>list it in {@link ModelFamilies}; a directory no family recognises is refused there with
 *       what it holds and every family's layout.</li>
 * </ol>
 * Today {@link LoadedModel} is T-FREE's loaded model; the second family turns the parts a
 * session uses (encode, embed/forward, decode) into what both implement.
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
