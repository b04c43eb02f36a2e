package dev.tfree4j;

import java.nio.file.Path;

/**
 * How to open a model.
 *
 * @param dictionary a dictionary file (pickled Counter, word list, or a tokenizer.pt with a
 *     dictionary); null = the one inside the model directory
 * @param threads native threads (0 = physical cores)
 * @param simd the SIMD level: "auto", "scalar", "avx2" or "avx512"
 * @param checkWeights scan every weight at load and refuse NaN or infinite values, naming the
 *     tensor and element (off by default: it reads the whole checkpoint once)
 */
public record ModelOptions(Path dictionary, int threads, String simd, boolean checkWeights) {
    public static final ModelOptions DEFAULT = new ModelOptions(null, 0, "auto", false);

    public ModelOptions(Path dictionary, int threads, String simd) {
        this(dictionary, threads, simd, false);
    }

    public ModelOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = physical cores), got " + threads);
        simd = simd == null ? "auto" : simd;
        if (!simd.matches("auto|scalar|avx2|avx512")) {
            throw new IllegalArgumentException("simd must be auto, scalar, avx2 or avx512, got " + simd);
        }
    }

    public ModelOptions withDictionary(Path file) {
        return new ModelOptions(file, threads, simd, checkWeights);
    }

    public ModelOptions withThreads(int n) {
        return new ModelOptions(dictionary, n, simd, checkWeights);
    }

    public ModelOptions withSimd(String level) {
        return new ModelOptions(dictionary, threads, level, checkWeights);
    }

    public ModelOptions withWeightCheck(boolean on) {
        return new ModelOptions(dictionary, threads, simd, on);
    }
}
