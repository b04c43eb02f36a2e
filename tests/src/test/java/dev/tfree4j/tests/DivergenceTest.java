package dev.tfree4j.tests;

import dev.tfree4j.internal.ModelInternals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.divergence.BaseRun;
import dev.tfree4j.divergence.DivergenceEval;
import dev.tfree4j.divergence.DivergenceReport;
import dev.tfree4j.divergence.PromptDivergence;
import dev.tfree4j.divergence.Reference;
import dev.tfree4j.ActivationMode;
import dev.tfree4j.quant.ComponentSwitch;
import dev.tfree4j.quant.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Divergent Token Metrics on the bundled model (atman-dtm spec Part C items 21–25, 31): the
 * self-comparison is exact, teacher-forced FDT equals the common prefix of two free-running
 * generations, and the per-prompt numbers obey their definitions.
 */
class DivergenceTest {
    static final int WORDS = 40;
    static TFreeModel base;
    static List<String> prompts;
    static BaseRun baseRun;

    @BeforeAll
    static void setUp() throws Exception {
        base = TFreeModel.openDefault();
        Path file = BundledModel.locate().getParent().resolve("prompts/prompts.txt");
        // Every 20th prompt of the shipped set keeps the test quick; the CLI uses them all.
        List<String> all = Files.readAllLines(file).stream().filter(s -> !s.isBlank()).toList();
        prompts = java.util.stream.IntStream.range(0, all.size()).filter(i -> i % 20 == 0).mapToObj(all::get).toList();
        baseRun = DivergenceEval.baseline(base, prompts, WORDS, null);
    }

    @AfterAll
    static void tearDown() {
        if (base != null) base.close();
    }

    @Test
    void baseReferencesAreTheWordsGenerateProduces() {
        for (Reference ref : baseRun.references()) {
            var r = base.generate(ref.prompt(), GenerateOptions.builder().maxWords(WORDS).abortOnEndOfText(false).build());
            assertEquals(r.tokens(), ref.words(), ref.prompt());
            assertEquals(WORDS, ref.length());
        }
    }

    @Test
    void selfComparisonHasNoDivergence() {
        DivergenceReport r = DivergenceEval.evaluate(base, baseRun);
        for (PromptDivergence p : r.prompts()) {
            assertEquals(WORDS, p.fdt(), p.prompt());
            assertEquals(0, p.sdt(), p.prompt());
        }
        assertEquals(WORDS, r.aggregate().fdtMedian());
        assertEquals(0.0, r.aggregate().sdtMean());
        // Teacher-forced log-probs of the base equal those its own generation reported (C.20/C.31).
        for (int i = 0; i < prompts.size(); i++) {
            Reference ref = baseRun.references().get(i);
            double sum = 0;
            for (float lp : ref.logProbs()) sum += lp;
            assertEquals(sum, r.prompts().get(i).logProbSum(), 1e-4, ref.prompt());
        }
    }

    @Test
    void int8ModelDivergesConsistentlyAndFdtIsTheFreeRunCommonPrefix() {
        try (ComponentSwitch sw = new ComponentSwitch(base)) {
            sw.apply(new HashSet<>(Components.of(base.config().numLayers())));
            DivergenceReport r = DivergenceEval.evaluate(base, baseRun);
            int diverged = 0;
            for (int i = 0; i < prompts.size(); i++) {
                PromptDivergence p = r.prompts().get(i);
                Reference ref = baseRun.references().get(i);
                // C.23: ranges and consistency.
                assertTrue(p.fdt() >= 0 && p.fdt() <= WORDS && p.sdt() >= 0 && p.sdt() <= WORDS);
                assertEquals(p.fdt() == WORDS, p.sdt() == 0);
                if (!p.divergent().isEmpty()) assertEquals(p.fdt(), (int) p.divergent().getFirst());
                assertTrue(p.divergent().stream().allMatch(k -> k >= p.fdt()));
                // C.22: the int8 model's own free-running generation shares exactly FDT words with the base's.
                var own = base.generate(ref.prompt(), GenerateOptions.builder().maxWords(WORDS).abortOnEndOfText(false).build());
                int common = 0;
                while (common < WORDS && own.tokens().get(common).equals(ref.words().get(common))) common++;
                if (p.nearTie().isEmpty()) assertEquals(common, p.fdt(), ref.prompt());
                if (p.fdt() < WORDS) diverged++;
            }
            // int8 everywhere on a 7M model is not free: some prompt must diverge, or the test proves nothing.
            assertTrue(diverged > 0, "no prompt diverged under full int8");
        }
        // Restored: the self-comparison is exact again.
        assertEquals(0.0, DivergenceEval.evaluate(base, baseRun).aggregate().sdtMean());
    }

