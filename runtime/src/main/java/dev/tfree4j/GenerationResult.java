package dev.tfree4j;

import java.util.List;
import java.util.Map;

/**
 * What a generation produced, field for field the reference's {@code GenerationResult}.
 *
 * @param completion the text of {@link #tokens()} (prompt words too with echo)
 * @param tokens the words, in order
 * @param tokenIds their candidate indices (-1 for echoed prompt words)
 * @param tokensCountTraining per word, its count in the dictionary's source counts (0 if absent)
 * @param promptTokenCountTraining the same for the prompt's words
 * @param logits per word the float32 logits row [vocab] that produced it (null for the first
 *     echoed word)
 * @param logProbs per word the reported (word, ln p) pairs, or null when not requested
 * @param stopReason why generation ended
 * @param timings how long it took
 */
public record GenerationResult(String completion, List<String> tokens, int[] tokenIds, long[] tokensCountTraining,
                               long[] promptTokenCountTraining, List<float[]> logits,
                               List<List<Map.Entry<String, Float>>> logProbs, StopReason stopReason, Timings timings) {

    /**
     * Why a generation ended. {@code TIMEOUT}: {@link GenerateOptions#timeout()} passed;
     * {@code INTERRUPTED}: the calling thread was interrupted (its interrupt status stays set).
     * Both are checked before every word and leave the model ready for the next generation.
     */
    public enum StopReason { MAX_WORDS, END_OF_TEXT, STOP_WORD, EMPTY_WORD, LISTENER, CONTEXT_FULL, TIMEOUT, INTERRUPTED }

    /**
     * @param promptWords words in the prompt
     * @param prefillNanos time of the prompt's forward pass (incl. embedding)
     * @param decodeNanos time of all later steps (forward + decode)
     * @param generatedWords words generated
     */
    public record Timings(int promptWords, long prefillNanos, long decodeNanos, int generatedWords) {
        /** Generated words per second after the prefill (0 when none). */
        public double decodeWordsPerSecond() {
            int steps = Math.max(0, generatedWords - 1);
            return decodeNanos == 0 || steps == 0 ? 0 : steps * 1e9 / decodeNanos;
        }
    }

    /** The command line's {@code generate --json} shape (snake_case keys, stop reason in lower case). */
    public Map<String, Object> toJson() {
        GenerationResult r = this;
        Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("completion", r.completion());
        o.put("tokens", r.tokens());
        o.put("token_ids", r.tokenIds());
        o.put("tokens_count_training", r.tokensCountTraining());
        o.put("prompt_token_count_training", r.promptTokenCountTraining());
        List<Object> lp = null;
        if (r.logProbs() != null) {
            lp = new java.util.ArrayList<>();
            for (List<Map.Entry<String, Float>> step : r.logProbs()) {
                List<Object> pairs = new java.util.ArrayList<>();
                if (step != null) for (Map.Entry<String, Float> e : step) pairs.add(List.of(e.getKey(), e.getValue()));
                lp.add(pairs);
            }
        }
        o.put("log_probs", lp);
        o.put("stop_reason", r.stopReason().name().toLowerCase());
        GenerationResult.Timings t = r.timings();
        Map<String, Object> timings = new java.util.LinkedHashMap<>();
        timings.put("prompt_words", t.promptWords());
        timings.put("generated_words", t.generatedWords());
        timings.put("prefill_ms", t.prefillNanos() / 1e6);
        timings.put("decode_ms", t.decodeNanos() / 1e6);
        timings.put("decode_words_per_second", t.decodeWordsPerSecond());
        o.put("timings", timings);
        return o;
    }
}
