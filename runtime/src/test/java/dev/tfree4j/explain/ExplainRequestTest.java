package dev.tfree4j.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.GenerateOptions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request validation that must happen before any model runs (issue 20: NaN scores, a null stop word). */
class ExplainRequestTest {
    private static ExplainRequest.Builder request() {
        return ExplainRequest.builder("In the beginning").targetWords(List.of("God"));
    }

    @Test
    void factorsThatOverflowTheScoresAreRefused() {
        for (float bad : new float[] {1e38f, Float.POSITIVE_INFINITY, Float.NaN, -0.5f, ExplainRequest.MAX_FACTOR * 2}) {
            var e = assertThrows(IllegalArgumentException.class, () -> request().factor(bad).build(), "factor " + bad);
            assertTrue(e.getMessage().contains("factor must be in [0, 1000000]"), e.getMessage());
        }
        for (float ok : new float[] {0f, 0.1f, 1f, 50f, ExplainRequest.MAX_FACTOR}) {
            assertEquals(ok, request().factor(ok).build().factor());
        }
    }

    @Test
    void aNullStopWordIsNamedNotANullPointerException() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GenerateOptions.builder().stopWords(Arrays.asList("Amen", null)).build());
        assertEquals("stopWords[1] is null", e.getMessage());
    }
}
