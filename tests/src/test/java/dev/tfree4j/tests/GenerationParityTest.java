package dev.tfree4j.tests;

import dev.tfree4j.internal.ModelInternals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.decode.CandidateSet;
import dev.tfree4j.decode.Decoder;
import dev.tfree4j.engine.KvCache;
import dev.tfree4j.engine.NativeModel;
import dev.tfree4j.io.Npy;
import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.WordSplitter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoding and generation against the reference for every fixture prompt: candidates, word
 * scores before and after softmax, greedy words, ids, completion, log-probs, training counts,
 * echo in compatibility mode, the edge-weight variant, and the KV-cache path vs a full recompute.
 */
class GenerationParityTest {
    private static TFreeModel model;

    @BeforeAll
    static void open() {
        model = ReferenceFixture.open();
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    static Stream<Integer> prompts() {
        return ReferenceFixture.promptIndices();
    }

    private static String promptText(int p) {
        return ReferenceFixture.prompt(p).get("prompt").asText();
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void greedyGenerationMatches(int p) {
        JsonNode ref = ReferenceFixture.prompt(p).get("generate");
        GenerationResult r = model.generate(promptText(p), GenerateOptions.builder().maxWords(8).logProbs(5).build());
        assertEquals(strings(ref.get("tokens")), r.tokens());
        assertArrayEquals(ints(ref.get("token_ids")), r.tokenIds());
        assertEquals(ref.get("completion").asText(), r.completion());
        assertArrayEquals(longs(ref.get("tokens_count_training")), r.tokensCountTraining());
        assertArrayEquals(longs(ref.get("prompt_token_count_training")), r.promptTokenCountTraining());
        assertLogProbs(ref.get("log_probs"), r.logProbs());

        Npy.Array stepLogits = ReferenceFixture.array(p, "gen_step_logits");
        assertEquals(stepLogits.dim(0), r.logits().size());
        float[] flat = concat(r.logits());
        ForwardParityTest.assertClose("gen_step_logits", stepLogits, flat, 1e-4);
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void wordScoresMatchBeforeAndAfterSoftmax(int p) {
        JsonNode ref = ReferenceFixture.prompt(p).get("generate");
        var loaded = ModelInternals.loaded(model);
        try (CandidateSet candidates = new CandidateSet(ModelInternals.context(model), loaded.tokenizer(), loaded.dictionary(),
                WordSplitter.split(promptText(p)));
             Decoder decoder = new Decoder(ModelInternals.context(model), candidates, model.config().vocabSize(),
                     loaded.tokenizer().config().vocabPopulation(), 1.0f);
             Arena arena = Arena.ofConfined()) {
            assertEquals(strings(ref.get("more_words_appended_to_dictionary")), candidates.extraWords());
            Npy.Array logits = ReferenceFixture.array(p, "gen_step_logits");
            Npy.Array pre = ReferenceFixture.array(p, "gen_step_scores_presoftmax");
            Npy.Array post = ReferenceFixture.array(p, "gen_step_scores_softmax");
            int v = logits.dim(1);
            int w = candidates.size();
            assertEquals(pre.dim(1), w, "candidate count");
            for (int s = 0; s < logits.dim(0); s++) {
                MemorySegment row = arena.allocateFrom(ValueLayout.JAVA_FLOAT, Arrays.copyOfRange(logits.floats(), s * v, (s + 1) * v));
                Decoder.Step step = decoder.decode(row);
                assertClose("scores step " + s, Arrays.copyOfRange(pre.floats(), s * w, (s + 1) * w),
                        decoder.lastScores().toArray(ValueLayout.JAVA_FLOAT), 1e-5);
                assertClose("softmax step " + s, Arrays.copyOfRange(post.floats(), s * w, (s + 1) * w),
                        decoder.probabilities().toArray(ValueLayout.JAVA_FLOAT), 1e-6);
                assertEquals(ref.get("token_ids").get(s).asInt(), step.index(), "greedy index at step " + s);
            }
        }
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void edgeWeightVariantMatches(int p) {
        JsonNode ref = ReferenceFixture.prompt(p).get("decode_variants_on_prefill_last_logits").get("edge_weight_0.8_softmax");
        var loaded = ModelInternals.loaded(model);
        try (CandidateSet candidates = new CandidateSet(ModelInternals.context(model), loaded.tokenizer(), loaded.dictionary(),
                WordSplitter.split(promptText(p)));
             Decoder decoder = new Decoder(ModelInternals.context(model), candidates, model.config().vocabSize(),
                     loaded.tokenizer().config().vocabPopulation(), 0.8f);
             Arena arena = Arena.ofConfined()) {
            MemorySegment row = arena.allocateFrom(ValueLayout.JAVA_FLOAT, ReferenceFixture.array(p, "prefill_last_logits").floats());
            Decoder.Step step = decoder.decode(row);
            assertClose("edge 0.8 scores", ReferenceFixture.array(p, "decode_edge_weight_0.8_softmax_scores_presoftmax").floats(),
                    decoder.lastScores().toArray(ValueLayout.JAVA_FLOAT), 1e-5);
            assertEquals(ref.get("word_index").asInt(), step.index());
            assertEquals(ref.get("word").asText(), candidates.word(step.index()));
            assertEquals(ref.get("word_p").asDouble(), step.probability(), 1e-6);
            assertLogProbs(List.of(ref.get("log_probs")), List.of(Decoder.pairs(decoder.logProbs(step.index(), 5, null))));
        }
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void echoInReferenceCompatibilityModeMatches(int p) {
        JsonNode ref = ReferenceFixture.prompt(p).get("generate_echo");
        GenerationResult r = model.generate(promptText(p),
                GenerateOptions.builder().maxWords(2).logProbs(3).echo(true).echoReferenceCompat(true).build());
        assertEquals(ref.get("completion").asText(), r.completion());
        assertEquals(strings(ref.get("tokens")), r.tokens());
        assertArrayEquals(ints(ref.get("token_ids")), r.tokenIds());
        assertLogProbs(ref.get("log_probs"), r.logProbs());
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void defaultEchoScoresEachRowOnItsOwn(int p) {
        GenerationResult r = model.generate(promptText(p), GenerateOptions.builder().maxWords(2).logProbs(3).echo(true).build());
        JsonNode ref = ReferenceFixture.prompt(p).get("generate_echo");
        assertEquals(strings(ref.get("tokens")), r.tokens());
        Npy.Array prefill = ReferenceFixture.array(p, "prefill_logits");
        int v = prefill.dim(1);
        int n = prefill.dim(0);
        var loaded = ModelInternals.loaded(model);
        try (CandidateSet candidates = new CandidateSet(ModelInternals.context(model), loaded.tokenizer(), loaded.dictionary(),
                WordSplitter.split(promptText(p)));
             Decoder decoder = new Decoder(ModelInternals.context(model), candidates, v, loaded.tokenizer().config().vocabPopulation(), 1.0f);
             Arena arena = Arena.ofConfined()) {
            assertEquals(List.of(), r.logProbs().getFirst());
            for (int row = 0; row + 1 < n; row++) {
                MemorySegment logits = arena.allocateFrom(ValueLayout.JAVA_FLOAT, Arrays.copyOfRange(prefill.floats(), row * v, (row + 1) * v));
                Decoder.Step step = decoder.decode(logits);
                var want = Decoder.pairs(decoder.logProbs(step.index(), 3, r.tokens().get(row + 1)));
                var got = r.logProbs().get(row + 1);
                assertEquals(want.size(), got.size(), "entries of echoed word " + (row + 1));
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(want.get(i).getKey(), got.get(i).getKey());
                    assertEquals(want.get(i).getValue(), got.get(i).getValue(), 1e-4);
                }
            }
        }
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void kvCachePathEqualsFullRecompute(int p) {
        GenerationResult r = model.generate(promptText(p), GenerateOptions.builder().maxWords(8).build());
        NativeModel nm = ModelInternals.loaded(model).nativeModel();
        int h = nm.shape().hiddenSize();
        int v = nm.shape().vocabSize();
        List<Encoding> parts = new ArrayList<>();
        parts.add(model.encode(promptText(p)));
        for (String w : r.tokens().subList(0, r.tokens().size() - 1)) parts.add(model.encode(w));
        int total = parts.stream().mapToInt(Encoding::nWords).sum();
        int n = parts.getFirst().nWords();
        try (Arena arena = Arena.ofConfined(); KvCache cache = nm.newCache(total)) {
            MemorySegment emb = arena.allocate(ValueLayout.JAVA_FLOAT, (long) total * h);
            long offset = 0;
            for (Encoding e : parts) {
                MemorySegment slice = emb.asSlice(offset, (long) e.nWords() * h * Float.BYTES);
                nm.embed(arena.allocateFrom(ValueLayout.JAVA_INT, e.ids()), e.ids().length / e.population(), e.population(),
                        arena.allocateFrom(ValueLayout.JAVA_INT, e.rowWord()), e.nWords(), slice);
                offset += slice.byteSize();
            }
            MemorySegment logits = arena.allocate(ValueLayout.JAVA_FLOAT, (long) total * v);
            cache.forward(emb, total, KvCache.ForwardOptions.ALL_LOGITS, logits);
            float[] all = logits.toArray(ValueLayout.JAVA_FLOAT);
            float[] recomputed = Arrays.copyOfRange(all, (n - 1) * v, total * v);
            assertClose("full recompute vs KV cache", concat(r.logits()), recomputed, 1e-5);
            ForwardParityTest.assertClose("reference full_sequence_logits", ReferenceFixture.array(p, "full_sequence_logits"), all, 1e-4);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    static void assertLogProbs(Iterable<JsonNode> expected, List<List<Map.Entry<String, Float>>> actual) {
        int step = 0;
        for (JsonNode refStep : expected) {
            List<Map.Entry<String, Float>> got = actual.get(step);
            assertEquals(refStep.size(), got == null ? 0 : got.size(), "log-prob entries at step " + step);
            for (int i = 0; i < refStep.size(); i++) {
                assertEquals(refStep.get(i).get(0).asText(), got.get(i).getKey(), "log-prob word " + i + " at step " + step);
                assertEquals(refStep.get(i).get(1).asDouble(), got.get(i).getValue(), 1e-4, "log-prob value " + i + " at step " + step);
            }
            step++;
        }
        assertEquals(step, actual.size(), "number of log-prob steps");
    }

    static void assertLogProbs(JsonNode expected, List<List<Map.Entry<String, Float>>> actual) {
        List<JsonNode> steps = new ArrayList<>();
        expected.forEach(steps::add);
        assertLogProbs((Iterable<JsonNode>) steps, actual);
    }

    static void assertClose(String what, float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            final int at = i;
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    () -> what + ": at " + at + " expected " + expected[at] + " got " + actual[at]);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asLong();
        return out;
    }

    static float[] concat(List<float[]> rows) {
        int total = rows.stream().mapToInt(r -> r.length).sum();
        float[] out = new float[total];
        int at = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }
}
