package dev.tfree4j.explain;

/** Whether the target gets one explanation or one per word (docs/spec/atman-dtm.md §A.4). */
public enum TargetGranularity {
    /** One explanation of the whole target: per unit the sum of its per-word scores (the API default). */
    COMPLETE,
    /** One explanation per target word. */
    WORD
}
