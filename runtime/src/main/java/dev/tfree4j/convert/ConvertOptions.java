package dev.tfree4j.convert;

import dev.tfree4j.ActivationMode;
import java.nio.file.Path;

/**
 * What {@link Converter} does to a model.
 *
 * @param int8        which weights become int8: none, all components, or those of a precision-map file
 * @param plan        the precision-map file when {@code int8} is {@link Int8#PLAN}, else null
 * @param activations how int8 weights multiply; null = the plan file's own setting, else a16
 * @param weightType  the dtype of the weights that stay floating point
 * @param dictionary  a dictionary file (.pckl / .pkl / .txt) to bundle instead of the source's; null = the source's
 * @param force       replace an existing output directory
 */
public record ConvertOptions(Int8 int8, Path plan, ActivationMode activations, WeightType weightType,
                             Path dictionary, boolean force) {
    /** Which weights to quantize. */
    public enum Int8 { NONE, ALL, PLAN }

    /** The stored dtype of weights that are not int8: {@code KEEP} leaves their bytes exactly as in the source. */
    public enum WeightType { KEEP, F32, BF16 }

    public static final ConvertOptions DEFAULT = new ConvertOptions(Int8.NONE, null, null, WeightType.KEEP, null, false);

    public ConvertOptions {
        if (int8 == null || weightType == null) throw new IllegalArgumentException("int8 and weightType are required");
        if ((int8 == Int8.PLAN) != (plan != null)) {
            throw new IllegalArgumentException("a plan file goes with int8 PLAN, and only with it");
        }
    }

    /** {@code "none"}, {@code "all"}, or the path of a precision-map JSON file (the CLI's {@code --int8}). */
    public ConvertOptions withInt8(String spec) {
        return switch (spec) {
            case "none" -> new ConvertOptions(Int8.NONE, null, activations, weightType, dictionary, force);
            case "all" -> new ConvertOptions(Int8.ALL, null, activations, weightType, dictionary, force);
            default -> new ConvertOptions(Int8.PLAN, Path.of(spec), activations, weightType, dictionary, force);
        };
    }

    public ConvertOptions withActivations(ActivationMode mode) {
        return new ConvertOptions(int8, plan, mode, weightType, dictionary, force);
    }

    public ConvertOptions withWeightType(WeightType type) {
        return new ConvertOptions(int8, plan, activations, type, dictionary, force);
    }

    public ConvertOptions withDictionary(Path file) {
        return new ConvertOptions(int8, plan, activations, weightType, file, force);
    }

    public ConvertOptions withForce(boolean replace) {
        return new ConvertOptions(int8, plan, activations, weightType, dictionary, replace);
    }
}
