package dev.tfree4j.hat;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.engine.Kernels;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.NativeStack;
import dev.tfree4j.hat.HatConfig.CrossAttentionConfig;
import dev.tfree4j.hat.HatConfig.StackConfig;
import dev.tfree4j.io.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * The HAT network (docs/spec/hat.md §2, with §9's corrections) on the native stacks: byte encoder
 * (sliding window) → encoder connector (one latent query per word over its bytes,
 * {@code tf_segment_attention}) → word backbone → decoder connector (predictive vectors shifted by
 * one word) → byte decoder (a guide vector per word and layer added before each layer's block;
 * sliding window) → final norm → 256-way head. All compute is float32 from the checkpoint's
 * weights (read in place).
 *
 * <p>The decoder is one single-layer stack per layer, because the guide vector is added between
 * layers; encoder and backbone are one stack each. Every size comes from {@link HatConfig}.
 * {@link #forward} is the teacher-forced pass; {@link HatSession} the cached one of generation.
 * Thread-safe for concurrent forwards and sessions (the stacks are read-only after load).
 */
public final class HatModel implements AutoCloseable {
    /** Byte vocabulary = rows of the logits. */
    public static final int VOCAB = HatConfig.BYTE_VOCABULARY;
    /** Extra ring slots beyond the window: a prefill chunk runs slots − window + 1 rows at a time. */
    static final int RING_SLACK = 255;

    /**
     * Sliding-window convention (§9): the vLLM fork lets a byte see W keys, itself included (the
     * default, and what the fixtures use); the HF flash path is believed to see W + 1.
     */
    public enum WindowConvention {
        VLLM, HF_FLASH;

        int keys(int window) {
            return this == VLLM ? window : window + 1;
        }
    }

    private final HatCheckpoint checkpoint;
    private final HatConfig config;
    private final NativeContext context;
    private final HatSpecialTokens specials;
    private final WindowConvention windowConvention;
    private boolean ownsContext;
    private final NativeStack encoder;
    private final NativeStack backbone;
    private final NativeStack[] decoderLayers;
    private final float[] embedding;          // [256, De]
    private final float[] latentQuery;        // [C] = q_proj(latent_query), the same for every word
    private final float[] firstWordEmbedding; // [Db]
    private final float[][] kvNorm;           // [layer][Db], null where the layer has no cross-attention
    private final Tensor connK, connV, connO;
    private final Tensor[] crossV, crossO;

    private HatModel(HatCheckpoint checkpoint, NativeContext context, WindowConvention windowConvention) {
        this.checkpoint = checkpoint;
        this.config = checkpoint.config();
        this.context = context;
        this.windowConvention = windowConvention;
        this.specials = config.splitterTokens();
        StackConfig enc = config.encoder(), bb = config.backbone(), dec = config.decoder();
        CrossAttentionConfig conn = config.encoderConnector(), cross = config.decoderCrossAttention();
        // What the spec's wiring implies (§4.2) and the config reader does not already check.
        if (dec.hiddenSize() != enc.hiddenSize()) {
            throw bad("decoder_config.hidden_size", dec.hiddenSize() + " must equal encoder_config.hidden_size "
                    + enc.hiddenSize() + " (the decoder reads the encoder's outputs)");
        }
        if (conn.headDim() != enc.headDim()) {
            throw bad("encoder_config.cross_attention_config.num_attention_heads", "gives a head size " + conn.headDim()
                    + " (hidden_size " + conn.hiddenSize() + " / " + conn.numAttentionHeads() + "), which must equal the"
                    + " encoder's head size " + enc.headDim() + ": the connector uses the encoder's rotary");
        }
        if (conn.hiddenSizeQ() != bb.hiddenSize() || conn.hiddenSizeKv() != enc.hiddenSize()) {
            throw bad("encoder_config.cross_attention_config.hidden_size_q", "hidden_size_q " + conn.hiddenSizeQ()
                    + " / hidden_size_kv " + conn.hiddenSizeKv() + " must be the backbone / encoder widths "
                    + bb.hiddenSize() + " / " + enc.hiddenSize());
        }
        if (cross.hiddenSizeQ() != dec.hiddenSize() || cross.hiddenSizeKv() != bb.hiddenSize()) {
            throw bad("decoder_config.cross_attention_config.hidden_size_kv", "hidden_size_q " + cross.hiddenSizeQ()
                    + " / hidden_size_kv " + cross.hiddenSizeKv() + " must be the decoder / backbone widths "
                    + dec.hiddenSize() + " / " + bb.hiddenSize());
        }
        NativeStack e = null, b = null;
        NativeStack[] d = new NativeStack[dec.numHiddenLayers()];
        try {
            e = NativeStack.create(context, stackParams(enc, windowConvention.keys(enc.slidingWindow()), false, "encoder.layers."));
            setLayers(e, "encoder.layers.", enc.numHiddenLayers(), l -> "encoder.layers." + l + ".");
            e.finalizeWeights();
            b = NativeStack.create(context, stackParams(bb, 0, false, "backbone.layers."));
            setLayers(b, "backbone.layers.", bb.numHiddenLayers(), l -> "backbone.layers." + l + ".");
            b.finalizeWeights();
            for (int l = 0; l < d.length; l++) {
                String prefix = "decoder.decoder_layers." + l + ".llama_layer.";
                d[l] = NativeStack.create(context, stackParams(dec, windowConvention.keys(dec.slidingWindow()),
                        l == d.length - 1, prefix));
                int layer = l;
                setLayers(d[l], prefix, 1, unused -> "decoder.decoder_layers." + layer + ".llama_layer.");
                if (l == d.length - 1) {
                    d[l].setWeight("layer_norm.weight", tensor("layer_norm.weight"));
                    d[l].setWeight("lm_head.weight", tensor("lm_head.weight"));
                }
                d[l].finalizeWeights();
            }
        } catch (RuntimeException | Error x) {
            if (e != null) e.close();
            if (b != null) b.close();
            for (NativeStack s : d) if (s != null) s.close();
            throw x;
        }
        this.encoder = e;
        this.backbone = b;
        this.decoderLayers = d;
        this.embedding = tensor("encoder.embedding_layer.weight").toFloatArray();
        this.firstWordEmbedding = tensor("decoder_connector.first_word_embedding").toFloatArray();
        String c = "encoder_connector.cross_attention_encoder_connector.";
        this.connK = tensor(c + "k_proj.weight");
        this.connV = tensor(c + "v_proj.weight");
        this.connO = tensor(c + "o_proj.weight");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment latent = floats(arena, tensor("encoder_connector.latent_query").toFloatArray());
            MemorySegment q = arena.allocate(ValueLayout.JAVA_FLOAT, conn.hiddenSize());
            Kernels.matmul(context, latent, 1, tensor(c + "q_proj.weight"), q);
            this.latentQuery = q.toArray(ValueLayout.JAVA_FLOAT);
        }
        this.kvNorm = new float[d.length][];
        this.crossV = new Tensor[d.length];
        this.crossO = new Tensor[d.length];
        for (int l = 0; l < d.length; l++) {
            if (!config.decoderLayerHasCrossAttention(l)) continue;
            String p = "decoder.decoder_layers." + l + ".";
            kvNorm[l] = tensor(p + "kv_norm.weight").toFloatArray();
            crossV[l] = tensor(p + "cross_attention.v_proj.weight");
            crossO[l] = tensor(p + "cross_attention.o_proj.weight");
        }
    }

    /**
     * Opens a HAT model with {@code options}' threads and SIMD level on a native context of its
     * own (closed with the model). HAT runs on the CPU: the default device (auto) means the CPU
     * here, an explicitly chosen CUDA device is refused.
     */
    public static HatModel open(Path dir, dev.tfree4j.ModelOptions options, WindowConvention windowConvention) {
        if (options.device() != null && options.device().kind() != dev.tfree4j.Device.Kind.CPU) {
            throw new dev.tfree4j.UnsupportedModelException(dir + ": HAT models run on the CPU only (the transformer"
                    + " stacks have no CUDA path yet); open it with the CPU device");
        }
        NativeContext context = NativeContext.create(options.threads(),
                NativeContext.Simd.valueOf(options.simd().toUpperCase()));
        try {
            HatModel model = open(dir, context, windowConvention);
            model.ownsContext = true;
            return model;
        } catch (RuntimeException | Error e) {
            context.close();
            throw e;
        }
    }

    /** Whether {@code dir} holds a HAT checkpoint (by its config.json's model_type; not validated yet). */
    public static boolean isHatDirectory(Path dir) {
        dev.tfree4j.model.FamilyProbe probe = dev.tfree4j.model.FamilyProbe.of(dir);
        return probe.configJson() && HatConfig.MODEL_TYPE.equals(probe.modelType());
    }

    /** Opens and validates the checkpoint in {@code dir} and builds the network on {@code context}. */
    public static HatModel open(Path dir, NativeContext context, WindowConvention windowConvention) {
        HatCheckpoint checkpoint = HatCheckpoint.open(dir);
        try {
            return new HatModel(checkpoint, context, windowConvention);
        } catch (RuntimeException | Error e) {
            checkpoint.close();
            throw e;
        }
    }

    private ModelFormatException bad(String key, String message) {
        return new ModelFormatException(checkpoint.directory().resolve(HatCheckpoint.CONFIG_FILE), key + ": " + message);
    }

    private Tensor tensor(String name) {
        return checkpoint.tensor(name);
    }

    private NativeStack.Params stackParams(StackConfig s, int window, boolean last, String prefix) {
        HatConfig.RopeScaling r = s.ropeScaling();
        boolean llama3 = r.ropeType().equals("llama3");
        return new NativeStack.Params(s.hiddenSize(), prefix.startsWith("decoder") ? 1 : s.numHiddenLayers(),
                s.numAttentionHeads(), s.numKeyValueHeads(), s.intermediateSize(), s.maxPositionEmbeddings(),
                (float) s.rmsNormEps(), s.neoxStyle(), (float) s.ropeTheta(), llama3, (float) r.factor(),
                (float) r.lowFreqFactor(), (float) r.highFreqFactor(), r.originalMaxPositionEmbeddings(), window,
                last, "layer_norm.weight", last ? VOCAB : 0, "lm_head.weight", prefix);
    }

    private static final List<String> BLOCK_TENSORS = List.of("input_layernorm.weight", "self_attn.q_proj.weight",
            "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
            "post_attention_layernorm.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight");

    /** Sets layer l's nine block tensors of a stack (named stackPrefix + l + "." + X) from published names. */
    private void setLayers(NativeStack s, String stackPrefix, int layers, java.util.function.IntFunction<String> published) {
        for (int l = 0; l < layers; l++) {
            for (String x : BLOCK_TENSORS) s.setWeight(stackPrefix + l + "." + x, tensor(published.apply(l) + x));
        }
    }

    public HatConfig config() {
        return config;
    }

    /** The model's own encoding: special tokens and {@code max_word_size} (§1.2). */
    public HatSpecialTokens specialTokens() {
        return specials;
    }

    public NativeContext context() {
        return context;
    }

    public WindowConvention windowConvention() {
        return windowConvention;
    }

    public Path directory() {
        return checkpoint.directory();
    }

    // ---- the parts, shared by the teacher-forced pass and the cached session ----

    NativeStack encoder() {
        return encoder;
    }

    NativeStack backbone() {
        return backbone;
    }

    NativeStack[] decoderLayers() {
        return decoderLayers;
    }

    float[] firstWordEmbedding() {
        return firstWordEmbedding;
    }

    /** A ring cache for a byte-level stack: window + slack slots (>= 3 droppable for the fix-up). */
    static NativeStack.Cache ringCache(NativeStack s) {
        NativeStack.Params p = s.params();
        return s.newCache((int) Math.min(Math.max((long) p.window(), p.maxPositions()), (long) p.window() + RING_SLACK));
    }

    /** The embedding rows of bytes: [n, De]. */
    MemorySegment embed(Arena arena, byte[] bytes, int from, int n) {
        int de = config.encoder().hiddenSize();
        MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * de);
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(embedding, (bytes[from + i] & 0xFF) * de, out, ValueLayout.JAVA_FLOAT, (long) i * de * 4, de);
        }
        return out;
    }

    /**
     * The encoder connector (§2.3): word i's embedding from the encoder outputs [keyBegin[i],
     * keyEnd[i]) of {@code encoded} [nBytes, De], its query rotated at {@code wordIndex[i]} and
     * the keys at {@code bytePositions}. Returns [nWords, Db].
     */
    MemorySegment connect(Arena arena, MemorySegment encoded, int nBytes, int[] bytePositions, int[] wordIndex,
                          long[] keyBegin, long[] keyEnd) {
        CrossAttentionConfig conn = config.encoderConnector();
        int nWords = wordIndex.length, c = conn.hiddenSize(), kv = conn.kvSize();
        MemorySegment q = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nWords * c);
        for (int i = 0; i < nWords; i++) MemorySegment.copy(latentQuery, 0, q, ValueLayout.JAVA_FLOAT, (long) i * c * 4, c);
        encoder.rope(q, nWords, conn.numAttentionHeads(), arena.allocateFrom(ValueLayout.JAVA_INT, wordIndex));
        MemorySegment k = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nBytes * kv);
        MemorySegment v = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nBytes * kv);
        Kernels.matmul(context, encoded, nBytes, connK, k);
        Kernels.matmul(context, encoded, nBytes, connV, v);
        encoder.rope(k, nBytes, conn.attentionNumKvHeads(), arena.allocateFrom(ValueLayout.JAVA_INT, bytePositions));
        MemorySegment att = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nWords * c);
        Kernels.segmentAttention(context, q, nWords, k, v, nBytes, arena.allocateFrom(ValueLayout.JAVA_LONG, keyBegin),
                arena.allocateFrom(ValueLayout.JAVA_LONG, keyEnd), conn.numAttentionHeads(), conn.attentionNumKvHeads(),
                conn.headDim(), att);
        MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nWords * config.backbone().hiddenSize());
        Kernels.matmul(context, att, nWords, connO, out);
        return out;
    }

    /**
     * The decoder's guide vectors (§2.6) of predictive vectors {@code p} [n, Db]: per layer,
     * o_proj(expand_heads(v_proj(kv_norm(p)))) [n, Dd]; null for a layer without cross-attention.
     * With one key per byte the softmax weight is 1, so q_proj, k_proj and query_norm cannot matter.
     */
    MemorySegment[] guides(Arena arena, MemorySegment p, int n) {
        CrossAttentionConfig cross = config.decoderCrossAttention();
        int db = config.backbone().hiddenSize(), dd = config.decoder().hiddenSize();
        int hd = cross.headDim(), group = cross.numAttentionHeads() / cross.attentionNumKvHeads();
        float eps = (float) config.decoder().rmsNormEps();
        MemorySegment[] out = new MemorySegment[decoderLayers.length];
        MemorySegment normed = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * db);
        MemorySegment v = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * cross.kvSize());
        MemorySegment expanded = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * cross.hiddenSize());
        for (int l = 0; l < out.length; l++) {
            if (kvNorm[l] == null) continue;
            rmsNorm(p, n, db, kvNorm[l], eps, normed);
            Kernels.matmul(context, normed, n, crossV[l], v);
            // Repeat-interleave the kv heads to the query heads: head h reads kv head h / group.
            for (int r = 0; r < n; r++) {
                for (int h = 0; h < cross.numAttentionHeads(); h++) {
                    MemorySegment.copy(v, ((long) r * cross.kvSize() + (long) (h / group) * hd) * 4, expanded,
                            ((long) r * cross.hiddenSize() + (long) h * hd) * 4, (long) hd * 4);
                }
            }
            out[l] = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * dd);
            Kernels.matmul(context, expanded, n, crossO[l], out[l]);
        }
        return out;
    }

    /** RMSNorm per row (sum of squares in double): a per-word vector, too small for a kernel call to matter. */
    private static void rmsNorm(MemorySegment x, int n, int dim, float[] weight, float eps, MemorySegment out) {
        for (int r = 0; r < n; r++) {
            long base = (long) r * dim;
            double ss = 0;
            for (int i = 0; i < dim; i++) {
                float xi = x.getAtIndex(ValueLayout.JAVA_FLOAT, base + i);
                ss += (double) xi * xi;
            }
            float inv = (float) (1.0 / Math.sqrt(ss / dim + eps));
            for (int i = 0; i < dim; i++) {
                out.setAtIndex(ValueLayout.JAVA_FLOAT, base + i, x.getAtIndex(ValueLayout.JAVA_FLOAT, base + i) * inv * weight[i]);
            }
        }
    }

    /**
     * Runs the decoder over {@code n} encoder outputs {@code x} (modified in place) on the layer
     * caches, adding to row r the guide row {@code guideRow[r]} of each layer, and writes the
     * logits [n, 256] to {@code logits}; {@code beforeNorm} [n, Dd] (or null) gets the residual
     * stream after the last layer.
     */
    void decode(Arena arena, NativeStack.Cache[] caches, MemorySegment x, int n, MemorySegment[] guides, int[] guideRow,
                MemorySegment logits, MemorySegment beforeNorm) {
        int dd = config.decoder().hiddenSize();
        MemorySegment next = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * dd);
        for (int l = 0; l < decoderLayers.length; l++) {
            if (guides[l] != null) {
                for (int r = 0; r < n; r++) {
                    long xr = (long) r * dd, gr = (long) guideRow[r] * dd;
                    for (int i = 0; i < dd; i++) {
                        x.setAtIndex(ValueLayout.JAVA_FLOAT, xr + i, x.getAtIndex(ValueLayout.JAVA_FLOAT, xr + i)
                                + guides[l].getAtIndex(ValueLayout.JAVA_FLOAT, gr + i));
                    }
                }
            }
            if (l < decoderLayers.length - 1) {
                caches[l].forward(x, n, null, null, next);
                MemorySegment.copy(next, 0, x, 0, (long) n * dd * 4);
            } else {
                caches[l].forward(x, n, null, beforeNorm, logits);
            }
        }
    }

    NativeStack.Cache[] decoderCaches() {
        NativeStack.Cache[] caches = new NativeStack.Cache[decoderLayers.length];
        try {
            for (int l = 0; l < caches.length; l++) caches[l] = ringCache(decoderLayers[l]);
        } catch (RuntimeException | Error e) {
            for (NativeStack.Cache c : caches) if (c != null) c.close();
            throw e;
        }
        return caches;
    }

    /** The words of a text as the model encodes it (special tokens, max_word_size). */
    public List<byte[]> encode(String text) {
        return specials.encode(text);
    }

    /**
     * The teacher-forced pass over whole words: logits [bytes, 256] (row t predicts byte t + 1)
     * and the intermediates of §2.
     *
     * @param words at least one non-empty word
     */
    public HatForward forward(List<byte[]> words) {
        int nWords = words.size();
        if (nWords == 0) throw new IllegalArgumentException("no words to run");
        int total = 0;
        long[] begin = new long[nWords], end = new long[nWords];
        for (int i = 0; i < nWords; i++) {
            if (words.get(i).length == 0) throw new IllegalArgumentException("word " + i + " is empty");
            begin[i] = total;
            total += words.get(i).length;
            end[i] = total;
        }
        checkLength(total, nWords);
        byte[] bytes = new byte[total];
        int[] wordOf = new int[total];
        for (int i = 0, t = 0; i < nWords; i++) {
            for (byte x : words.get(i)) {
                wordOf[t] = i;
                bytes[t++] = x;
            }
        }
        int de = config.encoder().hiddenSize(), db = config.backbone().hiddenSize(), dd = config.decoder().hiddenSize();
        try (Arena arena = Arena.ofConfined(); NativeStack.Cache enc = ringCache(encoder);
             NativeStack.Cache bb = backbone.newCache(nWords)) {
            MemorySegment encoded = arena.allocate(ValueLayout.JAVA_FLOAT, (long) total * de);
            enc.forward(embed(arena, bytes, 0, total), total, null, null, encoded);
            int[] positions = new int[total];
            for (int t = 0; t < total; t++) positions[t] = t;
            int[] wordIndex = new int[nWords];
            for (int i = 0; i < nWords; i++) wordIndex[i] = i;
            MemorySegment wordEmb = connect(arena, encoded, total, positions, wordIndex, begin, end);
            MemorySegment states = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nWords * db);
            bb.forward(wordEmb, nWords, null, null, states);
            MemorySegment predictive = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nWords * db);
            MemorySegment.copy(firstWordEmbedding, 0, predictive, ValueLayout.JAVA_FLOAT, 0, db);
            MemorySegment.copy(states, 0, predictive, (long) db * 4, (long) (nWords - 1) * db * 4);
            MemorySegment[] g = guides(arena, predictive, nWords);
            MemorySegment x = arena.allocate(ValueLayout.JAVA_FLOAT, (long) total * dd);
            MemorySegment.copy(encoded, 0, x, 0, (long) total * dd * 4);
            MemorySegment logits = arena.allocate(ValueLayout.JAVA_FLOAT, (long) total * VOCAB);
            MemorySegment beforeNorm = arena.allocate(ValueLayout.JAVA_FLOAT, (long) total * dd);
            NativeStack.Cache[] dec = decoderCaches();
            try {
                decode(arena, dec, x, total, g, wordOf, logits, beforeNorm);
            } finally {
                for (NativeStack.Cache cache : dec) cache.close();
            }
            return new HatForward(bytes, begin, logits.toArray(ValueLayout.JAVA_FLOAT),
                    encoded.toArray(ValueLayout.JAVA_FLOAT), wordEmb.toArray(ValueLayout.JAVA_FLOAT),
                    states.toArray(ValueLayout.JAVA_FLOAT), predictive.toArray(ValueLayout.JAVA_FLOAT),
                    beforeNorm.toArray(ValueLayout.JAVA_FLOAT));
        }
    }

    /** Teacher-forced logits of a text encoded the model's way: [bytes, 256]; row t predicts byte t + 1. */
    public HatForward logits(String text) {
        List<byte[]> words = encode(text);
        if (words.isEmpty()) throw new IllegalArgumentException("the text is empty: HAT needs at least one byte");
        return forward(words);
    }

    /**
     * The log-likelihood of {@code continuation}'s bytes after {@code prompt} (the text is encoded
     * as a whole, the way the model reads it; the continuation's bytes are the ones after the
     * prompt's): ln p of each byte from the row before it, as the eval-framework scores a choice of
     * n bytes with rows [-n-1 : -1].
     */
    public LogLikelihood logLikelihood(String prompt, String continuation) {
        byte[] promptBytes = concat(encode(prompt));
        if (promptBytes.length == 0) throw new IllegalArgumentException("the prompt is empty: the first byte has no prediction");
        HatForward f = forward(encode(prompt + continuation));
        byte[] all = f.bytes();
        if (all.length <= promptBytes.length
                || !java.util.Arrays.equals(promptBytes, java.util.Arrays.copyOf(all, promptBytes.length))) {
            throw new IllegalArgumentException("the continuation adds no bytes after the prompt's, or the two encode"
                    + " differently together (a special token across the join)");
        }
        int n = all.length - promptBytes.length;
        float[] perByte = new float[n];
        boolean greedy = true;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int t = promptBytes.length + i;
            float[] row = f.logitsRow(t - 1);
            int b = all[t] & 0xFF;
            perByte[i] = HatGenerator.step(row, b, 0).logProb();
            greedy &= HatGenerator.argmax(row) == b;
            total += perByte[i];
        }
        return new LogLikelihood(total, perByte, greedy);
    }

    /** ln p of a continuation: the sum, per byte, and whether every byte was the argmax. */
    public record LogLikelihood(double total, float[] perByte, boolean greedy) {}

    static byte[] concat(List<byte[]> words) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] w : words) out.writeBytes(w);
        return out.toByteArray();
    }

    /** Refuses sequences beyond the position tables, before native code sees them. */
    void checkLength(long bytes, long words) {
        int encMax = config.encoder().maxPositionEmbeddings(), decMax = config.decoder().maxPositionEmbeddings();
        int bbMax = config.backbone().maxPositionEmbeddings();
        if (bytes > Math.min(encMax, decMax)) {
            throw new IllegalArgumentException(bytes + " bytes exceed the byte positions of the model (encoder_config /"
                    + " decoder_config.max_position_embeddings = " + encMax + " / " + decMax + ")");
        }
        if (words > bbMax) {
            throw new IllegalArgumentException(words + " words exceed backbone_config.max_position_embeddings = " + bbMax);
        }
    }

    static MemorySegment floats(Arena arena, float[] values) {
        return arena.allocateFrom(ValueLayout.JAVA_FLOAT, values);
    }

    @Override
    public void close() {
        for (NativeStack s : decoderLayers) s.close();
        backbone.close();
        encoder.close();
        checkpoint.close();
        if (ownsContext) context.close();
    }
}
