package dev.tfree4j.hat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.StrictJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code config.json} of a HAT checkpoint in the published Hugging Face layout (HAT spec
 * §4.2, with §9's corrections): three Llama-like stacks (byte encoder, word backbone, byte
 * decoder), the two cross-attentions that join them, and the byte-level settings.
 *
 * <p>Every size comes from the file; nothing is assumed about the real checkpoints. Reading is
 * strict ({@link StrictJson}: no duplicate keys, nothing after the object, bounded size) and every
 * key this runtime uses is checked for presence, type, range and consistency; a violation is a
 * {@link ModelFormatException} naming the file and the key path (e.g.
 * {@code decoder_config.cross_attention_config.num_attention_heads}). Keys this runtime does not
 * use ({@code transformers_version}, {@code auto_map}, {@code architectures}, {@code torch_dtype},
 * {@code use_cache}, {@code key_query_norm_per_head}, the backbone's {@code vocab_size} and
 * {@code sliding_window}, ...) are ignored, as are unknown keys: HF configs carry many.
 *
 * <p>Keys with a documented default may be absent (the default of the HF config class applies):
 * {@code special_token_dict} ({@code {"<|eot_id|>": 192}}), {@code eos_token_id} (192),
 * {@code max_word_size} (100), top-level {@code sliding_window} (768) and
 * {@code max_position_embeddings} (262144); per stack {@code hidden_act} ("silu"),
 * {@code mlp_bias} (false), {@code key_query_norm} (false), {@code is_neox_style} (true),
 * {@code rope_scaling} (none: "default"); per cross-attention {@code word_window_size} (1) and
 * {@code key_query_norm} (false). Every size, head count, eps and rope theta is required.
 *
 * <p>What is refused as unsupported, and why:
 * <ul>
 *   <li>{@code hidden_act} other than "silu", {@code mlp_bias} true: the spec's block (§2.1) is a
 *       SwiGLU Llama block without biases, and the published tensor names have no biases;</li>
 *   <li>{@code key_query_norm} true, on a stack or a cross-attention: the spec's blocks have no QK
 *       norm, and the vLLM fork, which runs the published models, cannot run it (§2.3);</li>
 *   <li>{@code rope_scaling.rope_type} other than "default" or "llama3";</li>
 *   <li>{@code vocab_size} of encoder or decoder other than 256 (the byte vocabulary);</li>
 *   <li>{@code word_window_size} other than 1: each byte's cross-attention sees exactly its own
 *       word (§2.6), which is what makes the decoder's guide vectors exact.</li>
 * </ul>
 * {@code is_neox_style} false (interleaved RoPE pairs) is read, not refused: it is a defined
 * variant (§2.1) for the forward to honour or refuse.
 *
 * @param encoder               the byte encoder ({@code encoder_config})
 * @param encoderConnector      the encoder connector's cross-attention ({@code encoder_config.cross_attention_config})
 * @param backbone              the word backbone ({@code backbone_config}); its window is not read
 * @param decoder               the byte decoder ({@code decoder_config})
 * @param decoderCrossAttention the decoder's cross-attention ({@code decoder_config.cross_attention_config})
 * @param crossAttnEveryLayer   {@code decoder_config.cross_attn_every_layer}: cross-attention in every
 *                              decoder layer, else only in layer 0
 * @param specialTokens         {@code special_token_dict}, in file order
 * @param eosTokenId            {@code eos_token_id}, a byte
 * @param maxWordSize           {@code max_word_size}, the byte limit of a word
 * @param maxPositionEmbeddings top-level {@code max_position_embeddings}
 */
