package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.divergence.Aggregate;
import dev.tfree4j.divergence.BaseRun;
import dev.tfree4j.divergence.DivergenceEval;
import dev.tfree4j.ActivationMode;
import dev.tfree4j.quant.ComponentSwitch;
import dev.tfree4j.quant.Components;
import dev.tfree4j.quant.PrecisionMap;
import dev.tfree4j.quant.QuantizePlanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Component probes and the FDT-guided plan (docs/spec/atman-dtm.md §B.2–B.3, Part C items 27–28) on the
 * bundled model, and the {@code divergence} / {@code quantize-plan} commands.
 */
class QuantizePlanTest {
    static TFreeModel model;
    static BaseRun base;

    @BeforeAll
    static void setUp() {
        model = TFreeModel.openDefault();
        base = DivergenceEval.baseline(model, List.of("When the rain finally stopped,", "Tell me a story about",
                "The old fisherman wrote a letter to", "Salt was once so valuable that"), 24, null);
    }

    @AfterAll
    static void tearDown() {
        if (model != null) model.close();
    }

    private static float[] logits() {
        return model.logits("The king's daughter sang a song about the river").values();
    }

    @Test
    void aProbeChangesOnlyItsComponentAndRestoresExactly() {
        float[] original = logits();
        String c = "transformer.layers.2.mlp.dense_out.weight";
        try (ComponentSwitch sw = new ComponentSwitch(model)) {
            sw.toInt8(c);
            float[] quantized = logits();
            assertTrue(!java.util.Arrays.equals(original, quantized), "int8 " + c + " must change the logits");
            // Quantizing c is the same as setting exactly c to Int8Matrix.quantize(source) — no other weight moved:
            // the same logits come from a fresh switch that quantizes only c.
            try (TFreeModel other = TFreeModel.openDefault(); ComponentSwitch sw2 = new ComponentSwitch(other)) {
                sw2.toInt8(c);
                org.junit.jupiter.api.Assertions.assertArrayEquals(quantized, other.logits(
                        "The king's daughter sang a song about the river").values());
            }
            sw.restore(c);
            org.junit.jupiter.api.Assertions.assertArrayEquals(original, logits(), "restored model");
        }
    }

    @Test
    void probesAreDeterministicAndIndependentOfOrder() {
        List<String> some = List.of(Components.HEAD, "transformer.layers.0.attention.value.weight",
                "transformer.layers.3.mlp.swiglu.weight");
        try (ComponentSwitch sw = new ComponentSwitch(model)) {
            java.util.Map<String, Aggregate> forward = new java.util.HashMap<>(), backward = new java.util.HashMap<>();
            for (String c : some) {
                sw.apply(Set.of(c));
                forward.put(c, DivergenceEval.evaluate(model, base).aggregate());
            }
            for (String c : some.reversed()) {
                sw.apply(Set.of(c));
                backward.put(c, DivergenceEval.evaluate(model, base).aggregate());
            }
            assertEquals(forward, backward);
        }
    }

    @Test
    void planRanksCumulatesAndCutsAtTheFloor() {
        List<int[]> progress = new java.util.ArrayList<>();
        QuantizePlanner.Result r = QuantizePlanner.plan(model, base, ActivationMode.FLOAT,
                (phase, done, total) -> progress.add(new int[] {done, total}));
        List<String> all = Components.of(model.config().numLayers());
        assertEquals(24.0, r.unchanged().fdtMean(), "the unchanged model is the base");
        assertEquals(all.size(), r.probes().size());
        assertEquals(new HashSet<>(all), new HashSet<>(r.fdtOrder()));
        assertEquals(new HashSet<>(all), new HashSet<>(r.perplexityOrder()));
        // The FDT order is sorted by the probes' mean FDT, best first.
        for (int i = 1; i < r.fdtOrder().size(); i++) {
            assertTrue(probe(r, r.fdtOrder().get(i - 1)).fdtMean() >= probe(r, r.fdtOrder().get(i)).fdtMean());
        }
        // Shares grow to (all components) / (all parameters) — only the norms stay float.
        for (int i = 1; i < r.fdtCurve().size(); i++) {
            assertTrue(r.fdtCurve().get(i).int8Share() > r.fdtCurve().get(i - 1).int8Share());
        }
        long normParams = r.totalParameters() - r.probes().stream().mapToLong(QuantizePlanner.Probe::parameters).sum();
        assertEquals(1.0 - (double) normParams / r.totalParameters(), r.fdtCurve().getLast().int8Share(), 1e-12);
        // Every distinct set of int8 components is evaluated once: the unchanged model, the probes, and the
        // prefixes of both orders that are neither a probe nor a prefix of the other order.
        Set<Set<String>> sets = new HashSet<>();
        sets.add(Set.of());
        all.forEach(c -> sets.add(Set.of(c)));
        for (List<String> order : List.of(r.fdtOrder(), r.perplexityOrder())) {
            for (int i = 1; i <= order.size(); i++) sets.add(Set.copyOf(order.subList(0, i)));
        }
        int[] last = progress.getLast();
        assertEquals(sets.size(), last[0], "passes run");
        assertEquals(last[0], last[1], "the progress total is what ran");
        assertTrue(sets.size() < 1 + 3 * all.size(), "the shared end point and first points are reused");
        // A reused measurement is what a fresh evaluation gives: every component int8, measured anew.
        try (ComponentSwitch sw = new ComponentSwitch(model)) {
            sw.apply(Set.copyOf(all));
            Aggregate everything = DivergenceEval.evaluate(model, base).aggregate();
            assertEquals(everything, r.fdtCurve().getLast().aggregate());
            assertEquals(everything, r.perplexityCurve().getLast().aggregate());
        }
        // Cuts: floor 0 keeps everything; an unreachable floor keeps nothing; a cut is a prefix of the order.
        assertEquals(all.size(), QuantizePlanner.cut(r, Aggregate::fdtMean, 0, "").int8().size());
        assertEquals(0, QuantizePlanner.cut(r, Aggregate::fdtMean, 25, "").int8().size());
        PrecisionMap m = QuantizePlanner.cut(r, Aggregate::fdtMean, 24, "");
        assertEquals(r.fdtOrder().subList(0, m.int8().size()), List.copyOf(m.int8()));
        // The model is left as it was.
        assertEquals(0.0, DivergenceEval.evaluate(model, base).aggregate().sdtMean());
    }

