// Generated from native/include/tfree4j.h by bindings/generator — do not edit.

package dev.tfree4j.bindings;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct tf_word_patterns {
 *     const int64_t *offsets;
 *     const int32_t *ids;
 *     const int64_t *edge_offsets;
 *     const int32_t *edge_ids;
 *     const int32_t *n_trigrams;
 *     int64_t n_words;
 * } tf_word_patterns;
 * }
 * Size 48 bytes, alignment 8.
 */
@SuppressWarnings("restricted")
public class tf_word_patterns {

    tf_word_patterns() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        tfree4j_h.C_POINTER.withName("offsets"),
        tfree4j_h.C_POINTER.withName("ids"),
        tfree4j_h.C_POINTER.withName("edge_offsets"),
        tfree4j_h.C_POINTER.withName("edge_ids"),
        tfree4j_h.C_POINTER.withName("n_trigrams"),
        tfree4j_h.C_LONG.withName("n_words")
    ).withName("tf_word_patterns");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout offsets$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("offsets"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int64_t *offsets
     * }
     */
    public static final AddressLayout offsets$layout() {
        return offsets$LAYOUT;
    }

    private static final long offsets$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int64_t *offsets
     * }
     */
    public static final long offsets$offset() {
        return offsets$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int64_t *offsets
     * }
     */
    public static MemorySegment offsets(MemorySegment struct) {
        return struct.get(offsets$LAYOUT, offsets$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int64_t *offsets
     * }
     */
    public static void offsets(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(offsets$LAYOUT, offsets$OFFSET, fieldValue);
    }

    private static final AddressLayout ids$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("ids"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int32_t *ids
     * }
     */
    public static final AddressLayout ids$layout() {
        return ids$LAYOUT;
    }

    private static final long ids$OFFSET = 8;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int32_t *ids
     * }
     */
    public static final long ids$offset() {
        return ids$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int32_t *ids
     * }
     */
    public static MemorySegment ids(MemorySegment struct) {
        return struct.get(ids$LAYOUT, ids$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int32_t *ids
     * }
     */
    public static void ids(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(ids$LAYOUT, ids$OFFSET, fieldValue);
    }

    private static final AddressLayout edge_offsets$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("edge_offsets"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int64_t *edge_offsets
     * }
     */
    public static final AddressLayout edge_offsets$layout() {
        return edge_offsets$LAYOUT;
    }

    private static final long edge_offsets$OFFSET = 16;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int64_t *edge_offsets
     * }
     */
    public static final long edge_offsets$offset() {
        return edge_offsets$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int64_t *edge_offsets
     * }
     */
    public static MemorySegment edge_offsets(MemorySegment struct) {
        return struct.get(edge_offsets$LAYOUT, edge_offsets$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int64_t *edge_offsets
     * }
     */
    public static void edge_offsets(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(edge_offsets$LAYOUT, edge_offsets$OFFSET, fieldValue);
    }

    private static final AddressLayout edge_ids$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("edge_ids"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int32_t *edge_ids
     * }
     */
    public static final AddressLayout edge_ids$layout() {
        return edge_ids$LAYOUT;
    }

    private static final long edge_ids$OFFSET = 24;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int32_t *edge_ids
     * }
     */
    public static final long edge_ids$offset() {
        return edge_ids$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int32_t *edge_ids
     * }
     */
    public static MemorySegment edge_ids(MemorySegment struct) {
        return struct.get(edge_ids$LAYOUT, edge_ids$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int32_t *edge_ids
     * }
     */
    public static void edge_ids(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(edge_ids$LAYOUT, edge_ids$OFFSET, fieldValue);
    }

    private static final AddressLayout n_trigrams$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("n_trigrams"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int32_t *n_trigrams
     * }
     */
    public static final AddressLayout n_trigrams$layout() {
        return n_trigrams$LAYOUT;
    }

    private static final long n_trigrams$OFFSET = 32;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int32_t *n_trigrams
     * }
     */
    public static final long n_trigrams$offset() {
        return n_trigrams$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int32_t *n_trigrams
     * }
     */
    public static MemorySegment n_trigrams(MemorySegment struct) {
        return struct.get(n_trigrams$LAYOUT, n_trigrams$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int32_t *n_trigrams
     * }
     */
    public static void n_trigrams(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(n_trigrams$LAYOUT, n_trigrams$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong n_words$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("n_words"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int64_t n_words
     * }
     */
    public static final ValueLayout.OfLong n_words$layout() {
        return n_words$LAYOUT;
    }

    private static final long n_words$OFFSET = 40;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int64_t n_words
     * }
     */
    public static final long n_words$offset() {
        return n_words$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int64_t n_words
     * }
     */
    public static long n_words(MemorySegment struct) {
        return struct.get(n_words$LAYOUT, n_words$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int64_t n_words
     * }
     */
    public static void n_words(MemorySegment struct, long fieldValue) {
        struct.set(n_words$LAYOUT, n_words$OFFSET, fieldValue);
    }

    /**
     * Obtains a slice of {@code arrayParam} which selects the array element at {@code index}.
     * The returned segment has address {@code arrayParam.address() + index * layout().byteSize()}
     */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index, layout());
    }

    /**
     * The size (in bytes) of this struct
     */
    public static long sizeof() { return layout().byteSize(); }

    /**
     * Allocate a segment of size {@code layout().byteSize()} using {@code allocator}
     */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    /**
     * Allocate an array of size {@code elementCount} using {@code allocator}.
     * The returned segment has size {@code elementCount * layout().byteSize()}.
     */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return reinterpret(addr, 1, arena, cleanup);
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code elementCount * layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
    }
}
