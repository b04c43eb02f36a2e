package dev.tfree4j.explain;

/**
 * What is measured for each target word (docs/spec/atman-dtm.md §A.8.4). A unit's score is always
 * {@code value(baseline) − value(suppressed)}: positive means the unit supported the target
 * (suppressing it made the target less likely).
 */
public enum TargetScore {
    /**
     * ln p of the target word under the dictionary softmax, over one candidate set fixed for the
     * whole explanation: the dictionary, the prompt's words (as generate adds them) and the target
     * words not yet among them. What greedy generation optimises. The default.
     */
    DICT_LOGPROB,
    /** The target word's raw score (docs/spec/tfree.md §6.2, before the softmax): needs no dictionary pass. */
    WORD_SCORE,
    /**
     * The log-likelihood of the target word's id set under the model's independent sigmoids,
     * Σ_v [y_v ln σ(ℓ_v) + (1 − y_v) ln(1 − σ(ℓ_v))] (minus the summed training BCE without
     * pos_weight); independent of the dictionary.
     */
    BCE
}
