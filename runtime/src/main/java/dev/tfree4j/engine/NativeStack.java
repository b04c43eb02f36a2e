package dev.tfree4j.engine;

import dev.tfree4j.bindings.tf_forward_params;
import dev.tfree4j.bindings.tf_matrix;
import dev.tfree4j.bindings.tf_stack_params;
import dev.tfree4j.bindings.tfree4j_h;
import dev.tfree4j.io.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A transformer stack (tf_stack): Llama blocks with GQA, rotate-half or interleaved RoPE (llama3
 * scaling optional), causal attention with an optional sliding window over a ring cache, an
 * optional final norm and head. HAT builds its encoder, backbone and decoder from these. Weights
 * are referenced in place: the mapped checkpoint must outlive the stack.
 */
public final class NativeStack implements AutoCloseable {
    /**
     * The shape and options of a stack (see tf_stack_params in tfree4j.h).
     *
     * @param window     &gt; 0: each query sees the last {@code window} keys, itself included (ring caches)
     * @param vocabSize  &gt; 0: a head named {@code headName}; 0: the forward writes hidden states
     * @param layerPrefix layer l's tensor X is named layerPrefix + l + "." + X (the Llama names)
     */
    public record Params(int hiddenSize, int layers, int heads, int kvHeads, int intermediateSize, int maxPositions,
                         float normEps, boolean rotateHalf, float ropeTheta, boolean llama3, float ropeFactor,
                         float ropeLowFreqFactor, float ropeHighFreqFactor, int ropeOriginalMaxPositions, int window,
                         boolean finalNorm, String finalNormName, int vocabSize, String headName, String layerPrefix) {
        public int headDim() {
            return hiddenSize / heads;
        }
    }

    private final NativeContext context;
    private final Params params;
    private MemorySegment handle;

    private NativeStack(NativeContext context, Params params, MemorySegment handle) {
        this.context = context;
        this.params = params;
        this.handle = handle;
    }

