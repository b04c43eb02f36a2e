package dev.tfree4j;

import dev.tfree4j.ActivationMode;
import java.nio.file.Path;

/**
 * How to open a model.
 *
 * @param dictionary a dictionary file (pickled Counter, word list, or a tokenizer.pt with a
 *     dictionary); null = the one inside the model directory
 * @param threads native threads (0 = physical cores)
 * @param simd the SIMD level: "auto", "scalar", "avx2" or "avx512"
 * @param activations how int8 weights multiply (W8A16/W8A32 = FLOAT, W8A8 = INT8); null = as the
 *     model directory says (FLOAT for the reference layout)
 * @param checkWeights scan every weight at load and refuse NaN or infinite values, naming the
 *     tensor and element (off by default: it reads the whole checkpoint once)
 * @param device where the model runs; null = {@link Device#configured()} when the model is
 *     opened (the system property {@value Device#PROPERTY} if set, else {@link Device#auto()})
 * @param privateContext give the model its own native context (thread pool) instead of the
 *     JVM's shared one: models opened with equal threads, SIMD level and device share one
 *     context by default (one per distinct combination), freed when the last of them closes
 */
public record ModelOptions(Path dictionary, int threads, String simd, ActivationMode activations, boolean checkWeights,
                           Device device, boolean privateContext) {
    public static final ModelOptions DEFAULT = new ModelOptions(null, 0, "auto", null, false, null, false);

    public ModelOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = physical cores), got " + threads);
        simd = simd == null ? "auto" : simd;
        if (!simd.matches("auto|scalar|avx2|avx512")) {
            throw new IllegalArgumentException("simd must be auto, scalar, avx2 or avx512, got " + simd);
        }
    }

    public ModelOptions withDictionary(Path file) {
        return new ModelOptions(file, threads, simd, activations, checkWeights, device, privateContext);
    }

    public ModelOptions withThreads(int n) {
        return new ModelOptions(dictionary, n, simd, activations, checkWeights, device, privateContext);
    }

    public ModelOptions withSimd(String level) {
        return new ModelOptions(dictionary, threads, level, activations, checkWeights, device, privateContext);
    }

    public ModelOptions withActivations(ActivationMode mode) {
        return new ModelOptions(dictionary, threads, simd, mode, checkWeights, device, privateContext);
    }

    public ModelOptions withWeightCheck(boolean on) {
        return new ModelOptions(dictionary, threads, simd, activations, on, device, privateContext);
    }

    /** Runs the model on {@code d} ({@link Device#cpu()}, {@link Device#cuda(int)}, ...); null = the default. */
    public ModelOptions withDevice(Device d) {
        return new ModelOptions(dictionary, threads, simd, activations, checkWeights, d, privateContext);
    }

    /** A private native context (true) or the JVM's shared one for these settings (false, the default). */
    public ModelOptions withPrivateContext(boolean on) {
        return new ModelOptions(dictionary, threads, simd, activations, checkWeights, device, on);
    }

    /** The device to open on: {@link #device()}, else {@link Device#configured()}. */
    public Device resolvedDevice() {
        return device != null ? device : Device.configured();
    }
}
