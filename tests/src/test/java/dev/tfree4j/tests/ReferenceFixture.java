package dev.tfree4j.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.io.Npy;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** The reference fixture tfree-ref-a: its manifest, per-prompt arrays, and the model opened on it. */
final class ReferenceFixture {
    private static JsonNode manifest;

    private ReferenceFixture() {}

    static Path dir() {
        return Fixtures.refA();
    }

    static synchronized JsonNode manifest() {
        if (manifest == null) {
            try {
                manifest = new ObjectMapper().readTree(dir().resolve("manifest.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return manifest;
    }

    static JsonNode prompt(int i) {
        return manifest().get("prompts").get(i);
    }

    static Stream<Integer> promptIndices() {
        return IntStream.range(0, manifest().get("prompts").size()).boxed();
    }

    static Npy.Array array(int prompt, String name) {
        return Npy.read(dir().resolve("prompts/p" + prompt + "/" + name + ".npy"));
    }

    static TFreeModel open() {
        return open(1);
    }

    static TFreeModel open(int threads) {
        return TFreeModel.open(dir().resolve("checkpoint"),
                ModelOptions.DEFAULT.withDictionary(dir().resolve("dictionary/top_words_counter.pckl")).withThreads(threads));
    }
}
