package dev.tfree4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tfree4j.hat.HatCheckpoint;
import dev.tfree4j.hat.HatConfig;
import dev.tfree4j.hat.HatWeightIndex;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets for the HAT layout: {@code config.json} and {@code model.safetensors.index.json}.
 * The index is fuzzed in place: each input becomes the index of a scratch copy of the
 * {@code hat-tiny-a} checkpoint (its config and real shards), so that the checks of the index
 * against the shards and the config run too, not only the JSON parsing.
 */
class HatFormatFuzzTest {
    private static final Path CONFIG = Path.of("fuzz-input-config.json");
    private static final Path CHECKPOINT = checkpoint();
    private static final Path INDEX = CHECKPOINT.resolve(HatWeightIndex.FILE_NAME);

    private static Path checkpoint() {
        try {
            Path dir = Files.createTempDirectory("tfree4j-fuzz-hat-");
            dir.toFile().deleteOnExit();
            Path fixture = Fixtures.fixture("hat-tiny-a");
            for (String f : List.of("config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors")) {
                Files.copy(fixture.resolve(f), dir.resolve(f));
                dir.resolve(f).toFile().deleteOnExit();
            }
            dir.resolve(HatWeightIndex.FILE_NAME).toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    @Timeout(10)
    void hatConfig(byte[] input) {
        FuzzContract.onlyFormatErrors(CONFIG, () -> {
            HatConfig c = HatConfig.parse(CONFIG, input);
            // What the checkpoint derives from an accepted config must be computable.
            c.expectedTensors();
            c.splitterTokens();
        });
    }

    @FuzzTest
    @Timeout(10)
    void hatIndex(byte[] input) {
        try {
            Files.write(INDEX, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FuzzContract.onlyFormatErrors(INDEX, () -> {
            try (HatCheckpoint c = HatCheckpoint.open(CHECKPOINT)) {
                c.tensors();
            }
        });
    }
}
