package dev.tfree4j.divergence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The definitions of docs/spec/atman-dtm.md §B.1 on hand-made traces (no model needed). */
class DivergenceMathTest {
    private static Reference ref(int[] indices, float[] margins) {
        List<String> words = java.util.stream.IntStream.of(indices).mapToObj(i -> "w" + i).toList();
        return new Reference("p", words, indices, margins, new float[indices.length]);
    }

    private static StepTrace trace(int[] argmax) {
        return new StepTrace(argmax, new float[argmax.length], new double[argmax.length], new float[argmax.length]);
    }

    @Test
    void fdtIsTheFirstDivergenceAndSdtCountsThemAll() {
        Reference r = ref(new int[] {1, 2, 3, 4, 5}, new float[] {1, 1, 1, 1, 1});
        PromptDivergence d = DivergenceEval.compare(r, trace(new int[] {1, 2, 9, 4, 9}), 1e-3f);
        assertEquals(2, d.fdt());
        assertEquals(2, d.sdt());
        assertEquals(List.of(2, 4), d.divergent());
        assertEquals(0.6, d.sameTop1(), 1e-12);
    }

    @Test
    void noDivergenceGivesFdtN() {
        Reference r = ref(new int[] {1, 2, 3}, new float[] {1, 1, 1});
        PromptDivergence d = DivergenceEval.compare(r, trace(new int[] {1, 2, 3}), 1e-3f);
        assertEquals(3, d.fdt());
        assertEquals(0, d.sdt());
    }

    @Test
    void firstStepDifferentGivesFdtZero() {
        PromptDivergence d = DivergenceEval.compare(ref(new int[] {1, 2}, new float[] {1, 1}), trace(new int[] {0, 2}), 1e-3f);
        assertEquals(0, d.fdt());
    }

    @Test
    void aDivergenceWhereTheBaseWasNearlyTiedIsFlagged() {
        // C.26: the base's margin at step 1 is 1e-6 < ε, so a flip there is a near-tie; step 3 (margin 0.5) is real.
        Reference r = ref(new int[] {1, 2, 3, 4}, new float[] {0.2f, 1e-6f, 0.3f, 0.5f});
        PromptDivergence d = DivergenceEval.compare(r, trace(new int[] {1, 7, 3, 8}), 1e-3f);
        assertEquals(List.of(1, 3), d.divergent());
        assertEquals(List.of(1), d.nearTie());
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        double[] v = {4, 1, 3, 2};  // sorted 1 2 3 4
        assertEquals(2.5, Aggregate.percentile(v, 50), 1e-12);
        assertEquals(1.75, Aggregate.percentile(v, 25), 1e-12);
        assertEquals(3.25, Aggregate.percentile(v, 75), 1e-12);
        assertEquals(4.0, Aggregate.percentile(v, 100), 1e-12);
    }

    @Test
    void aggregateOfHandMadePrompts() {
        List<PromptDivergence> ps = List.of(
                new PromptDivergence("a", 10, 10, 0, List.of(), List.of(), -5.0, 1.0),
                new PromptDivergence("b", 10, 4, 3, List.of(4, 6, 9), List.of(6), -15.0, 3.0));
        Aggregate a = Aggregate.of(ps, 10, 100);
        assertEquals(7.0, a.fdtMean(), 1e-12);
        assertEquals(1.5, a.sdtMean(), 1e-12);
        assertEquals(0.7, a.fdtNorm(), 1e-12);
        assertEquals(0.15, a.sdtNorm(), 1e-12);
        assertEquals(0.5, a.shareFdtAtLeast().get(10), 1e-12);
        assertEquals(1.0, a.shareFdtAtLeast().get(2), 1e-12);
        assertEquals(3, a.divergences());
        assertEquals(1, a.nearTieDivergences());
        assertEquals(Math.exp(20.0 / 20), a.perplexity(), 1e-12);
        assertEquals(4.0 / 20, a.meanBce(), 1e-12);
    }
}
