// Generated from native/include/tfree4j.h by bindings/generator — do not edit.

package dev.tfree4j.bindings;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct tf_stack_params {
 *     int32_t hidden_size;
 *     int32_t n_layers;
 *     int32_t n_heads;
 *     int32_t n_kv_heads;
 *     int32_t intermediate_size;
 *     int32_t max_positions;
 *     float norm_eps;
 *     int32_t rope_kind;
 *     float rope_theta;
 *     int32_t rope_scaling;
 *     float rope_factor;
 *     float rope_low_freq_factor;
 *     float rope_high_freq_factor;
 *     int32_t rope_original_max_positions;
 *     const float *rope_table;
 *     int32_t attention_kind;
 *     int32_t window;
 *     int32_t final_norm;
 *     int32_t vocab_size;
 *     int32_t activation_mode;
 *     const char *layer_prefix;
 *     const char *input_norm_name;
 *     const char *query_name;
 *     const char *key_name;
 *     const char *value_name;
 *     const char *output_name;
 *     const char *post_norm_name;
 *     const char *gate_name;
 *     const char *up_name;
 *     const char *down_name;
 *     const char *final_norm_name;
 *     const char *head_name;
 * } tf_stack_params;
 * }
 * Size 184 bytes, alignment 8.
 */
@SuppressWarnings("restricted")
public class tf_stack_params {

