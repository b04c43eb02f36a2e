package dev.tfree4j.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ModelFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The architecture config {@code transformer/transformer_config.yaml} (JSON text despite the
 * name; keys in docs/spec/tfree.md §7.2). Values are checked strictly: what this runtime cannot run (layer
 * norm, GELU MLP, biases) is refused with an "unsupported" message rather than run wrongly, and
 * unknown keys are refused as the reference does (pydantic {@code extra=forbid}), since a key
 * this reader does not know could change the architecture.
 *
 * @param useFlash               a training-time switch; the reference forces it off for inference
 * @param embeddingNormalization divide each word's embedding by its number of trigram rows
 * @param embeddingAggregation   how the P ids of one row are combined
 * @param init                   initialisation scheme (irrelevant for inference)
 * @param rotaryEmbeddingBase    RoPE base (an int in the reference)
 * @param layernormEpsilon       RMSNorm epsilon (class default 1e-5 when absent)
 */
public record TransformerConfig(
        boolean useFlash,
        boolean embeddingNormalization,
        Aggregation embeddingAggregation,
        String norm,
        String mlpType,
        String init,
        boolean biasTerms,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numAttentionHeads,
        int rotaryEmbeddingBase,
        int sequenceLength,
        double mlpFactor,
        Precision precision,
        double layernormEpsilon,
        double initStdGlobalGain) {

    /** {@code embedding_aggregation}: sum (the 7B models) or mean of the P embedding rows of a trigram. */
    public enum Aggregation {
        SUM, MEAN
    }

    /** {@code precision}: the dtype the reference runs (and stores) the model in. */
    public enum Precision {
        FLOAT32(DType.F32), BFLOAT16(DType.BF16), FLOAT16(DType.F16);

        private final DType dtype;

        Precision(DType dtype) {
            this.dtype = dtype;
        }

        public DType dtype() {
            return dtype;
        }
    }

    /** Duplicate keys and trailing garbage are errors, not "last one wins". */
    private static final ObjectMapper MAPPER = StrictJson.MAPPER;

    private static final Set<String> KEYS = Set.of("use_flash", "embedding_normalization", "embedding_aggregation",
            "norm", "mlp_type", "init", "bias_terms", "vocab_size", "hidden_size", "num_layers",
            "num_attention_heads", "rotary_embedding_base", "sequence_length", "mlp_factor", "precision",
            "layernorm_epsilon", "init_std_global_gain");

    /** Validates the values that do not depend on a file (also when built in code). */
    public TransformerConfig {
        if (embeddingAggregation == null || precision == null || norm == null || mlpType == null || init == null) {
            throw new IllegalArgumentException("null config value");
        }
    }

    /**
     * The most positions a model may have. Memory that grows with sequence_length (the rotary
     * table at load, a full context's KV cache) is checked against the machine as well
     * ({@code model.ModelLimits}); this cap keeps every position count and table size far from
     * int overflow and refuses absurd values (2^31 - 1) before any of that is computed.
     * 2^20 is 256 times a 4096-word context.
     */
    public static final int MAX_SEQUENCE_LENGTH = 1 << 20;

    public static TransformerConfig read(Path file) {
        return parse(file, StrictJson.readBounded(file, "config file", StrictJson.MAX_CONFIG_BYTES));
    }

    /** Parses the bytes of a config file; {@code file} only names it in messages. */
    public static TransformerConfig parse(Path file, byte[] bytes) {
        String text = dev.tfree4j.text.TokenizerConfig.utf8(file, bytes);
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ModelFormatException(file, "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() : ""), e);
        }
        return fromJson(file, root);
    }

    /** Parses a config already read as JSON (e.g. the "transformer" object of a converted model's config.json). */
    public static TransformerConfig fromJson(Path file, JsonNode root) {
        if (root == null || !root.isObject()) throw new ModelFormatException(file, "config must be a JSON object");
        return new Parser(file, root).parse();
    }

    /** MLP width F = int(hidden * mlp_factor), with Python's truncation toward zero. */
    public int intermediateSize() {
        return (int) (hiddenSize * mlpFactor);
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** The state-dict names and shapes (docs/spec/tfree.md §7.3) for this config and {@code vocab} ids, in save order. */
    public Map<String, long[]> expectedShapes(int vocab) {
        long h = hiddenSize;
        long f = intermediateSize();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("transformer.embeddings.embedding.weight", new long[] {vocab, h});
        for (int l = 0; l < numLayers; l++) {
            String p = "transformer.layers." + l + ".";
            m.put(p + "input_layernorm.weight", new long[] {h});
            m.put(p + "attention.query.weight", new long[] {h, h});
            m.put(p + "attention.key.weight", new long[] {h, h});
            m.put(p + "attention.value.weight", new long[] {h, h});
            m.put(p + "attention.dense.weight", new long[] {h, h});
            m.put(p + "post_attention_layernorm.weight", new long[] {h});
            m.put(p + "mlp.dense_in.weight", new long[] {f, h});
            m.put(p + "mlp.swiglu.weight", new long[] {f, h});
            m.put(p + "mlp.dense_out.weight", new long[] {h, f});
        }
        m.put("transformer.norm.weight", new long[] {h});
        m.put("lm_head.weight", new long[] {vocab, h});
        return m;
    }

    /**
     * Refuses a checkpoint that lists far fewer tensors than num_layers needs (9 per layer, 3
     * more), before the expected names and shapes are built: their count is the config's claim
     * (a billion layers built a billion-entry table), the tensor count is what the file holds. A
     * near miss (up to twice the file's tensors and 1024 more) is left to {@link #validate},
     * which lists the missing tensors by name; its table stays proportional to the file.
     */
    public void requireTensorCount(int tensorsInFile, Path file) {
        long needed = 9L * numLayers + 3;
        if (needed > 2L * tensorsInFile + 1024) {
            throw new ModelFormatException(file, "num_layers " + numLayers + " needs " + needed
                    + " weight tensors (9 per layer and 3 more), but the file holds " + tensorsInFile);
        }
    }

    /**
     * Checks that {@code stateDict} (read from {@code file}) has exactly the tensors this config
     * needs, with the right shapes and a floating-point dtype; reports missing, unexpected and
     * wrongly shaped tensors together (the first few of each).
     */
    public void validate(Map<String, Tensor> stateDict, Path file) {
        requireTensorCount(stateDict.size(), file);
        Map<String, long[]> expected = expectedShapes(vocabSize);
        List<String> missing = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = stateDict.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
            } else if (!t.hasShape(e.getValue())) {
                wrong.add(e.getKey() + " is " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(e.getValue()));
            } else if (!t.dtype().isFloatingPoint()) {
                wrong.add(e.getKey() + " has dtype " + t.dtype() + ", expected a floating-point type");
            }
        }
        for (String name : stateDict.keySet()) if (!expected.containsKey(name)) unexpected.add(name);
        if (missing.isEmpty() && wrong.isEmpty() && unexpected.isEmpty()) return;
        StringBuilder sb = new StringBuilder("state dict does not match the config (vocab_size " + vocabSize
                + ", hidden_size " + hiddenSize + ", num_layers " + numLayers + ", intermediate size "
                + intermediateSize() + "):");
        appendList(sb, "missing", missing);
        appendList(sb, "unexpected", unexpected);
        appendList(sb, "wrong shape", wrong);
        throw new ModelFormatException(file, sb.toString());
    }

    private static void appendList(StringBuilder sb, String label, List<String> items) {
        if (items.isEmpty()) return;
        sb.append(' ').append(items.size()).append(' ').append(label).append(" [");
        sb.append(String.join("; ", items.subList(0, Math.min(5, items.size()))));
        if (items.size() > 5) sb.append("; ...");
        sb.append(']');
    }

    /** Typed access to the JSON object with messages that name the file and the key. */
    private record Parser(Path file, JsonNode root) {
        TransformerConfig parse() {
            List<String> unknown = new ArrayList<>();
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!KEYS.contains(k)) unknown.add(k);
            }
            if (!unknown.isEmpty()) throw bad("unknown keys " + unknown + " (a newer or different model format?)");

            int vocab = positiveInt("vocab_size");
            int hidden = positiveInt("hidden_size");
            int layers = positiveInt("num_layers");
            int heads = positiveInt("num_attention_heads");
            int seq = positiveInt("sequence_length");
            if (seq > MAX_SEQUENCE_LENGTH) {
                throw bad("'sequence_length' is " + seq + "; the limit is " + MAX_SEQUENCE_LENGTH + " positions");
            }
            int base = positiveInt("rotary_embedding_base");
            if (hidden % heads != 0) {
                throw bad("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
            }
            if ((hidden / heads) % 2 != 0) {
                throw bad("head dimension " + hidden / heads + " (hidden_size / num_attention_heads) must be even for rotary embeddings");
            }
            double mlpFactor = positiveNumber("mlp_factor", null);
            double f = hidden * mlpFactor;
            if (f < 1 || f >= Integer.MAX_VALUE) {
                throw bad("mlp_factor " + mlpFactor + " gives an MLP width of " + f + " for hidden_size " + hidden);
            }
            String norm = choice("norm", null, "rms", "layer");
            if (!norm.equals("rms")) throw bad("unsupported norm '" + norm + "' (only \"rms\" is supported)");
            String mlp = choice("mlp_type", null, "swiglu", "simple_gelu");
            if (!mlp.equals("swiglu")) throw bad("unsupported mlp_type '" + mlp + "' (only \"swiglu\" is supported)");
            boolean bias = bool("bias_terms", null);
            if (bias) throw bad("unsupported bias_terms true (only models without biases are supported)");
            Aggregation agg = Aggregation.valueOf(choice("embedding_aggregation", null, "sum", "mean").toUpperCase());
            Precision precision = Precision.valueOf(choice("precision", null, "float32", "bfloat16", "float16").toUpperCase());
            return new TransformerConfig(
                    bool("use_flash", false),
                    bool("embedding_normalization", false),
                    agg, norm, mlp,
                    string("init", "pythia"),
                    bias, vocab, hidden, layers, heads, base, seq, mlpFactor, precision,
                    float32("layernorm_epsilon", 1e-5),
                    positiveNumber("init_std_global_gain", 1.0));
        }

        private JsonNode get(String key, boolean required) {
            JsonNode n = root.get(key);
            if ((n == null || n.isNull()) && required) throw bad("missing key '" + key + "'");
            return n == null || n.isNull() ? null : n;
        }

        private int positiveInt(String key) {
            JsonNode n = get(key, true);
            if (!n.isIntegralNumber() || !n.canConvertToInt()) throw bad("'" + key + "' must be an integer, got " + n);
            int v = n.intValue();
            if (v <= 0) throw bad("'" + key + "' must be positive, got " + v);
            return v;
        }

        private double positiveNumber(String key, Double dflt) {
            JsonNode n = get(key, dflt == null);
            if (n == null) return dflt;
            if (!n.isNumber()) throw bad("'" + key + "' must be a number, got " + n);
            double v = n.doubleValue();
            if (!(v > 0) || Double.isInfinite(v)) throw bad("'" + key + "' must be positive and finite, got " + n);
            return v;
        }

        /** A positive number the native code receives as a float32: it must be a positive, finite float32. */
        private double float32(String key, double dflt) {
            double v = positiveNumber(key, dflt);
            if ((float) v == 0f || Float.isInfinite((float) v)) {
                throw bad("'" + key + "' is " + root.get(key) + "; it must be a positive float32, between "
                        + Float.MIN_VALUE + " and " + Float.MAX_VALUE);
            }
            return v;
        }

        private boolean bool(String key, Boolean dflt) {
            JsonNode n = get(key, dflt == null);
            if (n == null) return dflt;
            if (!n.isBoolean()) throw bad("'" + key + "' must be true or false, got " + n);
            return n.booleanValue();
        }

        private String string(String key, String dflt) {
            JsonNode n = get(key, dflt == null);
            if (n == null) return dflt;
            if (!n.isTextual()) throw bad("'" + key + "' must be a string, got " + n);
            return n.textValue();
        }

        private String choice(String key, String dflt, String... allowed) {
            String v = string(key, dflt);
            if (!Arrays.asList(allowed).contains(v)) {
                throw bad("'" + key + "' is \"" + v + "\", expected one of " + Arrays.toString(allowed));
            }
            return v;
        }

        private ModelFormatException bad(String problem) {
            return new ModelFormatException(file, problem);
        }
    }
}
