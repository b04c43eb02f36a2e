// Generated from native/include/tfree4j.h by bindings/generator — do not edit.

package dev.tfree4j.bindings;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct tf_forward_params {
 *     const float *key_control;
 *     int32_t control_mode;
 *     const uint8_t *layer_mask;
 *     float *layer_outputs;
 *     float *final_hidden;
 *     int32_t logits_rows;
 * } tf_forward_params;
 * }
 * Size 48 bytes, alignment 8.
 */
@SuppressWarnings("restricted")
public class tf_forward_params {

    tf_forward_params() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        tfree4j_h.C_POINTER.withName("key_control"),
        tfree4j_h.C_INT.withName("control_mode"),
        MemoryLayout.paddingLayout(4),
        tfree4j_h.C_POINTER.withName("layer_mask"),
        tfree4j_h.C_POINTER.withName("layer_outputs"),
        tfree4j_h.C_POINTER.withName("final_hidden"),
        tfree4j_h.C_INT.withName("logits_rows"),
        MemoryLayout.paddingLayout(4)
    ).withName("tf_forward_params");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout key_control$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("key_control"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const float *key_control
     * }
     */
    public static final AddressLayout key_control$layout() {
        return key_control$LAYOUT;
    }

    private static final long key_control$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const float *key_control
     * }
     */
    public static final long key_control$offset() {
        return key_control$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const float *key_control
     * }
     */
    public static MemorySegment key_control(MemorySegment struct) {
        return struct.get(key_control$LAYOUT, key_control$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const float *key_control
     * }
     */
    public static void key_control(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(key_control$LAYOUT, key_control$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt control_mode$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("control_mode"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t control_mode
     * }
     */
    public static final ValueLayout.OfInt control_mode$layout() {
        return control_mode$LAYOUT;
    }

    private static final long control_mode$OFFSET = 8;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t control_mode
     * }
     */
    public static final long control_mode$offset() {
        return control_mode$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t control_mode
     * }
     */
    public static int control_mode(MemorySegment struct) {
        return struct.get(control_mode$LAYOUT, control_mode$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t control_mode
     * }
     */
    public static void control_mode(MemorySegment struct, int fieldValue) {
        struct.set(control_mode$LAYOUT, control_mode$OFFSET, fieldValue);
    }

    private static final AddressLayout layer_mask$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("layer_mask"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const uint8_t *layer_mask
     * }
     */
    public static final AddressLayout layer_mask$layout() {
        return layer_mask$LAYOUT;
    }

    private static final long layer_mask$OFFSET = 16;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const uint8_t *layer_mask
     * }
     */
    public static final long layer_mask$offset() {
        return layer_mask$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const uint8_t *layer_mask
     * }
     */
    public static MemorySegment layer_mask(MemorySegment struct) {
        return struct.get(layer_mask$LAYOUT, layer_mask$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const uint8_t *layer_mask
     * }
     */
    public static void layer_mask(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(layer_mask$LAYOUT, layer_mask$OFFSET, fieldValue);
    }

    private static final AddressLayout layer_outputs$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("layer_outputs"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float *layer_outputs
     * }
     */
    public static final AddressLayout layer_outputs$layout() {
        return layer_outputs$LAYOUT;
    }

    private static final long layer_outputs$OFFSET = 24;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float *layer_outputs
     * }
     */
    public static final long layer_outputs$offset() {
        return layer_outputs$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float *layer_outputs
     * }
     */
    public static MemorySegment layer_outputs(MemorySegment struct) {
        return struct.get(layer_outputs$LAYOUT, layer_outputs$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float *layer_outputs
     * }
     */
    public static void layer_outputs(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(layer_outputs$LAYOUT, layer_outputs$OFFSET, fieldValue);
    }

    private static final AddressLayout final_hidden$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("final_hidden"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float *final_hidden
     * }
     */
    public static final AddressLayout final_hidden$layout() {
        return final_hidden$LAYOUT;
    }

    private static final long final_hidden$OFFSET = 32;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float *final_hidden
     * }
     */
    public static final long final_hidden$offset() {
        return final_hidden$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float *final_hidden
     * }
     */
    public static MemorySegment final_hidden(MemorySegment struct) {
        return struct.get(final_hidden$LAYOUT, final_hidden$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float *final_hidden
     * }
     */
    public static void final_hidden(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(final_hidden$LAYOUT, final_hidden$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt logits_rows$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("logits_rows"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t logits_rows
     * }
     */
    public static final ValueLayout.OfInt logits_rows$layout() {
        return logits_rows$LAYOUT;
    }

    private static final long logits_rows$OFFSET = 40;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t logits_rows
     * }
     */
    public static final long logits_rows$offset() {
        return logits_rows$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t logits_rows
     * }
     */
    public static int logits_rows(MemorySegment struct) {
        return struct.get(logits_rows$LAYOUT, logits_rows$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t logits_rows
     * }
     */
    public static void logits_rows(MemorySegment struct, int fieldValue) {
        struct.set(logits_rows$LAYOUT, logits_rows$OFFSET, fieldValue);
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
