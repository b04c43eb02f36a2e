package dev.tfree4j.quant;

import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.engine.Int8Matrix;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.model.LoadedModel;
import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Swaps components of a loaded model between their source precision and an int8 copy, in place,
 * so that a sensitivity probe costs one quantization per component (cached) instead of a model
 * load. The int8 copies live in this object's arena; {@link #close()} restores every component
 * first, then frees them. Not thread-safe, and no generation may run on the model during a swap.
 */
public final class ComponentSwitch implements AutoCloseable {
    private final TFreeModel model;
    private final LoadedModel loaded;
    private final Arena arena = Arena.ofShared();
    private final Map<String, Int8Matrix> int8 = new HashMap<>();
    private final Set<String> active = new LinkedHashSet<>();

    public ComponentSwitch(TFreeModel model) {
        this.model = model;
        this.loaded = ModelInternals.loaded(model);
    }

    /** Puts {@code name} in int8 (quantized from the source tensor the first time). */
    public void toInt8(String name) {
        Int8Matrix q = int8.computeIfAbsent(name, this::quantize);
        q.setOn(loaded.nativeModel(), name);
        active.add(name);
    }

    /** Puts {@code name} back to its source tensor. */
    public void restore(String name) {
        if (active.remove(name)) loaded.restoreWeight(name);
    }

    /** Makes exactly the components of {@code names} int8, all others source precision. */
    public void apply(Set<String> names) {
        for (String n : Set.copyOf(active)) {
            if (!names.contains(n)) restore(n);
        }
        for (String n : names) {
            if (!active.contains(n)) toInt8(n);
        }
    }

    /** Parameter count of a component. */
    public long parameters(String name) {
        return loaded.weight(name).numel();
    }

    private Int8Matrix quantize(String name) {
        Tensor t = loaded.weight(name);
        if (t.rank() != 2) throw new IllegalArgumentException(name + " is not a matrix");
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(name + " has dtype " + t.dtype() + "; only float weights can be quantized");
        }
        return Int8Matrix.quantize(ModelInternals.context(model), t.data(), t.dtype(), t.dim(0), t.dim(1), arena);
    }

    @Override
    public void close() {
        try {
            for (String n : Set.copyOf(active)) restore(n);
        } finally {
            arena.close();
        }
    }
}
