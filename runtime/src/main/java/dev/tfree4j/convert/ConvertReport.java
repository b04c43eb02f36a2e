package dev.tfree4j.convert;

import dev.tfree4j.ActivationMode;
import java.nio.file.Path;

/**
 * What a conversion produced.
 *
 * @param out             the output directory
 * @param weights         number of weights (state-dict tensors)
 * @param scaleTensors    number of NAME.scale tensors (one per int8 weight)
 * @param parameters      elements of all weights
 * @param int8Parameters  elements of the int8 weights
 * @param int8Weights     number of int8 weights
 * @param components      number of int8-capable components of the model
 * @param activations     how the int8 weights multiply
 * @param fileBytes       size of model.safetensors
 * @param sourceBytes     size of the source weights file
 * @param seconds         wall time of the whole conversion
 */
public record ConvertReport(Path out, int weights, int scaleTensors, long parameters, long int8Parameters,
                            int int8Weights, int components, ActivationMode activations, long fileBytes,
                            long sourceBytes, double seconds) {
    /** Share of all parameters stored in int8, in [0, 1]. */
    public double int8Share() {
        return parameters == 0 ? 0 : (double) int8Parameters / parameters;
    }
}
