package dev.tfree4j.jmh;

import dev.tfree4j.BundledModel;
import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.TokenizerConfig;
import dev.tfree4j.text.Word;
import dev.tfree4j.text.WordSplitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Word split and trigram hashing throughput in words per second, on the first {@value #WORDS}
 * words of the bundled model's held-out text (KJV prose) with the bundled tokenizer config:
 * <ul>
 *   <li>{@code split}: text_to_words only (docs/spec/tfree.md §1);
 *   <li>{@code encode}: split + trigrams + vocab ids (docs/spec/tfree.md §2-3) with the trigram rows cached,
 *       as in a long-running process;
 *   <li>{@code encodeColdCache}: the same with a fresh tokenizer per call, so every distinct
 *       trigram's row is hashed (MD5) again.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TextBenchmark {
    static final int WORDS = 5_000;

    private String text;
    private TokenizerConfig config;
    private Tokenizer warm;
    private Tokenizer cold;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path model = BundledModel.locate();
        String all = Files.readString(model.resolve("heldout.txt"));
        List<Word> words = WordSplitter.splitWithSpans(all);
        if (words.size() < WORDS) throw new IllegalStateException("heldout.txt has only " + words.size() + " words");
        text = all.substring(0, words.get(WORDS - 1).end());
        int n = WordSplitter.split(text).size();
        if (n != WORDS) throw new IllegalStateException("the cut text splits into " + n + " words, not " + WORDS);
        config = TokenizerConfig.read(model.resolve("tokenizer/tokenizer_config.yaml"));
        warm = Tokenizer.hashed(config);
        warm.encode(text);
    }

    @Setup(Level.Invocation)
    public void freshTokenizer() {
        cold = Tokenizer.hashed(config);
    }

    @Benchmark
    @OperationsPerInvocation(WORDS)
    public List<String> split() {
        return WordSplitter.split(text);
    }

    @Benchmark
    @OperationsPerInvocation(WORDS)
    public Encoding encode() {
        return warm.encode(text);
    }

    @Benchmark
    @OperationsPerInvocation(WORDS)
    public Encoding encodeColdCache() {
        return cold.encode(text);
    }
}
