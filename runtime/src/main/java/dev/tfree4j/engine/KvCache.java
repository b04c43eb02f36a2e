package dev.tfree4j.engine;

import dev.tfree4j.bindings.tf_forward_params;
import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The keys and values of one sequence (tf_cache), plus the native scratch memory its forward
 * passes use. Not thread-safe: one generation owns one cache.
 */
public final class KvCache implements AutoCloseable {
    /** Optional extras of a forward pass; null fields mean "not wanted". */
    public record ForwardOptions(MemorySegment keyControl, ControlMode controlMode, MemorySegment layerMask,
                                 MemorySegment layerOutputs, MemorySegment finalHidden, boolean lastLogitsOnly) {
        public static final ForwardOptions ALL_LOGITS = new ForwardOptions(null, ControlMode.NONE, null, null, null, false);
        public static final ForwardOptions LAST_LOGITS = new ForwardOptions(null, ControlMode.NONE, null, null, null, true);
    }

    /** How key controls modify attention scores (AtMan), as in tf_control_mode. */
    public enum ControlMode { NONE, LOG_ADD, MULT }

    private final NativeModel model;
    private final int capacity;
    private MemorySegment handle;

    KvCache(NativeModel model, MemorySegment handle, int capacity) {
        this.model = model;
        this.handle = handle;
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    /** Number of positions cached so far. */
    public int length() {
        return Math.toIntExact(tfree4j_h.tf_cache_length(handle()));
    }

    /** Forgets positions from {@code length} on. */
    public void truncate(int length) {
        Native.check(tfree4j_h.tf_cache_truncate(handle(), length), "tf_cache_truncate");
    }

    /** Makes this cache hold a copy of the first {@code length} positions of {@code source}. */
    public void copyPrefixFrom(KvCache source, int length) {
        Native.check(tfree4j_h.tf_cache_copy_prefix(handle(), source.handle(), length), "tf_cache_copy_prefix");
    }

    /**
     * Runs n words (their embeddings [n × hidden]) on top of the cache and writes logits
     * ([n × vocab], or [1 × vocab] with lastLogitsOnly).
     */
    public void forward(MemorySegment embeddings, int n, ForwardOptions options, MemorySegment logits) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = tf_forward_params.allocate(arena);
            tfree4j_h.tf_forward_params_init(p);
            tf_forward_params.key_control(p, orNull(options.keyControl()));
            tf_forward_params.control_mode(p, options.controlMode().ordinal());
            tf_forward_params.layer_mask(p, orNull(options.layerMask()));
            tf_forward_params.layer_outputs(p, orNull(options.layerOutputs()));
            tf_forward_params.final_hidden(p, orNull(options.finalHidden()));
            tf_forward_params.logits_rows(p, options.lastLogitsOnly() ? 1 : 0);
            Native.check(tfree4j_h.tf_model_forward(model.handle(), handle(), embeddings, n, p, logits), "tf_model_forward");
        }
    }

    private static MemorySegment orNull(MemorySegment s) {
        return s == null ? MemorySegment.NULL : s;
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("KV cache is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle != null) {
            tfree4j_h.tf_cache_free(handle);
            handle = null;
        }
    }
}
