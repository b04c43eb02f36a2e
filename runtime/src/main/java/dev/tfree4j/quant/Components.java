package dev.tfree4j.quant;

import java.util.ArrayList;
import java.util.List;

/**
 * The components of a T-FREE model that can be stored in int8 (docs/spec/atman-dtm.md §B.5): per layer
 * the seven matrices q, k, v, dense (o), dense_in (gate), swiglu (up), dense_out (down), plus the
 * embedding table and the head. Names are the state-dict names of docs/spec/tfree.md §7.3, so they double as
 * the keys of a {@link PrecisionMap}. A 32-layer 7B model has 7 × 32 + 2 = 226 components.
 */
public final class Components {
    private Components() {}

    public static final String EMBEDDING = "transformer.embeddings.embedding.weight";
    public static final String HEAD = "lm_head.weight";

    /** The per-layer matrix names, in forward order, without the layer prefix. */
    public static final List<String> LAYER_MATRICES = List.of(
            "attention.query.weight", "attention.key.weight", "attention.value.weight", "attention.dense.weight",
            "mlp.dense_in.weight", "mlp.swiglu.weight", "mlp.dense_out.weight");

    /** All components of a model with {@code layers} layers: embedding, layer 0 … L−1, head. */
    public static List<String> of(int layers) {
        List<String> out = new ArrayList<>(LAYER_MATRICES.size() * layers + 2);
        out.add(EMBEDDING);
        for (int l = 0; l < layers; ++l) {
            for (String m : LAYER_MATRICES) out.add("transformer.layers." + l + "." + m);
        }
        out.add(HEAD);
        return List.copyOf(out);
    }

    /** A short label for reports: "embedding", "head", or e.g. "L3.query", "L0.dense_out". */
    public static String label(String name) {
        if (name.equals(EMBEDDING)) return "embedding";
        if (name.equals(HEAD)) return "head";
        String prefix = "transformer.layers.";
        if (name.startsWith(prefix)) {
            String rest = name.substring(prefix.length());
            int dot = rest.indexOf('.');
            String layer = rest.substring(0, dot);
            String matrix = rest.substring(dot + 1).replace(".weight", "");
            return "L" + layer + "." + matrix.substring(matrix.indexOf('.') + 1);
        }
        return name;
    }
}
