// Generated from native/include/tfree4j.h by bindings/generator — do not edit.

package dev.tfree4j.bindings;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct tf_context_params {
 *     int32_t n_threads;
 *     int32_t simd;
 *     int32_t backend;
 *     int32_t device;
 * } tf_context_params;
 * }
 * Size 16 bytes, alignment 4.
 */
@SuppressWarnings("restricted")
public class tf_context_params {

    tf_context_params() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        tfree4j_h.C_INT.withName("n_threads"),
        tfree4j_h.C_INT.withName("simd"),
        tfree4j_h.C_INT.withName("backend"),
        tfree4j_h.C_INT.withName("device")
    ).withName("tf_context_params");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt n_threads$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("n_threads"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_threads
     * }
     */
    public static final ValueLayout.OfInt n_threads$layout() {
        return n_threads$LAYOUT;
    }

    private static final long n_threads$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_threads
     * }
     */
    public static final long n_threads$offset() {
        return n_threads$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_threads
     * }
     */
    public static int n_threads(MemorySegment struct) {
        return struct.get(n_threads$LAYOUT, n_threads$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_threads
     * }
     */
    public static void n_threads(MemorySegment struct, int fieldValue) {
        struct.set(n_threads$LAYOUT, n_threads$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt simd$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("simd"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t simd
     * }
     */
    public static final ValueLayout.OfInt simd$layout() {
        return simd$LAYOUT;
    }

    private static final long simd$OFFSET = 4;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t simd
     * }
     */
    public static final long simd$offset() {
        return simd$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t simd
     * }
     */
    public static int simd(MemorySegment struct) {
        return struct.get(simd$LAYOUT, simd$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t simd
     * }
     */
    public static void simd(MemorySegment struct, int fieldValue) {
        struct.set(simd$LAYOUT, simd$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt backend$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("backend"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t backend
     * }
     */
    public static final ValueLayout.OfInt backend$layout() {
        return backend$LAYOUT;
    }

    private static final long backend$OFFSET = 8;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t backend
     * }
     */
    public static final long backend$offset() {
        return backend$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t backend
     * }
     */
    public static int backend(MemorySegment struct) {
        return struct.get(backend$LAYOUT, backend$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t backend
     * }
     */
    public static void backend(MemorySegment struct, int fieldValue) {
        struct.set(backend$LAYOUT, backend$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt device$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("device"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t device
     * }
     */
    public static final ValueLayout.OfInt device$layout() {
        return device$LAYOUT;
    }

    private static final long device$OFFSET = 12;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t device
     * }
     */
    public static final long device$offset() {
        return device$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t device
     * }
     */
    public static int device(MemorySegment struct) {
        return struct.get(device$LAYOUT, device$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t device
     * }
     */
    public static void device(MemorySegment struct, int fieldValue) {
        struct.set(device$LAYOUT, device$OFFSET, fieldValue);
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
