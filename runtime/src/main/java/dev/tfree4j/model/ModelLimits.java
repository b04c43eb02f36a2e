package dev.tfree4j.model;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.TransformerConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a model's config sizes against the weights actually present and against what this
 * machine can hold, before anything is sized by them. A config is a few hundred bytes that a
 * user may have edited or crafted: {@code "num_layers": 1000000000} once built a billion-entry
 * shape table, {@code "sequence_length": 4000000} a 3 GB rotary table. Each refusal is a
 * {@link ModelFormatException} naming the file, the key, the value asked and the limit.
 *
 * <p>What is checked, in order (all O(1); nothing is allocated):
 * <ul>
 *   <li>the weights file must be able to hold the weights the config describes, at one byte per
 *       weight at the least (int8): num_layers, hidden_size, vocab_size and the MLP width all
 *       multiply into that count;</li>
 *   <li>the rotary table (sequence_length × head_dim float32s, built on the Java heap at load)
 *       must fit in half the heap limit;</li>
 *   <li>one full context's KV cache (2 × num_layers × sequence_length × hidden_size float32s,
 *       what a generation reaching sequence_length allocates) must fit in the machine's memory.</li>
 * </ul>
 * The tensor count is checked against num_layers again where the tensors are listed
 * ({@link TransformerConfig#requireTensorCount}), before the expected shapes are built.
 */
public final class ModelLimits {
    private ModelLimits() {}

    /**
     * What this JVM can hold: its heap limit and the machine's (or container's) memory.
     *
     * @param heapBytes   {@code Runtime.maxMemory()}: the Java heap limit (-Xmx)
     * @param memoryBytes physical memory (a container's limit when there is one)
     */
    public record Machine(long heapBytes, long memoryBytes) {
        public static Machine current() {
            long memory = Long.MAX_VALUE;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                memory = os.getTotalMemorySize();
            }
            return new Machine(Runtime.getRuntime().maxMemory(), memory);
        }
    }

    /** Checks {@code config} of {@code files} on this machine. */
    public static void check(ModelDirectory files, ModelConfig config) {
        long weightsBytes;
        try {
            weightsBytes = Files.size(files.transformerWeights());
        } catch (IOException e) {
            throw new ModelFormatException(files.transformerWeights(), "cannot read its size: " + e, e);
        }
        check(files.transformerConfig(), config.transformer(), files.transformerWeights(), weightsBytes, Machine.current());
    }

    /**
     * Checks {@code c} (read from {@code configFile}) against a weights file of
     * {@code weightsBytes} bytes and {@code machine}.
     */
    public static void check(Path configFile, TransformerConfig c, Path weightsFile, long weightsBytes, Machine machine) {
        double weights = minimumWeightBytes(c);
        if (weights > weightsBytes) {
            throw new ModelFormatException(configFile, "the config asks for more weights than " + weightsFile.getFileName()
                    + " holds: num_layers " + c.numLayers() + ", hidden_size " + c.hiddenSize() + ", vocab_size "
                    + c.vocabSize() + " and an MLP width of " + c.intermediateSize() + " make " + String.format("%.3g", weights)
                    + " weights, at least one byte each, but " + weightsFile + " has " + weightsBytes + " bytes");
        }
        double ropeBytes = ropeTableBytes(c.sequenceLength(), c.headDim());
        long ropeLimit = machine.heapBytes() / 2;
        if (ropeBytes > ropeLimit || (long) c.sequenceLength() * c.headDim() > Integer.MAX_VALUE - 16) {
            throw new ModelFormatException(configFile, "'sequence_length' " + c.sequenceLength() + " needs a rotary table of "
                    + mib(ropeBytes) + " (sequence_length × head_dim " + c.headDim() + " float32s) on the Java heap; the"
                    + " limit is half the heap, " + mib(ropeLimit) + " (-Xmx), which holds at most "
                    + Math.min(ropeLimit / (4L * c.headDim()), (Integer.MAX_VALUE - 16L) / c.headDim()) + " positions");
        }
        double kvBytes = fullContextKvBytes(c);
        if (kvBytes > machine.memoryBytes()) {
            throw new ModelFormatException(configFile, "'sequence_length' " + c.sequenceLength() + " needs a KV cache of "
                    + mib(kvBytes) + " for one full context (2 × num_layers " + c.numLayers() + " × sequence_length × hidden_size "
                    + c.hiddenSize() + " float32s); this machine has " + mib(machine.memoryBytes()) + ", which holds at most "
                    + (long) (machine.memoryBytes() / (kvBytes / c.sequenceLength())) + " positions");
        }
    }

    /** The number of weights the config describes (a double: a crafted config may overflow a long). */
    static double minimumWeightBytes(TransformerConfig c) {
        double h = c.hiddenSize();
        double f = c.intermediateSize();
        double perLayer = 4 * h * h + 3 * f * h + 2 * h;
        return c.numLayers() * perLayer + 2.0 * c.vocabSize() * h + h;
    }

    /** Bytes of the rotary table: sequence_length × head_dim float32s. */
    static double ropeTableBytes(int sequenceLength, int headDim) {
        return 4.0 * sequenceLength * headDim;
    }

    /** Bytes of one full context's K and V: 2 × layers × positions × hidden float32s. */
    static double fullContextKvBytes(TransformerConfig c) {
        return 2.0 * c.numLayers() * c.sequenceLength() * c.hiddenSize() * 4;
    }

    private static String mib(double bytes) {
        return String.format("%.1f MiB", bytes / (1 << 20));
    }
}
