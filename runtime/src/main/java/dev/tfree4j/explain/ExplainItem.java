package dev.tfree4j.explain;

/**
 * The score of one suppression unit in one explanation.
 *
 * @param unit the index of the unit in {@link ExplainResult#units()} (its word positions)
 * @param source a prompt unit, or an earlier target word
 * @param start first character of the unit's span: in the prompt text for prompt units, in the
 *     target text for target units
 * @param length characters in the span
 * @param text the span's text
 * @param score the score after post-processing and normalisation
 * @param baselineLogProb the target's value without suppression (for a complete target the sum
 *     over its words; for {@link TargetScore#DICT_LOGPROB} a natural-log probability)
 * @param perturbedLogProb the same with this unit suppressed; the raw score is
 *     {@code baselineLogProb − perturbedLogProb} (positive: the unit supported the target)
 */
public record ExplainItem(int unit, SuppressionUnit.Source source, int start, int length, String text, double score,
                          double baselineLogProb, double perturbedLogProb) {
    /** The score before post-processing and normalisation. */
    public double rawScore() {
        return baselineLogProb - perturbedLogProb;
    }
}
