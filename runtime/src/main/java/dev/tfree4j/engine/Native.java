package dev.tfree4j.engine;

import static dev.tfree4j.bindings.tfree4j_h.tf_last_error;

import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.MemorySegment;

/** Status checking and small helpers shared by the wrappers around the native handles. */
final class Native {
    private Native() {}

    /** Throws a {@link NativeException} with the library's last error if status is not TF_OK. */
    static void check(int status, String call) {
        if (status == tfree4j_h.TF_OK()) return;
        String message = tf_last_error().reinterpret(Long.MAX_VALUE).getString(0);
        throw new NativeException(status, call + " failed: " + (message.isEmpty() ? "status " + status : message));
    }

    /** The handle stored in a pointer-sized out-parameter. */
    static MemorySegment handle(MemorySegment out) {
        return out.get(java.lang.foreign.ValueLayout.ADDRESS, 0);
    }

    static String version() {
        return tfree4j_h.tf_version().reinterpret(Long.MAX_VALUE).getString(0);
    }
}
