package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link HatConfig}: the fixture's values, the documented defaults, and one error per validation rule. */
class HatConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A marker for "remove the key" in {@link #badConfigs()}. */
    private static final String REMOVE = "<remove>";

    @TempDir Path tmp;

    private static ObjectNode fixtureConfig() throws IOException {
        return (ObjectNode) JSON.readTree(Fixtures.fixture("hat-tiny-a").resolve("config.json").toFile());
    }

    private HatConfig readEdited(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = fixtureConfig();
        edit.accept(root);
        Path file = tmp.resolve("config.json");
        Files.writeString(file, JSON.writeValueAsString(root));
        return HatConfig.read(file);
    }

    @Test
    void theFixtureConfigReadsAsItsReadmeDescribesIt() {
        HatConfig c = HatConfig.read(Fixtures.fixture("hat-tiny-a").resolve("config.json"));
        HatConfig.StackConfig e = c.encoder();
        assertEquals(32, e.hiddenSize());
        assertEquals(3, e.numHiddenLayers());
        assertEquals(4, e.numAttentionHeads());
        assertEquals(1, e.numKeyValueHeads());
        assertEquals(8, e.headDim());
        assertEquals(80, e.intermediateSize());
        assertEquals(10000.0, e.ropeTheta());
        assertEquals(1e-5, e.rmsNormEps());
        assertEquals("default", e.ropeScaling().ropeType());
        assertEquals(12, e.slidingWindow());
        assertTrue(e.neoxStyle());
        assertEquals(new HatConfig.CrossAttentionConfig(64, 64, 32, 8, 2), c.encoderConnector());
        assertEquals(8, c.encoderConnector().headDim());
        assertEquals(16, c.encoderConnector().kvSize());

        HatConfig.StackConfig b = c.backbone();
        assertEquals(64, b.hiddenSize());
        assertEquals(4, b.numHiddenLayers());
        assertEquals(16, b.headDim());
        assertEquals(2, b.numKeyValueHeads());
        assertEquals(96, b.intermediateSize());
        assertEquals(100000.0, b.ropeTheta());
        assertEquals(0, b.slidingWindow(), "the backbone attends to every earlier word");
        assertEquals(1024, b.maxPositionEmbeddings());

        HatConfig.StackConfig d = c.decoder();
        assertEquals(32, d.hiddenSize());
        assertEquals(5, d.numHiddenLayers());
        assertEquals(16, d.headDim());
        assertEquals(20000.0, d.ropeTheta());
        assertEquals(new HatConfig.CrossAttentionConfig(32, 32, 64, 2, 2), c.decoderCrossAttention());
        assertTrue(c.crossAttnEveryLayer());

        assertEquals(Map.of("<|eot_id|>", 192, "<|begin_of_text|>", 193, "<|start_header_id|>", 245,
                "<|end_header_id|>", 246), c.specialTokens());
        assertEquals(java.util.List.of("<|eot_id|>", "<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>"),
                java.util.List.copyOf(c.specialTokens().keySet()), "file order, which decides the splitter's alternation");
        assertEquals(192, c.eosTokenId());
        assertEquals(12, c.maxWordSize());
        assertEquals(4096, c.maxPositionEmbeddings());
        assertEquals(12, c.splitterTokens().maxWordSize());
    }

