package dev.tfree4j.divergence;

import java.util.List;

/**
 * Divergence of a candidate from the base on one prompt (docs/spec/atman-dtm.md §B.1).
 *
 * @param prompt      the prompt
 * @param length      n: the number of reference words (N unless the base stopped early)
 * @param fdt         first divergent token: the first step whose candidate argmax differs from the
 *                    reference word; n if none
 * @param sdt         number of divergent steps
 * @param divergent   the divergent steps, ascending (δ_n = 1)
 * @param nearTie     the divergent steps where the base model's own top-2 margin was below ε
 * @param logProbSum  Σ_n ln p_candidate(y_n) (teacher forced)
 * @param bceSum      Σ_n mean-over-vocab BCE of the candidate's row against y_n's ids
 */
public record PromptDivergence(String prompt, int length, int fdt, int sdt, List<Integer> divergent, List<Integer> nearTie,
                               double logProbSum, double bceSum) {
    public PromptDivergence {
        divergent = List.copyOf(divergent);
        nearTie = List.copyOf(nearTie);
    }

    /** Same-top-1 agreement on the reference, 1 − SDT/n (llama.cpp's "Same top p" evaluated on y). */
    public double sameTop1() {
        return length == 0 ? 1.0 : 1.0 - (double) sdt / length;
    }
}