public record HatConfig(StackConfig encoder, CrossAttentionConfig encoderConnector, StackConfig backbone,
                        StackConfig decoder, CrossAttentionConfig decoderCrossAttention, boolean crossAttnEveryLayer,
                        Map<String, Integer> specialTokens, int eosTokenId, int maxWordSize, int maxPositionEmbeddings) {

    /** The {@code model_type} of a HAT {@code config.json}. */
    public static final String MODEL_TYPE = "hierarchical_autoregressive_transformer";
    /** The byte vocabulary of encoder and decoder. */
    public static final int BYTE_VOCABULARY = 256;
    /**
     * The most layers a stack may have: a sanity bound far above any published transformer (the
     * 70B backbone has 80), so that a corrupt count is an error, not millions of expected tensors.
     */
    public static final int MAX_LAYERS = 1024;
    /** The most bytes of {@code config.json} read (real ones are a few KB). */
    public static final long MAX_CONFIG_BYTES = 1 << 20;

    static final int DEFAULT_EOS = 192;
    static final int DEFAULT_MAX_WORD_SIZE = 100;
    static final int DEFAULT_SLIDING_WINDOW = 768;
    static final int DEFAULT_MAX_POSITION_EMBEDDINGS = 262_144;

    public HatConfig {
        specialTokens = Collections.unmodifiableMap(new LinkedHashMap<>(specialTokens));
    }

    /**
     * One Llama-like stack (HAT spec §2.1).
     *
     * @param slidingWindow the window in bytes for encoder and decoder (the stack's
     *                      {@code sliding_window}, else the top-level one, else 768); 0 for the
     *                      backbone, which attends to every earlier word
     */
    public record StackConfig(int hiddenSize, int numHiddenLayers, int numAttentionHeads, int numKeyValueHeads,
                              int intermediateSize, double rmsNormEps, double ropeTheta, RopeScaling ropeScaling,
                              boolean neoxStyle, int slidingWindow, int maxPositionEmbeddings) {
        /** hidden_size / num_attention_heads (the config has no head_dim key). */
        public int headDim() {
            return hiddenSize / numAttentionHeads;
        }
    }

    /**
     * A cross-attention's {@code cross_attention_config} (HAT spec §2.3, §2.6, §9).
     *
     * @param hiddenSize   C, the attention's inner width (may differ from both sides' widths)
     * @param hiddenSizeQ  the width the queries come from
     * @param hiddenSizeKv the width the keys and values come from
     */
    public record CrossAttentionConfig(int hiddenSize, int hiddenSizeQ, int hiddenSizeKv, int numAttentionHeads,
                                       int attentionNumKvHeads) {
        /** C / heads. */
        public int headDim() {
            return hiddenSize / numAttentionHeads;
        }

        /** The rows of k_proj and v_proj: C × kv heads / heads. */
        public int kvSize() {
            return headDim() * attentionNumKvHeads;
        }
    }

    /**
     * A stack's {@code rope_scaling}: {@code "default"} (plain RoPE; the llama3 fields are 0) or
     * {@code "llama3"} with its four parameters.
     */
    public record RopeScaling(String ropeType, double factor, double lowFreqFactor, double highFreqFactor,
                              int originalMaxPositionEmbeddings) {
        static final RopeScaling DEFAULT = new RopeScaling("default", 0, 0, 0, 0);
    }

    /** Reads and validates {@code file}. */
    public static HatConfig read(Path file) {
        return fromJson(file, StrictJson.readObject(file, "HAT config.json", MAX_CONFIG_BYTES));
    }

    /** Parses the bytes of a config.json (as {@link #read}); errors name {@code file}. */
    public static HatConfig parse(Path file, byte[] json) {
        JsonNode root;
        try {
            root = StrictJson.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new ModelFormatException(file, "HAT config.json is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot parse the HAT config.json: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new ModelFormatException(file, "HAT config.json must be a JSON object");
        return fromJson(file, root);
    }

    /** Validates a parsed config.json object. */
    public static HatConfig fromJson(Path file, JsonNode root) {
        Keys top = new Keys(file, root, "");
        String modelType = top.string("model_type");
        if (!modelType.equals(MODEL_TYPE)) {
            throw top.bad("model_type", "is \"" + modelType + "\", not \"" + MODEL_TYPE + "\"");
        }
        int topWindow = top.optionalPositiveOrNull("sliding_window", DEFAULT_SLIDING_WINDOW);
        int maxPositions = top.optionalPositive("max_position_embeddings", DEFAULT_MAX_POSITION_EMBEDDINGS);

        Keys enc = top.object("encoder_config");
        Keys bb = top.object("backbone_config");
        Keys dec = top.object("decoder_config");
        StackConfig encoder = stack(enc, topWindow, true);
        StackConfig backbone = stack(bb, 0, false);
        StackConfig decoder = stack(dec, topWindow, true);
        Keys encCross = enc.object("cross_attention_config");
        Keys decCross = dec.object("cross_attention_config");
        CrossAttentionConfig encoderConnector = crossAttention(encCross);
        CrossAttentionConfig decoderCross = crossAttention(decCross);
        boolean everyLayer = dec.bool("cross_attn_every_layer");

        // The shapes that join the stacks (spec §4.2, §9): the decoder reads the encoder's outputs,
        // each cross-attention reads the widths of the stacks on its two sides, and its rotary (or
        // head layout) is the host stack's.
        if (decoder.hiddenSize() != encoder.hiddenSize()) {
            throw dec.bad("hidden_size", decoder.hiddenSize() + " differs from encoder_config.hidden_size "
                    + encoder.hiddenSize() + " (the decoder runs on the encoder's byte activations)");
        }
        requireEqual(encCross, "hidden_size_q", encoderConnector.hiddenSizeQ(), "backbone_config.hidden_size", backbone.hiddenSize());
        requireEqual(encCross, "hidden_size_kv", encoderConnector.hiddenSizeKv(), "encoder_config.hidden_size", encoder.hiddenSize());
        requireEqual(encCross, "hidden_size / num_attention_heads", encoderConnector.headDim(),
                "the encoder's head size (encoder_config.hidden_size / num_attention_heads)", encoder.headDim());
        requireEqual(decCross, "hidden_size_q", decoderCross.hiddenSizeQ(), "decoder_config.hidden_size", decoder.hiddenSize());
        requireEqual(decCross, "hidden_size_kv", decoderCross.hiddenSizeKv(), "backbone_config.hidden_size", backbone.hiddenSize());
        requireEqual(decCross, "hidden_size / num_attention_heads", decoderCross.headDim(),
                "the decoder's head size (decoder_config.hidden_size / num_attention_heads)", decoder.headDim());

        Map<String, Integer> specialTokens = specialTokens(top);
        int eos = top.has("eos_token_id") ? top.intIn("eos_token_id", 0, BYTE_VOCABULARY - 1) : DEFAULT_EOS;
        int maxWordSize = top.optionalPositive("max_word_size", DEFAULT_MAX_WORD_SIZE);
        return new HatConfig(encoder, encoderConnector, backbone, decoder, decoderCross, everyLayer,
                specialTokens, eos, maxWordSize, maxPositions);
    }

    /** The special tokens and {@code max_word_size} as the splitter's wrapper. */
    public HatSpecialTokens splitterTokens() {
        return new HatSpecialTokens(specialTokens, maxWordSize);
    }

    /** Whether decoder layer {@code layer} has {@code cross_attention.*} weights. */
    public boolean decoderLayerHasCrossAttention(int layer) {
        return layer == 0 || crossAttnEveryLayer;
    }

    /**
     * Every tensor the checkpoint must hold, by its published name (HAT spec §4.3 with §9's
     * correction: {@code query_norm} and {@code kv_norm} in every decoder layer), with the shape
     * this config implies, in module order.
     */
    public Map<String, long[]> expectedTensors() {
        Map<String, long[]> out = new LinkedHashMap<>();
        int de = encoder.hiddenSize();
        int db = backbone.hiddenSize();
        int dd = decoder.hiddenSize();
        out.put("encoder.embedding_layer.weight", new long[] {BYTE_VOCABULARY, de});
        for (int i = 0; i < encoder.numHiddenLayers(); i++) block(out, "encoder.layers." + i + ".", encoder);
        out.put("encoder_connector.latent_query", new long[] {1, 1, db});
        crossAttention(out, "encoder_connector.cross_attention_encoder_connector.", encoderConnector);
        for (int i = 0; i < backbone.numHiddenLayers(); i++) block(out, "backbone.layers." + i + ".", backbone);
        out.put("decoder_connector.first_word_embedding", new long[] {1, 1, db});
        for (int i = 0; i < decoder.numHiddenLayers(); i++) {
            String layer = "decoder.decoder_layers." + i + ".";
            block(out, layer + "llama_layer.", decoder);
            if (decoderLayerHasCrossAttention(i)) crossAttention(out, layer + "cross_attention.", decoderCrossAttention);
            out.put(layer + "query_norm.weight", new long[] {decoderCrossAttention.hiddenSizeQ()});
            out.put(layer + "kv_norm.weight", new long[] {decoderCrossAttention.hiddenSizeKv()});
        }
        out.put("layer_norm.weight", new long[] {dd});
        out.put("lm_head.weight", new long[] {BYTE_VOCABULARY, dd});
        return out;
    }

    private static void block(Map<String, long[]> out, String prefix, StackConfig s) {
        long d = s.hiddenSize();
        long q = (long) s.numAttentionHeads() * s.headDim();
        long kv = (long) s.numKeyValueHeads() * s.headDim();
        long ffn = s.intermediateSize();
        out.put(prefix + "input_layernorm.weight", new long[] {d});
        out.put(prefix + "post_attention_layernorm.weight", new long[] {d});
        out.put(prefix + "self_attn.q_proj.weight", new long[] {q, d});
        out.put(prefix + "self_attn.k_proj.weight", new long[] {kv, d});
        out.put(prefix + "self_attn.v_proj.weight", new long[] {kv, d});
        out.put(prefix + "self_attn.o_proj.weight", new long[] {d, q});
        out.put(prefix + "mlp.gate_proj.weight", new long[] {ffn, d});
        out.put(prefix + "mlp.up_proj.weight", new long[] {ffn, d});
        out.put(prefix + "mlp.down_proj.weight", new long[] {d, ffn});
    }

    private static void crossAttention(Map<String, long[]> out, String prefix, CrossAttentionConfig c) {
        out.put(prefix + "q_proj.weight", new long[] {c.hiddenSize(), c.hiddenSizeQ()});
        out.put(prefix + "k_proj.weight", new long[] {c.kvSize(), c.hiddenSizeKv()});
        out.put(prefix + "v_proj.weight", new long[] {c.kvSize(), c.hiddenSizeKv()});
        out.put(prefix + "o_proj.weight", new long[] {c.hiddenSizeQ(), c.hiddenSize()});
    }

    private static StackConfig stack(Keys k, int topWindow, boolean byteLevel) {
        if (byteLevel) {
            int vocab = k.positive("vocab_size");
            if (vocab != BYTE_VOCABULARY) {
                throw k.bad("vocab_size", "is " + vocab + "; only the byte vocabulary of " + BYTE_VOCABULARY + " is supported");
            }
        }
        int hidden = k.positive("hidden_size");
        int layers = k.intIn("num_hidden_layers", 1, MAX_LAYERS);
        int heads = k.positive("num_attention_heads");
        int kvHeads = k.positive("num_key_value_heads");
        if (hidden % heads != 0) {
            throw k.bad("num_attention_heads", heads + " does not divide hidden_size " + hidden);
        }
        if ((hidden / heads) % 2 != 0) {
            throw k.bad("num_attention_heads", "gives an odd head size " + hidden / heads + " (hidden_size " + hidden
                    + "), which rotary embeddings cannot pair");
        }
        if (heads % kvHeads != 0) {
            throw k.bad("num_key_value_heads", kvHeads + " does not divide num_attention_heads " + heads);
        }
        int ffn = k.positive("intermediate_size");
        double eps = k.positiveNumber("rms_norm_eps");
        double theta = k.positiveNumber("rope_theta");
        RopeScaling scaling = ropeScaling(k);
        String act = k.has("hidden_act") ? k.string("hidden_act") : "silu";
        if (!act.equals("silu")) throw k.bad("hidden_act", "is \"" + act + "\"; only \"silu\" (SwiGLU) is supported");
        if (k.has("mlp_bias") && k.bool("mlp_bias")) {
            throw k.bad("mlp_bias", "is true; only false is supported (HAT blocks have no biases)");
        }
        refuseKeyQueryNorm(k);
        boolean neox = !k.has("is_neox_style") || k.bool("is_neox_style");
        int window = byteLevel ? k.optionalPositiveOrNull("sliding_window", topWindow) : 0;
        int positions = k.positive("max_position_embeddings");
        return new StackConfig(hidden, layers, heads, kvHeads, ffn, eps, theta, scaling, neox, window, positions);
    }

    private static CrossAttentionConfig crossAttention(Keys k) {
        int hidden = k.positive("hidden_size");
        int q = k.positive("hidden_size_q");
        int kv = k.positive("hidden_size_kv");
        int heads = k.positive("num_attention_heads");
        int kvHeads = k.positive("attention_num_kv_heads");
        if (hidden % heads != 0) throw k.bad("num_attention_heads", heads + " does not divide hidden_size " + hidden);
        if (heads % kvHeads != 0) {
            throw k.bad("attention_num_kv_heads", kvHeads + " does not divide num_attention_heads " + heads);
        }
        if (k.has("word_window_size")) {
            int window = k.positive("word_window_size");
            if (window != 1) {
                throw k.bad("word_window_size", "is " + window + "; only 1 (each byte attends to its own word) is supported");
            }
        }
        refuseKeyQueryNorm(k);
        return new CrossAttentionConfig(hidden, q, kv, heads, kvHeads);
    }

    private static void refuseKeyQueryNorm(Keys k) {
        if (k.has("key_query_norm") && k.bool("key_query_norm")) {
            throw k.bad("key_query_norm", "is true; only false is supported (no QK norm, as in the published models)");
        }
    }

    private static RopeScaling ropeScaling(Keys stack) {
        if (!stack.has("rope_scaling") || stack.node.get("rope_scaling").isNull()) return RopeScaling.DEFAULT;
        Keys k = stack.object("rope_scaling");
        // Older HF configs name the type "type"; newer ones "rope_type".
        String typeKey = k.has("rope_type") ? "rope_type" : "type";
        String type = k.string(typeKey);
        return switch (type) {
            case "default" -> RopeScaling.DEFAULT;
            case "llama3" -> {
                double factor = k.positiveNumber("factor");
                double low = k.positiveNumber("low_freq_factor");
                double high = k.positiveNumber("high_freq_factor");
                int original = k.positive("original_max_position_embeddings");
                if (high <= low) throw k.bad("high_freq_factor", high + " must exceed low_freq_factor " + low);
                yield new RopeScaling(type, factor, low, high, original);
            }
            default -> throw k.bad(typeKey, "is \"" + type + "\"; supported: \"default\", \"llama3\"");
        };
    }

    private static Map<String, Integer> specialTokens(Keys top) {
        if (!top.has("special_token_dict")) return Map.of("<|eot_id|>", DEFAULT_EOS);
        Keys k = top.object("special_token_dict");
        Map<String, Integer> tokens = new LinkedHashMap<>();
        for (Iterator<String> it = k.node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            tokens.put(name, k.intIn(name, 0, BYTE_VOCABULARY - 1));
        }
        try {
            new HatSpecialTokens(tokens, 1);
        } catch (IllegalArgumentException e) {
            throw top.bad("special_token_dict", e.getMessage());
        }
        return tokens;
    }

    private static void requireEqual(Keys k, String key, int value, String otherKey, int other) {
        if (value != other) throw k.bad(key, "is " + value + " but must equal " + otherKey + " " + other);
    }

    /** Typed access to one JSON object's keys; every error names the file and the key's full path. */
    private record Keys(Path file, JsonNode node, String path) {
        boolean has(String key) {
            return node.has(key);
        }

        ModelFormatException bad(String key, String problem) {
            return new ModelFormatException(file, "HAT config key " + path + key + " " + problem);
        }

        private JsonNode required(String key, String expected) {
            JsonNode v = node.get(key);
            if (v == null) throw bad(key, "is missing (" + expected + " expected)");
            return v;
        }

        Keys object(String key) {
            JsonNode v = required(key, "an object");
            if (!v.isObject()) throw bad(key, "must be an object, got " + kind(v));
            return new Keys(file, v, path + key + ".");
        }

        String string(String key) {
            JsonNode v = required(key, "a string");
            if (!v.isTextual()) throw bad(key, "must be a string, got " + kind(v));
            return v.textValue();
        }

        boolean bool(String key) {
            JsonNode v = required(key, "true or false");
            if (!v.isBoolean()) throw bad(key, "must be true or false, got " + kind(v));
            return v.booleanValue();
        }

        int intIn(String key, int min, int max) {
            JsonNode v = required(key, "an integer");
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
                throw bad(key, "must be an integer in " + min + ".." + max + ", got " + v);
            }
            return v.intValue();
        }

        int positive(String key) {
            return intIn(key, 1, Integer.MAX_VALUE);
        }

        int optionalPositive(String key, int absent) {
            return has(key) ? positive(key) : absent;
        }

        /** A positive integer; absent or null gives {@code absent}. */
        int optionalPositiveOrNull(String key, int absent) {
            return has(key) && !node.get(key).isNull() ? positive(key) : absent;
        }

        double positiveNumber(String key) {
            JsonNode v = required(key, "a number");
            if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() <= 0) {
                throw bad(key, "must be a positive finite number, got " + v);
            }
            return v.doubleValue();
        }

        private static String kind(JsonNode v) {
            return v.getNodeType().name().toLowerCase();
        }
    }
}
