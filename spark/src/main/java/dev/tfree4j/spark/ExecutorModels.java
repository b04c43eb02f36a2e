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
    /** Keyed by the directory as resolved here: a distributed model lies in its Spark context's own folder. */
    private record Key(Path dir, int threads) {}

    private static final Map<Key, TFreeModel> OPEN = new ConcurrentHashMap<>();
    private static final AtomicInteger OPENED = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "tfree4j-spark-close-models"));
    }

    private ExecutorModels() {}

    /** The executor's model for {@code source}, opened on first use. */
    static TFreeModel get(ModelSource source, int threads) {
        Key key = new Key(source.resolve().toAbsolutePath().normalize(), threads);
        TFreeModel model = OPEN.get(key);
        if (model != null) return model;
        synchronized (OPEN) {
            closeVanished();
            return OPEN.computeIfAbsent(key, k -> {
                TFreeModel opened = TFreeModel.open(k.dir(), ModelOptions.DEFAULT.withThreads(k.threads()));
                OPENED.incrementAndGet();
                return opened;
            });
        }
    }

    /**
     * Closes models whose directory is gone: in local mode one JVM outlives several Spark
     * contexts, and each deletes its distributed files when it stops (a model whose files are gone
     * refuses to run anyway).
     */
    private static void closeVanished() {
        OPEN.entrySet().removeIf(e -> {
            if (java.nio.file.Files.isDirectory(e.getKey().dir())) return false;
            e.getValue().close();
            return true;
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
