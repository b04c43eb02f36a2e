package dev.tfree4j.io;

import dev.tfree4j.ModelFormatException;
import java.nio.file.Path;

/**
 * The contract every fuzz target checks: a parser of untrusted bytes either succeeds or throws a
 * {@link ModelFormatException} (or its subclass {@code UnsafePickleException}) whose message
 * names the file. Anything else escaping — an IndexOutOfBounds, NumberFormat or Arithmetic
 * exception, a StackOverflowError, an OutOfMemoryError from an allocation the input does not
 * justify — propagates and is reported by Jazzer as a finding.
 */
final class FuzzContract {
    private FuzzContract() {}

    /** Runs {@code parse}; a format error must name {@code file}, every other throwable escapes. */
    static void onlyFormatErrors(Path file, Runnable parse) {
        try {
            parse.run();
        } catch (ModelFormatException e) {
            String m = e.getMessage();
            if (m == null || !m.contains(file.toString())) {
                throw new AssertionError("format error does not name the file " + file + ": " + m, e);
            }
        }
    }
}
