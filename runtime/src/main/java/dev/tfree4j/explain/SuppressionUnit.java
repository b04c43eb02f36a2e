package dev.tfree4j.explain;

import java.util.Arrays;

/**
 * Sequence positions suppressed together, and the text they stand for.
 *
 * @param source whether the positions are prompt words or earlier target words
 * @param positions the word positions in the model's input sequence, ascending
 * @param start first character of the unit's span (in the prompt text for prompt units, in the
 *     target text for target units); whitespace at the unit's edges is not part of the span
 * @param length characters in the span
 */
public record SuppressionUnit(Source source, int[] positions, int start, int length) {
    /** Where a unit lies. */
    public enum Source { PROMPT, TARGET }

    public SuppressionUnit {
        if (positions.length == 0) throw new IllegalArgumentException("a unit needs at least one position");
        positions = positions.clone();
        for (int i = 1; i < positions.length; i++) {
            if (positions[i] <= positions[i - 1]) throw new IllegalArgumentException("unit positions must ascend");
        }
    }

    @Override
    public int[] positions() {
        return positions.clone();
    }

    public int first() {
        return positions[0];
    }

    public int last() {
        return positions[positions.length - 1];
    }

    public int size() {
        return positions.length;
    }

    public int end() {
        return start + length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SuppressionUnit u && u.source == source && Arrays.equals(u.positions, positions)
                && u.start == start && u.length == length;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(positions) * 31 + start;
    }

    @Override
    public String toString() {
        return source + Arrays.toString(positions) + "@" + start + "+" + length;
    }
}
