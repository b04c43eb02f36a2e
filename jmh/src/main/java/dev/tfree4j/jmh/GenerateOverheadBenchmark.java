package dev.tfree4j.jmh;

import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.decode.CandidateSet;
import dev.tfree4j.decode.Decoder;
import dev.tfree4j.engine.Kernels;
import dev.tfree4j.engine.KvCache;
import dev.tfree4j.engine.NativeModel;
import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.WordSplitter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-word cost of {@code generate} beyond the native kernels, in microseconds per word:
 * <ul>
 *   <li>{@code generate}: {@link TFreeModel#generate} of {@value #WORDS} words, greedy (the
 *       public API: prefill of the prompt, then per word tokenize, embed, forward, score the
 *       dictionary, softmax, argmax, record the result);
 *   <li>{@code kernelsOnly}: the same native work on preallocated buffers with no Java logic in
 *       between: one prefill of the prompt, {@value #WORDS} − 1 single-word forwards, and per
 *       word the dictionary scores (+ the prompt's extra candidates) and their softmax.
 * </ul>
 * {@code generate − kernelsOnly} is the Java overhead per generated word. It does not grow with
 * the model (its parts scale with the dictionary and vocab size only), so BENCHMARKS.md
 * compares it with tfree4j-bench's decode time of the 7B shape.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GenerateOverheadBenchmark {
    static final int WORDS = 32;
    static final String PROMPT = "And the LORD said";

    /** A model directory; empty = the bundled model. */
    @Param("")
    public String model;

    /** Native threads (0 = physical cores). */
    @Param("0")
    public int threads;

    private TFreeModel tfree;
    private GenerateOptions options;
    private Arena arena;
    private KvCache cache;
    private CandidateSet candidates;
    private Decoder decoder;
    private Step prompt;
    private Step word;
    private MemorySegment logits;
    private MemorySegment probs;

    /** One forward's input, embedded once: its word count and embeddings [n × hidden]. */
    private record Step(int words, MemorySegment embeddings) {}

    @Setup(Level.Trial)
    public void open() {
        Path dir = model.isEmpty() ? BundledModel.locate() : Path.of(model);
        tfree = TFreeModel.open(dir, ModelOptions.DEFAULT.withThreads(threads));
        options = GenerateOptions.builder().maxWords(WORDS).abortOnEndOfText(false).build();
        GenerationResult trial = tfree.generate(PROMPT, options);
        if (trial.tokens().size() != WORDS) {
            throw new IllegalStateException("the trial generation stopped after " + trial.tokens().size() + " words ("
                    + trial.stopReason() + "); the benchmark needs " + WORDS);
        }
        NativeModel nm = ModelInternals.loaded(tfree).nativeModel();
        arena = Arena.ofShared();
        cache = nm.newCache(Math.min(nm.shape().maxPositions(), WordSplitter.split(PROMPT).size() + WORDS));
        candidates = new CandidateSet(ModelInternals.context(tfree), tfree.tokenizer(), ModelInternals.loaded(tfree).dictionary(),
                WordSplitter.split(PROMPT));
        decoder = new Decoder(ModelInternals.context(tfree), candidates, nm.shape().vocabSize(),
                tfree.tokenizer().config().vocabPopulation(), 1.0f);
        prompt = embed(tfree.encode(PROMPT));
        word = embed(tfree.encode("the"));
        logits = arena.allocate(ValueLayout.JAVA_FLOAT, nm.shape().vocabSize());
        probs = arena.allocate(ValueLayout.JAVA_FLOAT, candidates.size());
    }

    private Step embed(Encoding enc) {
        MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, (long) enc.nWords() * tfree.config().hiddenSize());
        ModelInternals.loaded(tfree).embed(enc, out);
        return new Step(enc.nWords(), out);
    }

    @TearDown(Level.Trial)
    public void close() {
        decoder.close();
        candidates.close();
        cache.close();
        arena.close();
        tfree.close();
    }

    @Benchmark
    @OperationsPerInvocation(WORDS)
    public GenerationResult generate() {
        return tfree.generate(PROMPT, options);
    }

    @Benchmark
    @OperationsPerInvocation(WORDS)
    public MemorySegment kernelsOnly() {
        cache.truncate(0);
        for (int i = 0; i < WORDS; i++) {
            Step s = i == 0 ? prompt : word;
            cache.forward(s.embeddings(), s.words(), KvCache.ForwardOptions.LAST_LOGITS, logits);
            MemorySegment scores = decoder.scores(logits);
            Kernels.softmax(ModelInternals.context(tfree), scores, candidates.size(), probs);
        }
        return probs;
    }
}
