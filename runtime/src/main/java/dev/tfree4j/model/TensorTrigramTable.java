package dev.tfree4j.model;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.text.TokenizerConfig;
import dev.tfree4j.text.TrigramTable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The trigram → vocab-id table read in place from a tokenizer.pt's {@code trigram_to_vocab}
 * ([2^24, P] int64, already after the partial-lowercase replacement).
 */
final class TensorTrigramTable implements TrigramTable {
    private static final long TRIGRAMS = 1L << 24;
    private final MemorySegment data;
    private final int population;

    private TensorTrigramTable(MemorySegment data, int population) {
        this.data = data;
        this.population = population;
    }

    static TensorTrigramTable of(Tensor table, TokenizerConfig config) {
        long[] s = table.shape();
        if (s.length != 2 || s[0] != TRIGRAMS || s[1] != config.vocabPopulation()) {
            throw new ModelFormatException("trigram_to_vocab has shape " + java.util.Arrays.toString(s) + ", expected ["
                    + TRIGRAMS + ", " + config.vocabPopulation() + "]");
        }
        if (table.dtype() != dev.tfree4j.io.DType.I64) {
            throw new ModelFormatException("trigram_to_vocab must be int64, got " + table.dtype());
        }
        return new TensorTrigramTable(table.data(), config.vocabPopulation());
    }

    @Override
    public int[] row(int trigramId) {
        int[] row = new int[population];
        long base = (long) trigramId * population;
        for (int j = 0; j < population; j++) {
            row[j] = Math.toIntExact(data.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, base + j));
        }
        return row;
    }
}
