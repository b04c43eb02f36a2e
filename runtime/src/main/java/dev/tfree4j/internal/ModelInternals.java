package dev.tfree4j.internal;

import dev.tfree4j.TFreeModel;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.model.LoadedModel;
import java.util.Objects;

/**
 * The internals of a {@link TFreeModel} for tfree4j's own tools: the runtime's other packages,
 * the command line, the tests and the benchmarks. Not API: it may change in any release. A
 * program using tfree4j needs only {@link TFreeModel} and its {@link dev.tfree4j.Session}s.
 */
public final class ModelInternals {
    /** What {@link TFreeModel} hands out; set once by TFreeModel's class initialisation. */
    public interface Access {
        LoadedModel loaded(TFreeModel model);

        NativeContext context(TFreeModel model);

        <T> T whileOpen(TFreeModel model, java.util.function.Supplier<T> step);
    }

    private static volatile Access access;

    private ModelInternals() {}

    /** Called once by {@link TFreeModel}. */
    public static void install(Access a) {
        if (access != null) throw new IllegalStateException("already installed");
        access = Objects.requireNonNull(a);
    }

    /** The loaded checkpoint: configs, tokenizer, native model, dictionary. */
    public static LoadedModel loaded(TFreeModel model) {
        return access.loaded(model);
    }

    /**
     * Runs {@code step} under the model's close guard: {@code close()} waits for it, and once the
     * model is closed it fails with "the model was closed" before touching anything native.
     * Every native object made for a model's use (word scorers, decoders) is created through
     * this, so a racing close cannot free the context between a check and the creation.
     */
    public static <T> T whileOpen(TFreeModel model, java.util.function.Supplier<T> step) {
        return access.whileOpen(model, step);
    }

    /** The native context the model runs on (possibly shared with other models). */
    public static NativeContext context(TFreeModel model) {
        return access.context(model);
    }
}
