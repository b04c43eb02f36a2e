package dev.tfree4j.tests;

import dev.tfree4j.internal.ModelInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.TFreeModel;
import dev.tfree4j.engine.KvCache;
import dev.tfree4j.engine.NativeModel;
import dev.tfree4j.io.Npy;
import dev.tfree4j.text.Encoding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The forward pass against the reference's own activations for every fixture prompt: the
 * embedding, every layer's residual stream, the final norm and all-position logits.
 */
class ForwardParityTest {
    private static TFreeModel model;

    @BeforeAll
    static void open() {
        model = ReferenceFixture.open();
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    static java.util.stream.Stream<Integer> prompts() {
        return ReferenceFixture.promptIndices();
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void activationsMatchTheReference(int p) {
        String prompt = ReferenceFixture.prompt(p).get("prompt").asText();
        Encoding enc = model.encode(prompt);
        NativeModel nm = ModelInternals.loaded(model).nativeModel();
        NativeModel.Shape shape = nm.shape();
        int n = enc.nWords();
        int h = shape.hiddenSize();
        int v = shape.vocabSize();
        assertEquals(ReferenceFixture.prompt(p).get("num_words").asInt(), n);

        try (Arena arena = Arena.ofConfined(); KvCache cache = nm.newCache(n)) {
            MemorySegment emb = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * h);
            nm.embed(arena.allocateFrom(ValueLayout.JAVA_INT, enc.ids()), enc.ids().length / enc.population(),
                    enc.population(), arena.allocateFrom(ValueLayout.JAVA_INT, enc.rowWord()), n, emb);
            assertClose("embeddings", ReferenceFixture.array(p, "embeddings"), emb.toArray(ValueLayout.JAVA_FLOAT), 1e-5);

            MemorySegment layers = arena.allocate(ValueLayout.JAVA_FLOAT, (long) shape.layers() * n * h);
            MemorySegment finalNorm = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * h);
            MemorySegment logits = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * v);
            cache.forward(emb, n, new KvCache.ForwardOptions(null, null, null, layers, finalNorm, 0), logits);
            assertEquals(n, cache.length());
            assertClose("layer_outputs", ReferenceFixture.array(p, "layer_outputs"), layers.toArray(ValueLayout.JAVA_FLOAT), 1e-4);
            assertClose("final_norm", ReferenceFixture.array(p, "final_norm"), finalNorm.toArray(ValueLayout.JAVA_FLOAT), 1e-4);
            assertClose("prefill_logits", ReferenceFixture.array(p, "prefill_logits"), logits.toArray(ValueLayout.JAVA_FLOAT), 1e-4);
        }
        TFreeModel.Logits viaApi = model.logits(prompt);
        assertClose("TFreeModel.logits", ReferenceFixture.array(p, "prefill_logits"), viaApi.values(), 1e-4);
    }

    static void assertClose(String what, Npy.Array expected, float[] actual, double tolerance) {
        assertEquals(expected.size(), actual.length, what + ": element count");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(expected.floats()[i] - actual[i]);
            if (!(d <= worst)) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                at = i;
            }
        }
        final double w = worst;
        final int a = at;
        assertTrue(worst <= tolerance, () -> what + ": max abs diff " + w + " > " + tolerance + " at " + a
                + " (expected " + expected.floats()[a] + ", got " + actual[a] + ")");
    }
}
