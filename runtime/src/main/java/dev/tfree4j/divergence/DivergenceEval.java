package dev.tfree4j.divergence;

import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.TFreeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Divergent Token Metrics (Deiseroth et al., NAACL 2024; atman-dtm spec Part B): how a
 * compressed model departs from its base on the base model's own greedy output.
 * <pre>{@code
 * BaseRun base = DivergenceEval.baseline(baseModel, prompts, 100, null);   // once
 * DivergenceReport r = DivergenceEval.evaluate(candidateModel, base, 1e-3f, null);
 * r.aggregate().fdtMedian();
 * }</pre>
 * FDT (first divergent token) is the first step at which the candidate, fed the reference prefix,
 * would choose a different word than the base did; it equals the length of the common prefix of
 * the two free-running greedy generations. SDT counts all such steps. A divergence where the base
 * itself had a top-2 margin below ε is also listed as near-tie: float noise can flip those.
 * Both models must share the dictionary and tokenizer (the candidate sets must be identical).
 */
public final class DivergenceEval {
    /** Default ε for near-tie flags, in nats of the base model's top-1/top-2 margin. */
    public static final float DEFAULT_NEAR_TIE = 1e-3f;

    private DivergenceEval() {}

    /** Greedy continuations of {@code words} words for every prompt; {@code progress} gets the prompts done. */
    public static BaseRun baseline(TFreeModel base, List<String> prompts, int words, IntConsumer progress) {
        if (words < 1) throw new IllegalArgumentException("words must be >= 1, got " + words);
        if (prompts.isEmpty()) throw new IllegalArgumentException("no prompts");
        List<Reference> refs = new ArrayList<>(prompts.size());
        for (String p : prompts) {
            refs.add(ForcedSequence.greedy(base, p, words));
            if (progress != null) progress.accept(refs.size());
        }
        return new BaseRun(words, ModelInternals.loaded(base).dictionary().size(), refs);
    }

    public static DivergenceReport evaluate(TFreeModel candidate, BaseRun base) {
        return evaluate(candidate, base, DEFAULT_NEAR_TIE, null);
    }

    /** One teacher-forced pass of the candidate per prompt. */
    public static DivergenceReport evaluate(TFreeModel candidate, BaseRun base, float nearTieEpsilon, IntConsumer progress) {
        if (ModelInternals.loaded(candidate).dictionary().size() != base.candidateCount()) {
            throw new IllegalArgumentException("the candidate's dictionary has " + ModelInternals.loaded(candidate).dictionary().size()
                    + " words but the base run was made with " + base.candidateCount()
                    + "; divergence needs the same dictionary for both models");
        }
        List<PromptDivergence> results = new ArrayList<>(base.references().size());
        for (Reference ref : base.references()) {
            results.add(compare(ref, ForcedSequence.force(candidate, ref), nearTieEpsilon));
            if (progress != null) progress.accept(results.size());
        }
        return new DivergenceReport(results, Aggregate.of(results, base.words(), candidate.config().vocabSize()), nearTieEpsilon);
    }

    /** δ_n = [candidate argmax ≠ y_n]; FDT = first n with δ_n = 1 (n if none); SDT = Σ δ_n. */
    static PromptDivergence compare(Reference ref, StepTrace trace, float nearTieEpsilon) {
        int n = ref.length();
        List<Integer> divergent = new ArrayList<>();
        List<Integer> nearTie = new ArrayList<>();
        double lp = 0, bce = 0;
        for (int k = 0; k < n; k++) {
            if (trace.argmax()[k] != ref.indices()[k]) {
                divergent.add(k);
                if (ref.margins()[k] < nearTieEpsilon) nearTie.add(k);
            }
            lp += trace.targetLogProb()[k];
            bce += trace.bce()[k];
        }
        int fdt = divergent.isEmpty() ? n : divergent.getFirst();
        return new PromptDivergence(ref.prompt(), n, fdt, divergent.size(), divergent, nearTie, lp, bce);
    }
}
