package dev.tfree4j.engine;

import dev.tfree4j.bindings.tf_word_patterns;
import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A set of dictionary word patterns copied to native memory, scored against logits rows with
 * the spec's §6.2 formula by the native kernel. Owns its memory; close to free it.
 */
public final class WordScorer implements AutoCloseable {
    private final CpuContext context;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment patterns;
    private final int words;

    /** CSR arrays as produced by the dictionary (see tf_word_patterns). */
    public WordScorer(CpuContext context, long[] offsets, int[] ids, long[] edgeOffsets, int[] edgeIds, int[] nTrigrams) {
        this.context = context;
        this.words = nTrigrams.length;
        if (offsets.length != words + 1 || edgeOffsets.length != words + 1) {
            throw new IllegalArgumentException("offsets must have n_words + 1 entries");
        }
        patterns = tf_word_patterns.allocate(arena);
        tf_word_patterns.offsets(patterns, arena.allocateFrom(ValueLayout.JAVA_LONG, offsets));
        tf_word_patterns.ids(patterns, allocateInts(ids));
        tf_word_patterns.edge_offsets(patterns, arena.allocateFrom(ValueLayout.JAVA_LONG, edgeOffsets));
        tf_word_patterns.edge_ids(patterns, allocateInts(edgeIds));
        tf_word_patterns.n_trigrams(patterns, allocateInts(nTrigrams));
        tf_word_patterns.n_words(patterns, words);
    }

    private MemorySegment allocateInts(int[] values) {
        // allocateFrom of an empty array is fine, but keep a valid non-NULL address for the kernel.
        return values.length == 0 ? arena.allocate(4) : arena.allocateFrom(ValueLayout.JAVA_INT, values);
    }

    public int size() {
        return words;
    }

    /** scores[size()] of one logits row [vocab]. */
    public void score(MemorySegment logitsRow, int vocab, int population, float edgeWeight, MemorySegment scores) {
        Native.check(tfree4j_h.tf_word_scores(context.handle(), logitsRow, vocab, patterns, population, edgeWeight, scores),
                "tf_word_scores");
    }

    @Override
    public void close() {
        arena.close();
    }
}
