package dev.tfree4j;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Continuous batching for one model: generations that run at the same time advance together,
 * one batched forward per step ({@link Session#forwardBatch}), so each weight is read once per
 * step for all of them; a new generation's prompt joins the next step, a finished or cancelled
 * one leaves and frees its KV cache. Every generation answers exactly what
 * {@link TFreeModel#generate(String, GenerateOptions, WordListener)} gives alone (greedy or
 * seeded sampling: the same words), because the native batch gives each item the bits of its
 * own forward (tf_model_forward_batch in tfree4j.h).
 * <pre>{@code
 * try (BatchGenerator batch = new BatchGenerator(model, 8)) {
 *     Future<GenerationResult> a = batch.submit("In the beginning", options, null);
 *     GenerationResult b = batch.generate("And God said", options, listener); // on this thread
 * }
 * }</pre>
 * At most {@code maxBatch} generations run at once (each holds one KV cache of at most its
 * prompt plus {@code maxWords} positions); more wait for a place in arrival order. Thread-safe.
 */
public final class BatchGenerator implements AutoCloseable {
    private final TFreeModel model;
    private final int maxBatch;
    private final Semaphore places;
    private final StepBatcher steps = new StepBatcher();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * What the batching has done so far.
     *
     * @param running generations running now (each with its own KV cache)
     * @param steps batched forwards run
     * @param forwards sequence forwards in them (divided by steps: the mean batch size)
     * @param sizeBuckets upper bounds of the batch size buckets; {@code sizeCounts} has one more (+Inf)
     * @param sizeCounts steps per bucket (not cumulative)
     */
    public record Stats(int running, long steps, long forwards, int[] sizeBuckets, long[] sizeCounts) {}

    /** @param maxBatch the most generations that run (and hold a KV cache) at once, >= 1 */
    public BatchGenerator(TFreeModel model, int maxBatch) {
        if (model == null) throw new IllegalArgumentException("model is null");
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        this.model = model;
        this.maxBatch = maxBatch;
        this.places = new Semaphore(maxBatch, true);
    }

    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Generates on the calling thread, its forwards batched with the other running generations'.
     * Waits for a place when {@code maxBatch} generations run. An interrupt (while waiting or
     * between words) ends it with {@link GenerationResult.StopReason#INTERRUPTED}.
     */
    public GenerationResult generate(String prompt, GenerateOptions options, WordListener listener) {
        try {
            places.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a place in the batch", e);
        }
        try {
            steps.join();
            try {
                return model.generate(prompt, options, listener, steps);
            } finally {
                steps.leave();
            }
        } finally {
            places.release();
        }
    }

    /**
     * Generates on a thread of its own; {@code cancel(true)} on the future stops the generation
     * at its next word and frees its KV cache.
     */
    public Future<GenerationResult> submit(String prompt, GenerateOptions options, WordListener listener) {
        CompletableFuture<GenerationResult> result = new CompletableFuture<>();
        Future<?> task = threads.submit(() -> {
            try {
                result.complete(generate(prompt, options, listener));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        result.whenComplete((r, t) -> {
            if (result.isCancelled()) task.cancel(true);
        });
        return result;
    }

    public Stats stats() {
        return steps.stats();
    }

    /** Waits for the submitted generations to end (cancel them first to stop them sooner). */
    @Override
    public void close() {
        threads.close();
    }
}
