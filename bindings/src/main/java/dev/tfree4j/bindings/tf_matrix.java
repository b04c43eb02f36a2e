// Generated from native/include/tfree4j.h by bindings/generator — do not edit.

package dev.tfree4j.bindings;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct tf_matrix {
 *     const void *data;
 *     const float *scales;
 *     int64_t rows;
 *     int64_t cols;
 *     int32_t dtype;
 * } tf_matrix;
 * }
 * Size 40 bytes, alignment 8.
 */
@SuppressWarnings("restricted")
public class tf_matrix {

    tf_matrix() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        tfree4j_h.C_POINTER.withName("data"),
        tfree4j_h.C_POINTER.withName("scales"),
        tfree4j_h.C_LONG.withName("rows"),
        tfree4j_h.C_LONG.withName("cols"),
        tfree4j_h.C_INT.withName("dtype"),
        MemoryLayout.paddingLayout(4)
    ).withName("tf_matrix");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout data$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("data"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const void *data
     * }
     */
    public static final AddressLayout data$layout() {
        return data$LAYOUT;
    }

    private static final long data$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const void *data
     * }
     */
    public static final long data$offset() {
        return data$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const void *data
     * }
     */
    public static MemorySegment data(MemorySegment struct) {
        return struct.get(data$LAYOUT, data$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const void *data
     * }
     */
    public static void data(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(data$LAYOUT, data$OFFSET, fieldValue);
    }

    private static final AddressLayout scales$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("scales"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const float *scales
     * }
     */
    public static final AddressLayout scales$layout() {
        return scales$LAYOUT;
    }

    private static final long scales$OFFSET = 8;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const float *scales
     * }
     */
    public static final long scales$offset() {
        return scales$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const float *scales
     * }
     */
    public static MemorySegment scales(MemorySegment struct) {
        return struct.get(scales$LAYOUT, scales$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const float *scales
     * }
     */
    public static void scales(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(scales$LAYOUT, scales$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong rows$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("rows"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int64_t rows
     * }
     */
    public static final ValueLayout.OfLong rows$layout() {
        return rows$LAYOUT;
    }

    private static final long rows$OFFSET = 16;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int64_t rows
     * }
     */
    public static final long rows$offset() {
        return rows$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int64_t rows
     * }
     */
    public static long rows(MemorySegment struct) {
        return struct.get(rows$LAYOUT, rows$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int64_t rows
     * }
     */
    public static void rows(MemorySegment struct, long fieldValue) {
        struct.set(rows$LAYOUT, rows$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong cols$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("cols"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int64_t cols
     * }
     */
    public static final ValueLayout.OfLong cols$layout() {
        return cols$LAYOUT;
    }

    private static final long cols$OFFSET = 24;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int64_t cols
     * }
     */
    public static final long cols$offset() {
        return cols$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int64_t cols
     * }
     */
    public static long cols(MemorySegment struct) {
        return struct.get(cols$LAYOUT, cols$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int64_t cols
     * }
     */
    public static void cols(MemorySegment struct, long fieldValue) {
        struct.set(cols$LAYOUT, cols$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt dtype$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("dtype"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t dtype
     * }
     */
    public static final ValueLayout.OfInt dtype$layout() {
        return dtype$LAYOUT;
    }

    private static final long dtype$OFFSET = 32;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t dtype
     * }
     */
    public static final long dtype$offset() {
        return dtype$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t dtype
     * }
     */
    public static int dtype(MemorySegment struct) {
        return struct.get(dtype$LAYOUT, dtype$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t dtype
     * }
     */
    public static void dtype(MemorySegment struct, int fieldValue) {
        struct.set(dtype$LAYOUT, dtype$OFFSET, fieldValue);
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
