package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One model shared by 8 threads generating at once gives exactly the results of sequential runs
 * (words, ids, log-probs), for greedy and seeded sampling alike. The default suite runs
 * {@value #DEFAULT_GENERATIONS} generations per thread; tools/soak.sh runs 8 × 200
 * ({@code -Dtfree4j.stress.generations=200}).
 */
class SharedModelStressTest {
    static final int THREADS = 8;
    static final int DEFAULT_GENERATIONS = 20;

    @Test
    void eightThreadsGenerateWhatSequentialRunsGenerate() throws Exception {
        int perThread = Integer.getInteger("tfree4j.stress.generations", DEFAULT_GENERATIONS);
        // Prompts from the held-out text (first words of its lines), each with greedy and sampled options.
        List<String> prompts = Files.readAllLines(BundledModel.locate().resolve("heldout.txt")).stream()
                .map(String::strip).filter(l -> l.split(" ").length >= 3)
                .map(l -> String.join(" ", List.of(l.split(" ")).subList(0, 3))).distinct().limit(12).toList();
        List<GenerateOptions> variants = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            GenerateOptions.Builder b = GenerateOptions.builder().maxWords(5).logProbs(2);
            variants.add(i % 3 == 2 ? b.temperature(0.05f).topK(20).seed(i).build() : b.build());
        }
        try (TFreeModel model = TFreeModel.open(BundledModel.locate(), ModelOptions.DEFAULT.withThreads(2))) {
            List<GenerationResult> sequential = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) sequential.add(model.generate(prompts.get(i), variants.get(i)));

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            long t0 = System.nanoTime();
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int g = 0; g < perThread; g++) {
                            int i = (thread * 7 + g) % prompts.size();  // threads walk the prompts out of step
                            GenerationResult got = model.generate(prompts.get(i), variants.get(i));
                            GenerationResult want = sequential.get(i);
                            String where = "thread " + thread + ", generation " + g + ", prompt " + i;
                            assertEquals(want.tokens(), got.tokens(), where);
                            assertArrayEquals(want.tokenIds(), got.tokenIds(), where);
                            assertEquals(want.logProbs(), got.logProbs(), where);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) f.get(10, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }
            String report = String.format("stress: %d threads x %d generations on one model agree with sequential runs (%.0f s)",
                    THREADS, perThread, (System.nanoTime() - t0) / 1e9);
            System.out.println(report);
            SoakTest.record(report);
        }
    }
}
