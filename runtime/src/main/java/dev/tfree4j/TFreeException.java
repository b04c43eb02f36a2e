package dev.tfree4j;

/** Base of every exception tfree4j throws on purpose: bad input, bad files, native failures. */
public class TFreeException extends RuntimeException {
    public TFreeException(String message) {
        super(message);
    }

    public TFreeException(String message, Throwable cause) {
        super(message, cause);
    }
}
