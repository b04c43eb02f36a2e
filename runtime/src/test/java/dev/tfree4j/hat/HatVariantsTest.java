package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.io.SafeTensors;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config variants hat-tiny-a does not cover (spec §8), against tfree4j's own PyTorch reference
 * ({@code tools/hat/hat_reference.py}, output in {@code testdata/hat-variants-b}): interleaved RoPE in
 * encoder and connector, llama3 scaling in the backbone, a connector width C != backbone width, GQA
 * in the decoder cross-attention (computed there as a full softmax attention, here as guide
 * vectors), cross-attention in decoder layer 0 only, a single-file checkpoint, and a 132-byte
 * prompt with multi-byte characters past 16x the 8-byte window. Then the cached engine on the same
 * model: forced decoding reproduces the teacher-forced rows, cached == uncached generation; and
 * configs the wiring cannot run are errors naming the key.
 */
class HatVariantsTest {
    @TempDir Path tmp;

    static Path dir() {
        return Fixtures.testData().resolve("hat-variants-b");
    }

    @Test
    void teacherForcedLogitsMatchTheOwnReferenceAndTheCachedEngineAgrees() {
        try (NativeContext context = NativeContext.create(2, NativeContext.Simd.AUTO);
             HatModel model = HatModel.open(dir(), context, HatModel.WindowConvention.VLLM);
             Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> golden = SafeTensors.open(dir().resolve("golden/forward.safetensors"), arena).tensors();
            long[] ids = golden.get("input_ids").toLongArray(), cu = golden.get("cu_seqlens").toLongArray();
            List<byte[]> words = new ArrayList<>();
            for (int w = 0; w + 1 < cu.length; w++) {
                byte[] word = new byte[(int) (cu[w + 1] - cu[w])];
                for (int j = 0; j < word.length; j++) word[j] = (byte) ids[(int) cu[w] + j];
                words.add(word);
            }
            float[] want = golden.get("logits").toFloatArray();
            HatForward f = model.forward(words);
            HatTinyA.assertClose("variant logits", want, f.logits());

            // The cached engine over the same words (prefill of the first 3 words, then byte by byte
            // with the given word boundaries) gives the same rows.
            float[] got = new float[want.length];
            try (HatSession s = new HatSession(model, words.size())) {
                float[] rows = s.prefill(words.subList(0, 3));
                int t = 0;
                for (int w = 0; w < 3; w++) t += words.get(w).length;
                System.arraycopy(rows, 0, got, (t - words.get(2).length) * 256, rows.length);
                // Rows of the first two words come from the teacher-forced pass (prefill skips their logits).
                System.arraycopy(f.logits(), 0, got, 0, (t - words.get(2).length) * 256);
                for (int w = 3; w < words.size(); w++) {
                    s.completeWords(new int[] {words.get(w - 1).length}, 0, true);
                    rows = s.feed(words.get(w));
                    System.arraycopy(rows, 0, got, t * 256, rows.length);
                    t += words.get(w).length;
                }
            }
            HatTinyA.assertClose("variant cached rows", want, got);

            HatGenerateOptions o = HatGenerateOptions.builder().maxBytes(24).build();
            HatGenerationResult cached = HatGenerator.generate(model, words.subList(0, 5), o, null);
            HatGenerationResult uncached = HatGenerator.generate(model, words.subList(0, 5), o.toBuilder().cached(false).build(), null);
            assertArrayEquals(uncached.completion(), cached.completion());
        }
    }

    @Test
    void configsTheWiringCannotRunAreErrorsNamingTheKey() throws IOException {
        String config = Files.readString(dir().resolve("config.json"));
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.copy(dir().resolve("model.safetensors"), bad.resolve("model.safetensors"));
        // Connector head size 48/4 = 12 != the encoder's 8: its rotary cannot apply.
        Files.writeString(bad.resolve("config.json"), config.replace(
                "\"hidden_size\": 48,\n      \"hidden_size_q\": 64,\n      \"hidden_size_kv\": 32,\n      \"num_attention_heads\": 6,\n      \"attention_num_kv_heads\": 3",
                "\"hidden_size\": 48,\n      \"hidden_size_q\": 64,\n      \"hidden_size_kv\": 32,\n      \"num_attention_heads\": 4,\n      \"attention_num_kv_heads\": 2"));
        try (NativeContext context = NativeContext.create(1, NativeContext.Simd.AUTO)) {
            var e = assertThrows(ModelFormatException.class, () -> HatModel.open(bad, context, HatModel.WindowConvention.VLLM));
            assertTrue(e.getMessage().contains("encoder_config.cross_attention_config.hidden_size / num_attention_heads is 12"),
                    e.getMessage());
        }
    }
}
