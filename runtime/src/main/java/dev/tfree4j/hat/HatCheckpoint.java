package dev.tfree4j.hat;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.SafeTensors;
import dev.tfree4j.io.Tensor;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A HAT checkpoint in the published Hugging Face layout, validated and memory-mapped: the
 * {@link HatConfig} from {@code config.json} and every weight by its published name (HAT spec
 * §4.3 with §9's corrections) as a {@link Tensor}, a read-only slice of the mapped file (no copy).
 *
 * <p>The weights are either one {@code model.safetensors} or shards listed by
 * {@code model.safetensors.index.json} ({@link HatWeightIndex}); a directory with both is refused
 * as ambiguous. {@link #open} checks, before returning:
 * <ul>
 *   <li>every shard exists and is a valid safetensors file (headers checked before mapping);</li>
 *   <li>the index and the shards agree exactly: every listed tensor is in its shard, every
 *       tensor of a shard is listed for that shard (so none is in two shards);</li>
 *   <li>the tensors are exactly those the config implies ({@link HatConfig#expectedTensors()}),
 *       each with the implied shape and a float dtype (BF16, F16 or F32; dtypes may differ
 *       between tensors). Rotary {@code *.rotary_emb.inv_freq} buffers, which some exports keep,
 *       are tolerated and not exposed: they follow from the config.</li>
 * </ul>
 * The tensors stay valid until {@link #close()}, which unmaps every file; the checkpoint may be
 * read from any thread until then.
 */
public final class HatCheckpoint implements AutoCloseable {
    /** The single-file weights' name. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** The config's name. */
    public static final String CONFIG_FILE = "config.json";

    /** How many problems of one kind a message lists before it counts the rest. */
    private static final int LISTED = 5;

    private final Path dir;
    private final HatConfig config;
    private final Map<String, Tensor> tensors;
    private final List<Path> files;
    private final Arena arena;

    private HatCheckpoint(Path dir, HatConfig config, Map<String, Tensor> tensors, List<Path> files, Arena arena) {
        this.dir = dir;
        this.config = config;
        this.tensors = tensors;
        this.files = files;
        this.arena = arena;
    }

    /**
     * Reads and validates the checkpoint in {@code dir} and maps its weights.
     *
     * @throws ModelFormatException naming the file and the problem (and the key or tensor)
     */
    public static HatCheckpoint open(Path dir) {
        if (!Files.isDirectory(dir)) throw new ModelFormatException(dir, "HAT model directory does not exist");
        HatConfig config = HatConfig.read(dir.resolve(CONFIG_FILE));
        Path indexFile = dir.resolve(HatWeightIndex.FILE_NAME);
        Path singleFile = dir.resolve(SINGLE_FILE);
        boolean sharded = Files.exists(indexFile);
        if (sharded && Files.exists(singleFile)) {
            throw new ModelFormatException(dir, "holds both " + SINGLE_FILE + " and " + HatWeightIndex.FILE_NAME
                    + "; keep one, so that it is clear which weights are meant");
        }
        if (!sharded && !Files.exists(singleFile)) {
            throw new ModelFormatException(dir, "no HAT weights: expected " + SINGLE_FILE + " or "
                    + HatWeightIndex.FILE_NAME + " with its shards");
        }
        Arena arena = Arena.ofShared();
        try {
            Map<String, Tensor> found;
            List<Path> files = new ArrayList<>();
            Path described;
            if (sharded) {
                HatWeightIndex index = HatWeightIndex.read(indexFile);
                found = readShards(dir, index, arena, files);
                described = indexFile;
            } else {
                found = SafeTensors.open(singleFile, arena).tensors();
                files.add(singleFile);
                described = singleFile;
            }
            Map<String, Tensor> tensors = matchConfig(described, config, found);
            return new HatCheckpoint(dir, config, Collections.unmodifiableMap(tensors), List.copyOf(files), arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Maps every shard of {@code index} and checks that shards and index agree tensor for tensor. */
    private static Map<String, Tensor> readShards(Path dir, HatWeightIndex index, Arena arena, List<Path> files) {
        Path indexFile = index.file();
        Map<String, Tensor> found = new LinkedHashMap<>();
        for (String shard : index.shards()) {
            Path file = dir.resolve(shard);
            if (!Files.isRegularFile(file)) {
                throw new ModelFormatException(indexFile, "lists shard " + shard + " (for tensor '"
                        + firstTensorOf(index, shard) + "'), which is not a file in " + dir);
            }
            files.add(file);
            for (Tensor t : SafeTensors.open(file, arena).tensors().values()) {
                String listed = index.weightMap().get(t.name());
                if (listed == null) {
                    throw new ModelFormatException(indexFile, "does not list tensor '" + t.name() + "', which shard "
                            + shard + " holds");
                }
                if (!listed.equals(shard)) {
                    throw new ModelFormatException(indexFile, "lists tensor '" + t.name() + "' in " + listed
                            + ", but shard " + shard + " holds it" + (found.containsKey(t.name()) ? " too" : ""));
                }
                found.put(t.name(), t);
            }
        }
        for (Map.Entry<String, String> e : index.weightMap().entrySet()) {
            if (!found.containsKey(e.getKey())) {
                throw new ModelFormatException(indexFile, "lists tensor '" + e.getKey() + "' in shard " + e.getValue()
                        + ", which does not hold it");
            }
        }
        return found;
    }

    private static String firstTensorOf(HatWeightIndex index, String shard) {
        return index.weightMap().entrySet().stream().filter(e -> e.getValue().equals(shard))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    /** The tensors the config implies, in its order; anything missing, extra, misshapen or not float is an error. */
    private static Map<String, Tensor> matchConfig(Path described, HatConfig config, Map<String, Tensor> found) {
        Map<String, long[]> expected = config.expectedTensors();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = found.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey() + " " + Arrays.toString(e.getValue()));
            } else if (!t.hasShape(e.getValue())) {
                wrong.add(t.name() + " has shape " + Arrays.toString(t.shape()) + ", config.json implies "
                        + Arrays.toString(e.getValue()));
            } else if (!t.dtype().isFloatingPoint()) {
                wrong.add(t.name() + " is " + t.dtype() + "; weights must be BF16, F16 or F32");
            } else {
                tensors.put(t.name(), t);
            }
        }
        List<String> unexpected = found.values().stream()
                .filter(t -> !expected.containsKey(t.name()) && !t.name().endsWith(".rotary_emb.inv_freq"))
                .map(Tensor::toString).toList();
        if (!wrong.isEmpty()) throw new ModelFormatException(described, "tensor " + listed(wrong));
        if (!missing.isEmpty()) {
            throw new ModelFormatException(described, "missing " + missing.size() + " tensor(s) that config.json implies: "
                    + listed(missing));
        }
        if (!unexpected.isEmpty()) {
            throw new ModelFormatException(described, unexpected.size() + " unexpected tensor(s) that config.json does"
                    + " not imply: " + listed(unexpected));
        }
        return tensors;
    }

    private static String listed(List<String> items) {
        String shown = String.join("; ", items.subList(0, Math.min(LISTED, items.size())));
        return items.size() > LISTED ? shown + "; and " + (items.size() - LISTED) + " more" : shown;
    }

    /** The model directory. */
    public Path directory() {
        return dir;
    }

    public HatConfig config() {
        return config;
    }

    /** Every weight by its published name, in the config's module order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /**
     * The weight named {@code name}, e.g. {@code "decoder.decoder_layers.0.kv_norm.weight"}.
     *
     * @throws IllegalArgumentException when the checkpoint has no such weight
     */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("HAT checkpoint " + dir + " has no tensor '" + name + "'");
        return t;
    }

    /** The safetensors files mapped: the single file, or the shards in index order. */
    public List<Path> files() {
        return files;
    }

    /** Unmaps every file; the tensors must not be used afterwards. */
    @Override
    public void close() {
        arena.close();
    }
}
