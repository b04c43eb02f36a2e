package dev.tfree4j.tests;

import dev.tfree4j.internal.ModelInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.engine.NativeContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole pipeline forced onto each SIMD path gives the reference's results. */
class SimdPathsTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"scalar", "avx2", "avx512"})
    void everySimdLevelReproducesTheReference(String level) {
        NativeContext.Simd wanted = NativeContext.Simd.valueOf(level.toUpperCase());
        Assumptions.assumeTrue(wanted.ordinal() <= NativeContext.bestSimd().ordinal(), level + " is not available on this CPU");
        ModelOptions options = ModelOptions.DEFAULT.withSimd(level).withThreads(2)
                .withDictionary(ReferenceFixture.dir().resolve("dictionary/top_words_counter.pckl"));
        try (TFreeModel model = TFreeModel.open(ReferenceFixture.dir().resolve("checkpoint"), options)) {
            assertEquals(wanted, ModelInternals.context(model).simd());
            for (int p = 0; p < 7; p++) {
                var ref = ReferenceFixture.prompt(p);
                GenerationResult r = model.generate(ref.get("prompt").asText(), GenerateOptions.builder().maxWords(8).build());
                assertEquals(GenerationParityTest.strings(ref.get("generate").get("tokens")), r.tokens(), "prompt " + p);
                ForwardParityTest.assertClose("prefill logits " + p, ReferenceFixture.array(p, "prefill_logits"),
                        model.logits(ref.get("prompt").asText()).values(), 1e-4);
            }
        }
    }
}
