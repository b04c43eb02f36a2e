package dev.tfree4j;

/**
 * The model directory is valid, but this build of tfree4j cannot run that kind of model (yet);
 * the message says what is missing.
 */
public class UnsupportedModelException extends TFreeException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
