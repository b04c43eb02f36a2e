package dev.tfree4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.io.Npy;
import dev.tfree4j.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The float32-angle RoPE recipe against the reference's own tables (config A and the 7B shape). */
class RopeTableTest {
    @ParameterizedTest(name = "head_dim {0}, {1} positions")
    @CsvSource({"16, 128, rotary_inv_freq, rotary_freqs_cis_layer0", "128, 4096, rotary_7b_inv_freq, rotary_7b_freqs_cis"})
    void matchesTheReferenceTable(int headDim, int positions, String invFile, String tableFile) {
        Npy.Array inv = Npy.read(Fixtures.refA().resolve(invFile + ".npy"));
        float[] ours = RopeTable.inverseFrequencies(headDim, 10000);
        assertEquals(inv.size(), ours.length);
        for (int i = 0; i < ours.length; i++) {
            // torch's vectorised pow is not always correctly rounded: allow one float32 ulp.
            assertTrue(Math.abs(inv.floats()[i] - ours[i]) <= Math.ulp(inv.floats()[i]), "inv_freq[" + i + "]");
        }
        Npy.Array table = Npy.read(Fixtures.refA().resolve(tableFile + ".npy"));
        float[] computed = RopeTable.compute(headDim, positions, 10000);
        assertEquals(table.size(), computed.length);
        double worst = 0;
        int exact = 0;
        for (int i = 0; i < computed.length; i++) {
            worst = Math.max(worst, Math.abs(table.floats()[i] - computed[i]));
            if (table.floats()[i] == computed[i]) exact++;
        }
        // The spec records <= 6e-8 for correctly rounded cos/sin of the float32 angle.
        assertTrue(worst <= 1.2e-7, "max abs diff " + worst);
        assertTrue(exact >= 0.9 * computed.length, "bit-exact share " + (double) exact / computed.length);
    }
}
