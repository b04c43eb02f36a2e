package dev.tfree4j;

import dev.tfree4j.hat.HatGenerateOptions;
import dev.tfree4j.hat.HatGenerationResult;
import dev.tfree4j.hat.HatGenerator;
import dev.tfree4j.hat.HatModel;
import dev.tfree4j.hat.HatStreamListener;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link TFreeModel#generate(String, GenerateOptions, WordListener)} on a HAT model: the word-level
 * options and result mapped onto HAT's byte loop. A unit is a word as HAT's boundary test ends it;
 * there is no dictionary, so token ids are -1 and training counts 0.
 */
final class HatBridge {
    private HatBridge() {}

    static HatGenerateOptions options(HatModel model, GenerateOptions o) {
        if (o.echo() || o.echoReferenceCompat() || o.moreWords() != null || o.attentionControls() != null || o.timeout() != null) {
            throw new UnsupportedModelException(model.directory() + ": echo, moreWords, attentionControls and timeout"
                    + " apply to T-FREE models; HAT generation takes maxWords, stopWords (as stop strings), the sampling"
                    + " options and logProbs");
        }
        // Every word is at most max_word_size bytes, so the word limit is what binds.
        long budget = Math.max(1, (long) o.maxWords() * model.config().maxWordSize());
        return HatGenerateOptions.builder().maxWords(Math.max(1, o.maxWords()))
                .maxBytes((int) Math.min(budget, 1 << 20)).stopStrings(o.stopWords()).temperature(o.temperature())
                .topK(o.topK()).topP(o.topP()).seed(o.seed()).repetitionPenalty(o.repetitionPenalty()).build();
    }

    static GenerationResult generate(HatModel model, String prompt, GenerateOptions o, WordListener listener) {
        if (o.maxWords() == 0) {
            return new GenerationResult("", List.of(), new int[0], new long[0], new long[0], List.of(), null,
                    GenerationResult.StopReason.MAX_WORDS, new GenerationResult.Timings(model.encode(prompt).size(), 0, 0, 0));
        }
        HatStreamListener stream = listener == null ? null : new HatStreamListener() {
            @Override
            public boolean onWord(byte[] word, String text) {
                return listener.onWord(text, -1, text);
            }
        };
        HatGenerationResult r = HatGenerator.generate(model, prompt, options(model, o), stream);
        List<String> tokens = new ArrayList<>();
        for (byte[] w : r.words()) tokens.add(model.specialTokens().decode(w));
        List<List<Map.Entry<String, Float>>> logProbs = null;
        if (o.logProbs() != null) {
            // Per word: ln p of its bytes, summed (no dictionary alternatives exist for a byte model).
            logProbs = new ArrayList<>();
            int b = 0;
            for (int i = 0; i < r.words().size(); i++) {
                float sum = 0;
                for (int j = 0; j < r.words().get(i).length && b < r.steps().size(); j++) sum += r.steps().get(b++).logProb();
                logProbs.add(List.of(new AbstractMap.SimpleImmutableEntry<>(tokens.get(i), sum)));
            }
        }
        int[] ids = new int[tokens.size()];
        Arrays.fill(ids, -1);
        GenerationResult.StopReason reason = switch (r.stopReason()) {
            case EOS -> GenerationResult.StopReason.END_OF_TEXT;
            case STOP_STRING -> GenerationResult.StopReason.STOP_WORD;
            case MAX_BYTES, MAX_WORDS -> GenerationResult.StopReason.MAX_WORDS;
            case LISTENER -> GenerationResult.StopReason.LISTENER;
            case CONTEXT_FULL -> GenerationResult.StopReason.CONTEXT_FULL;
        };
        return new GenerationResult(r.text(), tokens, ids, new long[tokens.size()], new long[r.promptWords()], List.of(),
                logProbs, reason, new GenerationResult.Timings(r.promptWords(), r.prefillNanos(), r.decodeNanos(), tokens.size()));
    }
}
