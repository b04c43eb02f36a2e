package dev.tfree4j.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.GenerateOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The log-probs' top-k selection against a full sort, and the cap on k (issue 20). */
class TopKTest {
    /** The definition: all indices sorted by value descending, ties by index, NaN last; the first k. */
    private static List<Integer> bySorting(float[] v, int k) {
        Comparator<Integer> order = (a, b) -> {
            boolean na = Float.isNaN(v[a]), nb = Float.isNaN(v[b]);
            if (na != nb) return na ? 1 : -1;
            int c = na ? 0 : Float.compare(v[b], v[a]);
            return c != 0 ? c : Integer.compare(a, b);
        };
        List<Integer> all = new ArrayList<>(IntStream.range(0, v.length).boxed().toList());
        all.sort(order);
        return all.subList(0, Math.min(k, v.length));
    }

    @Test
    void equalsAFullSortWithTiesAndNaN() {
        Random r = new Random(7);
        try (Arena arena = Arena.ofConfined()) {
            for (int trial = 0; trial < 300; trial++) {
                int n = 1 + r.nextInt(400);
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (r.nextInt(6)) {
                        case 0 -> Float.NaN;
                        case 1 -> 0.5f;  // many ties
                        default -> r.nextInt(20) / 20f;
                    };
                }
                MemorySegment values = arena.allocateFrom(ValueLayout.JAVA_FLOAT, v);
                for (int k : new int[] {1, 2, 5, n / 2 + 1, n, n + 3}) {
                    assertEquals(bySorting(v, k), Decoder.topK(values, n, Math.min(k, n)), "trial " + trial + " k " + k);
                }
            }
        }
    }

    @Test
    void logProbsIsCapped() {
        assertEquals(GenerateOptions.MAX_LOG_PROBS, GenerateOptions.builder().logProbs(GenerateOptions.MAX_LOG_PROBS).build().logProbs());
        var e = assertThrows(IllegalArgumentException.class, () -> GenerateOptions.builder().logProbs(1_000_000).build());
        assertTrue(e.getMessage().contains("logProbs must be in [1, 1000]"), e.getMessage());
    }
}
