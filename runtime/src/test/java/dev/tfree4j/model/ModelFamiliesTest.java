package dev.tfree4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing a directory to its model family before any family reads it strictly. */
class ModelFamiliesTest {
    @TempDir Path tmp;

    @Test
    void bothTFreeLayoutsRouteToTFree() throws IOException {
        Path reference = Files.createDirectories(tmp.resolve("ref/transformer"));
        Files.createDirectories(tmp.resolve("ref/tokenizer"));
        assertEquals("T-FREE", ModelFamilies.of(reference.getParent()).name());
        Path converted = Files.createDirectories(tmp.resolve("conv"));
        Files.writeString(converted.resolve("config.json"), "{\"format\": \"tfree4j-model\", \"version\": 1}");
        assertEquals("T-FREE", ModelFamilies.of(converted).name());
        // A config.json that T-FREE cannot read is still T-FREE's to refuse, with its own strict message.
        Files.writeString(converted.resolve("config.json"), "{\"format\": \"tfree4j-model\", \"surprise\": 1}");
        assertEquals("T-FREE", ModelFamilies.of(converted).name());
    }

    @Test
    void aHatConfigIsRoutedToHatNotRejectedAsAnUnknownKey() throws IOException {
        Path hat = Files.createDirectories(tmp.resolve("hat"));
        Files.writeString(hat.resolve("config.json"),
                "{\"model_type\": \"hierarchical_autoregressive_transformer\", \"encoder_config\": {}}");
        assertEquals("HAT", ModelFamilies.of(hat).name());
    }

    @Test
    void anUnknownModelTypeIsNamedWithEveryFamilysLayout() throws IOException {
        Path llama = Files.createDirectories(tmp.resolve("llama"));
        Files.writeString(llama.resolve("config.json"), "{\"model_type\": \"llama\", \"hidden_size\": 4096}");
        var e = assertThrows(ModelFormatException.class, () -> ModelFamilies.of(llama));
        assertTrue(e.getMessage().contains("unknown model family")
                && e.getMessage().contains("model_type \"llama\"")
                && e.getMessage().contains("T-FREE (reference layout")
                && e.getMessage().contains("HAT (config.json with \"model_type\": \"hierarchical_autoregressive_transformer\""),
                e.getMessage());
    }

    @Test
    void aDirectoryOfNoKnownLayoutIsNamedWithWhatItHolds() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("weights.bin"), "x");
        Files.writeString(other.resolve("vocab.json"), "{}");
        var e = assertThrows(ModelFormatException.class, () -> ModelFamilies.of(other));
        assertTrue(e.getMessage().contains("unknown model family: it holds vocab.json, weights.bin"), e.getMessage());
        var missing = assertThrows(ModelFormatException.class, () -> ModelFamilies.of(tmp.resolve("nope")));
        assertTrue(missing.getMessage().contains("model directory does not exist"), missing.getMessage());
    }
}
