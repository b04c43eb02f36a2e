package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.AttentionControl;
import dev.tfree4j.AttentionControls;
import dev.tfree4j.ControlMode;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ExplainItem;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.ExplainResult;
import dev.tfree4j.explain.Explanation;
import dev.tfree4j.explain.PostProcessing;
import dev.tfree4j.explain.PromptGranularity;
import dev.tfree4j.explain.SuppressionUnit;
import dev.tfree4j.explain.TargetGranularity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AtMan's properties (atman-dtm Part C, items 1–20) end to end on the reference fixture model
 * (float32). Kernel-level items also have native tests (test_attention, test_model: 4–8); the
 * unit splitting, conceptual suppression formula and overlap rules have runtime unit tests
 * (PromptUnitsTest, ConceptualSuppressionTest, AttentionControlsTest); the copy task is
 * AtManCopyTaskTest and the independent PyTorch check AtManTorchCheckTest.
 */
class AtManPropertiesTest {
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

    private static String prompt(int p) {
        return ReferenceFixture.prompt(p).get("prompt").asText();
    }

    /** The reference's greedy words for fixture prompt p (8 or fewer). */
    private static List<String> target(int p) {
        return GenerationParityTest.strings(ReferenceFixture.prompt(p).get("generate").get("tokens"));
    }

    private static ExplainRequest.Builder request(int p) {
        return ExplainRequest.builder(prompt(p)).targetWords(target(p));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ControlMode.class)
    void item01_identityFactorChangesNothing(ControlMode mode) {
        try (NaiveAtMan naive = new NaiveAtMan(model, prompt(0), target(0))) {
            float[] plain = naive.logits(null, mode, null);
            float[] ones = new float[naive.length()];
            Arrays.fill(ones, 1f);
            assertArrayEquals(plain, naive.logits(ones, mode, null), "factor 1 everywhere: bit-identical logits");
        }
        ExplainResult r = model.explain(request(0).factor(1f).mode(mode).promptGranularity(PromptGranularity.WORD).build());
        for (ExplainItem item : r.explanations().getFirst().items()) assertEquals(0.0, item.score());
    }

