package dev.tfree4j;

/**
 * How an attention control factor m changes the attention paid to a key (AtMan, spec
 * docs/spec/atman-dtm.md §A.2). In both modes m = 1 changes nothing, m &lt; 1 suppresses, m &gt; 1 amplifies.
 */
public enum ControlMode {
    /**
     * Adds ln(m) to the scaled attention scores: multiplies the key's unnormalised attention
     * weight by m and renormalises. m = 0 removes the key outright. The hosted API's default.
     */
    LOG_ADD,
    /**
     * The paper's form: (score − row minimum) · m, with the minimum taken over the keys the
     * query can see (the reference takes it over the whole square row; see the spec). m = 0
     * pulls the key down to the row minimum, which is not a removal.
     */
    MULT
}
