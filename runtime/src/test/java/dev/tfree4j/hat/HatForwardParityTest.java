package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The teacher-forced HAT pass against the hat-tiny-a goldens of the independent PyTorch
 * implementation: the model's own encoding of each prompt, the logits of all six prompts and
 * prompt 0's intermediates, within 1e-4 absolute; the log-likelihood API from the golden rows.
 */
class HatForwardParityTest extends HatTinyA {
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
