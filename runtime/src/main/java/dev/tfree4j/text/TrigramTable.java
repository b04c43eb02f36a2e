package dev.tfree4j.text;

/**
 * Maps a trigram id (see {@link Trigrams}) to the row of P vocab ids the model uses for it.
 * Implementations must be safe for concurrent use (dictionary patterns are built in parallel).
 */
public interface TrigramTable {
    /**
     * The final row of {@code trigramId} (after the partial-lowercase replacement), a fresh array
     * of P vocab ids the caller may keep. Not necessarily sorted; an id may repeat.
     */
    int[] row(int trigramId);
}
