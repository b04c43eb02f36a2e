package dev.tfree4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/** Fuzz target: the .npy reader (reference outputs; logits written by the CLI). */
class NpyFuzzTest {
    private static final Path FILE = Path.of("fuzz-input.npy");

    @FuzzTest
    @Timeout(10)
    void npy(byte[] input) {
        FuzzContract.onlyFormatErrors(FILE, () -> Npy.parse(FILE, input).size());
    }
}
