package dev.tfree4j;

import java.nio.file.Path;

/** A model, tokenizer, dictionary or config file is malformed; the message names file and problem. */
public class ModelFormatException extends TFreeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
