// Generated from native/include/tfree4j.h by bindings/generator — do not edit.

package dev.tfree4j.bindings;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct tf_model_params {
 *     int32_t vocab_size;
 *     int32_t hidden_size;
 *     int32_t n_layers;
 *     int32_t n_heads;
 *     int32_t intermediate_size;
 *     int32_t max_positions;
 *     float norm_eps;
 *     const float *rope_table;
 *     int32_t activation_mode;
 * } tf_model_params;
 * }
 * Size 48 bytes, alignment 8.
 */
@SuppressWarnings("restricted")
public class tf_model_params {

    tf_model_params() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        tfree4j_h.C_INT.withName("vocab_size"),
        tfree4j_h.C_INT.withName("hidden_size"),
        tfree4j_h.C_INT.withName("n_layers"),
        tfree4j_h.C_INT.withName("n_heads"),
        tfree4j_h.C_INT.withName("intermediate_size"),
        tfree4j_h.C_INT.withName("max_positions"),
        tfree4j_h.C_FLOAT.withName("norm_eps"),
        MemoryLayout.paddingLayout(4),
        tfree4j_h.C_POINTER.withName("rope_table"),
        tfree4j_h.C_INT.withName("activation_mode"),
        MemoryLayout.paddingLayout(4)
    ).withName("tf_model_params");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt vocab_size$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("vocab_size"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t vocab_size
     * }
     */
    public static final ValueLayout.OfInt vocab_size$layout() {
        return vocab_size$LAYOUT;
    }

    private static final long vocab_size$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t vocab_size
     * }
     */
    public static final long vocab_size$offset() {
        return vocab_size$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t vocab_size
     * }
     */
    public static int vocab_size(MemorySegment struct) {
        return struct.get(vocab_size$LAYOUT, vocab_size$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t vocab_size
     * }
     */
    public static void vocab_size(MemorySegment struct, int fieldValue) {
        struct.set(vocab_size$LAYOUT, vocab_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt hidden_size$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("hidden_size"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t hidden_size
     * }
     */
    public static final ValueLayout.OfInt hidden_size$layout() {
        return hidden_size$LAYOUT;
    }

    private static final long hidden_size$OFFSET = 4;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t hidden_size
     * }
     */
    public static final long hidden_size$offset() {
        return hidden_size$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t hidden_size
     * }
     */
    public static int hidden_size(MemorySegment struct) {
        return struct.get(hidden_size$LAYOUT, hidden_size$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t hidden_size
     * }
     */
    public static void hidden_size(MemorySegment struct, int fieldValue) {
        struct.set(hidden_size$LAYOUT, hidden_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt n_layers$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("n_layers"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_layers
     * }
     */
    public static final ValueLayout.OfInt n_layers$layout() {
        return n_layers$LAYOUT;
    }

    private static final long n_layers$OFFSET = 8;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_layers
     * }
     */
    public static final long n_layers$offset() {
        return n_layers$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_layers
     * }
     */
    public static int n_layers(MemorySegment struct) {
        return struct.get(n_layers$LAYOUT, n_layers$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_layers
     * }
     */
    public static void n_layers(MemorySegment struct, int fieldValue) {
        struct.set(n_layers$LAYOUT, n_layers$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt n_heads$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("n_heads"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_heads
     * }
     */
    public static final ValueLayout.OfInt n_heads$layout() {
        return n_heads$LAYOUT;
    }

    private static final long n_heads$OFFSET = 12;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_heads
     * }
     */
    public static final long n_heads$offset() {
        return n_heads$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_heads
     * }
     */
    public static int n_heads(MemorySegment struct) {
        return struct.get(n_heads$LAYOUT, n_heads$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_heads
     * }
     */
    public static void n_heads(MemorySegment struct, int fieldValue) {
        struct.set(n_heads$LAYOUT, n_heads$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt intermediate_size$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("intermediate_size"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t intermediate_size
     * }
     */
    public static final ValueLayout.OfInt intermediate_size$layout() {
        return intermediate_size$LAYOUT;
    }

    private static final long intermediate_size$OFFSET = 16;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t intermediate_size
     * }
     */
    public static final long intermediate_size$offset() {
        return intermediate_size$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t intermediate_size
     * }
     */
    public static int intermediate_size(MemorySegment struct) {
        return struct.get(intermediate_size$LAYOUT, intermediate_size$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t intermediate_size
     * }
     */
    public static void intermediate_size(MemorySegment struct, int fieldValue) {
        struct.set(intermediate_size$LAYOUT, intermediate_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt max_positions$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("max_positions"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t max_positions
     * }
     */
    public static final ValueLayout.OfInt max_positions$layout() {
        return max_positions$LAYOUT;
    }

    private static final long max_positions$OFFSET = 20;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t max_positions
     * }
     */
    public static final long max_positions$offset() {
        return max_positions$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t max_positions
     * }
     */
    public static int max_positions(MemorySegment struct) {
        return struct.get(max_positions$LAYOUT, max_positions$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t max_positions
     * }
     */
    public static void max_positions(MemorySegment struct, int fieldValue) {
        struct.set(max_positions$LAYOUT, max_positions$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfFloat norm_eps$LAYOUT = (ValueLayout.OfFloat)$LAYOUT.select(groupElement("norm_eps"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float norm_eps
     * }
     */
    public static final ValueLayout.OfFloat norm_eps$layout() {
        return norm_eps$LAYOUT;
    }

    private static final long norm_eps$OFFSET = 24;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float norm_eps
     * }
     */
    public static final long norm_eps$offset() {
        return norm_eps$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float norm_eps
     * }
     */
    public static float norm_eps(MemorySegment struct) {
        return struct.get(norm_eps$LAYOUT, norm_eps$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float norm_eps
     * }
     */
    public static void norm_eps(MemorySegment struct, float fieldValue) {
        struct.set(norm_eps$LAYOUT, norm_eps$OFFSET, fieldValue);
    }

    private static final AddressLayout rope_table$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("rope_table"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const float *rope_table
     * }
     */
    public static final AddressLayout rope_table$layout() {
        return rope_table$LAYOUT;
    }

    private static final long rope_table$OFFSET = 32;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const float *rope_table
     * }
     */
    public static final long rope_table$offset() {
        return rope_table$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const float *rope_table
     * }
     */
    public static MemorySegment rope_table(MemorySegment struct) {
        return struct.get(rope_table$LAYOUT, rope_table$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const float *rope_table
     * }
     */
    public static void rope_table(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(rope_table$LAYOUT, rope_table$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt activation_mode$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("activation_mode"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t activation_mode
     * }
     */
    public static final ValueLayout.OfInt activation_mode$layout() {
        return activation_mode$LAYOUT;
    }

    private static final long activation_mode$OFFSET = 40;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t activation_mode
     * }
     */
    public static final long activation_mode$offset() {
        return activation_mode$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t activation_mode
     * }
     */
    public static int activation_mode(MemorySegment struct) {
        return struct.get(activation_mode$LAYOUT, activation_mode$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t activation_mode
     * }
     */
    public static void activation_mode(MemorySegment struct, int fieldValue) {
        struct.set(activation_mode$LAYOUT, activation_mode$OFFSET, fieldValue);
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
