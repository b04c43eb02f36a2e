package dev.tfree4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NativeLibrary's search order and messages, through its pure locate(...) so no global state changes. */
class NativeLibraryTest {

    static final Function<String, URL> NO_RESOURCES = name -> null;

    /** The library as the native module built it (on the classpath it may sit inside a jar). */
    static Path bundled() {
        Path p = Path.of(System.getProperty("tfree4j.root", "."), "native/target/classes/native/linux-x86_64/libtfree4j.so")
                .toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(p), p.toString());
        return p;
    }

    /** A resource lookup that finds the library as a plain file, as in the reactor's target/classes. */
    static URL asFileResource(Path lib) {
        try {
            return lib.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void propertyNamingAMissingFileSaysWhatWasSearchedAndHowToOverride(@TempDir Path tmp) {
        Path missing = tmp.resolve("nowhere/libtfree4j.so");
        var e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLibrary.locate(missing.toString(), null, "Linux", "amd64", NO_RESOURCES));
        assertTrue(e.getMessage().contains("system property tfree4j.library.path"), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dtfree4j.library.path=<path>"), e.getMessage());
    }

    @Test
    void aWrongOverrideDoesNotFallBackToTheBundledLibrary(@TempDir Path tmp) {
        var e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLibrary.locate(
                tmp.toString(), null, "Linux", "amd64", NativeLibrary.class::getResource));
        assertTrue(e.getMessage().contains("directory " + tmp + ", which holds no libtfree4j.so"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("libtfree4j.so").toString()), e.getMessage());
    }

    @Test
    void environmentVariableIsUsedWhenThePropertyIsNot(@TempDir Path tmp) {
        var e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLibrary.locate(null, tmp.resolve("x.so").toString(), "Linux", "amd64", NO_RESOURCES));
        assertTrue(e.getMessage().startsWith("environment variable TFREE4J_LIBRARY_PATH"), e.getMessage());
    }

    @Test
    void overridesAcceptAFileOrItsDirectoryAndPropertyWins() {
        Path lib = bundled();
        assertEquals(lib, NativeLibrary.locate(lib.toString(), "/does/not/matter", "Linux", "amd64", NO_RESOURCES));
        assertEquals(lib, NativeLibrary.locate(lib.getParent().toString(), null, "Linux", "amd64", NO_RESOURCES));
        assertEquals(lib, NativeLibrary.locate(" ", lib.getParent().toString(), "Linux", "amd64", NO_RESOURCES));
    }

    @Test
    void classpathResourceIsUsedInPlaceOrExtractedPrivately() throws Exception {
        Path lib = bundled();
        assertEquals(lib, NativeLibrary.locate(null, null, "Linux", "amd64", name -> asFileResource(lib)));

        // A resource that is not a plain file (as inside a jar) is copied to an owner-only temp directory.
        Path jar = Files.createTempFile("tfree4j-native", ".jar");
        try {
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new java.util.jar.JarEntry("native/linux-x86_64/libtfree4j.so"));
                Files.copy(lib, out);
            }
            URL inJar = java.net.URI.create("jar:" + jar.toUri() + "!/native/linux-x86_64/libtfree4j.so").toURL();
            Path extracted = NativeLibrary.locate(null, null, "Linux", "amd64", name -> inJar);
            assertTrue(extracted.endsWith("libtfree4j.so"));
            assertEquals(Files.size(lib), Files.size(extracted));
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(extracted.getParent())));
            Files.delete(extracted);
            Files.delete(extracted.resolveSibling(NativeLibrary.IN_USE_LOCK));
            Files.delete(extracted.getParent());
        } finally {
            Files.delete(jar);
        }
    }

    @Test
    void copiesLeftByCrashedJvmsAreDeletedAndNothingElse(@TempDir Path tmp) throws Exception {
        Path stale = Files.createDirectory(tmp.resolve(NativeLibrary.TEMP_PREFIX + "crashed"));
        Files.writeString(stale.resolve("libtfree4j.so"), "lib");
        Files.writeString(stale.resolve(NativeLibrary.CUDA_PLUGIN), "plugin");
        Files.createFile(stale.resolve(NativeLibrary.IN_USE_LOCK));

        Path running = Files.createDirectory(tmp.resolve(NativeLibrary.TEMP_PREFIX + "running"));
        Files.writeString(running.resolve("libtfree4j.so"), "lib");
        Path runningLock = Files.createFile(running.resolve(NativeLibrary.IN_USE_LOCK));

        Path foreign = Files.createDirectory(tmp.resolve(NativeLibrary.TEMP_PREFIX + "someone-elses"));
        Files.createFile(foreign.resolve(NativeLibrary.IN_USE_LOCK));
        Files.writeString(foreign.resolve("notes.txt"), "not ours");

        Path oldVersion = Files.createDirectory(tmp.resolve(NativeLibrary.TEMP_PREFIX + "no-lock"));
        Files.writeString(oldVersion.resolve("libtfree4j.so"), "lib");

        try (var channel = java.nio.channels.FileChannel.open(runningLock, java.nio.file.StandardOpenOption.WRITE);
             var held = channel.lock()) {
            NativeLibrary.deleteStaleCopies(tmp);
        }
        assertFalse(Files.exists(stale), "the crashed JVM's copy is deleted");
        assertTrue(Files.exists(running.resolve("libtfree4j.so")), "a locked (running) copy stays");
        assertTrue(Files.exists(foreign.resolve("notes.txt")), "a directory with other files stays");
        assertTrue(Files.exists(oldVersion.resolve("libtfree4j.so")), "a directory without the lock file stays");
    }

    @Test
    void missingResourceListsEverySearchedPlace() {
        var e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLibrary.locate(null, null, "Linux", "aarch64", NO_RESOURCES));
        String m = e.getMessage();
        assertTrue(m.contains("tfree4j.library.path (not set)"), m);
        assertTrue(m.contains("TFREE4J_LIBRARY_PATH (not set)"), m);
        assertTrue(m.contains("/native/linux-aarch64/libtfree4j.so (not found"), m);
    }

    @Test
    void unsupportedPlatformNamesItAndTheOverride() {
        var e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLibrary.locate(null, null, "SunOS", "sparcv9", NO_RESOURCES));
        assertTrue(e.getMessage().contains("os.name=SunOS, os.arch=sparcv9"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dtfree4j.library.path="), e.getMessage());
    }

    @Test
    void platformNames() {
        assertEquals("linux-x86_64", NativeLibrary.platform("Linux", "amd64"));
        assertEquals("linux-x86_64", NativeLibrary.platform("Linux", "x86_64"));
        assertEquals("linux-aarch64", NativeLibrary.platform("Linux", "aarch64"));
        assertEquals("osx-aarch64", NativeLibrary.platform("Mac OS X", "aarch64"));
        assertNull(NativeLibrary.platform("Mac OS X", "x86_64"));
        assertNull(NativeLibrary.platform("Windows 11", "amd64"));
        assertEquals("osx-aarch64", NativeLibrary.platform("Darwin", "arm64"));
        assertEquals("linux-aarch64", NativeLibrary.platform("Linux", "arm64"));
        assertNull(NativeLibrary.platform("Linux", "riscv64"));
        assertEquals("libtfree4j.dylib", NativeLibrary.fileName("Mac OS X"));
        assertEquals("libtfree4j.so", NativeLibrary.fileName("Linux"));
    }

    /** Each platform looks in its own folder of the jar, with its OS's file name. */
    @Test
    void resourcePathsPerPlatform() {
        for (String[] c : new String[][] {{"Linux", "amd64", "/native/linux-x86_64/libtfree4j.so"},
                {"Linux", "aarch64", "/native/linux-aarch64/libtfree4j.so"},
                {"Mac OS X", "aarch64", "/native/osx-aarch64/libtfree4j.dylib"}}) {
            java.util.List<String> asked = new java.util.ArrayList<>();
            assertThrows(UnsatisfiedLinkError.class, () -> NativeLibrary.locate(null, null, c[0], c[1], name -> {
                asked.add(name);
                return null;
            }));
            assertEquals(java.util.List.of(c[2]), asked, c[0] + "/" + c[1]);
        }
    }

    /** A symbol the library lacks gives a handle of the right type that throws a clear error. */
    @Test
    void missingSymbolThrowsUnsatisfiedLinkErrorWhenCalled() {
        FunctionDescriptor desc = FunctionDescriptor.of(tfree4j_h.C_INT, tfree4j_h.C_POINTER, tfree4j_h.C_LONG);
        MethodHandle h = tfree4j_h.downcallHandle("tf_not_a_symbol", tfree4j_h.findOrNull("tf_not_a_symbol"), desc);
        assertEquals(desc.toMethodType(), h.type());
        var e = assertThrows(UnsatisfiedLinkError.class,
                () -> { int unused = (int) h.invokeExact(java.lang.foreign.MemorySegment.NULL, 1L); });
        assertTrue(e.getMessage().contains("tf_not_a_symbol is not exported by " + NativeLibrary.path()), e.getMessage());
    }
}
