// Generated from driver_types.h, cuda_runtime_api.h (CUDART_VERSION 13000) by bindings/generator — do not edit.

package dev.tfree4j.bindings.cuda;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct cudaDeviceProp {
 *     char name[256];
 *     size_t totalGlobalMem;
 *     int major;
 *     int minor;
 *     int multiProcessorCount;
 *     int memoryBusWidth;
 *     int l2CacheSize;
 * } cudaDeviceProp;
 * }
 * Only the fields above are bound; the others are padding of the same size.
 * Size 1008 bytes, alignment 8.
 */
@SuppressWarnings("restricted")
public class cudaDeviceProp {

    cudaDeviceProp() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(256, cuda_runtime_h.C_CHAR).withName("name"),
        MemoryLayout.paddingLayout(32),
        cuda_runtime_h.C_LONG.withName("totalGlobalMem"),
        MemoryLayout.paddingLayout(64),
        cuda_runtime_h.C_INT.withName("major"),
        cuda_runtime_h.C_INT.withName("minor"),
        MemoryLayout.paddingLayout(16),
        cuda_runtime_h.C_INT.withName("multiProcessorCount"),
        MemoryLayout.paddingLayout(204),
        cuda_runtime_h.C_INT.withName("memoryBusWidth"),
        cuda_runtime_h.C_INT.withName("l2CacheSize"),
        MemoryLayout.paddingLayout(408)
    ).withName("cudaDeviceProp");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final SequenceLayout name$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * char name[256]
     * }
     */
    public static final SequenceLayout name$layout() {
        return name$LAYOUT;
    }

    private static final long name$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * char name[256]
     * }
     */
    public static final long name$offset() {
        return name$OFFSET;
    }

    /**
     * The bytes of field (a slice of {@code struct}):
     * {@snippet lang=c :
     * char name[256]
     * }
     */
    public static MemorySegment name(MemorySegment struct) {
        return struct.asSlice(name$OFFSET, name$LAYOUT.byteSize());
    }

    private static final ValueLayout.OfLong totalGlobalMem$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("totalGlobalMem"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * size_t totalGlobalMem
     * }
     */
    public static final ValueLayout.OfLong totalGlobalMem$layout() {
        return totalGlobalMem$LAYOUT;
    }

    private static final long totalGlobalMem$OFFSET = 288;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * size_t totalGlobalMem
     * }
     */
    public static final long totalGlobalMem$offset() {
        return totalGlobalMem$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * size_t totalGlobalMem
     * }
     */
    public static long totalGlobalMem(MemorySegment struct) {
        return struct.get(totalGlobalMem$LAYOUT, totalGlobalMem$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * size_t totalGlobalMem
     * }
     */
    public static void totalGlobalMem(MemorySegment struct, long fieldValue) {
        struct.set(totalGlobalMem$LAYOUT, totalGlobalMem$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt major$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("major"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int major
     * }
     */
    public static final ValueLayout.OfInt major$layout() {
        return major$LAYOUT;
    }

    private static final long major$OFFSET = 360;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int major
     * }
     */
    public static final long major$offset() {
        return major$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int major
     * }
     */
    public static int major(MemorySegment struct) {
        return struct.get(major$LAYOUT, major$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int major
     * }
     */
    public static void major(MemorySegment struct, int fieldValue) {
        struct.set(major$LAYOUT, major$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt minor$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("minor"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int minor
     * }
     */
    public static final ValueLayout.OfInt minor$layout() {
        return minor$LAYOUT;
    }

    private static final long minor$OFFSET = 364;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int minor
     * }
     */
    public static final long minor$offset() {
        return minor$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int minor
     * }
     */
    public static int minor(MemorySegment struct) {
        return struct.get(minor$LAYOUT, minor$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int minor
     * }
     */
    public static void minor(MemorySegment struct, int fieldValue) {
        struct.set(minor$LAYOUT, minor$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt multiProcessorCount$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("multiProcessorCount"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int multiProcessorCount
     * }
     */
    public static final ValueLayout.OfInt multiProcessorCount$layout() {
        return multiProcessorCount$LAYOUT;
    }

    private static final long multiProcessorCount$OFFSET = 384;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int multiProcessorCount
     * }
     */
    public static final long multiProcessorCount$offset() {
        return multiProcessorCount$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int multiProcessorCount
     * }
     */
    public static int multiProcessorCount(MemorySegment struct) {
        return struct.get(multiProcessorCount$LAYOUT, multiProcessorCount$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int multiProcessorCount
     * }
     */
    public static void multiProcessorCount(MemorySegment struct, int fieldValue) {
        struct.set(multiProcessorCount$LAYOUT, multiProcessorCount$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt memoryBusWidth$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("memoryBusWidth"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int memoryBusWidth
     * }
     */
    public static final ValueLayout.OfInt memoryBusWidth$layout() {
        return memoryBusWidth$LAYOUT;
    }

    private static final long memoryBusWidth$OFFSET = 592;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int memoryBusWidth
     * }
     */
    public static final long memoryBusWidth$offset() {
        return memoryBusWidth$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int memoryBusWidth
     * }
     */
    public static int memoryBusWidth(MemorySegment struct) {
        return struct.get(memoryBusWidth$LAYOUT, memoryBusWidth$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int memoryBusWidth
     * }
     */
    public static void memoryBusWidth(MemorySegment struct, int fieldValue) {
        struct.set(memoryBusWidth$LAYOUT, memoryBusWidth$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt l2CacheSize$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("l2CacheSize"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int l2CacheSize
     * }
     */
    public static final ValueLayout.OfInt l2CacheSize$layout() {
        return l2CacheSize$LAYOUT;
    }

    private static final long l2CacheSize$OFFSET = 596;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int l2CacheSize
     * }
     */
    public static final long l2CacheSize$offset() {
        return l2CacheSize$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int l2CacheSize
     * }
     */
    public static int l2CacheSize(MemorySegment struct) {
        return struct.get(l2CacheSize$LAYOUT, l2CacheSize$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int l2CacheSize
     * }
     */
    public static void l2CacheSize(MemorySegment struct, int fieldValue) {
        struct.set(l2CacheSize$LAYOUT, l2CacheSize$OFFSET, fieldValue);
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
