package dev.tfree4j.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.ActivationMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecisionMapTest {
    @Test
    void a7bModelHas226Components() {
        List<String> c = Components.of(32);
        assertEquals(7 * 32 + 2, c.size());
        assertEquals(Components.EMBEDDING, c.getFirst());
        assertEquals(Components.HEAD, c.getLast());
        assertEquals("transformer.layers.31.mlp.dense_out.weight", c.get(c.size() - 2));
        assertEquals("L3.query", Components.label("transformer.layers.3.attention.query.weight"));
        assertEquals("L0.dense_out", Components.label("transformer.layers.0.mlp.dense_out.weight"));
    }

    @Test
    void roundTripsThroughJson(@TempDir Path tmp) {
        PrecisionMap m = PrecisionMap.of(List.of(Components.HEAD, "transformer.layers.1.mlp.swiglu.weight"),
                ActivationMode.INT8, "test map");
        Path f = tmp.resolve("p.json");
        m.write(f);
        PrecisionMap back = PrecisionMap.read(f);
        assertEquals(m, back);
        assertTrue(back.isInt8(Components.HEAD));
        back.checkAgainst(2, f);
    }

    @Test
    void rejectsUnknownComponentsAndBadFiles(@TempDir Path tmp) throws Exception {
        PrecisionMap m = PrecisionMap.of(List.of("transformer.layers.7.mlp.swiglu.weight"), ActivationMode.FLOAT, "");
        var e = assertThrows(ModelFormatException.class, () -> m.checkAgainst(4, tmp));
        assertTrue(e.getMessage().contains("transformer.layers.7.mlp.swiglu.weight"), e.getMessage());
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"format\": \"tfree4j-precision-map\", \"version\": 1, \"activations\": \"a4\", \"int8\": []}");
        assertTrue(assertThrows(ModelFormatException.class, () -> PrecisionMap.read(bad)).getMessage().contains("activations"));
        Files.writeString(bad, "[1, 2]");
        assertThrows(ModelFormatException.class, () -> PrecisionMap.read(bad));
        Files.writeString(bad, "{\"format\": \"other\"}");
        assertTrue(assertThrows(ModelFormatException.class, () -> PrecisionMap.read(bad)).getMessage().contains("format"));
    }
}
