package dev.tfree4j;

/** A pickle asked for a global (class or function) outside the small allow-list tfree4j accepts. */
public class UnsafePickleException extends ModelFormatException {
    public UnsafePickleException(String message) {
        super(message);
    }
}
