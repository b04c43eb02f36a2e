package dev.tfree4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a model directory shows before any family reads it: its entries and, when it has a
 * {@code config.json} that parses as a JSON object, that file's {@code model_type} and
 * {@code format} keys. Reading nothing else keeps the routing independent of every family's
 * strict validation.
 *
 * @param entries    the names directly in the directory, sorted
 * @param configJson whether there is a {@code config.json}
 * @param modelType  config.json's {@code model_type}, or null
 * @param format     config.json's {@code format}, or null
 */
public record FamilyProbe(Path dir, List<String> entries, boolean configJson, String modelType, String format) {

    /** Looks at {@code dir}. */
    public static FamilyProbe of(Path dir) {
        if (!Files.isDirectory(dir)) throw new ModelFormatException(dir, "model directory does not exist");
        List<String> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new ModelFormatException(dir, "cannot list: " + e.getMessage(), e);
        }
        Path config = dir.resolve(ModelDirectory.CONFIG_JSON);
        boolean hasConfig = Files.isRegularFile(config);
        String modelType = null, format = null;
        // An oversized config.json is not parsed here (a 2 GB one filled the heap): the family
        // that reads it refuses it by its size (StrictJson.readBounded).
        if (hasConfig && sizeOf(config) <= dev.tfree4j.io.StrictJson.MAX_CONFIG_BYTES) {
            try {
                JsonNode root = new ObjectMapper().readTree(config.toFile());
                if (root != null && root.isObject()) {
                    modelType = root.path("model_type").isTextual() ? root.get("model_type").asText() : null;
                    format = root.path("format").isTextual() ? root.get("format").asText() : null;
                }
            } catch (IOException e) {
                // Not JSON: the family that claims a bare config.json reports it with its own rules.
            }
        }
        return new FamilyProbe(dir, entries, hasConfig, modelType, format);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    public boolean has(String entry) {
        return entries.contains(entry);
    }
}
