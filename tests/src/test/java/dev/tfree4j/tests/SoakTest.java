package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leak soak: load, generate, close, many times over, sampling native and heap memory; memory
 * must stay flat over the second half. "Flat" compares the lowest sample of the last third of
 * the second half with the lowest of its first third: the JVM's own native memory (JIT arenas,
 * GC structures) comes and goes by megabytes, a leak only grows, so minima see through the
 * noise. With N cycles a leak of 4 MB / (N/3) per cycle or more fails (about 12 KB per cycle at
 * 1000 cycles; a leaked dictionary or KV cache is hundreds of KB). The default suite runs a short version
 * ({@value #DEFAULT_CYCLES} cycles); {@code tools/soak.sh} runs thousands
 * ({@code -Dtfree4j.soak.cycles=N}) and records the result in RELIABILITY.md.
 */
class SoakTest {
    static final int DEFAULT_CYCLES = 20;
    static final long MAX_MALLOC_GROWTH = 4L << 20;
    static final long MAX_RSS_GROWTH = 48L << 20;
    static final long MAX_HEAP_GROWTH = 16L << 20;
    static final long MAX_NMT_GROWTH = 16L << 20;

    @Test
    void loadGenerateCloseCyclesKeepMemoryFlat() throws IOException {
        int cycles = Integer.getInteger("tfree4j.soak.cycles", DEFAULT_CYCLES);
        int every = Math.max(1, cycles / 40);
        Path dir = BundledModel.locate();
        String weights = dir.resolve("transformer/transformer.pt").toRealPath().toString();
        GenerateOptions options = GenerateOptions.builder().maxWords(4).logProbs(2).build();
        String expected = null;
        List<MemoryProbe.Sample> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < cycles; c++) {
            try (TFreeModel model = TFreeModel.open(dir, ModelOptions.DEFAULT.withThreads(1))) {
                GenerationResult r = model.generate("And the LORD said", options);
                if (expected == null) expected = r.completion();
                assertEquals(expected, r.completion(), "cycle " + c);
                if (c % 10 == 0) model.logits("In the beginning");
            }
            if (c % every == 0 || c == cycles - 1) samples.add(MemoryProbe.sample(c, weights));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        List<MemoryProbe.Sample> second = samples.subList(samples.size() / 2, samples.size());
        MemoryProbe.Sample mid = second.getFirst();
        MemoryProbe.Sample last = second.getLast();
        long[] x = second.stream().mapToLong(MemoryProbe.Sample::cycle).toArray();
        double mallocSlope = MemoryProbe.slope(x, second.stream().mapToLong(MemoryProbe.Sample::mallocInUse).toArray());
        long malloc = minGrowth(second, MemoryProbe.Sample::mallocInUse);
        long rss = minGrowth(second, MemoryProbe.Sample::rss);
        long heap = minGrowth(second, MemoryProbe.Sample::heap);
        long nmt = last.nmt() < 0 ? 0 : minGrowth(second, MemoryProbe.Sample::nmt);
        String report = String.format("soak: %d load/generate/close cycles in %.0f s; growth over the second half"
                        + " (cycles %d..%d, minimum of its last third minus minimum of its first third): malloc %+.2f MB"
                        + " (least-squares slope %+.0f B/cycle), rss %+.1f MB, heap %+.1f MB, nmt %s; first %s; last %s",
                cycles, seconds, mid.cycle(), last.cycle(), malloc / 1e6, mallocSlope, rss / 1e6, heap / 1e6,
                last.nmt() < 0 ? "off" : String.format("%+.1f MB", nmt / 1e6), samples.getFirst(), last);
        System.out.println(report);
        record(report);

        for (MemoryProbe.Sample s : samples) assertEquals(0, s.mappings(), "a closed model left its weights mapped: " + s);
        if (last.mallocInUse() >= 0) assertTrue(malloc < MAX_MALLOC_GROWTH, "malloc'd memory grows: " + report);
        assertTrue(rss < MAX_RSS_GROWTH, "RSS grows: " + report);
        assertTrue(heap < MAX_HEAP_GROWTH, "heap grows: " + report);
        assertTrue(nmt < MAX_NMT_GROWTH, "JVM native memory grows: " + report);
    }

    /** min(last third) - min(first third) of a counter over the samples. */
    static long minGrowth(List<MemoryProbe.Sample> samples, java.util.function.ToLongFunction<MemoryProbe.Sample> counter) {
        int third = Math.max(1, samples.size() / 3);
        long first = samples.subList(0, third).stream().mapToLong(counter).min().orElseThrow();
        long last = samples.subList(samples.size() - third, samples.size()).stream().mapToLong(counter).min().orElseThrow();
        return last - first;
    }

    /** tools/soak.sh collects these lines for RELIABILITY.md. */
    static void record(String line) throws IOException {
        Path out = Path.of(System.getProperty("tfree4j.soak.report", "target/soak-report.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
