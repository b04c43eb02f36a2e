import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.engine.KvCache;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.ExplainResult;
import dev.tfree4j.explain.PromptGranularity;
import dev.tfree4j.text.Encoding;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * AtMan cost on the bundled model: explaining a 30-word prompt's 8-word greedy continuation at
 * word granularity (30 prompt units + 7 target units), against one generation.
 *
 *   tools/atman/bench.sh            (builds nothing; run ./build.sh package first)
 *
 * Memory: peak resident set (VmHWM) of two fresh JVMs with the same flags, one generating, one
 * generating and then explaining; also the growth above the loaded model (VmRSS after open).
 * Time (one JVM, after warm-up, medians): one full forward pass of the n = P + T − 1 positions,
 * the explanation with maxBatch 1 and 8, reported as a ratio to units × one forward.
 */
public class AtManBench {
    static final String PROMPT = "It came to pass, when men began to multiply on the face of the earth, and daughters"
            + " were born unto them, that the sons of God saw";

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args.length > 1 ? args[1] : "models/tfree-kjv-small");
        switch (args.length > 0 ? args[0] : "time") {
            case "generate" -> memory(model, false);
            case "explain" -> memory(model, true);
            case "time" -> time(model);
            default -> throw new IllegalArgumentException("usage: AtManBench generate|explain|time [MODEL_DIR]");
        }
    }

    /** Prints "rss_loaded_kb peak_kb" after one generation (and the explanation when asked). */
    static void memory(Path dir, boolean explain) throws IOException {
        try (TFreeModel m = TFreeModel.open(dir)) {
            long loaded = status("VmRSS");
            GenerationResult g = m.generate(PROMPT, GenerateOptions.builder().maxWords(8).build());
            if (explain) {
                m.explain(ExplainRequest.builder(PROMPT).targetWords(g.tokens()).promptGranularity(PromptGranularity.WORD).build());
            }
            System.out.println(loaded + " " + status("VmHWM"));
        }
    }

    static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }

    static void time(Path dir) {
        try (TFreeModel m = TFreeModel.open(dir)) {
            Encoding prompt = m.encode(PROMPT);
            if (prompt.nWords() != 30) throw new IllegalStateException("the prompt has " + prompt.nWords() + " words, not 30");
            GenerationResult g = m.generate(PROMPT, GenerateOptions.builder().maxWords(8).build());
            List<String> target = g.tokens();
            int n = prompt.nWords() + target.size() - 1;
            ExplainRequest req = ExplainRequest.builder(PROMPT).targetWords(target).promptGranularity(PromptGranularity.WORD).build();
            System.out.printf(Locale.ROOT, "model %s, %d threads; prompt 30 words, target %s (%d words), n = %d positions%n",
                    dir, m.context().threads(), target, target.size(), n);
            // Each repetition times 5 full forwards, then maxBatch 1, then maxBatch 8, and the ratios
            // are taken within the repetition, so that slow changes of the machine's load cancel.
            int[] batches = {1, 8};
            List<Double> forwards = new ArrayList<>();
            List<List<Double>> total = new ArrayList<>(), suppressed = new ArrayList<>(), scoring = new ArrayList<>();
            List<List<Double>> ratio = new ArrayList<>(), passRatio = new ArrayList<>();
            ExplainResult[] last = new ExplainResult[batches.length];
            for (int b = 0; b < batches.length; b++) {
                for (List<List<Double>> l : List.of(total, suppressed, scoring, ratio, passRatio)) l.add(new ArrayList<>());
                m.explain(req.toBuilder().maxBatch(batches[b]).build());  // warm-up
            }
            forwardTimes(m, PROMPT, target, 20);  // warm-up
            List<Double> speedup = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                double forward = median(forwardTimes(m, PROMPT, target, 5));
                forwards.add(forward);
                double[] passes = new double[batches.length];
                for (int b = 0; b < batches.length; b++) {
                    long t0 = System.nanoTime();
                    last[b] = m.explain(req.toBuilder().maxBatch(batches[b]).build());
                    double ms = (System.nanoTime() - t0) / 1e6;
                    passes[b] = last[b].stats().suppressedNanos() / 1e6;
                    total.get(b).add(ms);
                    suppressed.get(b).add(passes[b]);
                    scoring.get(b).add(last[b].stats().scoringNanos() / 1e6);
                    ratio.get(b).add(ms / (last[b].stats().units() * forward));
                    passRatio.get(b).add(passes[b] / (last[b].stats().units() * forward));
                }
                speedup.add(passes[0] / passes[1]);
            }
            System.out.printf(Locale.ROOT, "one full forward of %d positions (all logits rows): median %.2f ms, min %.2f ms%n", n,
                    median(forwards), min(forwards));
            for (int b = 0; b < batches.length; b++) {
                ExplainResult.Stats s = last[b].stats();
                System.out.printf(Locale.ROOT, "explain maxBatch %d (%d units, %d native calls, %d of %d positions recomputed):"
                                + " total %.1f ms (min %.1f) = %.2f x units x one forward; suppressed passes %.1f ms (min %.1f)"
                                + " = %.2f x; target scoring %.1f ms (min %.1f)%n", batches[b], s.units(), s.batches(),
                        s.positionsRecomputed(), s.positionsFullRecompute(), median(total.get(b)), min(total.get(b)),
                        median(ratio.get(b)), median(suppressed.get(b)), min(suppressed.get(b)), median(passRatio.get(b)),
                        median(scoring.get(b)), min(scoring.get(b)));
            }
            System.out.printf(Locale.ROOT, "suppressed passes, maxBatch 8 vs 1 call each: %.2f x faster (median of %d paired runs)%n",
                    median(speedup), speedup.size());
        }
    }

    static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** Wall times of full forwards of prompt + target[0..T−2] on a fresh cache, all logits rows. */
    static List<Double> forwardTimes(TFreeModel m, String prompt, List<String> target, int repeats) {
        var loaded = m.loaded();
        Encoding p = m.encode(prompt);
        int n = p.nWords() + target.size() - 1, hidden = m.config().hiddenSize(), vocab = m.config().vocabSize();
        List<Double> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment emb = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * hidden);
            loaded.embed(p, emb);
            for (int t = 0; t + 1 < target.size(); t++) {
                loaded.embed(m.encode(target.get(t)), emb.asSlice((long) (p.nWords() + t) * hidden * 4, (long) hidden * 4));
            }
            MemorySegment logits = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * vocab);
            for (int i = 0; i < repeats; i++) {
                try (KvCache cache = loaded.nativeModel().newCache(n)) {
                    long t0 = System.nanoTime();
                    cache.forward(emb, n, KvCache.ForwardOptions.ALL_LOGITS, logits);
                    out.add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        return out;
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
