package dev.tfree4j.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Strict reading of the small JSON files a user hands us (precision maps, configs): duplicate
 * keys and anything after the top-level value are errors, not silently resolved, and only a
 * regular file of bounded size is read — a FIFO would block forever, a huge file would fill the
 * heap before a single key could be checked.
 */
public final class StrictJson {
    /** Rejects duplicate keys and trailing tokens. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {}

    /**
     * Reads {@code file} as one JSON object. Errors are {@link ModelFormatException}s naming the
     * file and the cause: missing, not a regular file, larger than {@code maxBytes}, not UTF-8
     * JSON, a duplicate key, trailing content, or not an object. {@code what} names the file's
     * role in messages, e.g. "precision map".
     */
    public static JsonNode readObject(Path file, String what, long maxBytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(readBounded(file, what, maxBytes));
        } catch (JacksonException e) {
            throw new ModelFormatException(file, what + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() : ""), e);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read the " + what + ": " + e, e);
        }
        if (root == null || !root.isObject()) throw new ModelFormatException(file, what + " must be a JSON object");
        return root;
    }

    /** The most bytes a model's config file may have: real ones are under 2 KB. */
    public static final long MAX_CONFIG_BYTES = 1 << 20;

    /**
     * The bytes of a small file, refused by its size before anything is read: missing, not a
     * regular file (a FIFO would block), or larger than {@code maxBytes} (a 2 GB "config" filled
     * the heap before) is a {@link ModelFormatException} naming the file, its size and the limit.
     */
    public static byte[] readBounded(Path file, String what, long maxBytes) {
        try {
            if (!Files.exists(file)) throw new ModelFormatException(file, what + " not found");
            if (!Files.isRegularFile(file)) {
                throw new ModelFormatException(file, what + " is not a regular file (a directory, FIFO or device)");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new ModelFormatException(file, what + " is " + size + " bytes; at most " + maxBytes
                        + " are read (refused by its size, before reading)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, what + " not found");
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read the " + what + ": " + e, e);
        }
    }
}
