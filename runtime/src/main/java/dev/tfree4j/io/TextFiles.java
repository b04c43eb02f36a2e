package dev.tfree4j.io;

import dev.tfree4j.TFreeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading a text file a user names (prompts, held-out text, JSON lines) with errors that name
 * the file and the real cause: missing, not a regular file (a FIFO would block the read
 * forever), unreadable, or not UTF-8 — instead of the JDK's bare "Input length = 1".
 */
public final class TextFiles {
    private TextFiles() {}

    /** The whole file as UTF-8 text. {@code what} names its role in messages, e.g. "prompt file". */
    public static String readUtf8(Path file, String what) {
        if (!Files.exists(file)) throw new TFreeException(file + ": the " + what + " does not exist");
        if (!Files.isRegularFile(file)) {
            throw new TFreeException(file + ": the " + what + " is not a regular file (a directory, FIFO or device)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw new TFreeException(file + ": the " + what + " is not readable (permission denied)");
        } catch (IOException e) {
            throw new TFreeException(file + ": cannot read the " + what + ": " + e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TFreeException(file + ": the " + what + " is not valid UTF-8 text");
        }
    }
}
