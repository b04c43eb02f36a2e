package dev.tfree4j.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.ActivationMode;
import dev.tfree4j.io.TransformerConfig;
import dev.tfree4j.text.TokenizerConfig;
import dev.tfree4j.io.StrictJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * {@code config.json} of a model in the tfree4j layout ({@link ModelDirectory}):
 * <pre>
 * {
 *   "format": "tfree4j-model",
 *   "version": 1,
 *   "activations": "a16",      // how int8 weights multiply: "a16" (float activations) or "a8" (W8A8)
 *   "transformer": { ... },    // the reference's transformer_config.yaml object, unchanged
 *   "tokenizer": { ... }       // the reference's tokenizer_config.yaml object, unchanged
 * }
 * </pre>
 * The two configs are kept verbatim so that a converted model describes the same architecture
 * with the same keys as its source. Their {@code precision} key still names the source's
 * precision; the stored dtype of every weight is the one in {@code model.safetensors}.
 *
 * @param transformerJson the "transformer" object as read (written back as is)
 * @param tokenizerJson   the "tokenizer" object as read
 */
public record ConvertedConfig(TransformerConfig transformer, TokenizerConfig tokenizer, ActivationMode activations,
                              JsonNode transformerJson, JsonNode tokenizerJson) {
    public static final String FORMAT = "tfree4j-model";
    public static final int VERSION = 1;

    private static final Set<String> KEYS = Set.of("format", "version", "activations", "transformer", "tokenizer");
    private static final ObjectMapper JSON = StrictJson.MAPPER;

    public static ConvertedConfig read(Path file) {
        JsonNode root = readObject(file);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) throw new ModelFormatException(file, "unknown key '" + key + "' (a newer format?)");
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new ModelFormatException(file, "\"format\" must be \"" + FORMAT + "\"");
        }
        JsonNode version = root.path("version");
        if (!version.isInt() || version.intValue() != VERSION) {
            throw new ModelFormatException(file, "unsupported \"version\" " + version + " (this tfree4j reads version " + VERSION + ")");
        }
        ActivationMode mode = activationMode(root.path("activations").asText(""))
                .orElseThrow(() -> new ModelFormatException(file, "\"activations\" must be \"a16\" or \"a8\""));
        JsonNode t = root.get("transformer");
        JsonNode k = root.get("tokenizer");
        if (t == null) throw new ModelFormatException(file, "missing \"transformer\" (the architecture config)");
        if (k == null) throw new ModelFormatException(file, "missing \"tokenizer\" (the tokenizer config)");
        return new ConvertedConfig(TransformerConfig.fromJson(file, t), TokenizerConfig.fromJson(file, k), mode, t, k);
    }

    public void write(Path file) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("activations", activationName(activations));
        root.set("transformer", transformerJson);
        root.set("tokenizer", tokenizerJson);
        try {
            Files.writeString(file, json.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** "a16" or "a8", the names used on the command line and in config.json / precision.json. */
    public static String activationName(ActivationMode mode) {
        return mode == ActivationMode.INT8 ? "a8" : "a16";
    }

    public static java.util.Optional<ActivationMode> activationMode(String name) {
        return switch (name) {
            case "a16" -> java.util.Optional.of(ActivationMode.FLOAT);
            case "a8" -> java.util.Optional.of(ActivationMode.INT8);
            default -> java.util.Optional.empty();
        };
    }

    /** Reads a JSON object strictly (no duplicate keys, nothing after it); errors name the file. */
    static JsonNode readObject(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(TokenizerConfig.utf8(file,
                    StrictJson.readBounded(file, "config file", StrictJson.MAX_CONFIG_BYTES)));
        } catch (JacksonException e) {
            throw new ModelFormatException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new ModelFormatException(file, "must be a JSON object");
        return root;
    }
}
