package dev.tfree4j.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.UnsupportedModelException;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A HAT directory is routed to HAT and validated in full; it opens through TFreeModel, not as a LoadedModel. */
class HatFamilyTest {
    @TempDir Path tmp;

    @Test
    void aValidHatCheckpointIsValidatedAndOpensThroughTheApiNotAsAWordLevelModel() {
        Path dir = Fixtures.fixture("hat-tiny-a");
        var e = assertThrows(UnsupportedModelException.class, () -> ModelFamilies.open(dir, null, ModelOptions.DEFAULT));
        assertTrue(e.getMessage().contains("a HAT model (147 tensors checked) runs through TFreeModel.open"), e.getMessage());
        try (TFreeModel model = TFreeModel.open(dir)) {
            assertTrue(model.isHat());
            var tfreeOnly = assertThrows(UnsupportedModelException.class, () -> model.newSession(4));
            assertTrue(tfreeOnly.getMessage().contains("works on T-FREE models only"), tfreeOnly.getMessage());
        }
    }

    @Test
    void anInvalidHatCheckpointGetsItsFormatErrorNotUnknownFamily() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("hat"));
        Path fixture = Fixtures.fixture("hat-tiny-a");
        Files.writeString(dir.resolve("config.json"), Files.readString(fixture.resolve("config.json"))
                .replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"));
        var e = assertThrows(ModelFormatException.class, () -> ModelFamilies.open(dir, null, ModelOptions.DEFAULT));
        assertTrue(e.getMessage().contains("HAT config key backbone_config.num_key_value_heads 3 does not divide"),
                e.getMessage());
    }
}
