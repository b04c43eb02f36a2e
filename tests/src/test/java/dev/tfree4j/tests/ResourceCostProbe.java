package dev.tfree4j.tests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.Session;
import dev.tfree4j.TFreeModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures what the largest accepted config sizes and inputs cost (RELIABILITY.md, "Resource
 * limits"): load or generate at each limit on a copy of the bundled model and report wall time,
 * the Java heap's peak during the step and what it keeps after a GC, and malloc'd native bytes.
 * Not part of {@code ./build.sh test}: {@code tools/limits.sh} runs it (it needs a few GB and
 * minutes) and writes target/limits/report.txt.
 */
@EnabledIfSystemProperty(named = "tfree4j.limits.report", matches = ".+")
class ResourceCostProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    private final List<String> lines = new ArrayList<>();

    /** One measured step: wall ms, heap peak above the start, heap kept after GC, native bytes kept. */
    private record Cost(long millis, long heapPeak, long heapKept, long mallocKept) {
        @Override
        public String toString() {
            return String.format("%,d ms; Java heap peak +%s, kept +%s; native (malloc) kept +%s", millis, mib(heapPeak),
                    mib(heapKept), mib(mallocKept));
        }
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step}, which must leave what it keeps reachable until {@code after} releases it. */
    private static Cost measure(Step step) throws Exception {
        long heapBefore = MemoryProbe.heapUsedAfterGc();
        long mallocBefore = MemoryProbe.mallocInUse();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        step.run();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        long heapAfter = MemoryProbe.heapUsedAfterGc();
        long mallocAfter = MemoryProbe.mallocInUse();
        return new Cost(millis, Math.max(0, peak - heapBefore), heapAfter - heapBefore, mallocAfter - mallocBefore);
    }

    private Path copyWith(String name, Consumer<ObjectNode> transformer, Consumer<ObjectNode> tokenizer) throws IOException {
        Path source = BundledModel.locate();
        Path dir = temp.resolve(name);
        Files.createDirectories(dir.resolve("transformer"));
        Files.createDirectories(dir.resolve("tokenizer"));
        Files.createSymbolicLink(dir.resolve("transformer/transformer.pt"), source.resolve("transformer/transformer.pt").toAbsolutePath());
        Files.createSymbolicLink(dir.resolve("dictionary"), source.resolve("dictionary").toAbsolutePath());
        for (String[] f : new String[][] {{"transformer/transformer_config.yaml", "t"}, {"tokenizer/tokenizer_config.yaml", "k"}}) {
            ObjectNode node = (ObjectNode) JSON.readTree(source.resolve(f[0]).toFile());
            (f[1].equals("t") ? transformer : tokenizer).accept(node);
            Files.writeString(dir.resolve(f[0]), JSON.writeValueAsString(node));
        }
        return dir;
    }

    private void report(String what, Object cost) {
        String line = what + ": " + cost;
        System.out.println("limits: " + line);
        lines.add(line);
    }

    @Test
    void measure() throws Exception {
        ModelOptions options = ModelOptions.DEFAULT.withThreads(1);
        report("JVM", "heap limit " + mib(Runtime.getRuntime().maxMemory()) + ", machine "
                + mib(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize()));
        TFreeModel[] held = new TFreeModel[1];

        Path bundled = BundledModel.locate();
        if (!"dictionary".equals(System.getProperty("tfree4j.limits.only"))) configLimits(options, bundled, held);
        // Dictionaries of 100k and 1M generated words (word lists).
        for (int words : new int[] {100_000, 1_000_000}) {
            Path list = temp.resolve("words-" + words + ".txt");
            writeWordList(list, words);
            report(String.format("load with a %,d-word dictionary (%s word list)", words, mib(Files.size(list))),
                    measure(() -> held[0] = TFreeModel.open(bundled, options.withDictionary(list))));
            held[0].close();
        }

        Path out = Path.of(System.getProperty("tfree4j.limits.report"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, lines);
    }

    private void configLimits(ModelOptions options, Path bundled, TFreeModel[] held) throws Exception {
        // The bundled model as shipped: the reference point of the rows below.
        report("load, bundled model (sequence_length 256, vocab_population 8, 4 layers, 12.9k words)",
                measure(() -> held[0] = TFreeModel.open(bundled, options)));
        TFreeModel model = held[0];

        // sequence_length at its cap: the rotary table is what load builds for it.
        Path longContext = copyWith("seq", n -> n.put("sequence_length", 1 << 20), n -> n.put("sequence_length", 1 << 20));
        report("load, sequence_length 1048576 (the cap)", measure(() -> held[0] = TFreeModel.open(longContext, options)));
        TFreeModel wide = held[0];
        Session[] session = new Session[1];
        report("session of 65536 positions on it (KV cache)", measure(() -> session[0] = wide.newSession(65536)));
        session[0].close();
        wide.close();

        // vocab_population at its cap: the dictionary's patterns grow with P.
        Path population = copyWith("pop", n -> { }, n -> n.put("vocab_population", 128));
        report("load, vocab_population 128 (the cap)", measure(() -> held[0] = TFreeModel.open(population, options)));
        held[0].close();

        // The longest prompt accepted: 256 words of 1023 letters and a space (sequence_length × 1024 characters, less one).
        StringBuilder sb = new StringBuilder();
        Random random = new Random(1);
        for (int w = 0; w < 256; w++) {
            if (w > 0) sb.append(' ');
            for (int c = 0; c < 1023; c++) sb.append((char) ('a' + random.nextInt(26)));
        }
        String longest = sb.toString();
        report("generate 1 word after the longest prompt (262,143 characters, 256 words)",
                measure(() -> model.generate(longest, GenerateOptions.builder().maxWords(1).build())));
        report("generate 20 words with --log-probs 1000 (the cap)", measure(() -> model.generate("In the beginning",
                GenerateOptions.builder().maxWords(20).logProbs(1000).build())));
        report("generate with maxWords Integer.MAX_VALUE (stops at the context)", measure(() -> model.generate("In the beginning",
                GenerateOptions.builder().maxWords(Integer.MAX_VALUE).abortOnEndOfText(false).build())));

        model.close();
    }

    /** {@code n} distinct lowercase words of 3–12 letters, one per line, with made-up counts. */
    static void writeWordList(Path file, int n) throws IOException {
        Random random = new Random(n);
        Set<String> seen = new HashSet<>();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (seen.size() < n) {
                int len = 3 + random.nextInt(10);
                StringBuilder sb = new StringBuilder(len);
                for (int i = 0; i < len; i++) sb.append((char) ('a' + random.nextInt(26)));
                String word = sb.toString();
                if (seen.add(word)) w.write(word + "\t" + (n - seen.size() + 1) + "\n");
            }
        }
    }
}
