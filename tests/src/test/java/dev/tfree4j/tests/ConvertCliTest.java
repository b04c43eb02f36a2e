package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ActivationMode;
import dev.tfree4j.quant.PrecisionMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tfree4j convert} run in-process: summary, exit codes and error lines. */
class ConvertCliTest {
    @TempDir
    Path tmp;

    private static String checkpoint() {
        return ReferenceFixture.dir().resolve("checkpoint").toString();
    }

    private static String dictionary() {
        return ReferenceFixture.dir().resolve("dictionary/top_words_counter.pckl").toString();
    }

    @Test
    void convertsAndPrintsASummaryThenTheResultGenerates() {
        Path out = tmp.resolve("int8");
        CliTest.Run r = CliTest.cli("convert", "--model", checkpoint(), "--dictionary", dictionary(),
                "--out", out.toString(), "--int8", "all", "--activations", "a8");
        assertEquals(0, r.exit(), r.err());
        // all but the 2·2 + 1 norm weights of 64: (229,440 − 320) / 229,440 = 99.86 %
        assertTrue(r.out().contains("int8: 16 of 16 components, 99.9 % of parameters; activations a8"), r.out());
        assertTrue(r.out().contains("weights: 21 tensors (+16 int8 scale tensors)"), r.out());
        assertTrue(r.out().contains("model.safetensors: "), r.out());
        assertEquals("", r.err(), "no progress bar when not on a terminal");

        CliTest.Run g = CliTest.cli("generate", "--model", out.toString(), "--max-words", "4", "Once upon a time");
        assertEquals(0, g.exit(), g.err());
        assertFalse(g.out().isBlank());
    }

    @Test
    void existingOutputNeedsForce() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("exists"));
        CliTest.Run r = CliTest.cli("convert", "--model", checkpoint(), "--out", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("tfree4j: error: ") && r.err().contains("already exists; pass --force"), r.err());

        CliTest.Run forced = CliTest.cli("convert", "--model", checkpoint(), "--dictionary", dictionary(),
                "--out", out.toString(), "--force");
        assertEquals(0, forced.exit(), forced.err());
        assertTrue(Files.isRegularFile(out.resolve("config.json")));
    }

    @Test
    void missingModelIsAnError() {
        CliTest.Run r = CliTest.cli("convert", "--model", tmp.resolve("nope").toString(), "--out", tmp.resolve("o").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("nope: model directory does not exist"), r.err());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void planNamingAnUnknownComponentIsAnError() {
        Path plan = tmp.resolve("plan.json");
        PrecisionMap.of(List.of("transformer.layers.0.attention.query.weight", "transformer.layers.0.mlp.up.weight"),
                ActivationMode.FLOAT, "").write(plan);
        CliTest.Run r = CliTest.cli("convert", "--model", checkpoint(), "--out", tmp.resolve("o").toString(),
                "--int8", plan.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(plan.toString()) && r.err().contains("'transformer.layers.0.mlp.up.weight'"), r.err());
        assertFalse(Files.exists(tmp.resolve("o")));

        CliTest.Run missing = CliTest.cli("convert", "--model", checkpoint(), "--out", tmp.resolve("o").toString(),
                "--int8", tmp.resolve("no-such-plan.json").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no-such-plan.json"), missing.err());
    }

    @Test
    void badUsageExitsWithTwo() {
        CliTest.Run activations = CliTest.cli("convert", "--model", checkpoint(), "--out", tmp.resolve("o").toString(),
                "--activations", "a4");
        assertEquals(2, activations.exit());
        assertTrue(activations.err().contains("'--activations': 'a4'"), activations.err());

        CliTest.Run dtype = CliTest.cli("convert", "--model", checkpoint(), "--out", tmp.resolve("o").toString(), "--dtype", "f8");
        assertEquals(2, dtype.exit());

        CliTest.Run noOut = CliTest.cli("convert", "--model", checkpoint());
        assertEquals(2, noOut.exit());
        assertTrue(noOut.err().contains("--out"), noOut.err());
        assertFalse(Files.exists(tmp.resolve("o")));
    }
}
