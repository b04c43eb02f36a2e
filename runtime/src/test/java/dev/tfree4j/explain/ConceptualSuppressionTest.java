package dev.tfree4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Part C item 12: the neighbour rule and factor formula of conceptual suppression (§A.3). */
class ConceptualSuppressionTest {
    // Rows (hidden 2): e0 = (1, 0); e1 = e0 (identical); e2 at cos 0.8 with e0; e3 at cos 0.5;
    // e4 = −e0 (cos −1); e5 orthogonal (cos 0).
    private static final float[] E = {
        1, 0,
        1, 0,
        0.8f, 0.6f,
        0.5f, (float) Math.sqrt(0.75),
        -1, 0,
        0, 3,
    };

    private static ConceptualSuppression cs() {
        return ConceptualSuppression.of(E, 6, 2);
    }

    @Test
    void similaritiesAreCosinesAndIdenticalRowsGiveExactlyOne() {
        ConceptualSuppression c = cs();
        assertEquals(1.0, c.cosine(0, 1));
        assertEquals(0.8, c.cosine(0, 2), 1e-7);
        assertEquals(0.5, c.cosine(0, 3), 1e-7);
        assertEquals(-1.0, c.cosine(0, 4), 1e-12);
        assertEquals(0.0, c.cosine(0, 5), 1e-12);
        assertEquals(c.cosine(2, 0), c.cosine(0, 2));
    }

    @Test
    void nullOrAboveOneMeansNoNeighbours() {
        float m = 0.1f;
        float[] alone = {m, 1, 1, 1, 1, 1};
        assertArrayEquals(alone, cs().factors(new int[] {0}, m, null, true));
        assertArrayEquals(alone, cs().factors(new int[] {0}, m, 1.0000001, true));
        assertArrayEquals(alone, ConceptualSuppression.plainFactors(6, new int[] {0}, m));
    }

    @Test
    void scaledNeighbourFactorIsOneMinusOneMinusMTimesCos() {
        float m = 0.1f;
        double kappa = 0.5;
        float[] f = cs().factors(new int[] {0}, m, kappa, true);
        assertEquals(m, f[0]);                                   // the member itself
        assertEquals(m, f[1], 1e-7);                             // cos = 1 → m
        assertEquals(1 - (1 - m) * 0.8, f[2], 1e-6);             // cos 0.8
        assertEquals(1 - (1 - m) * kappa, f[3], 1e-6);           // cos = κ → 1 − (1 − m)·κ
        assertEquals(1f, f[4]);                                  // cos < 0: never a neighbour
        assertEquals(1f, f[5]);                                  // cos 0 < κ
        // κ = 0 still leaves out negative similarity (and cos 0 gives factor 1 anyway).
        float[] z = cs().factors(new int[] {0}, m, 0.0, true);
        assertEquals(1f, z[4]);
        assertEquals(1f, z[5]);
    }

    @Test
    void unscaledNeighboursGetTheFullFactor() {
        float m = 0.25f;
        assertArrayEquals(new float[] {m, m, m, 1, 1, 1}, cs().factors(new int[] {0}, m, 0.7, false));
    }

    @Test
    void groupMembersKeepMAndSharedNeighboursTakeTheStrongestFactor() {
        float m = 0.1f;
        // Members 2 and 3; position 0 is at cos 0.8 from 2 and 0.5 from 3: it takes 1 − 0.9·0.8.
        float[] f = cs().factors(new int[] {2, 3}, m, 0.5, true);
        assertEquals(m, f[2]);
        assertEquals(m, f[3]);
        assertEquals(1 - (1 - m) * 0.8, f[0], 1e-6);
        // Amplification: the factor farthest from 1 (the largest) wins.
        float[] a = cs().factors(new int[] {2, 3}, 3f, 0.5, true);
        assertEquals(1 + 2 * 0.8, a[0], 1e-6);
    }
}
