package dev.tfree4j.io;

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
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformerConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static Path configFile() {
        return Fixtures.refA().resolve("checkpoint/transformer/transformer_config.yaml");
    }

    @Test
    void fixtureConfigParsesToManifestValues() throws IOException {
        JsonNode manifest = JSON.readTree(Fixtures.refA().resolve("manifest.json").toFile());
        JsonNode a = manifest.get("architecture_config");
        TransformerConfig c = TransformerConfig.read(configFile());
        assertEquals(a.get("vocab_size").asInt(), c.vocabSize());
        assertEquals(a.get("hidden_size").asInt(), c.hiddenSize());
        assertEquals(a.get("num_layers").asInt(), c.numLayers());
        assertEquals(a.get("num_attention_heads").asInt(), c.numAttentionHeads());
        assertEquals(a.get("sequence_length").asInt(), c.sequenceLength());
        assertEquals(a.get("rotary_embedding_base").asInt(), c.rotaryEmbeddingBase());
        assertEquals(a.get("mlp_factor").asDouble(), c.mlpFactor());
        assertEquals(a.get("layernorm_epsilon").asDouble(), c.layernormEpsilon());
        assertEquals(a.get("init_std_global_gain").asDouble(), c.initStdGlobalGain());
        assertEquals(a.get("use_flash").asBoolean(), c.useFlash());
        assertEquals(a.get("bias_terms").asBoolean(), c.biasTerms());
        assertEquals(a.get("embedding_normalization").asBoolean(), c.embeddingNormalization());
        assertEquals(TransformerConfig.Aggregation.SUM, c.embeddingAggregation());
        assertEquals(TransformerConfig.Precision.FLOAT32, c.precision());
        assertEquals(DType.F32, c.precision().dtype());
        assertEquals("rms", c.norm());
        assertEquals("swiglu", c.mlpType());
        assertEquals(manifest.get("mlp_intermediate_size").asInt(), c.intermediateSize());
        assertEquals(170, c.intermediateSize());
        assertEquals(16, c.headDim());

        // The tokenizer config of the same checkpoint agrees on the shared sizes (InferencePipe asserts this).
        JsonNode tok = JSON.readTree(Fixtures.refA().resolve("checkpoint/tokenizer/tokenizer_config.yaml").toFile());
        assertEquals(manifest.get("tokenizer_config"), tok);
        assertEquals(tok.get("vocab_size").asInt(), c.vocabSize());
        assertEquals(tok.get("sequence_length").asInt(), c.sequenceLength());
    }

    @Test
    void baseJsonEqualsTheFixtureConfig() throws IOException {
        assertEquals(JSON.readTree(configFile().toFile()), baseJson());
    }

    @Test
    void intermediateSizeTruncatesLikePythonInt() throws IOException {
        assertEquals(170, withValues(Map.of()).intermediateSize());
        assertEquals(10928, withValues(Map.of("hidden_size", 4096, "num_attention_heads", 32)).intermediateSize());
        assertEquals(256, withValues(Map.of("hidden_size", 96, "num_attention_heads", 4)).intermediateSize());
    }

    @Test
    void stateDictOfFixtureValidatesAndExpectedShapesMatch() throws IOException {
        TransformerConfig c = TransformerConfig.read(configFile());
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> sd = TorchArchive.open(TorchArchiveTest.transformerPt(), arena).tensors();
            c.validate(sd, TorchArchiveTest.transformerPt());
            Map<String, long[]> expected = c.expectedShapes(c.vocabSize());
            assertEquals(sd.keySet().stream().toList(), expected.keySet().stream().toList());
            for (var e : expected.entrySet()) assertArrayEquals(e.getValue(), sd.get(e.getKey()).shape());

            Path pt = TorchArchiveTest.transformerPt();
            ModelFormatException ex = assertThrows(ModelFormatException.class,
                    () -> withValues(Map.of("hidden_size", 128)).validate(sd, pt));
            String m = ex.getMessage();
            assertTrue(m.startsWith(pt.toString()) && m.contains("wrong shape")
                    && m.contains("transformer.embeddings.embedding.weight is [1024, 64], expected [1024, 128]")
                    && m.contains("; ...]"), m);

            ex = assertThrows(ModelFormatException.class, () -> withValues(Map.of("num_layers", 3)).validate(sd, pt));
            assertTrue(ex.getMessage().contains("9 missing [transformer.layers.2.input_layernorm.weight;"), ex.getMessage());
            assertFalse(ex.getMessage().contains("unexpected"), ex.getMessage());

            ex = assertThrows(ModelFormatException.class, () -> withValues(Map.of("num_layers", 1)).validate(sd, pt));
            assertTrue(ex.getMessage().contains("9 unexpected [transformer.layers.1.input_layernorm.weight;"), ex.getMessage());

            ex = assertThrows(ModelFormatException.class, () -> withValues(Map.of("vocab_size", 1000)).validate(sd, pt));
            assertTrue(ex.getMessage().contains("2 wrong shape [transformer.embeddings.embedding.weight is [1024, 64], expected [1000, 64]; lm_head.weight"),
                    ex.getMessage());
        }
    }

    @Test
    void badConfigsAreRejectedClearly() throws IOException {
        expectError(Map.of("hidden_size", 65), "hidden_size 65 is not a multiple of num_attention_heads 4");
        expectError(Map.of("hidden_size", 65, "num_attention_heads", 5), "head dimension 13");
        expectError(Map.of("num_layers", 0), "'num_layers' must be positive");
        expectError(Map.of("vocab_size", 1024.5), "'vocab_size' must be an integer");
        expectError(Map.of("vocab_size", "1024"), "'vocab_size' must be an integer");
        expectError(Map.of("hidden_size", 1L << 40), "'hidden_size' must be an integer");
        expectError(Map.of("norm", "layer"), "unsupported norm 'layer'");
        expectError(Map.of("mlp_type", "simple_gelu"), "unsupported mlp_type 'simple_gelu'");
        expectError(Map.of("bias_terms", true), "unsupported bias_terms");
        expectError(Map.of("precision", "float64"), "'precision' is \"float64\", expected one of [float32, bfloat16, float16]");
        expectError(Map.of("embedding_aggregation", "max"), "'embedding_aggregation' is \"max\"");
        expectError(Map.of("mlp_factor", -1), "'mlp_factor' must be positive");
        expectError(Map.of("bias_terms", "false"), "'bias_terms' must be true or false");
        expectError(Map.of("num_kv_heads", 8), "unknown keys [num_kv_heads]");

        ObjectNode missing = baseJson();
        missing.remove("hidden_size");
        expectText(missing.toString(), "missing key 'hidden_size'");
        expectText("{\"vocab_size\": 1024,", "not valid JSON");
        expectText("[1, 2]", "config must be a JSON object");
        expectText("", "config must be a JSON object");
        expectText("{\"vocab_size\": 1, \"vocab_size\": 2}", "Duplicate field 'vocab_size'");
        expectText(baseJson() + " {}", "not valid JSON");

        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TransformerConfig.read(tmp.resolve("nope.yaml")));
        assertTrue(e.getMessage().contains("nope.yaml: config file not found"), e.getMessage());
    }

    /**
     * Config A's values, written out here (from docs/spec/tfree.md §7.2/§10) so that the rejection tests also
     * run where the shared fixtures are absent.
     */
    private static ObjectNode baseJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("use_flash", true).put("embedding_normalization", false).put("embedding_aggregation", "sum")
                .put("norm", "rms").put("mlp_type", "swiglu").put("init", "pythia").put("bias_terms", false)
                .put("vocab_size", 1024).put("hidden_size", 64).put("num_layers", 2).put("num_attention_heads", 4)
                .put("rotary_embedding_base", 10000).put("sequence_length", 128).put("mlp_factor", 2.66796875)
                .put("precision", "float32").put("layernorm_epsilon", 1e-05).put("init_std_global_gain", 1.0);
        return n;
    }

    private TransformerConfig withValues(Map<String, Object> values) throws IOException {
        ObjectNode n = baseJson();
        values.forEach((k, v) -> n.set(k, JSON.valueToTree(v)));
        Path f = tmp.resolve("c" + System.nanoTime() + ".yaml");
        Files.writeString(f, n.toPrettyString());
        return TransformerConfig.read(f);
    }

    private void expectError(Map<String, Object> values, String fragment) throws IOException {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> withValues(values), fragment);
        assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains(".yaml: "),
                "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    private void expectText(String text, String fragment) throws IOException {
        Path f = tmp.resolve("t.yaml");
        Files.writeString(f, text);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TransformerConfig.read(f));
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