    /** Creates a stack without weights; set each one, then {@link #finalizeWeights()}. */
    public static NativeStack create(NativeContext context, Params p) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = tf_stack_params.allocate(arena);
            tfree4j_h.tf_stack_params_init(s);
            tf_stack_params.hidden_size(s, p.hiddenSize());
            tf_stack_params.n_layers(s, p.layers());
            tf_stack_params.n_heads(s, p.heads());
            tf_stack_params.n_kv_heads(s, p.kvHeads());
            tf_stack_params.intermediate_size(s, p.intermediateSize());
            tf_stack_params.max_positions(s, p.maxPositions());
            tf_stack_params.norm_eps(s, p.normEps());
            tf_stack_params.rope_kind(s, p.rotateHalf() ? tfree4j_h.TF_ROPE_ROTATE_HALF() : tfree4j_h.TF_ROPE_INTERLEAVED());
            tf_stack_params.rope_theta(s, p.ropeTheta());
            if (p.llama3()) {
                tf_stack_params.rope_scaling(s, tfree4j_h.TF_ROPE_SCALING_LLAMA3());
                tf_stack_params.rope_factor(s, p.ropeFactor());
                tf_stack_params.rope_low_freq_factor(s, p.ropeLowFreqFactor());
                tf_stack_params.rope_high_freq_factor(s, p.ropeHighFreqFactor());
                tf_stack_params.rope_original_max_positions(s, p.ropeOriginalMaxPositions());
            }
            tf_stack_params.window(s, p.window());
            tf_stack_params.final_norm(s, p.finalNorm() ? 1 : 0);
            if (p.finalNorm()) tf_stack_params.final_norm_name(s, arena.allocateFrom(p.finalNormName()));
            tf_stack_params.vocab_size(s, p.vocabSize());
            if (p.vocabSize() > 0) tf_stack_params.head_name(s, arena.allocateFrom(p.headName()));
            tf_stack_params.layer_prefix(s, arena.allocateFrom(p.layerPrefix()));
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Native.check(tfree4j_h.tf_stack_create(context.handle(), s, out), "tf_stack_create");
            return new NativeStack(context, p, Native.handle(out));
        }
    }

    /** Sets the stack's weight {@code name} to a tensor (a matrix or, for norms, a vector), in place. */
    public void setWeight(String name, Tensor t) {
        try (Arena arena = Arena.ofConfined()) {
            Native.check(tfree4j_h.tf_stack_set_weight(handle(), arena.allocateFrom(name), matrix(arena, t)),
                    "tf_stack_set_weight(" + name + " <- " + t.name() + ")");
        }
    }

    /** Checks that every weight is set. */
    public void finalizeWeights() {
        Native.check(tfree4j_h.tf_stack_finalize(handle()), "tf_stack_finalize");
    }

    /** Rotates x [n, heads × this stack's head size] in place at {@code positions} [n] with this stack's RoPE. */
    public void rope(MemorySegment x, long n, int heads, MemorySegment positions) {
        Native.check(tfree4j_h.tf_stack_rope(handle(), x, n, heads, positions), "tf_stack_rope");
    }

    /** A cache: {@code capacity} positions, or with a window a ring of {@code capacity} slots. */
    public Cache newCache(int capacity) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Native.check(tfree4j_h.tf_stack_cache_create(handle(), capacity, out), "tf_stack_cache_create");
            return new Cache(Native.handle(out));
        }
    }

    public Params params() {
        return params;
    }

    public NativeContext context() {
        return context;
    }

    /** A tf_matrix view of a 1-D or 2-D tensor (a vector is one row). */
    static MemorySegment matrix(Arena arena, Tensor t) {
        MemorySegment m = tf_matrix.allocate(arena);
        tf_matrix.data(m, t.data());
        tf_matrix.scales(m, MemorySegment.NULL);
        long rows = t.rank() == 1 ? 1 : t.numel() / t.dim(t.rank() - 1);
        tf_matrix.rows(m, rows);
        tf_matrix.cols(m, t.dim(t.rank() - 1));
        tf_matrix.dtype(m, NativeModel.nativeDType(t.dtype()));
        return m;
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("stack is closed");
        return handle;
    }

    @Override
    public synchronized void close() {
        if (handle != null) {
            tfree4j_h.tf_stack_free(handle);
            handle = null;
        }
    }

    /** One sequence's keys and values in this stack (tf_cache). Not thread-safe. */
    public final class Cache implements AutoCloseable {
        private MemorySegment cache;

        private Cache(MemorySegment cache) {
            this.cache = cache;
        }

        public long length() {
            return tfree4j_h.tf_cache_length(handle());
        }

        /** Forgets positions from {@code length} on (a ring can drop at most capacity − window). */
        public void truncate(long length) {
            Native.check(tfree4j_h.tf_cache_truncate(handle(), length), "tf_cache_truncate");
        }

        /**
         * Runs n rows of {@code input} [n, hidden] at the cache indices length .. length+n−1
         * ({@code positions} [n] for RoPE, or null = those indices), writing {@code out} (logits
         * with a head, else hidden states); {@code layerOutputs} [layers, n, hidden] or null.
         */
        public void forward(MemorySegment input, long n, MemorySegment positions, MemorySegment layerOutputs,
                            MemorySegment out) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment p = tf_forward_params.allocate(arena);
                tfree4j_h.tf_forward_params_init(p);
                if (layerOutputs != null) tf_forward_params.layer_outputs(p, layerOutputs);
                Native.check(tfree4j_h.tf_stack_forward(NativeStack.this.handle(), handle(), input, n,
                        positions == null ? MemorySegment.NULL : positions, p, out), "tf_stack_forward");
            }
        }

        MemorySegment handle() {
            if (cache == null) throw new IllegalStateException("stack cache is closed");
            return cache;
        }

        @Override
        public void close() {
            if (cache != null) {
                tfree4j_h.tf_cache_free(cache);
                cache = null;
            }
        }
    }
}