    private static Aggregate probe(QuantizePlanner.Result r, String c) {
        return r.probes().stream().filter(p -> p.component().equals(c)).findFirst().orElseThrow().aggregate();
    }

    @Test
    void divergenceCommandPrintsTheIssueJsonShape(@TempDir Path tmp) throws Exception {
        Path prompts = tmp.resolve("prompts.txt");
        Files.writeString(prompts, "When the rain finally stopped,\n\nTell me a story about\n");
        Path cache = tmp.resolve("base.json");
        CliTest.Run r = CliTest.cli("divergence", "--prompts", prompts.toString(), "--words", "12", "--candidate-int8", "all",
                "--base-cache", cache.toString(), "--json", "--quiet");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(2, j.get("prompts").size());
        for (JsonNode p : j.get("prompts")) {
            for (String f : List.of("prompt", "fdt", "sdt", "divergent", "near_tie")) assertTrue(p.has(f), f);
            assertEquals(p.get("sdt").asInt(), p.get("divergent").size());
        }
        for (String f : List.of("fdt_mean", "fdt_median", "sdt_mean", "fdt_norm", "sdt_norm", "share_fdt_at_least", "perplexity")) {
            assertTrue(j.get("aggregate").has(f), f);
        }
        assertTrue(Files.isRegularFile(cache));
        // Self-comparison through the CLI, reusing the cached base run.
        CliTest.Run self = CliTest.cli("divergence", "--prompts", prompts.toString(), "--words", "12",
                "--base-cache", cache.toString(), "--json", "--quiet");
        JsonNode s = new ObjectMapper().readTree(self.out());
        assertEquals(12.0, s.get("aggregate").get("fdt_mean").asDouble());
        assertEquals(0.0, s.get("aggregate").get("sdt_mean").asDouble());
    }

    @Test
    void badArgumentsGiveOneLineErrors(@TempDir Path tmp) throws Exception {
        CliTest.Run r = CliTest.cli("divergence", "--prompts", tmp.resolve("missing.txt").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("missing.txt"), r.err());
        Path empty = tmp.resolve("empty.txt");
        Files.writeString(empty, "\n\n");
        r = CliTest.cli("divergence", "--prompts", empty.toString());
        assertTrue(r.err().contains("no prompts"), r.err());
        Path plan = tmp.resolve("plan.json");
        PrecisionMap.of(List.of("transformer.layers.9.mlp.swiglu.weight"), ActivationMode.FLOAT, "").write(plan);
        r = CliTest.cli("divergence", "--limit", "1", "--words", "4", "--candidate-int8", plan.toString(), "--quiet");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("transformer.layers.9.mlp.swiglu.weight"), r.err());
        r = CliTest.cli("quantize-plan", "--floor", "1.5");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--floor"), r.err());
    }

    @Test
    void quantizePlanCommandWritesPlansConvertCanRead(@TempDir Path tmp) throws Exception {
        Path prompts = tmp.resolve("prompts.txt");
        Files.writeString(prompts, "Tell me a story about\nSalt was once so valuable that\n");
        Path out = tmp.resolve("plan");
        CliTest.Run r = CliTest.cli("quantize-plan", "--prompts", prompts.toString(), "--words", "8", "--floor", "0.5,1.0",
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Cumulative int8"), r.out());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(30, report.get("probes").size());
        assertEquals(2, report.get("plans").size());
        for (JsonNode p : report.get("plans")) {
            PrecisionMap m = PrecisionMap.read(out.resolve(p.get("file").asText()));
            m.checkAgainst(4, out);
            assertEquals(p.get("components").asInt(), m.int8().size());
        }
    }
}