    @Test
    void sameTop1IsOneMinusSdtShareComputedRowByRow() {
        try (ComponentSwitch sw = new ComponentSwitch(base)) {
            sw.apply(new HashSet<>(Components.of(base.config().numLayers()).subList(0, 10)));
            DivergenceReport r = DivergenceEval.evaluate(base, baseRun);
            // C.24 / C.31: each step decoded on its own, from a fresh forward of prompt ⊕ y_<n
            // (no shared multi-row pass), must agree with the teacher-forced δ_n.
            for (int i = 0; i < 3; i++) {
                Reference ref = baseRun.references().get(i);
                PromptDivergence p = r.prompts().get(i);
                int agree = 0;
                for (int n = 0; n < WORDS; n++) {
                    if (decodeAlone(ref, n) == ref.indices()[n]) agree++;
                }
                assertEquals(WORDS - p.sdt(), agree, ref.prompt());
                assertEquals((double) agree / WORDS, p.sameTop1(), 1e-12);
            }
        }
    }

    /** The candidate index the model picks after prompt ⊕ y[0..n−1], computed from scratch. */
    private static int decodeAlone(Reference ref, int n) {
        var loaded = ModelInternals.loaded(base);
        var tok = loaded.tokenizer();
        List<dev.tfree4j.text.Encoding> pieces = new java.util.ArrayList<>();
        pieces.add(tok.encode(ref.prompt()));
        for (int k = 0; k < n; k++) pieces.add(tok.encode(ref.words().get(k)));
        int positions = pieces.stream().mapToInt(dev.tfree4j.text.Encoding::nWords).sum();
        int hidden = loaded.config().hiddenSize(), vocab = loaded.config().vocabSize();
        try (var arena = java.lang.foreign.Arena.ofConfined();
             var candidates = new dev.tfree4j.decode.CandidateSet(ModelInternals.context(base), tok, loaded.dictionary(),
                     dev.tfree4j.text.WordSplitter.split(ref.prompt()));
             var decoder = new dev.tfree4j.decode.Decoder(ModelInternals.context(base), candidates, vocab,
                     tok.config().vocabPopulation(), 1.0f);
             var cache = loaded.nativeModel().newCache(positions)) {
            var emb = arena.allocate(java.lang.foreign.ValueLayout.JAVA_FLOAT, (long) positions * hidden);
            long off = 0;
            for (var e : pieces) {
                long bytes = (long) e.nWords() * hidden * Float.BYTES;
                loaded.embed(e, emb.asSlice(off, bytes));
                off += bytes;
            }
            var logits = arena.allocate(java.lang.foreign.ValueLayout.JAVA_FLOAT, vocab);
            cache.forward(emb, positions, dev.tfree4j.engine.KvCache.ForwardOptions.LAST_LOGITS, logits);
            return decoder.decode(logits).index();
        }
    }

    @Test
    void baseRunRoundTripsThroughItsCacheFile(@TempDir Path tmp) {
        Path f = tmp.resolve("base.json");
        baseRun.write(f);
        BaseRun back = BaseRun.read(f);
        assertEquals(baseRun.words(), back.words());
        for (int i = 0; i < prompts.size(); i++) {
            Reference a = baseRun.references().get(i), b = back.references().get(i);
            assertEquals(a.words(), b.words());
            assertArrayEquals(a.indices(), b.indices());
            assertArrayEquals(a.margins(), b.margins());
        }
    }

    @Test
    void w8a8WithNothingQuantizedIsTheBaseModel() {
        try (TFreeModel a8 = TFreeModel.open(BundledModel.locate(), ModelOptions.DEFAULT.withActivations(ActivationMode.INT8))) {
            DivergenceReport r = DivergenceEval.evaluate(a8, baseRun);
            assertEquals(0.0, r.aggregate().sdtMean(), "W8A8 mode only changes int8 weights; none are int8 here");
        }
    }
}
