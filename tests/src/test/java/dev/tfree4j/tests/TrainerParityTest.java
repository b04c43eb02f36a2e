package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.io.Npy;
import dev.tfree4j.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our own trainer (tools/train, PyTorch) writes a checkpoint in the reference layout after a few
 * training steps, plus torch's float32 prefill logits; the Java loader must reproduce them.
 * Needs Debian's python3-torch (tools/train/setup.sh installs it; CI runs that first).
 */
class TrainerParityTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void javaReadsTheTrainersCheckpointWithTorchsLogits(@TempDir Path tmp) throws Exception {
        requireTorch();
        Path out = tmp.resolve("case");
        Path script = Fixtures.repoRoot().resolve("tools/train/make_parity_case.py");
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "make_parity_case.py timed out");
        assertEquals(0, p.exitValue(), log);

        String prompt = Files.readString(out.resolve("prompt.txt"));
        JsonNode words = new ObjectMapper().readTree(out.resolve("words.json").toFile());
        JsonNode greedy = new ObjectMapper().readTree(out.resolve("greedy.json").toFile());
        try (TFreeModel model = TFreeModel.open(out)) {
            List<String> split = model.encode(prompt).words();
            assertEquals(GenerationParityTest.strings(words), split, "word split");
            TFreeModel.Logits logits = model.logits(prompt);
            ForwardParityTest.assertClose("logits vs torch", Npy.read(out.resolve("logits.npy")), logits.values(), 1e-4);
            List<String> torchWords = GenerationParityTest.strings(greedy.get("words"));
            List<String> ours = model.generate(prompt, GenerateOptions.builder().maxWords(8).build()).tokens();
            assertEquals(torchWords, new ArrayList<>(ours.subList(0, Math.min(ours.size(), torchWords.size()))),
                    "greedy words of the Python implementation");
        }
    }

    private static void requireTorch() throws Exception {
        boolean ok = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy").start().waitFor() == 0;
        if (ok) return;
        String message = "python3-torch is not installed (run tools/train/setup.sh)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message);
        Assumptions.abort(message);
    }
}
