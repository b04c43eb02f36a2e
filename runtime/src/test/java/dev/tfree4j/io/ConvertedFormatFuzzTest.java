package dev.tfree4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tfree4j.model.ConvertedConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets for tfree4j's own converted format: {@code model.safetensors} and its
 * {@code config.json}. Both readers take a path (safetensors checks the header through the file
 * channel before it maps anything), so each input is written to one scratch file first.
 */
class ConvertedFormatFuzzTest {
    private static final Path SCRATCH = scratch();

    private static Path scratch() {
        try {
            Path dir = Files.createTempDirectory("tfree4j-fuzz-");
            dir.toFile().deleteOnExit();
            Path f = dir.resolve("fuzz-input.safetensors");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(byte[] input) {
        try {
            Files.write(SCRATCH, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    @Timeout(10)
    void safetensors(byte[] input) {
        write(input);
        FuzzContract.onlyFormatErrors(SCRATCH, () -> {
            try (Arena arena = Arena.ofConfined()) {
                SafeTensors st = SafeTensors.open(SCRATCH, arena);
                st.metadata();
                for (Tensor t : st.tensors().values()) {
                    long n = t.numel();
                    if (n == 0) continue;
                    if (t.dtype().isFloatingPoint()) {
                        t.getFloat(n - 1);
                    } else {
                        t.getLong(n - 1);
                    }
                }
            }
        });
    }

    @FuzzTest
    @Timeout(10)
    void convertedConfig(byte[] input) {
        write(input);
        FuzzContract.onlyFormatErrors(SCRATCH, () -> ConvertedConfig.read(SCRATCH));
    }
}
