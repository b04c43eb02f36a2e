package dev.tfree4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tfree4j.bindings.cuda.CudaLibrary;
import dev.tfree4j.bindings.cuda.cudaDeviceProp;
import dev.tfree4j.bindings.cuda.cuda_runtime_h;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CUDA runtime bindings (dev.tfree4j.bindings.cuda): up to date with the CUDA headers and the
 * selection file, and struct cudaDeviceProp laid out as the C compiler lays it out. Both need the
 * CUDA headers ($CUDA_HOME/include, default /usr/local/cuda/include) and are skipped without them.
 */
class CudaBindingsTest {

    static Path includeDir() {
        Path dir = Path.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda"), "include");
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("cuda_runtime_api.h")),
                "no CUDA headers at " + dir + " (set CUDA_HOME): the CUDA bindings cannot be checked here");
        return dir;
    }

    @Test
    void committedSourcesMatchTheGenerator() throws Exception {
        Map<String, String> expected = Generator.generateCuda(includeDir());
        Path dir = Generator.committedCudaDir();
        for (var e : expected.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.isRegularFile(file)) fail("CUDA bindings are stale: run bindings/regenerate-cuda.sh\n  missing " + file);
            String diff = BindingsUpToDateTest.firstDifference(Files.readString(file), e.getValue());
            if (diff != null) fail("CUDA bindings are stale: run bindings/regenerate-cuda.sh\n  " + file + " " + diff);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (!expected.containsKey(file.getFileName().toString()) && Generator.isGenerated(Files.readString(file))) {
                    fail("CUDA bindings are stale: " + file + " is generated but the selection no longer declares it");
                }
            }
        }
    }

    /** The generated sources name the CUDART_VERSION they were made from; the loader must look for that major. */
    @Test
    void loaderLooksForTheMajorVersionOfTheBindings() throws Exception {
        String first = Files.readString(Generator.committedCudaDir().resolve("cuda_runtime_h.java")).lines().findFirst().orElseThrow();
        var m = java.util.regex.Pattern.compile("CUDART_VERSION (\\d+)").matcher(first);
        assertTrue(m.find(), first);
        assertEquals(Integer.parseInt(m.group(1)) / 1000, CudaLibrary.MAJOR, first);
    }

    /** Compiles a C program printing sizeof/offsetof of struct cudaDeviceProp and compares with the bindings. */
    @Test
    void devicePropLayoutMatchesTheCCompiler() throws Exception {
        Path include = includeDir();
        String cc = System.getenv().getOrDefault("CC", "cc");
        String[] fields = {"name", "totalGlobalMem", "major", "minor", "multiProcessorCount", "memoryBusWidth", "l2CacheSize"};
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <cuda_runtime_api.h>\n"
                + "int main(void) {\n    printf(\"%zu\", sizeof(struct cudaDeviceProp));\n");
        StringBuilder expected = new StringBuilder().append(cudaDeviceProp.sizeof());
        for (String f : fields) {
            c.append("    printf(\" ").append(f).append("@%zu\", offsetof(struct cudaDeviceProp, ").append(f).append("));\n");
            long offset = (long) cudaDeviceProp.class.getMethod(f + "$offset").invoke(null);
            expected.append(' ').append(f).append('@').append(offset);
        }
        c.append("    printf(\"\\n\");\n    return 0;\n}\n");
        Path dir = Files.createTempDirectory("tfree4j-cuda-layout");
        try {
            Files.writeString(dir.resolve("layout.c"), c);
            Process p;
            try {
                p = new ProcessBuilder(cc, "-I" + include, "-o", dir.resolve("layout").toString(), dir.resolve("layout.c").toString())
                        .redirectErrorStream(true).start();
            } catch (java.io.IOException e) {
                Assumptions.abort("no C compiler '" + cc + "' (set CC): " + e.getMessage());
                return;
            }
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "cc failed:\n" + log);
            Process run = new ProcessBuilder(dir.resolve("layout").toString()).start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(out, expected.toString(), "struct cudaDeviceProp: the C compiler vs the generated layout");
            assertEquals(8, cudaDeviceProp.layout().byteAlignment());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Enum values come from the header, not from a hand-written table: spot-check against CUDA's documented values. */
    @Test
    void constantsCarryTheHeadersValues() {
        assertEquals(0, cuda_runtime_h.cudaSuccess());
        assertEquals(35, cuda_runtime_h.cudaErrorInsufficientDriver());
        assertEquals(100, cuda_runtime_h.cudaErrorNoDevice());
        assertEquals(75, cuda_runtime_h.cudaDevAttrComputeCapabilityMajor());
        assertEquals(16, cuda_runtime_h.cudaDevAttrMultiProcessorCount());
    }
}
