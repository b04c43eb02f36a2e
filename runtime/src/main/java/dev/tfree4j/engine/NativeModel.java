package dev.tfree4j.engine;

import dev.tfree4j.ActivationMode;
import dev.tfree4j.io.DType;
import dev.tfree4j.bindings.tf_matrix;
import dev.tfree4j.bindings.tf_model_params;
import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The transformer as one native object (tf_model). Weights are referenced in place, so the
 * memory they live in (usually a mapped checkpoint) must outlive this object.
 */
public final class NativeModel implements AutoCloseable {
    /** The shape numbers the native model needs. */
    public record Shape(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize,
                        int maxPositions, float normEps) {
        public int headDim() {
            return hiddenSize / heads;
        }
    }

    private final NativeContext context;
    private final Shape shape;
    private MemorySegment handle;

    private NativeModel(NativeContext context, Shape shape, MemorySegment handle) {
        this.context = context;
        this.shape = shape;
        this.handle = handle;
    }

    /** Creates an empty model; set every weight, then call {@link #finalizeWeights()}. */
    public static NativeModel create(NativeContext context, Shape shape, float[] ropeTable) {
        return create(context, shape, ropeTable, ActivationMode.FLOAT);
    }

    /** Creates an empty model whose int8 weights multiply as {@code activations} says. */
    public static NativeModel create(NativeContext context, Shape shape, float[] ropeTable, ActivationMode activations) {
        long expected = (long) shape.maxPositions() * (shape.headDim() / 2) * 2;
        if (ropeTable.length != expected) {
            throw new IllegalArgumentException("rope table has " + ropeTable.length + " values, expected " + expected);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocateFrom(ValueLayout.JAVA_FLOAT, ropeTable);
            MemorySegment p = tf_model_params.allocate(arena);
            tfree4j_h.tf_model_params_init(p);
            tf_model_params.vocab_size(p, shape.vocabSize());
            tf_model_params.hidden_size(p, shape.hiddenSize());
            tf_model_params.n_layers(p, shape.layers());
            tf_model_params.n_heads(p, shape.heads());
            tf_model_params.intermediate_size(p, shape.intermediateSize());
            tf_model_params.max_positions(p, shape.maxPositions());
            tf_model_params.norm_eps(p, shape.normEps());
            tf_model_params.rope_table(p, table);
            tf_model_params.activation_mode(p, activations.ordinal());
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Native.check(tfree4j_h.tf_model_create(context.handle(), p, out), "tf_model_create");
            return new NativeModel(context, shape, Native.handle(out));
        }
    }

    /** Sets a weight by its state-dict name; data holds rows × cols elements of dtype. */
    public void setWeight(String name, MemorySegment data, DType dtype, long rows, long cols, MemorySegment scales) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = tf_matrix.allocate(arena);
            tf_matrix.data(m, data);
            tf_matrix.scales(m, scales == null ? MemorySegment.NULL : scales);
            tf_matrix.rows(m, rows);
            tf_matrix.cols(m, cols);
            tf_matrix.dtype(m, nativeDType(dtype));
            Native.check(tfree4j_h.tf_model_set_weight(handle(), arena.allocateFrom(name), m), "tf_model_set_weight(" + name + ")");
        }
    }

    /** tf_dtype of a weight's element type; weights are float32, bfloat16, float16 or (with scales) int8. */
    static int nativeDType(DType dtype) {
        return switch (dtype) {
            case F32 -> tfree4j_h.TF_DTYPE_F32();
            case BF16 -> tfree4j_h.TF_DTYPE_BF16();
            case F16 -> tfree4j_h.TF_DTYPE_F16();
            case I8 -> tfree4j_h.TF_DTYPE_I8();
            default -> throw new IllegalArgumentException("a weight cannot be " + dtype
                    + "; weights are float32, bfloat16, float16 or (with scales) int8");
        };
    }

    /** Checks that every weight is set. */
    public void finalizeWeights() {
        Native.check(tfree4j_h.tf_model_finalize(handle()), "tf_model_finalize");
    }

    /**
     * Sums the embedding rows of each word: ids [nRows × population], rowWord [nRows],
     * out [nWords × hidden] floats.
     */
    public void embed(MemorySegment ids, long nRows, int population, MemorySegment rowWord, long nWords, MemorySegment out) {
        Native.check(tfree4j_h.tf_model_embed(handle(), ids, nRows, population, rowWord, nWords, out), "tf_model_embed");
    }

    /** A fresh KV cache for one sequence of at most {@code capacity} words. */
    public KvCache newCache(int capacity) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Native.check(tfree4j_h.tf_cache_create(handle(), capacity, out), "tf_cache_create");
            return new KvCache(this, Native.handle(out), capacity);
        }
    }

    public Shape shape() {
        return shape;
    }

    public NativeContext context() {
        return context;
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("model is closed");
        return handle;
    }

    @Override
    public synchronized void close() {
        if (handle != null) {
            tfree4j_h.tf_model_free(handle);
            handle = null;
        }
    }
}
