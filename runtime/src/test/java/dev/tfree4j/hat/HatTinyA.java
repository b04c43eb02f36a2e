package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.io.SafeTensors;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The hat-tiny-a fixture opened once per test class: the model (fp32 compute from the bf16 weights),
 * the golden tensors and generations, and the comparison with the tolerance of 1e-4 absolute (the
 * fixture README's budget: its fp32 goldens are within 4e-5 of float64).
 */
abstract class HatTinyA {
    static final double TOLERANCE = 1e-4;
    static NativeContext context;
    static HatModel model;
    static Arena arena;
    static Map<String, Tensor> golden;
    static JsonNode generateJson;

    @BeforeAll
    static void open() throws IOException {
        Path dir = Fixtures.fixture("hat-tiny-a");
        context = NativeContext.create(2, NativeContext.Simd.AUTO);
        model = HatModel.open(dir, context, HatModel.WindowConvention.VLLM);
        arena = Arena.ofShared();
        golden = SafeTensors.open(dir.resolve("golden/forward.safetensors"), arena).tensors();
        generateJson = new ObjectMapper().readTree(dir.resolve("golden/generate.json").toFile());
    }

    @AfterAll
    static void close() {
        model.close();
        context.close();
        arena.close();
    }

    /** The fixture's words of prompt i, from its input ids and word boundaries. */
    static List<byte[]> goldenWords(int i) {
        long[] ids = golden.get("p" + i + ".input_ids").toLongArray();
        long[] cu = golden.get("p" + i + ".cu_seqlens").toLongArray();
        List<byte[]> words = new ArrayList<>();
        for (int w = 0; w + 1 < cu.length; w++) {
            byte[] word = new byte[(int) (cu[w + 1] - cu[w])];
            for (int j = 0; j < word.length; j++) word[j] = (byte) ids[(int) cu[w] + j];
            words.add(word);
        }
        return words;
    }

    static void assertClose(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": length");
        double worst = 0;
        int at = 0;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs((double) want[i] - got[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + ": max abs diff " + worst + " at " + at + " (want " + want[at] + ", got "
                + got[at] + ")");
    }
}
