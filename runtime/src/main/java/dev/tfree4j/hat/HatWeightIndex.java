package dev.tfree4j.hat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.StrictJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code model.safetensors.index.json}, the map of a sharded Hugging Face checkpoint:
 * <pre>
 * {"metadata": {"total_size": 530688},
 *  "weight_map": {"lm_head.weight": "model-00002-of-00002.safetensors", ...}}
 * </pre>
 * Read strictly: a tensor listed twice (a duplicate key) is an error, and every shard must be a
 * plain file name ending in {@code .safetensors}, so that it can only name a file directly in the
 * model directory (no {@code ../}, no separators, no absolute paths). The shard itself may be a
 * symbolic link, as in the Hugging Face cache. {@code metadata} and any other key are not used
 * and not read. Whether the shards hold what the map says is checked by {@link HatCheckpoint}.
 *
 * @param file      the index file, for messages
 * @param weightMap tensor name → shard file name, in file order
 */
public record HatWeightIndex(Path file, Map<String, String> weightMap) {
    /** The index's file name in a model directory. */
    public static final String FILE_NAME = "model.safetensors.index.json";
    /** The most bytes read (a 70B model's index is about 100 KB). */
    public static final long MAX_INDEX_BYTES = 16 << 20;

    public HatWeightIndex {
        weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
    }

    /** Reads and checks {@code file}. */
    public static HatWeightIndex read(Path file) {
        return fromJson(file, StrictJson.readObject(file, "safetensors index", MAX_INDEX_BYTES));
    }

    /** Parses the bytes of an index (as {@link #read}); errors name {@code file}. */
    public static HatWeightIndex parse(Path file, byte[] json) {
        JsonNode root;
        try {
            root = StrictJson.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new ModelFormatException(file, "safetensors index is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot parse the safetensors index: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new ModelFormatException(file, "safetensors index must be a JSON object");
        return fromJson(file, root);
    }

    private static HatWeightIndex fromJson(Path file, JsonNode root) {
        JsonNode map = root.get("weight_map");
        if (map == null) throw new ModelFormatException(file, "safetensors index has no \"weight_map\"");
        if (!map.isObject()) throw new ModelFormatException(file, "\"weight_map\" must be an object of tensor name to shard file");
        if (map.isEmpty()) throw new ModelFormatException(file, "\"weight_map\" is empty");
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String tensor = e.getKey();
            if (tensor.isEmpty()) throw new ModelFormatException(file, "\"weight_map\" has an empty tensor name");
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(file, "\"weight_map\" entry '" + tensor + "' must be a shard file name (a string)");
            }
            String shard = e.getValue().textValue();
            checkShardName(file, tensor, shard);
            weightMap.put(tensor, shard);
        }
        return new HatWeightIndex(file, weightMap);
    }

    /** A shard must be a file directly in the model directory: a bare name, never a path. */
    private static void checkShardName(Path file, String tensor, String shard) {
        boolean plain = !shard.isEmpty() && !shard.equals(".") && !shard.equals("..")
                && shard.indexOf('/') < 0 && shard.indexOf('\\') < 0 && shard.indexOf('\0') < 0
                && !shard.contains(":");
        if (!plain || !shard.endsWith(".safetensors")) {
            throw new ModelFormatException(file, "\"weight_map\" puts tensor '" + tensor + "' in \"" + shard
                    + "\"; a shard must be a .safetensors file name in the model directory (no path)");
        }
    }

    /** The shard file names, each once, in order of first mention. */
    public List<String> shards() {
        return List.copyOf(new LinkedHashSet<>(weightMap.values()));
    }
}
