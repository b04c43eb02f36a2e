package dev.tfree4j.explain;

import java.util.List;

/**
 * What an explanation produced.
 *
 * @param request the request, as given
 * @param granularity the prompt granularity used (AUTO resolved)
 * @param promptWords the prompt's words as the model saw them
 * @param targetWords the target's words
 * @param target the target as text (spans of target items refer to it)
 * @param units the suppression units: the prompt's, then one per target word but the last
 * @param explanations one per target unit
 * @param stats what it cost
 */
public record ExplainResult(ExplainRequest request, PromptGranularity granularity, List<String> promptWords,
                            List<String> targetWords, String target, List<SuppressionUnit> units,
                            List<Explanation> explanations, Stats stats) {
    public ExplainResult {
        units = List.copyOf(units);
        promptWords = List.copyOf(promptWords);
        targetWords = List.copyOf(targetWords);
        explanations = List.copyOf(explanations);
    }

    /**
     * @param positions n, the length of the teacher-forced input (prompt + target − 1 words)
     * @param units suppression units (prompt units + earlier target words)
     * @param forwards suppressed forward passes actually run (a unit whose factors are all 1 needs none)
     * @param batches native calls they took
     * @param positionsRecomputed positions those passes computed (each starts at the unit's first
     *     suppressed position on top of the baseline's cached prefix)
     * @param candidates candidates of the dictionary softmax (DICT_LOGPROB), else 0
     * @param baselineNanos the unsuppressed forward pass and its scoring
     * @param suppressedNanos all suppressed forward passes
     * @param scoringNanos scoring the suppressed passes' target rows
     */
    public record Stats(int positions, int units, int forwards, int batches, long positionsRecomputed, int candidates,
                        long baselineNanos, long suppressedNanos, long scoringNanos) {
        /** positions × units: what the passes would have computed without prefix reuse. */
        public long positionsFullRecompute() {
            return (long) positions * units;
        }

        public long totalNanos() {
            return baselineNanos + suppressedNanos + scoringNanos;
        }
    }
}