    @Test
    void theFixtureImpliesItsPublishedTensorNamesAndShapes() {
        HatConfig c = HatConfig.read(Fixtures.fixture("hat-tiny-a").resolve("config.json"));
        Map<String, long[]> expected = c.expectedTensors();
        assertEquals(147, expected.size(), "the README's tensor count");
        assertArrayEquals(new long[] {256, 32}, expected.get("encoder.embedding_layer.weight"));
        assertArrayEquals(new long[] {8, 32}, expected.get("encoder.layers.2.self_attn.k_proj.weight"));
        assertArrayEquals(new long[] {1, 1, 64}, expected.get("encoder_connector.latent_query"));
        assertArrayEquals(new long[] {64, 64}, expected.get("encoder_connector.cross_attention_encoder_connector.q_proj.weight"));
        assertArrayEquals(new long[] {16, 32}, expected.get("encoder_connector.cross_attention_encoder_connector.v_proj.weight"));
        assertArrayEquals(new long[] {64, 64}, expected.get("encoder_connector.cross_attention_encoder_connector.o_proj.weight"));
        assertArrayEquals(new long[] {32, 64}, expected.get("backbone.layers.3.self_attn.k_proj.weight"));
        assertArrayEquals(new long[] {96, 64}, expected.get("backbone.layers.0.mlp.up_proj.weight"));
        assertArrayEquals(new long[] {1, 1, 64}, expected.get("decoder_connector.first_word_embedding"));
        assertArrayEquals(new long[] {16, 32}, expected.get("decoder.decoder_layers.4.llama_layer.self_attn.v_proj.weight"));
        assertArrayEquals(new long[] {32, 64}, expected.get("decoder.decoder_layers.4.cross_attention.k_proj.weight"));
        assertArrayEquals(new long[] {32, 32}, expected.get("decoder.decoder_layers.4.cross_attention.o_proj.weight"));
        assertArrayEquals(new long[] {32}, expected.get("decoder.decoder_layers.4.query_norm.weight"));
        assertArrayEquals(new long[] {64}, expected.get("decoder.decoder_layers.4.kv_norm.weight"));
        assertArrayEquals(new long[] {32}, expected.get("layer_norm.weight"));
        assertArrayEquals(new long[] {256, 32}, expected.get("lm_head.weight"));
    }

    @Test
    void withoutCrossAttentionInEveryLayerOnlyLayerZeroHasItButEveryLayerHasTheNorms() throws IOException {
        HatConfig c = readEdited(root -> ((ObjectNode) root.get("decoder_config")).put("cross_attn_every_layer", false));
        Map<String, long[]> expected = c.expectedTensors();
        assertTrue(expected.containsKey("decoder.decoder_layers.0.cross_attention.v_proj.weight"));
        assertFalse(expected.containsKey("decoder.decoder_layers.1.cross_attention.v_proj.weight"));
        assertTrue(expected.containsKey("decoder.decoder_layers.1.kv_norm.weight"), "spec §9: norms in every layer");
        assertTrue(expected.containsKey("decoder.decoder_layers.4.query_norm.weight"));
        assertEquals(147 - 4 * 4, expected.size());
    }

    @Test
    void absentOptionalKeysTakeTheReferenceDefaultsAndUnknownKeysAreIgnored() throws IOException {
        HatConfig c = readEdited(root -> {
            root.remove(java.util.List.of("eos_token_id", "special_token_dict", "max_word_size", "sliding_window",
                    "max_position_embeddings", "transformers_version", "auto_map", "architectures", "torch_dtype"));
            ObjectNode encoder = (ObjectNode) root.get("encoder_config");
            encoder.remove(java.util.List.of("hidden_act", "mlp_bias", "key_query_norm", "is_neox_style", "rope_scaling",
                    "sliding_window"));
            ((ObjectNode) encoder.get("cross_attention_config")).remove(java.util.List.of("word_window_size", "key_query_norm"));
            ((ObjectNode) root.get("backbone_config")).putNull("rope_scaling");
            root.put("a_future_key", 1);
            ((ObjectNode) root.get("decoder_config")).putObject("something_new").put("x", true);
        });
        assertEquals(192, c.eosTokenId());
        assertEquals(Map.of("<|eot_id|>", 192), c.specialTokens());
        assertEquals(100, c.maxWordSize());
        assertEquals(262_144, c.maxPositionEmbeddings());
        assertEquals(768, c.encoder().slidingWindow(), "neither the stack nor the top level says: the reference's 768");
        assertEquals(12, c.decoder().slidingWindow(), "the stack's own value");
        assertTrue(c.encoder().neoxStyle());
        assertEquals("default", c.encoder().ropeScaling().ropeType());
        assertEquals("default", c.backbone().ropeScaling().ropeType());
    }

    @Test
    void theStackWindowFallsBackToTheTopLevelOne() throws IOException {
        HatConfig c = readEdited(root -> {
            root.put("sliding_window", 40);
            ((ObjectNode) root.get("encoder_config")).putNull("sliding_window");
        });
        assertEquals(40, c.encoder().slidingWindow());
        assertEquals(12, c.decoder().slidingWindow());
    }

