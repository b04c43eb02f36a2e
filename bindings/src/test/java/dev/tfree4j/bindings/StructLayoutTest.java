package dev.tfree4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.PaddingLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Struct layouts: sizes and offsets derived by hand from the LP64 C rules (each member aligned to
 * its size, the struct padded to its largest member), and, when a C compiler is on the PATH,
 * checked against what it says about tfree4j.h itself.
 */
class StructLayoutTest {

    /** struct -> [size, then (field, offset) pairs in declaration order]. */
    static final Map<String, Object[]> EXPECTED = new LinkedHashMap<>();
    static {
        // {ptr, ptr, i64, i64, i32, pad 4}
        EXPECTED.put("tf_matrix", new Object[] {40L, "data", 0L, "scales", 8L, "rows", 16L, "cols", 24L, "dtype", 32L});
        EXPECTED.put("tf_context_params", new Object[] {16L, "n_threads", 0L, "simd", 4L, "backend", 8L, "device", 12L});
        // 5 pointers, i64
        EXPECTED.put("tf_word_patterns", new Object[] {48L, "offsets", 0L, "ids", 8L, "edge_offsets", 16L,
                "edge_ids", 24L, "n_trigrams", 32L, "n_words", 40L});
        // 6 x i32, f32, pad 4, ptr
        EXPECTED.put("tf_model_params", new Object[] {48L, "vocab_size", 0L, "hidden_size", 4L, "n_layers", 8L,
                "n_heads", 12L, "intermediate_size", 16L, "max_positions", 20L, "norm_eps", 24L, "rope_table", 32L,
                "activation_mode", 40L});
        // ptr, i32, pad 4, ptr, ptr, ptr, i32, pad 4
        EXPECTED.put("tf_forward_params", new Object[] {48L, "key_control", 0L, "control_mode", 8L, "layer_mask", 16L,
                "layer_outputs", 24L, "final_hidden", 32L, "logits_rows", 40L});
    }

    static GroupLayout layoutOf(String struct) throws Exception {
        return (GroupLayout) Class.forName("dev.tfree4j.bindings." + struct).getMethod("layout").invoke(null);
    }

    /** "size f1@o1 f2@o2 ..." */
    static String describe(GroupLayout layout) {
        StringBuilder sb = new StringBuilder().append(layout.byteSize());
        for (MemoryLayout m : layout.memberLayouts()) {
            if (m instanceof PaddingLayout) continue;
            String name = m.name().orElseThrow();
            sb.append(' ').append(name).append('@').append(layout.byteOffset(MemoryLayout.PathElement.groupElement(name)));
        }
        return sb.toString();
    }

    static String describe(Object[] expected) {
        StringBuilder sb = new StringBuilder().append(expected[0]);
        for (int i = 1; i < expected.length; i += 2) sb.append(' ').append(expected[i]).append('@').append(expected[i + 1]);
        return sb.toString();
    }

    @Test
    void layoutsFollowTheCAlignmentRules() throws Exception {
        for (var e : EXPECTED.entrySet()) {
            assertEquals(describe(e.getValue()), describe(layoutOf(e.getKey())), e.getKey());
            long alignment = e.getKey().equals("tf_context_params") ? 4 : 8;  // its largest member's
            assertEquals(alignment, layoutOf(e.getKey()).byteAlignment(), e.getKey() + " alignment");
        }
        assertEquals(40, tf_matrix.sizeof());
        assertEquals(32, tf_matrix.dtype$offset());
    }

    @Test
    void accessorsReadAndWriteTheirOwnBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = tf_matrix.allocate(arena);
            assertEquals(40, m.byteSize());
            tf_matrix.rows(m, 3);
            tf_matrix.cols(m, 5);
            tf_matrix.dtype(m, tfree4j_h.TF_DTYPE_I8());
            MemorySegment scales = arena.allocate(12);
            tf_matrix.scales(m, scales);
            assertEquals(3, m.get(java.lang.foreign.ValueLayout.JAVA_LONG, 16));
            assertEquals(5, m.get(java.lang.foreign.ValueLayout.JAVA_LONG, 24));
            assertEquals(3, m.get(java.lang.foreign.ValueLayout.JAVA_INT, 32));
            assertEquals(scales.address(), tf_matrix.scales(m).address());
            assertEquals(MemorySegment.NULL, tf_matrix.data(m));

            MemorySegment array = tf_model_params.allocateArray(3, arena);
            assertEquals(144, array.byteSize());
            MemorySegment second = tf_model_params.asSlice(array, 1);
            tf_model_params.norm_eps(second, 1e-5f);
            assertEquals(1e-5f, array.get(java.lang.foreign.ValueLayout.JAVA_FLOAT, 48 + 24));
            assertEquals(48, tf_model_params.reinterpret(MemorySegment.ofAddress(array.address()), arena, null).byteSize());
        }
    }

    /** Compiles a tiny C program against tfree4j.h printing sizeof/offsetof, and compares. */
    @Test
    void layoutsMatchTheCCompiler() throws Exception {
        String cc = System.getenv().getOrDefault("CC", "cc");
        Path dir = Files.createTempDirectory("tfree4j-layout");
        try {
            StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"tfree4j.h\"\nint main(void) {\n");
            for (var e : EXPECTED.entrySet()) {
                String s = e.getKey();
                Object[] v = e.getValue();
                c.append("    printf(\"%s %zu\", \"").append(s).append("\", sizeof(").append(s).append("));\n");
                for (int i = 1; i < v.length; i += 2) {
                    c.append("    printf(\" %s@%zu\", \"").append(v[i]).append("\", offsetof(").append(s).append(", ")
                            .append(v[i]).append("));\n");
                }
                c.append("    printf(\"\\n\");\n");
            }
            c.append("    return 0;\n}\n");
            Files.writeString(dir.resolve("layout.c"), c);
            Process compile;
            try {
                compile = new ProcessBuilder(cc, "-std=c11", "-I", Generator.root().resolve("native/include").toString(),
                        "-o", dir.resolve("layout").toString(), dir.resolve("layout.c").toString())
                        .redirectErrorStream(true).start();
            } catch (java.io.IOException e) {
                Assumptions.abort("no C compiler (" + cc + ") on the PATH: " + e.getMessage());
                return;
            }
            String log = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, compile.waitFor(), "cc failed:\n" + log);
            Process run = new ProcessBuilder(dir.resolve("layout").toString()).start();
            List<String> lines = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            run.waitFor(30, TimeUnit.SECONDS);
            List<String> actual = new ArrayList<>();
            for (String s : EXPECTED.keySet()) actual.add(s + " " + describe(layoutOf(s)));
            assertEquals(lines, actual, "C compiler layout (expected) vs Java bindings (actual)");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
