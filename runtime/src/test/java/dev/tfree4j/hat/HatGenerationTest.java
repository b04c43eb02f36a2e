package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * HAT generation (docs/spec/hat.md §3) against hat-tiny-a: greedy generations byte for byte (up to
 * the first step whose recorded margin is below this runtime's error), the word boundaries the loop
 * drew, cached vs uncached generation, and forced decoding through the cached engine (with the
 * carried-byte fix-ups) reproducing the teacher-forced logits rows.
 */
class HatGenerationTest extends HatTinyA {
    /** A margin this small could flip under this runtime's logits error (1e-4 each side). */
    static final double MARGIN = 2 * TOLERANCE;

    static JsonNode generation(int i) {
        return generateJson.get("generate").get(i);
    }

    @Test
    void greedyGenerationsEqualTheGoldensByteForByte() {
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < 6; i++) {
            JsonNode g = generation(i);
            byte[] want = hex.parseHex(g.get("generated_hex").asText());
            int steps = want.length;
            JsonNode margins = g.get("greedy_margins");
            for (int s = 0; s < margins.size(); s++) {
                if (margins.get(s).asDouble() < MARGIN) {
                    steps = s + 1;  // that step's byte may flip; compare up to it, not past
                    break;
                }
            }
            HatGenerationResult r = HatGenerator.generate(model, g.get("prompt").asText(),
                    HatGenerateOptions.builder().maxBytes(g.get("max_new_bytes").asInt()).build(), null);
            assertEquals(HatGenerationResult.StopReason.MAX_BYTES, r.stopReason(), "prompt " + i);
            assertEquals(hex.formatHex(want, 0, steps), hex.formatHex(r.completion(), 0, steps), "prompt " + i);
            assertEquals(g.get("generated_text").asText(), r.text(), "prompt " + i);

            // The loop's word ends inside the completion are the goldens' re-split word ends there.
            int promptBytes = r.promptBytes();
            Set<Integer> goldenEnds = new TreeSet<>(), ends = new TreeSet<>();
            int end = 0;
            for (JsonNode w : g.get("words_after_generation_hex")) {
                end += w.asText().length() / 2;
                if (end > promptBytes) goldenEnds.add(end);
            }
            end = promptBytes;
            for (byte[] w : r.words()) ends.add(end += w.length);
            assertEquals(goldenEnds, ends, "prompt " + i + " word ends");
        }
    }

    @Test
    void cachedAndUncachedGenerationAgree() {
        for (int i : new int[] {1, 3, 5}) {
            String prompt = generation(i).get("prompt").asText();
            HatGenerateOptions o = HatGenerateOptions.builder().maxBytes(20).logProbs(3).build();
            HatGenerationResult cached = HatGenerator.generate(model, prompt, o, null);
            HatGenerationResult uncached = HatGenerator.generate(model, prompt, o.toBuilder().cached(false).build(), null);
            assertArrayEquals(uncached.completion(), cached.completion(), "prompt " + i);
            for (int s = 0; s < cached.steps().size(); s++) {
                assertEquals(uncached.steps().get(s).logProb(), cached.steps().get(s).logProb(), TOLERANCE, "step " + s);
            }
        }
    }

    @Test
    void forcedDecodingReproducesTheTeacherForcedRows() {
        HatWordBoundary boundary = new HatWordBoundary(model.specialTokens(), HatWordBoundary.Policy.VLLM,
                model.config().maxWordSize());
        for (JsonNode f : generateJson.get("forced_decoding")) {
            String prompt = f.get("prompt").asText();
            int index = -1;
            for (int i = 0; i < 6; i++) if (generation(i).get("prompt").asText().equals(prompt)) index = i;
            List<byte[]> words = goldenWords(index);
            float[] want = golden.get("p" + index + ".logits").toFloatArray();
            int total = want.length / HatModel.VOCAB;
            float[] got = new float[want.length];
            try (HatSession session = new HatSession(model, words.size())) {
                byte[] current = words.getFirst();
                float[] rows = session.prefill(List.of(current));
                System.arraycopy(rows, 0, got, 0, rows.length);
                int t = current.length;
                byte[] rest = new byte[total - t];
                for (int i = 0, k = 0; i < words.size(); i++) {
                    if (i == 0) continue;
                    for (byte b : words.get(i)) rest[k++] = b;
                }
                for (byte b : rest) {
                    List<byte[]> parts = boundary.split(current, b & 0xFF);
                    if (parts.size() > 1) {
                        int carried = parts.getLast().length - 1;
                        int[] lengths = parts.subList(0, parts.size() - 1).stream().mapToInt(w -> w.length).toArray();
                        float[] rerun = session.completeWords(lengths, carried, true);
                        // The fix-up replaces the carried bytes' rows, as the reference does.
                        System.arraycopy(rerun, 0, got, (t - carried) * HatModel.VOCAB, rerun.length);
                        current = parts.getLast();
                    } else {
                        current = parts.getFirst();
                    }
                    float[] row = session.feed(new byte[] {b});
                    System.arraycopy(row, 0, got, t * HatModel.VOCAB, HatModel.VOCAB);
                    t++;
                }
                // Every word boundary of the prompt was found, one completion each. (The fixture's own
                // words_completed counter says 21, not 22, for the chat prompt 2, while its logits rows
                // agree with these: it counts differently around the eot bytes.)
                assertEquals(words.size() - 1, session.wordsCompleted(), prompt);
                assertEquals(f.get("carried_byte_fixups").asInt(), session.fixups(), prompt);
                assertEquals(f.get("carried_bytes").asInt(), session.carriedBytes(), prompt);
            }
            assertClose("forced decoding of prompt " + index, want, got);
        }
    }

    @Test
    void eosStopStringsAndTheWordLimitStopGeneration() {
        String prompt = generation(0).get("prompt").asText();
        String text = generation(0).get("generated_text").asText();
        // Stop string: cut before it.
        HatGenerationResult stop = HatGenerator.generate(model, prompt,
                HatGenerateOptions.builder().maxBytes(48).stopStrings(List.of("WT")).build(), null);
        assertEquals(HatGenerationResult.StopReason.STOP_STRING, stop.stopReason());
        assertEquals(text.substring(0, text.indexOf("WT")), stop.text());
        // Word limit: the completion ends where the 2nd completed word ends.
        HatGenerationResult words = HatGenerator.generate(model, prompt,
                HatGenerateOptions.builder().maxBytes(48).maxWords(2).build(), null);
        assertEquals(HatGenerationResult.StopReason.MAX_WORDS, words.stopReason());
        List<String> seen = new ArrayList<>();
        for (byte[] w : words.words()) seen.add(new String(w, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(String.join("", seen), words.text());
        assertTrue(text.startsWith(words.text()), words.text());
        // Streaming: bytes arrive one by one, words once complete; together they are the completion.
        StringBuilder bytes = new StringBuilder(), streamedWords = new StringBuilder();
        HatGenerationResult streamed = HatGenerator.generate(model, prompt, HatGenerateOptions.builder().maxBytes(30).build(),
                new HatStreamListener() {
                    @Override
                    public boolean onByte(int b) {
                        bytes.append((char) b);
                        return true;
                    }

                    @Override
                    public boolean onWord(byte[] word, String t) {
                        streamedWords.append(t);
                        return true;
                    }
                });
        assertEquals(streamed.text(), bytes.toString());
        assertEquals(streamed.text(), streamedWords.toString());
    }
}
