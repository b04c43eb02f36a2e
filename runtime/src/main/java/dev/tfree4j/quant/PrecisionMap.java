package dev.tfree4j.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tfree4j.ActivationMode;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.StrictJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which components of a model are stored in int8 and how int8 weights multiply (W8A16/W8A32 or
 * W8A8). Components not listed keep the precision of the source checkpoint. Written by
 * {@code tfree4j quantize-plan}, applied by {@code tfree4j convert --int8 plan.json}, and stored
 * in converted models. The JSON form:
 * <pre>
 * {
 *   "format": "tfree4j-precision-map",
 *   "version": 1,
 *   "activations": "a16",            // or "a8"
 *   "int8": ["transformer.layers.0.mlp.dense_out.weight", ...],
 *   "note": "free text: how the map was made"      (optional)
 * }
 * </pre>
 */
public record PrecisionMap(Set<String> int8, ActivationMode activations, String note) {
    public static final String FORMAT = "tfree4j-precision-map";

    public PrecisionMap {
        int8 = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(int8));
        if (activations == null) throw new IllegalArgumentException("activations is null");
        note = note == null ? "" : note;
    }

    /** Every weight keeps its source precision. */
    public static PrecisionMap none() {
        return new PrecisionMap(Set.of(), ActivationMode.FLOAT, "");
    }

    /** Every component of a {@code layers}-layer model in int8. */
    public static PrecisionMap all(int layers, ActivationMode activations) {
        return new PrecisionMap(new LinkedHashSet<>(Components.of(layers)), activations, "all components int8");
    }

    public static PrecisionMap of(Collection<String> int8, ActivationMode activations, String note) {
        return new PrecisionMap(new LinkedHashSet<>(int8), activations, note);
    }

    public boolean isInt8(String weightName) {
        return int8.contains(weightName);
    }

    public PrecisionMap withActivations(ActivationMode mode) {
        return new PrecisionMap(int8, mode, note);
    }

    /** Checks that every listed name is a component of a {@code layers}-layer model. */
    public void checkAgainst(int layers, Path source) {
        List<String> known = Components.of(layers);
        for (String name : int8) {
            if (!known.contains(name)) {
                throw new ModelFormatException(source, "precision map names '" + name + "', which is not an int8-capable"
                        + " component of a " + layers + "-layer model (e.g. " + known.get(1) + ")");
            }
        }
    }

    /** Precision maps list at most 7·L + 2 names: a megabyte is thousands of layers' worth. */
    static final long MAX_FILE_BYTES = 1 << 20;

    /** Reads a precision map strictly (see {@link StrictJson}): a regular file, no duplicate keys, nothing after it. */
    public static PrecisionMap read(Path file) {
        JsonNode root = StrictJson.readObject(file, "precision map", MAX_FILE_BYTES);
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new ModelFormatException(file, "\"format\" must be \"" + FORMAT + "\"");
        }
        if (root.path("version").asInt(-1) != 1) throw new ModelFormatException(file, "unsupported \"version\" (expected 1)");
        ActivationMode mode = switch (root.path("activations").asText("a16")) {
            case "a16", "a32" -> ActivationMode.FLOAT;
            case "a8" -> ActivationMode.INT8;
            default -> throw new ModelFormatException(file, "\"activations\" must be \"a16\" or \"a8\"");
        };
        JsonNode list = root.path("int8");
        if (!list.isArray()) throw new ModelFormatException(file, "\"int8\" must be an array of weight names");
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode n : list) {
            if (!n.isTextual()) throw new ModelFormatException(file, "\"int8\" entries must be strings");
            names.add(n.asText());
        }
        return new PrecisionMap(names, mode, root.path("note").asText(""));
    }

    public void write(Path file) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.put("activations", activations == ActivationMode.INT8 ? "a8" : "a16");
        ArrayNode list = root.putArray("int8");
        int8.forEach(list::add);
        if (!note.isEmpty()) root.put("note", note);
        try {
            Files.writeString(file, json.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
