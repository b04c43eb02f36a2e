package dev.tfree4j.engine;

import dev.tfree4j.bindings.tf_word_patterns;
import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * A set of dictionary word patterns prepared once for scoring (a native {@code tf_dictionary}:
 * the patterns packed for SIMD gathers), scored against logits rows with the spec's §6.2
 * formula; every score has exactly the bits of {@code tf_word_scores}. Owns its native memory;
 * close to free it (the context must outlive it).
 *
 * <p>A {@code tf_dictionary} fixes the edge weight λ. The one for the weight given here is built
 * at construction; another λ (an option of generate and explain) gets its own, built from the
 * kept CSR patterns at first use and freed with this scorer.
 */
public final class WordScorer implements AutoCloseable {
    private final CpuContext context;
    private final int vocab;
    private final int population;
    private final int words;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment patterns;  // the CSR arrays, for dictionaries of other edge weights
    private final Map<Integer, MemorySegment> dictionaries = new HashMap<>();  // by Float.floatToRawIntBits(λ)
    private final MemorySegment primary;
    private final int primaryWeightBits;
    private boolean closed;

    /**
     * CSR arrays as produced by the dictionary (see tf_word_patterns), for logits rows of
     * {@code vocab} ids, {@code population} ids per trigram, and edge weight {@code edgeWeight}.
     */
    public WordScorer(CpuContext context, int vocab, int population, float edgeWeight, long[] offsets, int[] ids,
                      long[] edgeOffsets, int[] edgeIds, int[] nTrigrams) {
        if (vocab < 1) throw new IllegalArgumentException("vocab must be >= 1, got " + vocab);
        if (population < 1) throw new IllegalArgumentException("population must be >= 1, got " + population);
        this.context = context;
        this.vocab = vocab;
        this.population = population;
        this.words = nTrigrams.length;
        if (offsets.length != words + 1 || edgeOffsets.length != words + 1) {
            arena.close();
            throw new IllegalArgumentException("offsets must have n_words + 1 entries");
        }
        try {
            patterns = tf_word_patterns.allocate(arena);
            tf_word_patterns.offsets(patterns, arena.allocateFrom(ValueLayout.JAVA_LONG, offsets));
            tf_word_patterns.ids(patterns, allocateInts(ids));
            tf_word_patterns.edge_offsets(patterns, arena.allocateFrom(ValueLayout.JAVA_LONG, edgeOffsets));
            tf_word_patterns.edge_ids(patterns, allocateInts(edgeIds));
            tf_word_patterns.n_trigrams(patterns, allocateInts(nTrigrams));
            tf_word_patterns.n_words(patterns, words);
            primaryWeightBits = Float.floatToRawIntBits(edgeWeight);
            primary = create(edgeWeight);
            dictionaries.put(primaryWeightBits, primary);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private MemorySegment allocateInts(int[] values) {
        // allocateFrom of an empty array is fine, but keep a valid non-NULL address for the kernel.
        return values.length == 0 ? arena.allocate(4) : arena.allocateFrom(ValueLayout.JAVA_INT, values);
    }

    private MemorySegment create(float edgeWeight) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(ValueLayout.ADDRESS);
            Native.check(tfree4j_h.tf_dictionary_create(context.handle(), patterns, vocab, population, edgeWeight, out),
                    "tf_dictionary_create");
            return Native.handle(out);
        }
    }

    /** The tf_dictionary for λ = edgeWeight (bitwise), built at its first use. */
    private synchronized MemorySegment dictionary(float edgeWeight) {
        if (closed) throw new IllegalStateException("the word scorer was closed");
        int bits = Float.floatToRawIntBits(edgeWeight);
        if (bits == primaryWeightBits) return primary;
        MemorySegment d = dictionaries.get(bits);
        if (d == null) {
            d = create(edgeWeight);
            dictionaries.put(bits, d);
        }
        return d;
    }

    public int size() {
        return words;
    }

    public int vocab() {
        return vocab;
    }

    public int population() {
        return population;
    }

    /**
     * Scores of {@code nRows} logits rows in one native call:
     * logitsRows [nRows × vocab], scores [nRows × size()] (row-major, contiguous).
     */
    public void score(MemorySegment logitsRows, int nRows, float edgeWeight, MemorySegment scores) {
        if (nRows < 0) throw new IllegalArgumentException("nRows must be >= 0, got " + nRows);
        long logitsBytes = (long) nRows * vocab * Float.BYTES, scoreBytes = (long) nRows * words * Float.BYTES;
        if (logitsRows.byteSize() < logitsBytes) {
            throw new IllegalArgumentException("logits hold " + logitsRows.byteSize() + " bytes, " + nRows + " rows of "
                    + vocab + " floats need " + logitsBytes);
        }
        if (scores.byteSize() < scoreBytes) {
            throw new IllegalArgumentException("scores hold " + scores.byteSize() + " bytes, " + nRows + " rows of "
                    + words + " floats need " + scoreBytes);
        }
        Native.check(tfree4j_h.tf_dictionary_scores(dictionary(edgeWeight), logitsRows, nRows, scores),
                "tf_dictionary_scores");
    }

    /** scores[size()] of one logits row [vocab]. */
    public void score(MemorySegment logitsRow, float edgeWeight, MemorySegment scores) {
        score(logitsRow, 1, edgeWeight, scores);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (MemorySegment d : dictionaries.values()) tfree4j_h.tf_dictionary_free(d);
        dictionaries.clear();
        arena.close();
    }
}
