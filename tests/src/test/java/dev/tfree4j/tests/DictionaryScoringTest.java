package dev.tfree4j.tests;

import dev.tfree4j.internal.ModelInternals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.TFreeModel;
import dev.tfree4j.bindings.tf_context_params;
import dev.tfree4j.bindings.tf_word_patterns;
import dev.tfree4j.bindings.tfree4j_h;
import dev.tfree4j.decode.CandidateSet;
import dev.tfree4j.decode.Decoder;
import dev.tfree4j.engine.WordScorer;
import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.WordPatterns;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dictionary scoring through the native tf_dictionary (WordScorer, Decoder) on the bundled
 * model's dictionary: several rows per call give the bits of one row per call, and both give
 * the bits of tf_word_scores on the same CSR patterns, for the default and another edge weight.
 */
class DictionaryScoringTest {
    private static TFreeModel model;

    @BeforeAll
    static void open() {
        model = TFreeModel.openDefault();
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    private static MemorySegment randomRows(Arena arena, int rows, int vocab, long seed) {
        Random rng = new Random(seed);
        MemorySegment m = arena.allocate(ValueLayout.JAVA_FLOAT, (long) rows * vocab);
        for (long i = 0; i < (long) rows * vocab; i++) m.setAtIndex(ValueLayout.JAVA_FLOAT, i, rng.nextFloat() * 14 - 10);
        return m;
    }

    /** A native context at the model context's SIMD level (its handle is not public). */
    private static MemorySegment contextHandle(Arena arena) {
        MemorySegment params = tf_context_params.allocate(arena);
        tfree4j_h.tf_context_params_init(params);
        tf_context_params.simd(params, ModelInternals.context(model).simd().ordinal() - 1);  // Simd.AUTO is first
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        assertEquals(tfree4j_h.TF_OK(), tfree4j_h.tf_context_create(params, out));
        return out.get(ValueLayout.ADDRESS, 0);
    }

    @Test
    void severalRowsPerCallGiveTheBitsOfOneRowPerCall() {
        LoadedModel loaded = ModelInternals.loaded(model);
        int vocab = loaded.config().vocabSize();
        int population = loaded.tokenizer().config().vocabPopulation();
        // Prompt words outside the dictionary become extra candidates (a second pattern set).
        try (Arena arena = Arena.ofConfined();
             CandidateSet candidates = new CandidateSet(ModelInternals.context(model), loaded.tokenizer(), loaded.dictionary(),
                     List.of("Zyxwvut", "qqqq", "And"));
             Decoder decoder = new Decoder(ModelInternals.context(model), candidates, vocab, population, 0.8f)) {
            assertEquals(2, candidates.extraWords().size());
            int rows = 5, n = candidates.size();
            MemorySegment logits = randomRows(arena, rows, vocab, 7);
            MemorySegment all = arena.allocate(ValueLayout.JAVA_FLOAT, (long) rows * n);
            decoder.scoreRows(logits, rows, all);
            for (int r = 0; r < rows; r++) {
                float[] one = decoder.scores(logits.asSlice((long) r * vocab * Float.BYTES, (long) vocab * Float.BYTES))
                        .toArray(ValueLayout.JAVA_FLOAT);
                float[] batched = all.asSlice((long) r * n * Float.BYTES, (long) n * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
                assertArrayEquals(one, batched, "row " + r);
                Decoder.Step a = decoder.decodeScores(all.asSlice((long) r * n * Float.BYTES, (long) n * Float.BYTES));
                Decoder.Step b = decoder.decode(logits.asSlice((long) r * vocab * Float.BYTES, (long) vocab * Float.BYTES));
                assertEquals(b, a);
            }
        }
    }

    @Test
    void scoresHaveTheBitsOfTfWordScoresAtEveryEdgeWeight() {
        LoadedModel loaded = ModelInternals.loaded(model);
        Tokenizer tok = loaded.tokenizer();
        int vocab = loaded.config().vocabSize();
        int population = tok.config().vocabPopulation();
        WordPatterns p = WordPatterns.build(loaded.dictionary().words().subList(0, 3001), tok);
        try (Arena arena = Arena.ofConfined();
             WordScorer scorer = new WordScorer(ModelInternals.context(model), vocab, population, p.offsets(), p.ids(),
                     p.edgeOffsets(), p.edgeIds(), p.nTrigrams())) {
            MemorySegment csr = tf_word_patterns.allocate(arena);
            tf_word_patterns.offsets(csr, arena.allocateFrom(ValueLayout.JAVA_LONG, p.offsets()));
            tf_word_patterns.ids(csr, arena.allocateFrom(ValueLayout.JAVA_INT, p.ids()));
            tf_word_patterns.edge_offsets(csr, arena.allocateFrom(ValueLayout.JAVA_LONG, p.edgeOffsets()));
            tf_word_patterns.edge_ids(csr, arena.allocateFrom(ValueLayout.JAVA_INT, p.edgeIds()));
            tf_word_patterns.n_trigrams(csr, arena.allocateFrom(ValueLayout.JAVA_INT, p.nTrigrams()));
            tf_word_patterns.n_words(csr, p.size());
            // tf_word_scores on a context of its own at the model context's SIMD level (same sigmoid).
            MemorySegment ctx = contextHandle(arena);
            int rows = 3;
            MemorySegment logits = randomRows(arena, rows, vocab, 11);
            MemorySegment got = arena.allocate(ValueLayout.JAVA_FLOAT, (long) rows * p.size());
            MemorySegment want = arena.allocate(ValueLayout.JAVA_FLOAT, p.size());
            for (float lambda : new float[] {1.0f, 0.8f, 1.0f}) {  // one dictionary, the weight per call
                scorer.score(logits, rows, lambda, got);
                for (int r = 0; r < rows; r++) {
                    int status = tfree4j_h.tf_word_scores(ctx,
                            logits.asSlice((long) r * vocab * Float.BYTES), vocab, csr, population, lambda, want);
                    assertEquals(tfree4j_h.TF_OK(), status);
                    assertArrayEquals(want.toArray(ValueLayout.JAVA_FLOAT),
                            got.asSlice((long) r * p.size() * Float.BYTES, (long) p.size() * Float.BYTES)
                                    .toArray(ValueLayout.JAVA_FLOAT), "λ = " + lambda + ", row " + r);
                }
            }
            tfree4j_h.tf_context_free(ctx);
            // Buffers too small for the rows asked for are refused before any native call.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> scorer.score(logits, rows + 1, 1.0f, got));
            assertTrue(e.getMessage().contains("logits hold"), e.getMessage());
        }
    }
}
