package dev.tfree4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tfree4j.text.TokenizerConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/** Fuzz targets: the two JSON configs of a model directory (transformer and tokenizer). */
class ConfigFuzzTest {
    private static final Path FILE = Path.of("fuzz-input.yaml");

    @FuzzTest
    @Timeout(10)
    void transformerConfig(byte[] input) {
        FuzzContract.onlyFormatErrors(FILE, () -> {
            TransformerConfig c = TransformerConfig.parse(FILE, input);
            // What the loader derives from a config must be computable for any accepted config;
            // the state-dict check runs on an empty dict (every tensor missing: a format error).
            c.headDim();
            c.intermediateSize();
            c.validate(Map.of(), FILE);
        });
    }

    @FuzzTest
    @Timeout(10)
    void tokenizerConfig(byte[] input) {
        FuzzContract.onlyFormatErrors(FILE, () -> TokenizerConfig.parse(FILE, input));
    }
}
