package dev.tfree4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Calls into the real libtfree4j through the generated bindings. Only tf_version and
 * tf_last_error are implemented natively so far; other functions are only looked up.
 */
class NativeSmokeTest {

    @Test
    void versionIsReadThroughTheBindings() {
        MemorySegment version = tfree4j_h.tf_version();
        assertEquals("0.1.0", version.getString(0));
    }

    @Test
    void lastErrorIsEmptyBeforeAnyFailure() {
        MemorySegment message = tfree4j_h.tf_last_error();
        assertTrue(!message.equals(MemorySegment.NULL), "tf_last_error returned NULL");
        assertEquals("", message.getString(0));
    }

    @Test
    void libraryWasLoadedFromAnExistingFile() {
        assertTrue(Files.isRegularFile(NativeLibrary.path()), NativeLibrary.path().toString());
        assertTrue(NativeLibrary.lookup().find("tf_version").isPresent());
    }

    /** Handles are created on first use and have the header's Java types; none is called here. */
    @Test
    void otherHandlesAreCreatedLazilyWithTheHeadersTypes() {
        assertEquals(MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class,
                MemorySegment.class, MemorySegment.class), tfree4j_h.tf_matmul$handle().type());
        assertEquals(MethodType.methodType(void.class, MemorySegment.class), tfree4j_h.tf_context_free$handle().type());
        assertEquals(MethodType.methodType(long.class, MemorySegment.class), tfree4j_h.tf_cache_length$handle().type());
        assertEquals(MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class,
                MemorySegment.class, int.class, float.class, MemorySegment.class), tfree4j_h.tf_word_scores$handle().type());
        assertEquals(MethodType.methodType(int.class), tfree4j_h.tf_cpu_best_simd$handle().type());
        assertNotNull(tfree4j_h.tf_model_forward$descriptor());
    }

    @Test
    void enumConstantsHaveTheHeadersValues() {
        assertEquals(0, tfree4j_h.TF_OK());
        assertEquals(6, tfree4j_h.TF_ERR_INTERNAL());
        assertEquals(-1, tfree4j_h.TF_SIMD_AUTO());
        assertEquals(2, tfree4j_h.TF_SIMD_AVX512());
        assertEquals(3, tfree4j_h.TF_DTYPE_I8());
        assertEquals(2, tfree4j_h.TF_CONTROL_MULT());
    }
}
