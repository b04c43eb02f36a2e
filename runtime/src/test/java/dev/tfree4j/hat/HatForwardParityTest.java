package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.io.SafeTensors;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The teacher-forced HAT pass against the hat-tiny-a goldens of the independent PyTorch
 * implementation (fp32 from the bf16 weights): the model's own encoding of each prompt, the logits
 * of all six prompts and prompt 0's intermediates, within 1e-4 absolute (the fixture README's
 * budget: its fp32 goldens are within 4e-5 of float64).
 */
class HatForwardParityTest {
    static final double TOLERANCE = 1e-4;
    static NativeContext context;
    static HatModel model;
    static Arena arena;
    static Map<String, Tensor> golden;
    static JsonNode generateJson;

    @BeforeAll
    static void open() throws IOException {
        Path dir = Fixtures.fixture("hat-tiny-a");
        context = NativeContext.create(2, NativeContext.Simd.AUTO);
        model = HatModel.open(dir, context, HatModel.WindowConvention.VLLM);
        arena = Arena.ofShared();
        golden = SafeTensors.open(dir.resolve("golden/forward.safetensors"), arena).tensors();
        generateJson = new ObjectMapper().readTree(dir.resolve("golden/generate.json").toFile());
    }

    @AfterAll
    static void close() {
        model.close();
        context.close();
        arena.close();
    }

    /** The fixture's words of prompt i, from its input ids and word boundaries. */
    static List<byte[]> goldenWords(int i) {
        long[] ids = golden.get("p" + i + ".input_ids").toLongArray();
        long[] cu = golden.get("p" + i + ".cu_seqlens").toLongArray();
        List<byte[]> words = new ArrayList<>();
        for (int w = 0; w + 1 < cu.length; w++) {
            byte[] word = new byte[(int) (cu[w + 1] - cu[w])];
            for (int j = 0; j < word.length; j++) word[j] = (byte) ids[(int) cu[w] + j];
            words.add(word);
        }
        return words;
    }

    static void assertClose(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": length");
        double worst = 0;
        int at = 0;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs((double) want[i] - got[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + ": max abs diff " + worst + " at " + at + " (want " + want[at] + ", got "
                + got[at] + ")");
    }

    @Test
    void theModelEncodesEachPromptIntoTheGoldenWords() {
        for (int i = 0; i < 6; i++) {
            String prompt = generateJson.get("forward").get(i).get("prompt").asText();
            List<byte[]> want = goldenWords(i), got = model.encode(prompt);
            assertEquals(want.size(), got.size(), "prompt " + i + " word count");
            for (int w = 0; w < want.size(); w++) assertArrayEquals(want.get(w), got.get(w), "prompt " + i + " word " + w);
        }
    }

    @Test
    void teacherForcedLogitsOfEveryPromptMatch() {
        for (int i = 0; i < 6; i++) {
            HatForward f = model.forward(goldenWords(i));
            assertClose("prompt " + i + " logits", golden.get("p" + i + ".logits").toFloatArray(), f.logits());
        }
    }

    @Test
    void everyIntermediateOfPromptZeroMatches() {
        HatForward f = model.forward(goldenWords(0));
        assertClose("encoder_out", golden.get("p0.encoder_out").toFloatArray(), f.encoderOut());
        assertClose("word_embeddings", golden.get("p0.word_embeddings").toFloatArray(), f.wordEmbeddings());
        assertClose("backbone_out", golden.get("p0.backbone_out").toFloatArray(), f.backboneOut());
        assertClose("predictive", golden.get("p0.predictive").toFloatArray(), f.predictive());
        assertClose("decoder_out", golden.get("p0.decoder_out").toFloatArray(), f.decoderOut());
        assertEquals(Arrays.stream(golden.get("p0.cu_seqlens").toLongArray()).limit(10).boxed().toList(),
                Arrays.stream(f.wordStarts()).boxed().toList());
    }

    @Test
    void logLikelihoodScoresTheContinuationBytesFromTheRowsBeforeThem() {
        // Prompt 0 split after "The cat": the golden logits give the expected ln p of every later byte.
        String text = generateJson.get("forward").get(0).get("prompt").asText();
        int cut = text.indexOf(" sat");
        HatModel.LogLikelihood ll = model.logLikelihood(text.substring(0, cut), text.substring(cut));
        float[] logits = golden.get("p0.logits").toFloatArray();
        long[] ids = golden.get("p0.input_ids").toLongArray();
        int promptBytes = ids.length - ll.perByte().length;
        assertEquals(text.substring(cut).length(), ll.perByte().length);
        double total = 0;
        for (int i = 0; i < ll.perByte().length; i++) {
            int t = promptBytes + i;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int v = 0; v < 256; v++) max = Math.max(max, logits[(t - 1) * 256 + v]);
            for (int v = 0; v < 256; v++) sum += Math.exp(logits[(t - 1) * 256 + v] - max);
            double want = logits[(t - 1) * 256 + (int) ids[t]] - max - Math.log(sum);
            assertEquals(want, ll.perByte()[i], 2 * TOLERANCE, "byte " + i);
            total += want;
        }
        assertEquals(total, ll.total(), 1e-3);
    }
}
