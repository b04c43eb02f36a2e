package dev.tfree4j.bindings.cuda;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where CudaLibrary looks for libcudart, and what it says when it is not there. */
class CudaLibraryTest {

    @Test
    void anOverrideNamingAMissingFileIsNotFoundNamingThePath(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-libcudart.so");
        CudaLibrary.Outcome o = CudaLibrary.load(missing.toString(), null, List.of());
        assertNull(o.lookup());
        assertTrue(o.problem().startsWith("CUDA runtime library not found"), o.problem());
        assertTrue(o.problem().contains(missing.toString()) && o.problem().contains(CudaLibrary.PATH_PROPERTY), o.problem());
    }

    @Test
    void anOverrideDirectoryWithoutTheLibraryNamesTheFileLookedFor(@TempDir Path dir) {
        CudaLibrary.Outcome o = CudaLibrary.load(null, dir.toString(), List.of());
        assertNull(o.lookup());
        assertTrue(o.problem().contains(dir.resolve(CudaLibrary.FILE_NAME).toString()), o.problem());
        assertTrue(o.problem().contains(CudaLibrary.PATH_ENV), o.problem());
    }

    @Test
    void aFileThatIsNoLibraryCannotBeLoadedAndSaysSo(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve(CudaLibrary.FILE_NAME), "not an ELF file");
        CudaLibrary.Outcome o = CudaLibrary.load(dir.toString(), null, List.of());
        assertNull(o.lookup());
        assertTrue(o.problem().contains("cannot be loaded") && o.problem().contains(junk.toString()), o.problem());
    }

    /** Where a CUDA toolkit is installed (here: /usr/local/cuda, without a driver), the override finds it. */
    @Test
    void anOverrideDirectoryHoldingTheLibraryLoadsIt() {
        Path lib64 = Path.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda"), "lib64");
        Assumptions.assumeTrue(Files.isRegularFile(lib64.resolve(CudaLibrary.FILE_NAME)), "no " + CudaLibrary.FILE_NAME + " in " + lib64);
        CudaLibrary.Outcome o = CudaLibrary.load(lib64.toString(), null, List.of());
        assertNull(o.problem());
        assertNotNull(o.lookup());
        assertTrue(o.lookup().find("cudaGetDeviceCount").isPresent());
        assertTrue(o.path().endsWith(CudaLibrary.FILE_NAME), o.path());
    }
}
