package dev.tfree4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.AttentionControl;
import dev.tfree4j.AttentionControls;
import dev.tfree4j.ControlMode;
import dev.tfree4j.text.WordSplitter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Part C item 16: how character controls act on partly covered words (§A.6). */
class AttentionControlsTest {
    private static final String TEXT = "abcd efgh  ij";  // words: abcd efgh <|2<-ws->|> ij

    private static float[] factors(AttentionControls c) {
        return c.factors(WordSplitter.splitWithSpans(TEXT), TEXT.length());
    }

    @Test
    void partialOverlapInterpolatesTheFactor() {
        // 2.0 over 2 of abcd's 4 characters → 1 + (2 − 1)·2/4 = 1.5.
        assertArrayEquals(new float[] {1.5f, 1, 1, 1}, factors(AttentionControls.of(AttentionControl.characters(2, 2, 2f))));
        // 0.1 over all of efgh and one of the two spaces → 0.1 and 1 + (0.1 − 1)·1/2 = 0.55.
        assertArrayEquals(new float[] {1, 0.1f, 0.55f, 1},
                factors(AttentionControls.of(AttentionControl.characters(5, 5, 0.1f))), 1e-6f);
    }

    @Test
    void completeOverlapAppliesTheFullFactor() {
        AttentionControls c = AttentionControls.of(AttentionControl.characters(2, 2, 2f)).withOverlap(AttentionControls.Overlap.COMPLETE);
        assertArrayEquals(new float[] {2, 1, 1, 1}, factors(c));
    }

    @Test
    void wordControlsAndSeveralControlsMultiply() {
        AttentionControls c = new AttentionControls(List.of(AttentionControl.words(1, 3, 0.5f),
                AttentionControl.characters(0, TEXT.length(), 0.5f)), ControlMode.MULT, AttentionControls.Overlap.PARTIAL);
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.25f, 0.25f}, factors(c));
    }

    @Test
    void controlsBeyondThePromptAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> factors(AttentionControls.of(AttentionControl.characters(10, 4, 0.1f))));
        assertTrue(e.getMessage().contains("13 characters"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> factors(AttentionControls.of(AttentionControl.words(3, 2, 0.1f))));
        assertThrows(IllegalArgumentException.class, () -> AttentionControl.characters(0, 1, -1f));
        assertThrows(IllegalArgumentException.class, () -> AttentionControl.characters(0, 0, 1f));
        assertThrows(IllegalArgumentException.class, () -> AttentionControl.words(0, 1, Float.NaN));
    }
}
