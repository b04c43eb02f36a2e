package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ControlMode;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ExplainItem;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.ExplainResult;
import dev.tfree4j.explain.PromptGranularity;
import dev.tfree4j.explain.SuppressionUnit;
import dev.tfree4j.explain.TargetGranularity;
import dev.tfree4j.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent check of the AtMan maths: tools/atman/atman_check.py implements the forward
 * pass with attention controls, conceptual suppression and the dictionary log-prob in PyTorch
 * (float64, full recompute per unit, no KV cache) from the spec, and must agree with tfree4j's
 * baseline and suppressed log-probs, hence its scores, within 1e-4 on the reference fixture
 * model. Needs Debian's python3-torch (skipped without it, required in CI).
 */
class AtManTorchCheckTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-4;

    /** One explanation request and how the script should redo it. */
    private record Case(ExplainRequest request, String mode, Double kappa, boolean scaled, int[] layers) {}

    @Test
    void torchAgreesWithTheExplanationsOnTheFixtureModel(@TempDir Path tmp) throws Exception {
        requireTorch();
        int[] prompts = {0, 2, 3, 6};
        List<List<Case>> allCases = new ArrayList<>();
        List<List<ExplainResult>> allResults = new ArrayList<>();
        try (TFreeModel model = ReferenceFixture.open()) {
            for (int p : prompts) {
                String prompt = ReferenceFixture.prompt(p).get("prompt").asText();
                List<String> target = GenerationParityTest.strings(ReferenceFixture.prompt(p).get("generate").get("tokens"));
                ExplainRequest base = ExplainRequest.builder(prompt).targetWords(target).promptGranularity(PromptGranularity.WORD)
                        .targetGranularity(TargetGranularity.WORD).build();
                List<Case> cases = List.of(
                        new Case(base, "log_add", null, true, null),
                        new Case(base.toBuilder().mode(ControlMode.MULT).build(), "mult", null, true, null),
                        new Case(base.toBuilder().factor(0f).layers(1).build(), "log_add", null, true, new int[] {1}),
                        new Case(base.toBuilder().factor(2.5f).mode(ControlMode.MULT).layers(0).build(), "mult", null, true, new int[] {0}),
                        new Case(base.toBuilder().promptGranularity(PromptGranularity.SENTENCE).conceptualThreshold(0.5).build(),
                                "log_add", 0.5, true, null),
                        new Case(base.toBuilder().factor(0.3f).mode(ControlMode.MULT).conceptualThreshold(0.4)
                                .conceptualScaled(false).build(), "mult", 0.4, false, null));
                List<ExplainResult> results = new ArrayList<>();
                for (Case c : cases) results.add(model.explain(c.request()));
                allCases.add(cases);
                allResults.add(results);
            }
        }
        JsonNode torch = runScript(tmp, allCases, allResults).get("explanations");
        double worst = 0;
        int compared = 0;
        for (int e = 0; e < prompts.length; e++) {
            List<ExplainResult> results = allResults.get(e);
            assertEquals(results.getFirst().promptWords(), GenerationParityTest.strings(torch.get(e).get("prompt_words")));
            for (int c = 0; c < results.size(); c++) {
                JsonNode tc = torch.get(e).get("cases").get(c);
                ExplainResult r = results.get(c);
                for (int t = 0; t < r.targetWords().size(); t++) {
                    double torchBase = tc.get("baseline").get(t).asDouble();
                    for (ExplainItem item : r.explanations().get(t).items()) {
                        double torchSuppressed = tc.get("perturbed").get(item.unit()).get(t).asDouble();
                        String where = "prompt " + prompts[e] + ", case " + c + ", word " + t + ", unit " + r.units().get(item.unit());
                        assertEquals(torchBase, item.baselineLogProb(), TOLERANCE, where + ": baseline");
                        assertEquals(torchSuppressed, item.perturbedLogProb(), TOLERANCE, where + ": suppressed");
                        double torchScore = torchBase - torchSuppressed;
                        assertEquals(torchScore, item.score(), TOLERANCE, where + ": score");
                        worst = Math.max(worst, Math.abs(torchScore - item.score()));
                        compared++;
                    }
                }
            }
        }
        assertTrue(compared > 500, "compared " + compared);
        System.out.printf("AtMan torch check: %d scores, max |difference| %.3g%n", compared, worst);
    }

    private static JsonNode runScript(Path dir, List<List<Case>> allCases, List<List<ExplainResult>> allResults)
            throws Exception {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("checkpoint", ReferenceFixture.dir().resolve("checkpoint").toString());
        req.put("dictionary", ReferenceFixture.dir().resolve("dictionary/top_words_counter.pckl").toString());
        List<Object> explanations = new ArrayList<>();
        for (int e = 0; e < allCases.size(); e++) {
            ExplainResult first = allResults.get(e).getFirst();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("prompt", first.request().prompt());
            one.put("target_words", first.targetWords());
            one.put("cases", cases(allCases.get(e), allResults.get(e)));
            explanations.add(one);
        }
        req.put("explanations", explanations);
        Path in = dir.resolve("request.json"), out = dir.resolve("result.json");
        JSON.writeValue(in.toFile(), req);
        Path script = Fixtures.repoRoot().resolve("tools/atman/atman_check.py");
        Process proc = new ProcessBuilder(PYTHON.toString(), script.toString(), in.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(5, TimeUnit.MINUTES), "atman_check.py timed out");
        assertEquals(0, proc.exitValue(), log);
        return JSON.readTree(out.toFile());
    }

    private static List<Object> cases(List<Case> cases, List<ExplainResult> results) {
        List<Object> cs = new ArrayList<>();
        for (int c = 0; c < cases.size(); c++) {
            Case k = cases.get(c);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("mode", k.mode());
            o.put("factor", k.request().factor());
            o.put("layers", k.layers());
            o.put("conceptual_threshold", k.kappa());
            o.put("conceptual_scaled", k.scaled());
            List<int[]> units = new ArrayList<>();
            for (SuppressionUnit u : results.get(c).units()) units.add(u.positions());
            o.put("units", units);
            cs.add(o);
        }
        return cs;
    }

    static void requireTorch() throws Exception {
        boolean ok = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy").start().waitFor() == 0;
        if (ok) return;
        String message = "python3-torch is not installed (run tools/train/setup.sh)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message);
        Assumptions.abort(message);
    }
}
