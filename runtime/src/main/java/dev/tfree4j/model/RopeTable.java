package dev.tfree4j.model;

/**
 * The rotary-embedding table of docs/spec/tfree.md §5: for position p and pair i,
 * (cos θ, sin θ) with θ = float32(p · inv_freq[i]) and
 * inv_freq[i] = float32(1 / float32(base ^ float32(2i / d))).
 * Every step rounds to float32 exactly as the reference does; computing the angle in double
 * would drift by up to 2.4e-4 at position 4095.
 */
public final class RopeTable {
    private RopeTable() {}

    /** inv_freq[d/2] for head dimension d. */
    public static float[] inverseFrequencies(int headDim, double base) {
        if (headDim <= 0 || headDim % 2 != 0) throw new IllegalArgumentException("head_dim must be even and positive: " + headDim);
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            float power = (float) Math.pow(base, exponent);
            inv[i] = 1.0f / power;
        }
        return inv;
    }

    /** The table [positions, d/2, 2] of (cos, sin), flattened row-major. */
    public static float[] compute(int headDim, int positions, double base) {
        float[] inv = inverseFrequencies(headDim, base);
        int half = inv.length;
        float[] table = new float[Math.multiplyExact(Math.multiplyExact(positions, half), 2)];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) p * inv[i];
                int at = (p * half + i) * 2;
                table[at] = (float) Math.cos(angle);
                table[at + 1] = (float) Math.sin(angle);
            }
        }
        return table;
    }
}
