package dev.tfree4j.bindings;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * bindings/generator/BindingsGenerator.java, compiled in-process with javax.tools (it is a
 * standalone source-launcher program, not part of this module's sources) and called by reflection.
 */
final class Generator {
    static final String PACKAGE = "dev.tfree4j.bindings";
    static final String CUDA_PACKAGE = "dev.tfree4j.bindings.cuda";

    private static Class<?> generatorClass;

    private Generator() {}

    /** The repository root: -Dtfree4j.root (set by the parent pom), else found from the working directory. */
    static Path root() {
        String property = System.getProperty("tfree4j.root");
        if (property != null && Files.isRegularFile(Path.of(property, "native/include/tfree4j.h"))) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("native/include/tfree4j.h"))) return p;
        }
        throw new IllegalStateException("cannot find the repository root (native/include/tfree4j.h)");
    }

    static Path header() {
        return root().resolve("native/include/tfree4j.h");
    }

    /** Where the committed generated sources live. */
    static Path committedDir() {
        return root().resolve("bindings/src/main/java").resolve(PACKAGE.replace('.', '/'));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> generate() throws Exception {
        return (Map<String, String>) call("generate", new Class<?>[] {Path.class, String.class}, header(), PACKAGE);
    }

    @SuppressWarnings("unchecked")
    static List<String> describe() throws Exception {
        return (List<String>) call("describe", new Class<?>[] {Path.class}, header());
    }

    /** The CUDA runtime bindings the selection file makes from the headers in includeDir. */
    @SuppressWarnings("unchecked")
    static Map<String, String> generateCuda(Path includeDir) throws Exception {
        return (Map<String, String>) call("generateSelection", new Class<?>[] {Path.class, Path.class, String.class},
                root().resolve("bindings/cuda/cuda-runtime.select"), includeDir, CUDA_PACKAGE);
    }

    /** Where the committed CUDA runtime bindings live. */
    static Path committedCudaDir() {
        return root().resolve("bindings/src/main/java").resolve(CUDA_PACKAGE.replace('.', '/'));
    }

    static boolean isGenerated(String source) throws Exception {
        return (Boolean) call("isGenerated", new Class<?>[] {String.class}, source);
    }

    private static Object call(String name, Class<?>[] types, Object... args) throws Exception {
        Method m = generatorClass().getMethod(name, types);
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    private static synchronized Class<?> generatorClass() throws IOException, ClassNotFoundException {
        if (generatorClass == null) {
            Path source = root().resolve("bindings/generator/BindingsGenerator.java");
            Path classes = Files.createTempDirectory("bindings-generator");
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) throw new IllegalStateException("tests need a JDK (javax.tools compiler), not a JRE");
            int rc = javac.run(null, null, null, "--release", "22", "-proc:none", "-d", classes.toString(), source.toString());
            if (rc != 0) throw new IllegalStateException("javac failed on " + source + " (rc " + rc + ", see stderr)");
            try (var files = Files.walk(classes)) {  // deleteOnExit runs in reverse order: files, then the directory
                files.forEach(f -> f.toFile().deleteOnExit());
            }
            // Not closed: the class stays usable for the rest of the test run.
            @SuppressWarnings("resource")
            URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, Generator.class.getClassLoader());
            generatorClass = Class.forName("BindingsGenerator", true, loader);
        }
        return generatorClass;
    }
}
