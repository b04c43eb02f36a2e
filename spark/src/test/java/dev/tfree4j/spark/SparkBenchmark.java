package dev.tfree4j.spark;

import dev.tfree4j.GenerateOptions;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's overhead on one host: the same greedy generations through {@link TFreeSpark} in
 * local[2] and in one plain JVM on the same 2 cores (two threads sharing one model, each
 * generating a row at a time: the best the single-row API does on 2 cores). Runs alternate
 * (baseline, Spark, baseline, Spark, ...) so load from other jobs on a shared host hits both.
 * Then the Spark job's time over partitions and batch sizes. Run with spark/bench.sh.
 */
public final class SparkBenchmark {
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int maxWords = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        GenerateOptions options = GenerateOptions.builder().maxWords(maxWords).build();
        List<String> prompts = SparkTestSupport.prompts(rows);
        SparkSession spark = SparkTestSupport.session("local[2]");
        TFreeSpark tf = TFreeSpark.on(ModelSource.path(SparkTestSupport.modelDir().toString()));
        try (TFreeModel model = TFreeModel.open(SparkTestSupport.modelDir(), ModelOptions.DEFAULT.withThreads(1))) {
            // warm-up: JIT, the executor's model, Spark's first-job costs
            oneJvm(model, prompts.subList(0, 500), options);
            sparkJob(spark, tf, prompts.subList(0, 500), 2, options);

            System.out.printf(Locale.ROOT, "%d prompts, %d words each at most, greedy%n", rows, maxWords);
            double baseTotal = 0, sparkTotal = 0;
            for (int r = 0; r < repeats; r++) {
                double base = oneJvm(model, prompts, options);
                double job = sparkJob(spark, tf, prompts, 2, options);
                baseTotal += base;
                sparkTotal += job;
                System.out.printf(Locale.ROOT, "round %d: one JVM %.2f s, Spark local[2] (2 partitions, batch 32) %.2f s, ratio %.3f%n",
                        r + 1, base, job, job / base);
            }
            System.out.printf(Locale.ROOT, "mean ratio (Spark / one JVM): %.3f%n", sparkTotal / baseTotal);

            for (int[] pb : new int[][] {{1, 32}, {4, 32}, {16, 32}, {4, 1}, {4, 256}}) {
                double job = sparkJob(spark, tf.withBatchSize(pb[1]), prompts, pb[0], options);
                System.out.printf(Locale.ROOT, "Spark local[2]: %3d partitions, batch %3d: %.2f s (%.0f rows/s)%n",
                        pb[0], pb[1], job, rows / job);
            }
        } finally {
            spark.stop();
        }
    }

    /** Seconds for two threads sharing one model to generate every prompt. */
    private static double oneJvm(TFreeModel model, List<String> prompts, GenerateOptions options) throws Exception {
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            workers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < prompts.size(); ) model.generate(prompts.get(i), options);
                return null;
            }));
        }
        for (Future<?> w : workers) w.get();
        pool.shutdown();
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds for the Spark job from a driver-side list to every row computed (noop sink). */
    private static double sparkJob(SparkSession spark, TFreeSpark tf, List<String> prompts, int partitions,
                                   GenerateOptions options) {
        long start = System.nanoTime();
        tf.generate(SparkTestSupport.promptRows(spark, prompts, partitions), "prompt", options)
                .write().format("noop").mode("overwrite").save();
        return (System.nanoTime() - start) / 1e9;
    }
}