    @Test
    void item02_emptyControlSetIsTheBaseline() {
        GenerateOptions plain = GenerateOptions.builder().maxWords(4).build();
        GenerationResult a = model.generate(prompt(5), plain);
        GenerationResult b = model.generate(prompt(5), plain.toBuilder().attentionControls(
                new AttentionControls(List.of(), ControlMode.MULT, AttentionControls.Overlap.PARTIAL)).build());
        assertEquals(a.tokens(), b.tokens());
        for (int i = 0; i < a.logits().size(); i++) assertArrayEquals(a.logits().get(i), b.logits().get(i));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.explain(ExplainRequest.builder("").target(" word").build()));
        assertTrue(e.getMessage().contains("prompt is empty"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ControlMode.class)
    void item03_causality(ControlMode mode) {
        try (NaiveAtMan naive = new NaiveAtMan(model, prompt(2), target(2))) {
            int vocab = model.config().vocabSize();
            float[] base = naive.logits(null, mode, null);
            for (int i : new int[] {0, 5, naive.length() - 1}) {
                float[] got = naive.logits(naive.factors(0.1f, i), mode, null);
                for (int r = 0; r < i; r++) {
                    assertArrayEquals(Arrays.copyOfRange(base, r * vocab, (r + 1) * vocab),
                            Arrays.copyOfRange(got, r * vocab, (r + 1) * vocab), "row " + r + " before the suppressed key " + i);
                }
                int last = naive.length() - 1;
                assertFalse(Arrays.equals(Arrays.copyOfRange(base, last * vocab, (last + 1) * vocab),
                        Arrays.copyOfRange(got, last * vocab, (last + 1) * vocab)), "the suppression changes the last row");
            }
        }
        // Target word t is explained by the prompt and target words 0..t−1 only.
        ExplainResult r = model.explain(request(2).mode(mode).targetGranularity(TargetGranularity.WORD).build());
        List<Explanation> ex = r.explanations();
        assertEquals(target(2).size(), ex.size());
        int promptUnits = ex.getFirst().promptItems().size();
        for (int t = 0; t < ex.size(); t++) {
            assertEquals(t, ex.get(t).targetItems().size(), "target items of word " + t);
            assertEquals(promptUnits, ex.get(t).promptItems().size());
        }
    }

    /** Item 9: score = value(baseline) − value(suppressed), against the plain implementation. */
    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void item09_and_11_scoresEqualAFullRecomputeWithoutPrefixReuse(int p) {
        for (ControlMode mode : ControlMode.values()) {
            ExplainResult r = model.explain(request(p).mode(mode).promptGranularity(PromptGranularity.WORD)
                    .targetGranularity(TargetGranularity.WORD).build());
            List<SuppressionUnit> units = units(r);
            try (NaiveAtMan naive = new NaiveAtMan(model, prompt(p), target(p))) {
                double[] baseline = naive.logProbs(null, mode, null);
                assertTrue(r.stats().positionsRecomputed() < r.stats().positionsFullRecompute(), "prefix reuse saves work");
                for (int u = 0; u < units.size(); u++) {
                    double[] suppressed = naive.logProbs(naive.factors(0.1f, units.get(u).positions()), mode, null);
                    for (int t = 0; t < target(p).size(); t++) {
                        ExplainItem item = itemOf(r.explanations().get(t), u);
                        if (item == null) continue;  // a later target word: not reported
                        assertEquals(baseline[t], item.baselineLogProb(), 0.0, "baseline of word " + t);
                        assertEquals(suppressed[t], item.perturbedLogProb(), 0.0, "unit " + units.get(u) + ", word " + t);
                        assertEquals(baseline[t] - suppressed[t], item.score(), 0.0);
                    }
                }
            }
        }
    }

    @Test
    void item10_batchSizeDoesNotChangeScores() {
        ExplainRequest one = request(3).promptGranularity(PromptGranularity.WORD).targetGranularity(TargetGranularity.WORD)
                .maxBatch(1).build();
        ExplainResult a = model.explain(one);
        ExplainResult b = model.explain(one.toBuilder().maxBatch(8).build());
        ExplainResult c = model.explain(one.toBuilder().maxBatch(5).build());
        assertEquals(a.explanations(), b.explanations());
        assertEquals(a.explanations(), c.explanations());
    }

    @Test
    void item12_repeatedWordsAreConceptualNeighboursAndScoreAlike() {
        // Prompt 1 repeats "Bäume" and "sind"; at κ = 1 only identical words are neighbours.
        ExplainResult r = model.explain(request(1).promptGranularity(PromptGranularity.WORD).conceptualThreshold(1.0).build());
        Map<String, List<ExplainItem>> byText = new java.util.HashMap<>();
        for (ExplainItem i : r.explanations().getFirst().promptItems()) byText.computeIfAbsent(i.text(), k -> new ArrayList<>()).add(i);
        for (String repeated : List.of("Bäume", "sind")) {
            List<ExplainItem> copies = byText.get(repeated);
            assertEquals(2, copies.size(), repeated);
            assertEquals(copies.get(0).score(), copies.get(1).score(), 0.0, repeated);
        }
        ExplainResult off = model.explain(request(1).promptGranularity(PromptGranularity.WORD).build());
        List<ExplainItem> plain = off.explanations().getFirst().promptItems().stream().filter(i -> i.text().equals("Bäume")).toList();
        assertTrue(plain.get(0).score() != plain.get(1).score(), "without conceptual suppression the copies differ");
    }

    @Test
    void item13_aGroupUnitIsOneJointSuppression() {
        String text = "The quick brown fox. It jumps over the lazy dog.";
        List<String> target = List.of("And", "then");
        ExplainRequest req = ExplainRequest.builder(text).targetWords(target).promptGranularity(PromptGranularity.SENTENCE)
                .targetGranularity(TargetGranularity.WORD).build();
        ExplainResult sentences = model.explain(req);
        ExplainResult words = model.explain(req.toBuilder().promptGranularity(PromptGranularity.WORD).build());
        List<SuppressionUnit> units = units(sentences);
        assertEquals(2 + 1, units.size(), "two sentences and one earlier target word");
        try (NaiveAtMan naive = new NaiveAtMan(model, text, target)) {
            double[] base = naive.logProbs(null, ControlMode.LOG_ADD, null);
            for (int u = 0; u < 2; u++) {
                SuppressionUnit s = units.get(u);
                double[] joint = naive.logProbs(naive.factors(0.1f, s.positions()), ControlMode.LOG_ADD, null);
                for (int t = 0; t < target.size(); t++) {
                    ExplainItem item = sentences.explanations().get(t).items().get(u);
                    assertEquals(base[t] - joint[t], item.score(), 0.0);
                    // Not the sum of its words' scores.
                    double sum = 0;
                    for (ExplainItem w : words.explanations().get(t).promptItems()) {
                        if (w.start() >= s.start() && w.start() + w.length() <= s.start() + s.length()) sum += w.score();
                    }
                    assertTrue(Math.abs(sum - item.score()) > 1e-6, "joint " + item.score() + " vs sum " + sum);
                }
            }
        }
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void item14_completeTargetIsTheSumOverItsWords(int p) {
        ExplainRequest req = request(p).promptGranularity(PromptGranularity.WORD).build();
        Explanation complete = model.explain(req).explanations().getFirst();
        List<Explanation> perWord = model.explain(req.toBuilder().targetGranularity(TargetGranularity.WORD).build()).explanations();
        assertEquals(ReferenceFixture.prompt(p).get("generate").get("completion").asText().length(), complete.targetLength());
        for (ExplainItem item : complete.items()) {
            double sum = 0;
            for (Explanation e : perWord) {
                for (ExplainItem w : e.items()) {
                    if (w.source() == item.source() && w.start() == item.start() && w.length() == item.length()) sum += w.score();
                }
            }
            assertEquals(sum, item.score(), 1e-12, item.text());
        }
    }

    @Test
    void item15_postProcessingComesBeforeNormalisation() {
        ExplainRequest req = request(4).promptGranularity(PromptGranularity.WORD).targetGranularity(TargetGranularity.WORD).build();
        List<Explanation> raw = model.explain(req).explanations();
        for (PostProcessing post : List.of(PostProcessing.SQUARE, PostProcessing.ABSOLUTE)) {
            List<Explanation> got = model.explain(req.toBuilder().postprocessing(post).normalize(true).build()).explanations();
            for (int e = 0; e < raw.size(); e++) {
                List<ExplainItem> r = raw.get(e).items(), g = got.get(e).items();
                double[] want = r.stream().mapToDouble(i -> post == PostProcessing.SQUARE ? i.score() * i.score() : Math.abs(i.score())).toArray();
                double min = Arrays.stream(want).min().orElseThrow(), max = Arrays.stream(want).max().orElseThrow();
                double lo = 1, hi = 0;
                for (int i = 0; i < want.length; i++) {
                    assertEquals((want[i] - min) / (max - min), g.get(i).score(), 1e-12);
                    lo = Math.min(lo, g.get(i).score());
                    hi = Math.max(hi, g.get(i).score());
                    assertEquals(r.get(i).baselineLogProb(), g.get(i).baselineLogProb(), 0.0);
                }
                assertEquals(0.0, lo);
                assertEquals(1.0, hi);
            }
        }
        // Constant scores (factor 1: all 0) normalise to 0, not NaN.
        for (Explanation e : model.explain(req.toBuilder().factor(1f).normalize(true).build()).explanations()) {
            for (ExplainItem i : e.items()) assertEquals(0.0, i.score());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ControlMode.class)
    void item18_steeredGenerationEqualsAFullRecomputeWithControls(ControlMode mode) {
        String text = prompt(0);
        // Suppress "quick brown" (characters 4..15) and amplify "lazy".
        AttentionControls controls = new AttentionControls(List.of(AttentionControl.characters(4, 11, 0.05f),
                AttentionControl.characters(35, 4, 3f)), mode, AttentionControls.Overlap.PARTIAL);
        GenerationResult plain = model.generate(text, GenerateOptions.builder().maxWords(6).abortOnEndOfText(false).build());
        GenerationResult steered = model.generate(text, GenerateOptions.builder().maxWords(6).abortOnEndOfText(false)
                .attentionControls(controls).build());
        assertFalse(Arrays.equals(plain.logits().getFirst(), steered.logits().getFirst()), "the controls matter");
        float[] promptFactors = controls.factors(model.encode(text).spans(), text.length());
        for (int k = 0; k < steered.tokens().size(); k++) {
            List<String> so = steered.tokens().subList(0, k);
            // A fresh full forward of prompt + the first k generated words, with the same controls.
            List<String> fake = new ArrayList<>(so);
            fake.add("x");
            try (NaiveAtMan naive = new NaiveAtMan(model, text, fake)) {
                float[] f = new float[naive.length()];
                Arrays.fill(f, 1f);
                System.arraycopy(promptFactors, 0, f, 0, promptFactors.length);
                float[] logits = naive.logits(f, mode, null);
                int vocab = model.config().vocabSize();
                float[] last = Arrays.copyOfRange(logits, (naive.length() - 1) * vocab, naive.length() * vocab);
                float[] got = steered.logits().get(k);
                for (int v = 0; v < vocab; v++) assertEquals(last[v], got[v], 1e-5, "step " + k + ", logit " + v);
            }
        }
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void item19_itemSpansTileThePromptAndPointIntoTheTarget(int p) {
        String text = prompt(p);
        for (PromptGranularity g : List.of(PromptGranularity.WORD, PromptGranularity.SENTENCE, PromptGranularity.AUTO)) {
            ExplainResult r = model.explain(request(p).promptGranularity(g).targetGranularity(TargetGranularity.WORD).build());
            Explanation last = r.explanations().getLast();
            int end = 0;
            for (ExplainItem i : last.promptItems()) {
                assertTrue(i.start() >= end && i.start() + i.length() <= text.length(), "in order, no overlap, inside");
                assertTrue(text.substring(end, i.start()).chars().allMatch(c -> c == ' ' || c == '\n'), "whitespace between");
                assertEquals(text.substring(i.start(), i.start() + i.length()), i.text());
                end = i.start() + i.length();
            }
            assertTrue(text.substring(end).isBlank());
            for (ExplainItem i : last.targetItems()) {
                assertEquals(r.target().substring(i.start(), i.start() + i.length()), i.text());
            }
            for (Explanation e : r.explanations()) {
                assertEquals(r.target().substring(e.targetStart(), e.targetStart() + e.targetLength()), e.target());
            }
        }
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void item20_baselineEqualsGeneratesLogProb(int p) {
        GenerationResult g = model.generate(prompt(p), GenerateOptions.builder().maxWords(8).logProbs(1).build());
        assertEquals(target(p), g.tokens());
        ExplainResult r = model.explain(ExplainRequest.builder(prompt(p)).targetWords(g.tokens())
                .targetGranularity(TargetGranularity.WORD).promptGranularity(PromptGranularity.WORD).build());
        for (int t = 0; t < g.tokens().size(); t++) {
            float reported = g.logProbs().get(t).getFirst().getValue();
            assertEquals(g.tokens().get(t), g.logProbs().get(t).getFirst().getKey());
            assertEquals(reported, r.explanations().get(t).items().getFirst().baselineLogProb(), 2e-5, "word " + t);
        }
    }

    private static List<SuppressionUnit> units(ExplainResult r) {
        return r.units();
    }

    private static ExplainItem itemOf(Explanation e, int unit) {
        for (ExplainItem i : e.items()) if (i.unit() == unit) return i;
        return null;
    }

}