    @Test
    void llama3RopeScalingIsReadUnderEitherKeyName() throws IOException {
        HatConfig c = readEdited(root -> {
            ObjectNode scaling = ((ObjectNode) root.get("backbone_config")).putObject("rope_scaling");
            scaling.put("rope_type", "llama3").put("factor", 8.0).put("low_freq_factor", 1.0)
                    .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 8192);
            ((ObjectNode) root.get("decoder_config")).putObject("rope_scaling").put("type", "default");
        });
        assertEquals(new HatConfig.RopeScaling("llama3", 8.0, 1.0, 4.0, 8192), c.backbone().ropeScaling());
        assertEquals("default", c.decoder().ropeScaling().ropeType());
    }

    /** Each rule: a key path set to a value (or removed), and what the error must say besides naming that key. */
    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("model_type", "llama", "model_type is \"llama\""),
                Arguments.of("encoder_config", REMOVE, "encoder_config is missing"),
                Arguments.of("backbone_config", 3, "backbone_config must be an object"),
                Arguments.of("encoder_config.hidden_size", REMOVE, "encoder_config.hidden_size is missing"),
                Arguments.of("backbone_config.num_hidden_layers", "4", "backbone_config.num_hidden_layers must be an integer"),
                Arguments.of("backbone_config.num_hidden_layers", 0, "backbone_config.num_hidden_layers must be an integer in 1.."),
                Arguments.of("decoder_config.num_hidden_layers", 2_000_000_000, "decoder_config.num_hidden_layers must be an integer in 1..1024"),
                Arguments.of("backbone_config.intermediate_size", 1e10, "backbone_config.intermediate_size must be an integer"),
                Arguments.of("encoder_config.num_attention_heads", 5, "encoder_config.num_attention_heads 5 does not divide hidden_size 32"),
                Arguments.of("encoder_config.num_attention_heads", 32, "encoder_config.num_attention_heads gives an odd head size 1"),
                Arguments.of("backbone_config.num_key_value_heads", 3, "backbone_config.num_key_value_heads 3 does not divide num_attention_heads 4"),
                Arguments.of("decoder_config.hidden_size", 64, "decoder_config.hidden_size 64 differs from encoder_config.hidden_size 32"),
                Arguments.of("decoder_config.rms_norm_eps", -1, "decoder_config.rms_norm_eps must be a positive finite number"),
                Arguments.of("backbone_config.rope_theta", "x", "backbone_config.rope_theta must be a positive finite number"),
                Arguments.of("backbone_config.max_position_embeddings", REMOVE, "backbone_config.max_position_embeddings is missing"),
                Arguments.of("encoder_config.vocab_size", 512, "encoder_config.vocab_size is 512; only the byte vocabulary of 256"),
                Arguments.of("decoder_config.hidden_act", "gelu", "decoder_config.hidden_act is \"gelu\"; only \"silu\""),
                Arguments.of("backbone_config.mlp_bias", true, "backbone_config.mlp_bias is true; only false"),
                Arguments.of("backbone_config.mlp_bias", "no", "backbone_config.mlp_bias must be true or false"),
                Arguments.of("encoder_config.key_query_norm", true, "encoder_config.key_query_norm is true; only false"),
                Arguments.of("encoder_config.is_neox_style", 1, "encoder_config.is_neox_style must be true or false"),
                Arguments.of("encoder_config.sliding_window", 0, "encoder_config.sliding_window must be an integer in 1.."),
                Arguments.of("sliding_window", -3, "sliding_window must be an integer in 1.."),
                Arguments.of("encoder_config.rope_scaling.rope_type", "yarn",
                        "encoder_config.rope_scaling.rope_type is \"yarn\"; supported: \"default\", \"llama3\""),
                Arguments.of("encoder_config.rope_scaling.rope_type", REMOVE, "encoder_config.rope_scaling.type is missing"),
                Arguments.of("backbone_config.rope_scaling.rope_type", "llama3", "backbone_config.rope_scaling.factor is missing"),
                Arguments.of("encoder_config.cross_attention_config", REMOVE, "encoder_config.cross_attention_config is missing"),
                Arguments.of("encoder_config.cross_attention_config.hidden_size_q", 32,
                        "encoder_config.cross_attention_config.hidden_size_q is 32 but must equal backbone_config.hidden_size 64"),
                Arguments.of("encoder_config.cross_attention_config.hidden_size_kv", 64,
                        "encoder_config.cross_attention_config.hidden_size_kv is 64 but must equal encoder_config.hidden_size 32"),
                Arguments.of("encoder_config.cross_attention_config.attention_num_kv_heads", 3,
                        "encoder_config.cross_attention_config.attention_num_kv_heads 3 does not divide num_attention_heads 8"),
                Arguments.of("encoder_config.cross_attention_config.num_attention_heads", 4,
                        "encoder_config.cross_attention_config.hidden_size / num_attention_heads is 16 but must equal the encoder's head size"),
                Arguments.of("encoder_config.cross_attention_config.num_attention_heads", 7,
                        "encoder_config.cross_attention_config.num_attention_heads 7 does not divide hidden_size 64"),
                Arguments.of("decoder_config.cross_attention_config.hidden_size_q", 64,
                        "decoder_config.cross_attention_config.hidden_size_q is 64 but must equal decoder_config.hidden_size 32"),
                Arguments.of("decoder_config.cross_attention_config.hidden_size_kv", 32,
                        "decoder_config.cross_attention_config.hidden_size_kv is 32 but must equal backbone_config.hidden_size 64"),
                Arguments.of("decoder_config.cross_attention_config.hidden_size", 64,
                        "decoder_config.cross_attention_config.hidden_size / num_attention_heads is 32 but must equal the decoder's head size"),
                Arguments.of("decoder_config.cross_attention_config.word_window_size", 2,
                        "decoder_config.cross_attention_config.word_window_size is 2; only 1"),
                Arguments.of("decoder_config.cross_attention_config.key_query_norm", true,
                        "decoder_config.cross_attention_config.key_query_norm is true; only false"),
                Arguments.of("decoder_config.cross_attn_every_layer", REMOVE, "decoder_config.cross_attn_every_layer is missing"),
                Arguments.of("eos_token_id", 300, "eos_token_id must be an integer in 0..255, got 300"),
                Arguments.of("special_token_dict.<|eot_id|>", 65, "special_token_dict special token <|eot_id|> has id 65"),
                Arguments.of("special_token_dict.<|eot_id|>", "x", "special_token_dict.<|eot_id|> must be an integer"),
                Arguments.of("max_word_size", 0, "max_word_size must be an integer in 1.."));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badConfigs")
    void eachRuleFailsNamingTheFileAndTheKey(String keyPath, Object value, String expected) throws IOException {
        var e = assertThrows(ModelFormatException.class, () -> readEdited(root -> set(root, keyPath, value)));
        assertTrue(e.getMessage().contains(tmp.resolve("config.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("HAT config key " + expected), e.getMessage());
    }

    @Test
    void llama3NeedsItsHighFrequencyFactorAboveTheLowOne() {
        var e = assertThrows(ModelFormatException.class, () -> readEdited(root -> {
            ObjectNode scaling = ((ObjectNode) root.get("decoder_config")).putObject("rope_scaling");
            scaling.put("rope_type", "llama3").put("factor", 8.0).put("low_freq_factor", 4.0)
                    .put("high_freq_factor", 1.0).put("original_max_position_embeddings", 8192);
        }));
        assertTrue(e.getMessage().contains("decoder_config.rope_scaling.high_freq_factor 1.0 must exceed low_freq_factor 4.0"),
                e.getMessage());
    }

    @Test
    void duplicateKeysTrailingContentAndNonObjectsAreRefused() throws IOException {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, "{\"model_type\": \"x\", \"model_type\": \"y\"}");
        assertMessage(file, "Duplicate field 'model_type'");
        Files.writeString(file, "{\"model_type\": \"x\"} {}");
        assertMessage(file, "not valid JSON");
        Files.writeString(file, "[1]");
        assertMessage(file, "must be a JSON object");
        var e = assertThrows(ModelFormatException.class,
                () -> HatConfig.parse(file, "{\"a\": 1, \"a\": 2}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("Duplicate"), e.getMessage());
    }

    private static void assertMessage(Path file, String expected) {
        var e = assertThrows(ModelFormatException.class, () -> HatConfig.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }

    /** Sets (or with {@link #REMOVE} removes) the value at a dotted key path. */
    private static void set(ObjectNode root, String keyPath, Object value) {
        String[] parts = keyPath.split("\\.");
        ObjectNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) parent = (ObjectNode) parent.get(parts[i]);
        String key = parts[parts.length - 1];
        if (value == REMOVE) {
            parent.remove(key);
        } else {
            JsonNode node = JSON.valueToTree(value);
            parent.set(key, node);
        }
    }
}
