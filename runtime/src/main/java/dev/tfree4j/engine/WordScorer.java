package dev.tfree4j.engine;

import dev.tfree4j.bindings.tf_word_patterns;
import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A set of dictionary word patterns prepared once for scoring (a native {@code tf_dictionary}:
 * the patterns packed for SIMD gathers on the CPU, or held in device memory on CUDA), scored
 * against logits rows with the spec's §6.2 formula; on the CPU every score has exactly the bits
 * of {@code tf_word_scores}. The edge weight λ is an argument of each call. Owns its native
 * memory; close to free it (it keeps the native context alive until then, so it may be closed
 * after its {@link NativeContext}).
 */
public final class WordScorer implements AutoCloseable {
    private final int vocab;
    private final int population;
    private final int words;
    private MemorySegment dictionary;  // NULL once closed

    /**
     * CSR arrays as produced by the dictionary (see tf_word_patterns), for logits rows of
     * {@code vocab} ids and {@code population} ids per trigram. The arrays are copied into the
     * native layout; nothing keeps them afterwards.
     */
    public WordScorer(NativeContext context, int vocab, int population, long[] offsets, int[] ids, long[] edgeOffsets,
                      int[] edgeIds, int[] nTrigrams) {
        if (vocab < 1) throw new IllegalArgumentException("vocab must be >= 1, got " + vocab);
        if (population < 1) throw new IllegalArgumentException("population must be >= 1, got " + population);
        this.vocab = vocab;
        this.population = population;
        this.words = nTrigrams.length;
        if (offsets.length != words + 1 || edgeOffsets.length != words + 1) {
            throw new IllegalArgumentException("offsets must have n_words + 1 entries");
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment patterns = tf_word_patterns.allocate(call);
            tf_word_patterns.offsets(patterns, call.allocateFrom(ValueLayout.JAVA_LONG, offsets));
            tf_word_patterns.ids(patterns, allocateInts(call, ids));
            tf_word_patterns.edge_offsets(patterns, call.allocateFrom(ValueLayout.JAVA_LONG, edgeOffsets));
            tf_word_patterns.edge_ids(patterns, allocateInts(call, edgeIds));
            tf_word_patterns.n_trigrams(patterns, allocateInts(call, nTrigrams));
            tf_word_patterns.n_words(patterns, words);
            MemorySegment out = call.allocate(ValueLayout.ADDRESS);
            Native.check(tfree4j_h.tf_dictionary_create(context.handle(), patterns, vocab, population, out),
                    "tf_dictionary_create");
            dictionary = Native.handle(out);
        }
    }

    private static MemorySegment allocateInts(Arena arena, int[] values) {
        // allocateFrom of an empty array is fine, but keep a valid non-NULL address for the kernel.
        return values.length == 0 ? arena.allocate(4) : arena.allocateFrom(ValueLayout.JAVA_INT, values);
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
        MemorySegment d;
        synchronized (this) {
            if (dictionary == null) throw new IllegalStateException("the word scorer was closed");
            d = dictionary;
        }
        Native.check(tfree4j_h.tf_dictionary_scores(d, logitsRows, nRows, edgeWeight, scores), "tf_dictionary_scores");
    }

    /** scores[size()] of one logits row [vocab]. */
    public void score(MemorySegment logitsRow, float edgeWeight, MemorySegment scores) {
        score(logitsRow, 1, edgeWeight, scores);
    }

    @Override
    public synchronized void close() {
        if (dictionary == null) return;
        tfree4j_h.tf_dictionary_free(dictionary);
        dictionary = null;
    }
}
