package dev.tfree4j.model;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.DType;
import dev.tfree4j.io.SafeTensors;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.io.TorchArchive;
import dev.tfree4j.io.TransformerConfig;
import dev.tfree4j.quant.Components;
import dev.tfree4j.quant.PrecisionMap;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The transformer's weights by state-dict name (docs/spec/tfree.md §7.3), in place in the mapped weights file,
 * checked against the config: every weight present with its shape, nothing else. A weight is
 * floating point (f32, bf16, f16), or — only in the tfree4j layout and only for the components of
 * {@link Components} — int8 with a companion f32 tensor {@code NAME.scale} of one scale per row.
 *
 * @param file    the weights file (transformer.pt or model.safetensors)
 * @param weights in state-dict order
 */
public record ModelWeights(Path file, Map<String, Weight> weights) {
    /** Suffix of the per-row scales of an int8 weight in model.safetensors. */
    public static final String SCALE_SUFFIX = ".scale";

    /**
     * One weight.
     *
     * @param data   its elements ([rows, cols] or [n])
     * @param scales for int8 data, f32 [rows]; else null
     */
    public record Weight(Tensor data, Tensor scales) {
        public boolean isInt8() {
            return data.dtype() == DType.I8;
        }
    }

    public ModelWeights {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** Maps the weights file of {@code files} (lifetime = {@code mapping}) and checks it against {@code config}. */
    public static ModelWeights open(ModelDirectory files, ModelConfig config, Arena mapping) {
        Path file = files.transformerWeights();
        return switch (files.layout()) {
            case REFERENCE -> {
                Map<String, Tensor> tensors = TorchArchive.open(file, mapping).tensors();
                config.transformer().validate(tensors, file);
                Map<String, Weight> out = new LinkedHashMap<>();
                tensors.forEach((name, t) -> out.put(name, new Weight(t, null)));
                yield new ModelWeights(file, out);
            }
            case TFREE4J -> fromSafeTensors(file, SafeTensors.open(file, mapping).tensors(), config.transformer(),
                    config.precision());
        };
    }

    /** Checks a converted model's tensors against its config and precision map. */
    static ModelWeights fromSafeTensors(Path file, Map<String, Tensor> tensors, TransformerConfig config,
                                        PrecisionMap precision) {
        config.requireTensorCount(tensors.size(), file);
        Map<String, long[]> expected = config.expectedShapes(config.vocabSize());
        Set<String> components = Set.copyOf(Components.of(config.numLayers()));
        List<String> missing = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        Set<String> int8 = new TreeSet<>();
        Map<String, Weight> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            String name = e.getKey();
            Tensor t = tensors.get(name);
            if (t == null) {
                missing.add(name);
            } else if (!t.hasShape(e.getValue())) {
                wrong.add(name + " is " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(e.getValue()));
            } else if (t.dtype().isFloatingPoint()) {
                out.put(name, new Weight(t, null));
            } else if (t.dtype() != DType.I8) {
                wrong.add(name + " has dtype " + t.dtype() + ", expected F32, BF16, F16 or (for matrices) I8");
            } else if (!components.contains(name)) {
                wrong.add(name + " is I8, but only the " + components.size() + " matrices of quant.Components may be int8");
            } else {
                Tensor scales = tensors.get(name + SCALE_SUFFIX);
                String problem = checkScales(name, scales, t.dim(0));
                if (problem != null) {
                    wrong.add(problem);
                } else {
                    out.put(name, new Weight(t, scales));
                    int8.add(name);
                }
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : tensors.keySet()) {
            boolean scaleOfInt8 = name.endsWith(SCALE_SUFFIX)
                    && int8.contains(name.substring(0, name.length() - SCALE_SUFFIX.length()));
            if (!expected.containsKey(name) && !scaleOfInt8) unexpected.add(name);
        }
        if (!missing.isEmpty() || !wrong.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder sb = new StringBuilder("weights do not match config.json (vocab_size " + config.vocabSize()
                    + ", hidden_size " + config.hiddenSize() + ", num_layers " + config.numLayers() + "):");
            appendList(sb, "missing", missing);
            appendList(sb, "unexpected", unexpected);
            appendList(sb, "wrong", wrong);
            throw new ModelFormatException(file, sb.toString());
        }
        if (!int8.equals(new TreeSet<>(precision.int8()))) {
            Set<String> onlyFile = new TreeSet<>(int8);
            onlyFile.removeAll(precision.int8());
            Set<String> onlyMap = new TreeSet<>(precision.int8());
            onlyMap.removeAll(int8);
            throw new ModelFormatException(file, "int8 weights do not match precision.json: stored as int8 but not listed "
                    + first(onlyFile) + ", listed but not stored as int8 " + first(onlyMap));
        }
        return new ModelWeights(file, out);
    }

    /** Null if {@code scales} is an f32 [rows] tensor of finite, non-negative values; else the problem. */
    private static String checkScales(String name, Tensor scales, long rows) {
        String scaleName = name + SCALE_SUFFIX;
        if (scales == null) return name + " is I8 but has no " + scaleName;
        if (scales.dtype() != DType.F32 || !scales.hasShape(rows)) {
            return scaleName + " is " + scales.dtype() + Arrays.toString(scales.shape()) + ", expected F32[" + rows + "]";
        }
        for (long r = 0; r < rows; r++) {
            float s = scales.getFloat(r);
            if (!(s >= 0) || Float.isInfinite(s)) return scaleName + "[" + r + "] = " + s + " is not a finite, non-negative scale";
        }
        return null;
    }

    /** Number of parameters (elements of all weights, scales not counted). */
    public long parameters() {
        long n = 0;
        for (Weight w : weights.values()) n += w.data().numel();
        return n;
    }

    private static String first(Set<String> names) {
        List<String> l = new ArrayList<>(names);
        return l.size() <= 3 ? l.toString() : l.subList(0, 3) + " and " + (l.size() - 3) + " more";
    }

    private static void appendList(StringBuilder sb, String label, List<String> items) {
        if (items.isEmpty()) return;
        sb.append(' ').append(items.size()).append(' ').append(label).append(" [");
        sb.append(String.join("; ", items.subList(0, Math.min(5, items.size()))));
        if (items.size() > 5) sb.append("; ...");
        sb.append(']');
    }
}