    tf_stack_params() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        tfree4j_h.C_INT.withName("hidden_size"),
        tfree4j_h.C_INT.withName("n_layers"),
        tfree4j_h.C_INT.withName("n_heads"),
        tfree4j_h.C_INT.withName("n_kv_heads"),
        tfree4j_h.C_INT.withName("intermediate_size"),
        tfree4j_h.C_INT.withName("max_positions"),
        tfree4j_h.C_FLOAT.withName("norm_eps"),
        tfree4j_h.C_INT.withName("rope_kind"),
        tfree4j_h.C_FLOAT.withName("rope_theta"),
        tfree4j_h.C_INT.withName("rope_scaling"),
        tfree4j_h.C_FLOAT.withName("rope_factor"),
        tfree4j_h.C_FLOAT.withName("rope_low_freq_factor"),
        tfree4j_h.C_FLOAT.withName("rope_high_freq_factor"),
        tfree4j_h.C_INT.withName("rope_original_max_positions"),
        tfree4j_h.C_POINTER.withName("rope_table"),
        tfree4j_h.C_INT.withName("attention_kind"),
        tfree4j_h.C_INT.withName("window"),
        tfree4j_h.C_INT.withName("final_norm"),
        tfree4j_h.C_INT.withName("vocab_size"),
        tfree4j_h.C_INT.withName("activation_mode"),
        MemoryLayout.paddingLayout(4),
        tfree4j_h.C_POINTER.withName("layer_prefix"),
        tfree4j_h.C_POINTER.withName("input_norm_name"),
        tfree4j_h.C_POINTER.withName("query_name"),
        tfree4j_h.C_POINTER.withName("key_name"),
        tfree4j_h.C_POINTER.withName("value_name"),
        tfree4j_h.C_POINTER.withName("output_name"),
        tfree4j_h.C_POINTER.withName("post_norm_name"),
        tfree4j_h.C_POINTER.withName("gate_name"),
        tfree4j_h.C_POINTER.withName("up_name"),
        tfree4j_h.C_POINTER.withName("down_name"),
        tfree4j_h.C_POINTER.withName("final_norm_name"),
        tfree4j_h.C_POINTER.withName("head_name")
    ).withName("tf_stack_params");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
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

    private static final long hidden_size$OFFSET = 0;

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

    private static final long n_layers$OFFSET = 4;

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

    private static final long n_heads$OFFSET = 8;

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

    private static final ValueLayout.OfInt n_kv_heads$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("n_kv_heads"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_kv_heads
     * }
     */
    public static final ValueLayout.OfInt n_kv_heads$layout() {
        return n_kv_heads$LAYOUT;
    }

    private static final long n_kv_heads$OFFSET = 12;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_kv_heads
     * }
     */
    public static final long n_kv_heads$offset() {
        return n_kv_heads$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_kv_heads
     * }
     */
    public static int n_kv_heads(MemorySegment struct) {
        return struct.get(n_kv_heads$LAYOUT, n_kv_heads$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_kv_heads
     * }
     */
    public static void n_kv_heads(MemorySegment struct, int fieldValue) {
        struct.set(n_kv_heads$LAYOUT, n_kv_heads$OFFSET, fieldValue);
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

    private static final ValueLayout.OfInt rope_kind$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("rope_kind"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t rope_kind
     * }
     */
    public static final ValueLayout.OfInt rope_kind$layout() {
        return rope_kind$LAYOUT;
    }

    private static final long rope_kind$OFFSET = 28;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t rope_kind
     * }
     */
    public static final long rope_kind$offset() {
        return rope_kind$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t rope_kind
     * }
     */
    public static int rope_kind(MemorySegment struct) {
        return struct.get(rope_kind$LAYOUT, rope_kind$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t rope_kind
     * }
     */
    public static void rope_kind(MemorySegment struct, int fieldValue) {
        struct.set(rope_kind$LAYOUT, rope_kind$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfFloat rope_theta$LAYOUT = (ValueLayout.OfFloat)$LAYOUT.select(groupElement("rope_theta"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float rope_theta
     * }
     */
    public static final ValueLayout.OfFloat rope_theta$layout() {
        return rope_theta$LAYOUT;
    }

    private static final long rope_theta$OFFSET = 32;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float rope_theta
     * }
     */
    public static final long rope_theta$offset() {
        return rope_theta$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float rope_theta
     * }
     */
    public static float rope_theta(MemorySegment struct) {
        return struct.get(rope_theta$LAYOUT, rope_theta$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float rope_theta
     * }
     */
    public static void rope_theta(MemorySegment struct, float fieldValue) {
        struct.set(rope_theta$LAYOUT, rope_theta$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt rope_scaling$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("rope_scaling"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t rope_scaling
     * }
     */
    public static final ValueLayout.OfInt rope_scaling$layout() {
        return rope_scaling$LAYOUT;
    }

    private static final long rope_scaling$OFFSET = 36;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t rope_scaling
     * }
     */
    public static final long rope_scaling$offset() {
        return rope_scaling$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t rope_scaling
     * }
     */
    public static int rope_scaling(MemorySegment struct) {
        return struct.get(rope_scaling$LAYOUT, rope_scaling$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t rope_scaling
     * }
     */
    public static void rope_scaling(MemorySegment struct, int fieldValue) {
        struct.set(rope_scaling$LAYOUT, rope_scaling$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfFloat rope_factor$LAYOUT = (ValueLayout.OfFloat)$LAYOUT.select(groupElement("rope_factor"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float rope_factor
     * }
     */
    public static final ValueLayout.OfFloat rope_factor$layout() {
        return rope_factor$LAYOUT;
    }

    private static final long rope_factor$OFFSET = 40;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float rope_factor
     * }
     */
    public static final long rope_factor$offset() {
        return rope_factor$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float rope_factor
     * }
     */
    public static float rope_factor(MemorySegment struct) {
        return struct.get(rope_factor$LAYOUT, rope_factor$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float rope_factor
     * }
     */
    public static void rope_factor(MemorySegment struct, float fieldValue) {
        struct.set(rope_factor$LAYOUT, rope_factor$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfFloat rope_low_freq_factor$LAYOUT = (ValueLayout.OfFloat)$LAYOUT.select(groupElement("rope_low_freq_factor"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float rope_low_freq_factor
     * }
     */
    public static final ValueLayout.OfFloat rope_low_freq_factor$layout() {
        return rope_low_freq_factor$LAYOUT;
    }

    private static final long rope_low_freq_factor$OFFSET = 44;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float rope_low_freq_factor
     * }
     */
    public static final long rope_low_freq_factor$offset() {
        return rope_low_freq_factor$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float rope_low_freq_factor
     * }
     */
    public static float rope_low_freq_factor(MemorySegment struct) {
        return struct.get(rope_low_freq_factor$LAYOUT, rope_low_freq_factor$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float rope_low_freq_factor
     * }
     */
    public static void rope_low_freq_factor(MemorySegment struct, float fieldValue) {
        struct.set(rope_low_freq_factor$LAYOUT, rope_low_freq_factor$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfFloat rope_high_freq_factor$LAYOUT = (ValueLayout.OfFloat)$LAYOUT.select(groupElement("rope_high_freq_factor"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float rope_high_freq_factor
     * }
     */
    public static final ValueLayout.OfFloat rope_high_freq_factor$layout() {
        return rope_high_freq_factor$LAYOUT;
    }

    private static final long rope_high_freq_factor$OFFSET = 48;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float rope_high_freq_factor
     * }
     */
    public static final long rope_high_freq_factor$offset() {
        return rope_high_freq_factor$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float rope_high_freq_factor
     * }
     */
    public static float rope_high_freq_factor(MemorySegment struct) {
        return struct.get(rope_high_freq_factor$LAYOUT, rope_high_freq_factor$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float rope_high_freq_factor
     * }
     */
    public static void rope_high_freq_factor(MemorySegment struct, float fieldValue) {
        struct.set(rope_high_freq_factor$LAYOUT, rope_high_freq_factor$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt rope_original_max_positions$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("rope_original_max_positions"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t rope_original_max_positions
     * }
     */
    public static final ValueLayout.OfInt rope_original_max_positions$layout() {
        return rope_original_max_positions$LAYOUT;
    }

    private static final long rope_original_max_positions$OFFSET = 52;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t rope_original_max_positions
     * }
     */
    public static final long rope_original_max_positions$offset() {
        return rope_original_max_positions$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t rope_original_max_positions
     * }
     */
    public static int rope_original_max_positions(MemorySegment struct) {
        return struct.get(rope_original_max_positions$LAYOUT, rope_original_max_positions$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t rope_original_max_positions
     * }
     */
    public static void rope_original_max_positions(MemorySegment struct, int fieldValue) {
        struct.set(rope_original_max_positions$LAYOUT, rope_original_max_positions$OFFSET, fieldValue);
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

    private static final long rope_table$OFFSET = 56;

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

    private static final ValueLayout.OfInt attention_kind$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("attention_kind"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t attention_kind
     * }
     */
    public static final ValueLayout.OfInt attention_kind$layout() {
        return attention_kind$LAYOUT;
    }

    private static final long attention_kind$OFFSET = 64;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t attention_kind
     * }
     */
    public static final long attention_kind$offset() {
        return attention_kind$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t attention_kind
     * }
     */
    public static int attention_kind(MemorySegment struct) {
        return struct.get(attention_kind$LAYOUT, attention_kind$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t attention_kind
     * }
     */
    public static void attention_kind(MemorySegment struct, int fieldValue) {
        struct.set(attention_kind$LAYOUT, attention_kind$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt window$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("window"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t window
     * }
     */
    public static final ValueLayout.OfInt window$layout() {
        return window$LAYOUT;
    }

    private static final long window$OFFSET = 68;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t window
     * }
     */
    public static final long window$offset() {
        return window$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t window
     * }
     */
    public static int window(MemorySegment struct) {
        return struct.get(window$LAYOUT, window$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t window
     * }
     */
    public static void window(MemorySegment struct, int fieldValue) {
        struct.set(window$LAYOUT, window$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt final_norm$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("final_norm"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t final_norm
     * }
     */
    public static final ValueLayout.OfInt final_norm$layout() {
        return final_norm$LAYOUT;
    }

    private static final long final_norm$OFFSET = 72;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t final_norm
     * }
     */
    public static final long final_norm$offset() {
        return final_norm$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t final_norm
     * }
     */
    public static int final_norm(MemorySegment struct) {
        return struct.get(final_norm$LAYOUT, final_norm$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t final_norm
     * }
     */
    public static void final_norm(MemorySegment struct, int fieldValue) {
        struct.set(final_norm$LAYOUT, final_norm$OFFSET, fieldValue);
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

    private static final long vocab_size$OFFSET = 76;

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

    private static final long activation_mode$OFFSET = 80;

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

    private static final AddressLayout layer_prefix$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("layer_prefix"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *layer_prefix
     * }
     */
    public static final AddressLayout layer_prefix$layout() {
        return layer_prefix$LAYOUT;
    }

    private static final long layer_prefix$OFFSET = 88;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *layer_prefix
     * }
     */
    public static final long layer_prefix$offset() {
        return layer_prefix$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *layer_prefix
     * }
     */
    public static MemorySegment layer_prefix(MemorySegment struct) {
        return struct.get(layer_prefix$LAYOUT, layer_prefix$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *layer_prefix
     * }
     */
    public static void layer_prefix(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(layer_prefix$LAYOUT, layer_prefix$OFFSET, fieldValue);
    }

    private static final AddressLayout input_norm_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("input_norm_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *input_norm_name
     * }
     */
    public static final AddressLayout input_norm_name$layout() {
        return input_norm_name$LAYOUT;
    }

    private static final long input_norm_name$OFFSET = 96;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *input_norm_name
     * }
     */
    public static final long input_norm_name$offset() {
        return input_norm_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *input_norm_name
     * }
     */
    public static MemorySegment input_norm_name(MemorySegment struct) {
        return struct.get(input_norm_name$LAYOUT, input_norm_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *input_norm_name
     * }
     */
    public static void input_norm_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(input_norm_name$LAYOUT, input_norm_name$OFFSET, fieldValue);
    }

    private static final AddressLayout query_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("query_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *query_name
     * }
     */
    public static final AddressLayout query_name$layout() {
        return query_name$LAYOUT;
    }

    private static final long query_name$OFFSET = 104;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *query_name
     * }
     */
    public static final long query_name$offset() {
        return query_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *query_name
     * }
     */
    public static MemorySegment query_name(MemorySegment struct) {
        return struct.get(query_name$LAYOUT, query_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *query_name
     * }
     */
    public static void query_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(query_name$LAYOUT, query_name$OFFSET, fieldValue);
    }

    private static final AddressLayout key_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("key_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *key_name
     * }
     */
    public static final AddressLayout key_name$layout() {
        return key_name$LAYOUT;
    }

    private static final long key_name$OFFSET = 112;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *key_name
     * }
     */
    public static final long key_name$offset() {
        return key_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *key_name
     * }
     */
    public static MemorySegment key_name(MemorySegment struct) {
        return struct.get(key_name$LAYOUT, key_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *key_name
     * }
     */
    public static void key_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(key_name$LAYOUT, key_name$OFFSET, fieldValue);
    }

    private static final AddressLayout value_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("value_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *value_name
     * }
     */
    public static final AddressLayout value_name$layout() {
        return value_name$LAYOUT;
    }

    private static final long value_name$OFFSET = 120;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *value_name
     * }
     */
    public static final long value_name$offset() {
        return value_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *value_name
     * }
     */
    public static MemorySegment value_name(MemorySegment struct) {
        return struct.get(value_name$LAYOUT, value_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *value_name
     * }
     */
    public static void value_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(value_name$LAYOUT, value_name$OFFSET, fieldValue);
    }

    private static final AddressLayout output_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("output_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *output_name
     * }
     */
    public static final AddressLayout output_name$layout() {
        return output_name$LAYOUT;
    }

    private static final long output_name$OFFSET = 128;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *output_name
     * }
     */
    public static final long output_name$offset() {
        return output_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *output_name
     * }
     */
    public static MemorySegment output_name(MemorySegment struct) {
        return struct.get(output_name$LAYOUT, output_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *output_name
     * }
     */
    public static void output_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(output_name$LAYOUT, output_name$OFFSET, fieldValue);
    }

    private static final AddressLayout post_norm_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("post_norm_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *post_norm_name
     * }
     */
    public static final AddressLayout post_norm_name$layout() {
        return post_norm_name$LAYOUT;
    }

    private static final long post_norm_name$OFFSET = 136;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *post_norm_name
     * }
     */
    public static final long post_norm_name$offset() {
        return post_norm_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *post_norm_name
     * }
     */
    public static MemorySegment post_norm_name(MemorySegment struct) {
        return struct.get(post_norm_name$LAYOUT, post_norm_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *post_norm_name
     * }
     */
    public static void post_norm_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(post_norm_name$LAYOUT, post_norm_name$OFFSET, fieldValue);
    }

    private static final AddressLayout gate_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("gate_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *gate_name
     * }
     */
    public static final AddressLayout gate_name$layout() {
        return gate_name$LAYOUT;
    }

    private static final long gate_name$OFFSET = 144;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *gate_name
     * }
     */
    public static final long gate_name$offset() {
        return gate_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *gate_name
     * }
     */
    public static MemorySegment gate_name(MemorySegment struct) {
        return struct.get(gate_name$LAYOUT, gate_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *gate_name
     * }
     */
    public static void gate_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(gate_name$LAYOUT, gate_name$OFFSET, fieldValue);
    }

    private static final AddressLayout up_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("up_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *up_name
     * }
     */
    public static final AddressLayout up_name$layout() {
        return up_name$LAYOUT;
    }

    private static final long up_name$OFFSET = 152;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *up_name
     * }
     */
    public static final long up_name$offset() {
        return up_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *up_name
     * }
     */
    public static MemorySegment up_name(MemorySegment struct) {
        return struct.get(up_name$LAYOUT, up_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *up_name
     * }
     */
    public static void up_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(up_name$LAYOUT, up_name$OFFSET, fieldValue);
    }

    private static final AddressLayout down_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("down_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *down_name
     * }
     */
    public static final AddressLayout down_name$layout() {
        return down_name$LAYOUT;
    }

    private static final long down_name$OFFSET = 160;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *down_name
     * }
     */
    public static final long down_name$offset() {
        return down_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *down_name
     * }
     */
    public static MemorySegment down_name(MemorySegment struct) {
        return struct.get(down_name$LAYOUT, down_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *down_name
     * }
     */
    public static void down_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(down_name$LAYOUT, down_name$OFFSET, fieldValue);
    }

    private static final AddressLayout final_norm_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("final_norm_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *final_norm_name
     * }
     */
    public static final AddressLayout final_norm_name$layout() {
        return final_norm_name$LAYOUT;
    }

    private static final long final_norm_name$OFFSET = 168;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *final_norm_name
     * }
     */
    public static final long final_norm_name$offset() {
        return final_norm_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *final_norm_name
     * }
     */
    public static MemorySegment final_norm_name(MemorySegment struct) {
        return struct.get(final_norm_name$LAYOUT, final_norm_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *final_norm_name
     * }
     */
    public static void final_norm_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(final_norm_name$LAYOUT, final_norm_name$OFFSET, fieldValue);
    }

    private static final AddressLayout head_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("head_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *head_name
     * }
     */
    public static final AddressLayout head_name$layout() {
        return head_name$LAYOUT;
    }

    private static final long head_name$OFFSET = 176;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *head_name
     * }
     */
    public static final long head_name$offset() {
        return head_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *head_name
     * }
     */
    public static MemorySegment head_name(MemorySegment struct) {
        return struct.get(head_name$LAYOUT, head_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *head_name
     * }
     */
    public static void head_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(head_name$LAYOUT, head_name$OFFSET, fieldValue);
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
