package dev.tfree4j.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ModelFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file, parsed and checked against the size of the data
 * section that follows it. Everything a tensor claims (dtype, shape, byte range) is checked
 * here, on the header alone, so that no memory is ever sized from an unchecked number:
 * <ul>
 *   <li>the header is one JSON object (no duplicate keys, nothing after it but spaces);</li>
 *   <li>{@code __metadata__}, if present, maps strings to strings;</li>
 *   <li>every other key is a tensor: {@code {"dtype": D, "shape": [..], "data_offsets": [begin, end]}}
 *       with a dtype tfree4j reads, non-negative dimensions whose product (and byte size) fits a
 *       long, {@code 0 <= begin <= end <= data size} and {@code end - begin == elements × element size};</li>
 *   <li>the byte ranges tile the data section exactly: no overlaps, no gaps, no trailing bytes
 *       (as the format's reference implementation requires).</li>
 * </ul>
 *
 * @param metadata the {@code __metadata__} map (empty when absent)
 * @param entries  the tensors in data order (by begin offset)
 */
public record SafeTensorsHeader(Map<String, String> metadata, List<Entry> entries) {
    /** The most dimensions a tensor may have (a sanity bound; real weights have 1 or 2). */
    public static final int MAX_RANK = 64;

    /** One tensor's description; {@code begin}/{@code end} are offsets into the data section. */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long byteSize() {
            return end - begin;
        }
    }

    private static final ObjectMapper JSON = StrictJson.MAPPER;

    public SafeTensorsHeader {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        entries = List.copyOf(entries);
    }

    /**
     * Parses {@code json} (the header bytes, UTF-8) of {@code file} whose data section holds
     * {@code dataSize} bytes; any problem is a {@link ModelFormatException} naming the file and,
     * where there is one, the tensor.
     */
    public static SafeTensorsHeader parse(Path file, byte[] json, long dataSize) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new ModelFormatException(file, "safetensors header is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (header byte " + e.getLocation().getByteOffset() + ")" : ""), e);
        } catch (java.io.IOException e) {
            throw new ModelFormatException(file, "cannot parse the safetensors header: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, "safetensors header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) {
                metadata = metadata(file, field.getValue());
            } else {
                entries.add(entry(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        checkTiling(file, entries, dataSize);
        return new SafeTensorsHeader(metadata, entries);
    }

    private static Map<String, String> metadata(Path file, JsonNode node) {
        if (!node.isObject()) throw new ModelFormatException(file, "__metadata__ must be an object of strings, got " + kind(node));
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(file, "__metadata__ value of '" + e.getKey() + "' must be a string, got "
                        + kind(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataSize) {
        if (name.isEmpty()) throw new ModelFormatException(file, "a tensor has an empty name");
        String what = "tensor '" + name + "'";
        if (!node.isObject()) throw bad(file, what + " must be an object, got " + kind(node));
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String k = keys.next();
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw bad(file, what + " has an unknown key '" + k + "'");
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) throw bad(file, what + " has no string \"dtype\"");
        DType dtype = SafeTensors.dtypeOf(dtypeNode.textValue()).orElseThrow(() -> bad(file, what
                + " has unsupported dtype \"" + dtypeNode.textValue() + "\" (tfree4j reads " + SafeTensors.SUPPORTED + ")"));

        long[] shape = integers(file, node.get("shape"), what + " \"shape\"", -1);
        long bytes;
        try {
            long elements = 1;
            for (long d : shape) elements = Math.multiplyExact(elements, d);
            bytes = Math.multiplyExact(elements, (long) dtype.byteSize());
        } catch (ArithmeticException overflow) {
            throw bad(file, what + " has an impossible shape " + Arrays.toString(shape) + " (its size overflows 64 bits)");
        }

        long[] offsets = integers(file, node.get("data_offsets"), what + " \"data_offsets\"", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) throw bad(file, what + " has data_offsets [" + begin + ", " + end + "] with begin > end");
        if (end > dataSize) {
            throw bad(file, what + " has data_offsets [" + begin + ", " + end + "] beyond the data section's "
                    + dataSize + " bytes (truncated file?)");
        }
        if (end - begin != bytes) {
            throw bad(file, what + " is " + dtypeNode.textValue() + Arrays.toString(shape) + " = " + bytes
                    + " bytes, but its data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** The byte ranges, sorted by begin, must cover [0, dataSize) exactly once. */
    private static void checkTiling(Path file, List<Entry> sorted, long dataSize) {
        long covered = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < covered) {
                throw bad(file, "tensor '" + e.name() + "' [" + e.begin() + ", " + e.end() + ") overlaps tensor '"
                        + previous.name() + "' [" + previous.begin() + ", " + previous.end() + ")");
            }
            if (e.begin() > covered) {
                throw bad(file, "gap of " + (e.begin() - covered) + " unused bytes before tensor '" + e.name()
                        + "' at data offset " + covered);
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataSize) {
            throw bad(file, (dataSize - covered) + " bytes after the last tensor are not described by the header");
        }
    }

    /** A JSON array of non-negative integers ({@code length} of them, or any number if negative). */
    private static long[] integers(Path file, JsonNode node, String what, int length) {
        if (node == null || !node.isArray()) throw bad(file, what + " must be an array of integers");
        if (length >= 0 && node.size() != length) throw bad(file, what + " must have " + length + " entries, has " + node.size());
        if (node.size() > MAX_RANK) throw bad(file, what + " has " + node.size() + " entries (at most " + MAX_RANK + ")");
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw bad(file, what + " entry " + i + " is " + v + ", not a non-negative 64-bit integer");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase();
    }

    private static ModelFormatException bad(Path file, String problem) {
        return new ModelFormatException(file, problem);
    }
}
