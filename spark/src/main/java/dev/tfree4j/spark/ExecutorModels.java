package dev.tfree4j.spark;

import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open model per (source, threads) per executor JVM: opened by the first task that needs it,
 * shared by every later task of that JVM (a {@link TFreeModel} is safe to use from several threads;
 * each generation has its own KV cache), closed when the JVM exits. Opening per task would reload
 * the weights once per partition; the weights are mapped in place, so one copy serves all tasks.
 */
final class ExecutorModels {
    private record Key(ModelSource source, int threads) {}

    private static final Map<Key, TFreeModel> OPEN = new ConcurrentHashMap<>();
    private static final AtomicInteger OPENED = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "tfree4j-spark-close-models"));
    }

    private ExecutorModels() {}

    /** The executor's model for {@code source}, opened on first use. */
    static TFreeModel get(ModelSource source, int threads) {
        return OPEN.computeIfAbsent(new Key(source, threads), k -> {
            Path dir = k.source().resolve();
            TFreeModel model = TFreeModel.open(dir, ModelOptions.DEFAULT.withThreads(k.threads()));
            OPENED.incrementAndGet();
            return model;
        });
    }

    /** How many models this JVM has opened so far (tests: one per executor, not one per task). */
    static int openedCount() {
        return OPENED.get();
    }

    private static void closeAll() {
        List<TFreeModel> models = new ArrayList<>(OPEN.values());
        OPEN.clear();
        for (TFreeModel m : models) m.close();
    }
}
