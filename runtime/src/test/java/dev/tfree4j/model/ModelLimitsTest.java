package dev.tfree4j.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.TransformerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The machine-dependent checks of {@link ModelLimits} on hand-computed sizes, with a made-up
 * machine so that the limits are reached without allocating anything. The shape is the bundled
 * model's (4 layers, hidden 256, head_dim 64, vocab 8192, MLP 683).
 */
class ModelLimitsTest {
    private static final Path CONFIG = Path.of("m/transformer/transformer_config.yaml");
    private static final Path WEIGHTS = Path.of("m/transformer/transformer.pt");
    /** 4 × (4·256² + 3·683·256 + 2·256) + 2·8192·256 + 256 weights. */
    private static final long WEIGHTS_AT_ONE_BYTE = 4L * (4 * 65536 + 3 * 683 * 256 + 512) + 2L * 8192 * 256 + 256;
    private static final ModelLimits.Machine BIG = new ModelLimits.Machine(1L << 40, 1L << 40);

    private static TransformerConfig config(int layers, int sequenceLength) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("embedding_aggregation", "sum").put("norm", "rms").put("mlp_type", "swiglu").put("bias_terms", false)
                .put("vocab_size", 8192).put("hidden_size", 256).put("num_layers", layers).put("num_attention_heads", 4)
                .put("rotary_embedding_base", 10000).put("sequence_length", sequenceLength).put("mlp_factor", 2.66796875)
                .put("precision", "bfloat16");
        return TransformerConfig.fromJson(CONFIG, n);
    }

    @Test
    void weightsMustFitTheFileAtOneBytePerWeight() {
        ModelLimits.check(CONFIG, config(4, 256), WEIGHTS, WEIGHTS_AT_ONE_BYTE, BIG);
        var e = assertThrows(ModelFormatException.class,
                () -> ModelLimits.check(CONFIG, config(4, 256), WEIGHTS, WEIGHTS_AT_ONE_BYTE - 1, BIG));
        assertTrue(e.getMessage().startsWith(CONFIG.toString()) && e.getMessage().contains("num_layers 4")
                && e.getMessage().contains("has " + (WEIGHTS_AT_ONE_BYTE - 1) + " bytes"), e.getMessage());
    }

    @Test
    void theRotaryTableMustFitHalfTheHeap() {
        // 4096 positions × 64 × 4 bytes = 1 MiB: a 2 MiB heap holds it, a smaller one does not.
        ModelLimits.check(CONFIG, config(4, 4096), WEIGHTS, WEIGHTS_AT_ONE_BYTE, new ModelLimits.Machine(2L << 20, 1L << 40));
        var e = assertThrows(ModelFormatException.class, () -> ModelLimits.check(CONFIG, config(4, 4096), WEIGHTS,
                WEIGHTS_AT_ONE_BYTE, new ModelLimits.Machine((2L << 20) - 8, 1L << 40)));
        assertTrue(e.getMessage().contains("'sequence_length' 4096 needs a rotary table of 1.0 MiB")
                && e.getMessage().contains("holds at most 4095 positions"), e.getMessage());
    }

    @Test
    void aFullContextKvCacheMustFitTheMachine() {
        // 2 × 4 layers × 65536 positions × 256 × 4 bytes = 512 MiB.
        ModelLimits.check(CONFIG, config(4, 65536), WEIGHTS, WEIGHTS_AT_ONE_BYTE, new ModelLimits.Machine(1L << 40, 512L << 20));
        var e = assertThrows(ModelFormatException.class, () -> ModelLimits.check(CONFIG, config(4, 65536), WEIGHTS,
                WEIGHTS_AT_ONE_BYTE, new ModelLimits.Machine(1L << 40, 256L << 20)));
        assertTrue(e.getMessage().contains("needs a KV cache of 512.0 MiB") && e.getMessage().contains("this machine has 256.0 MiB")
                && e.getMessage().contains("holds at most 32768 positions"), e.getMessage());
    }
}
