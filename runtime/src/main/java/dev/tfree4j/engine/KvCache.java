package dev.tfree4j.engine;

import dev.tfree4j.ControlMode;
import dev.tfree4j.bindings.tf_forward_params;
import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The keys and values of one sequence (tf_cache), plus the native scratch memory its forward
 * passes use. Not thread-safe: one generation owns one cache.
 */
public final class KvCache implements AutoCloseable {
    /**
     * Optional extras of a forward pass; null fields mean "not wanted". {@code controlMode}: how
     * {@code keyControl} acts (AtMan), null = no controls. {@code logitsRows}: 0 = logits of
     * every row, k &gt; 0 = of the last k rows only (the logits buffer then holds min(k, n) rows).
     */
    public record ForwardOptions(MemorySegment keyControl, ControlMode controlMode, MemorySegment layerMask,
                                 MemorySegment layerOutputs, MemorySegment finalHidden, int logitsRows) {
        public static final ForwardOptions ALL_LOGITS = new ForwardOptions(null, null, null, null, null, 0);
        public static final ForwardOptions LAST_LOGITS = new ForwardOptions(null, null, null, null, null, 1);

        public ForwardOptions {
            if (logitsRows < 0) throw new IllegalArgumentException("logitsRows must be >= 0 (0 = all), got " + logitsRows);
            if (keyControl != null && controlMode == null) throw new IllegalArgumentException("keyControl without a controlMode");
        }

        /** These options with the logits of the last {@code rows} rows (0 = all). */
        public ForwardOptions withLogitsRows(int rows) {
            return new ForwardOptions(keyControl, controlMode, layerMask, layerOutputs, finalHidden, rows);
        }

        /** tf_control_mode: 0 = none, then the {@link ControlMode} constants in order. */
        int nativeControlMode() {
            return controlMode == null ? 0 : controlMode.ordinal() + 1;
        }
    }

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
     * ([n × vocab], or the last {@code logitsRows} rows' only).
     */
    public void forward(MemorySegment embeddings, int n, ForwardOptions options, MemorySegment logits) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = params(arena, options);
            Native.check(tfree4j_h.tf_model_forward(model.handle(), handle(), embeddings, n, p, logits), "tf_model_forward");
        }
    }

    /** One item of {@link #forwardBatch}: what {@link #forward} would get for this cache. */
    public record BatchItem(KvCache cache, MemorySegment embeddings, int n, ForwardOptions options, MemorySegment logits) {}

    /**
     * Several caches' forwards in one native call (tf_model_forward_batch): every matmul runs once
     * over the rows of all items, so each weight is read once for all of them. An item of two or
     * more rows gets exactly what its own {@link #forward} would give. The caches must be distinct
     * and belong to one model.
     */
    public static void forwardBatch(List<BatchItem> items) {
        if (items.isEmpty()) throw new IllegalArgumentException("forwardBatch: no items");
        NativeModel model = items.getFirst().cache().model;
        try (Arena arena = Arena.ofConfined()) {
            int b = items.size();
            MemorySegment caches = arena.allocate(ValueLayout.ADDRESS, b);
            MemorySegment embeddings = arena.allocate(ValueLayout.ADDRESS, b);
            MemorySegment ns = arena.allocate(ValueLayout.JAVA_LONG, b);
            MemorySegment params = arena.allocate(ValueLayout.ADDRESS, b);
            MemorySegment logits = arena.allocate(ValueLayout.ADDRESS, b);
            for (int i = 0; i < b; i++) {
                BatchItem item = items.get(i);
                if (item.cache().model != model) throw new IllegalArgumentException("forwardBatch: caches of different models");
                caches.setAtIndex(ValueLayout.ADDRESS, i, item.cache().handle());
                embeddings.setAtIndex(ValueLayout.ADDRESS, i, item.embeddings());
                ns.setAtIndex(ValueLayout.JAVA_LONG, i, item.n());
                params.setAtIndex(ValueLayout.ADDRESS, i, params(arena, item.options()));
                logits.setAtIndex(ValueLayout.ADDRESS, i, item.logits());
            }
            Native.check(tfree4j_h.tf_model_forward_batch(model.handle(), b, caches, embeddings, ns, params, logits),
                    "tf_model_forward_batch");
        }
    }

    private static MemorySegment params(Arena arena, ForwardOptions options) {
        MemorySegment p = tf_forward_params.allocate(arena);
        tfree4j_h.tf_forward_params_init(p);
        tf_forward_params.key_control(p, orNull(options.keyControl()));
        tf_forward_params.control_mode(p, options.nativeControlMode());
        tf_forward_params.layer_mask(p, orNull(options.layerMask()));
        tf_forward_params.layer_outputs(p, orNull(options.layerOutputs()));
        tf_forward_params.final_hidden(p, orNull(options.finalHidden()));
        tf_forward_params.logits_rows(p, options.logitsRows());
        return p;
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
