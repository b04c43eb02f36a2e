package dev.tfree4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.io.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON output (every {@code --json} shape of the command line comes from here or from a
 * result's {@code toJson()}) and JSON-lines input.
 */
public final class Json {
    /** The mapper every JSON output uses (plain Jackson defaults). */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** {@code value} (maps, lists, strings, numbers, Jackson trees) as one line of JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * One JSON string per line (blank lines skipped). Only a regular file is read (a FIFO would
     * block forever), and a string that is not valid Unicode (a lone surrogate escape such as
     * {@code "\ud800"}) is refused with its line, not silently turned into '?' downstream.
     */
    public static List<String> readStringLines(Path file) {
        List<String> out = new ArrayList<>();
        List<String> lines = TextFiles.readUtf8(file, "JSON-lines file").lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String value;
            try {
                value = MAPPER.readValue(line, String.class);
            } catch (IOException e) {
                throw new TFreeException(file + ":" + (i + 1) + ": expected one JSON string per line");
            }
            try {
                TextInput.requireWellFormed("the string", value);
            } catch (IllegalArgumentException e) {
                throw new TFreeException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
            out.add(value);
        }
        return out;
    }
}
