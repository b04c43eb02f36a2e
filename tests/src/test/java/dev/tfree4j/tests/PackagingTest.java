package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * --enable-native-access friction: the CLI jar's manifest grants native access, so
 * {@code java -jar} runs without the flag and without the JDK's restricted-method warning; the
 * launcher passes the flag itself.
 */
class PackagingTest {
    private static final String WARNING = "restricted method";

    static Path cliJar() {
        Path jar = Fixtures.repoRoot().resolve("src/target/tfree4j-cli-0.1.0-SNAPSHOT-all.jar");
        if (!Files.isRegularFile(jar)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError("CLI jar not built: " + jar);
            Assumptions.abort("CLI jar not built (run ./build.sh test): " + jar);
        }
        return jar;
    }

    record Run(int exit, String out) {}

    static Run java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "timed out: " + cmd);
        return new Run(p.exitValue(), out);
    }

    @Test
    void cliJarManifestGrantsNativeAccess() throws Exception {
        Path jar = cliJar();
        try (JarFile j = new JarFile(jar.toFile())) {
            Attributes a = j.getManifest().getMainAttributes();
            assertEquals("ALL-UNNAMED", a.getValue("Enable-Native-Access"));
            assertEquals("dev.tfree4j.cli.Main", a.getValue(Attributes.Name.MAIN_CLASS));
            assertTrue(j.getEntry("native/linux-x86_64/libtfree4j.so") != null, "the native library travels in the jar");
        }
        String model = "--model=" + BundledModel.locate();
        // java -jar without any flag: the manifest's grant applies, no warning.
        Run withJar = java("-jar", jar.toString(), "generate", model, "--max-words", "2", "In the beginning");
        assertEquals(0, withJar.exit(), withJar.out());
        assertFalse(withJar.out().contains(WARNING), withJar.out());
        // The same code from the class path gets no grant: the JDK warns. (Shows the check above can fail.)
        Run withClasspath = java("-cp", jar.toString(), "dev.tfree4j.cli.Main", "generate", model, "--max-words", "2", "In the beginning");
        assertEquals(0, withClasspath.exit(), withClasspath.out());
        assertTrue(withClasspath.out().contains(WARNING), withClasspath.out());
    }

    @Test
    void launcherPassesTheNativeAccessFlag() throws IOException {
        String launcher = Files.readString(Fixtures.repoRoot().resolve("tfree4j")).replace("\\\n", " ");
        String exec = launcher.lines().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
        assertTrue(exec.contains("--enable-native-access=ALL-UNNAMED") && exec.contains("-jar"), exec);
    }
}
