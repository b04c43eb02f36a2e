package dev.tfree4j.engine;

import dev.tfree4j.TFreeException;

/** A native call returned an error status; the message is the library's own explanation. */
public class NativeException extends TFreeException {
    private final int status;

    public NativeException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The tf_status code (see native/include/tfree4j.h). */
    public int status() {
        return status;
    }
}
