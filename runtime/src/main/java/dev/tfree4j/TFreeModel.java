package dev.tfree4j;

import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.KvCache;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.ExplainResult;
import dev.tfree4j.explain.Explainer;
import dev.tfree4j.io.TransformerConfig;
import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.Tokenizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * A T-FREE model, ready to generate. The entry point of the tfree4j API:
 * <pre>{@code
 * try (TFreeModel model = TFreeModel.open(Path.of("models/my-model"))) {
 *     GenerationResult r = model.generate("In the beginning", GenerateOptions.builder().maxWords(20).build());
 *     System.out.println(r.completion());
 * }
 * }</pre>
 * A model may be used by several threads at once; each generation has its own KV cache.
 * {@link #close()} frees all native memory; generations still running then fail with an
 * {@link IllegalStateException}.
 */
public final class TFreeModel implements AutoCloseable {
    private final LoadedModel loaded;
    private final NativeContext context;
    private final ModelGuard guard = new ModelGuard();

    private TFreeModel(LoadedModel loaded, NativeContext context) {
        this.loaded = loaded;
        this.context = context;
    }

    /** Opens the bundled default model (see {@link BundledModel#locate()}). */
    public static TFreeModel openDefault() {
        return open(BundledModel.locate(), ModelOptions.DEFAULT);
    }

    /** Opens a checkpoint directory in the reference layout with default options. */
    public static TFreeModel open(Path dir) {
        return open(dir, ModelOptions.DEFAULT);
    }

    /**
     * Opens a model on {@code options}' device (default: {@link Device#configured()}).
     *
     * @throws DeviceUnavailableException when an explicitly chosen device cannot be used here
     */
    public static TFreeModel open(Path dir, ModelOptions options) {
        NativeContext context = NativeContext.create(options.threads(), NativeContext.Simd.valueOf(options.simd().toUpperCase()),
                options.resolvedDevice());
        try {
            return new TFreeModel(LoadedModel.load(context, dir, options.dictionary(), options.activations(),
                    options.checkWeights()), context);
        } catch (RuntimeException | Error e) {
            context.close();
            throw e;
        }
    }

    /** Generates with the reference's defaults (16 words, greedy). */
    public GenerationResult generate(String prompt) {
        return generate(prompt, GenerateOptions.DEFAULT, null);
    }

    public GenerationResult generate(String prompt, GenerateOptions options) {
        return generate(prompt, options, null);
    }

    /** Generates and calls {@code listener} with every word as soon as it is chosen. */
    public GenerationResult generate(String prompt, GenerateOptions options, WordListener listener) {
        if (prompt == null) throw new IllegalArgumentException("prompt is null");
        if (options == null) throw new IllegalArgumentException("options is null");
        if (guard.isClosed()) throw new IllegalStateException("the model was closed");
        TextInput.requireWellFormed("prompt", prompt);
        TextInput.requireWellFormed("moreWords", options.moreWords());
        loaded.requireFilesUnchanged();
        try (Generation g = new Generation(loaded, context, options, guard)) {
            return g.run(prompt, listener);
        }
    }

    /**
     * Explains a target (usually an earlier generation) with AtMan: which parts of the prompt it
     * depends on, measured by suppressing the attention paid to each part in turn. See
     * {@link ExplainRequest} for the options and {@link ExplainResult} for what comes back.
     */
    public ExplainResult explain(ExplainRequest request) {
        if (request == null) throw new IllegalArgumentException("request is null");
        if (guard.isClosed()) throw new IllegalStateException("the model was closed");
        return guard.call(() -> Explainer.explain(loaded, context, request));
    }

    /** Prefill logits of a prompt: {@code [words × vocab]} float32, row-major. */
    public Logits logits(String prompt) {
        Encoding enc = encode(prompt);
        loaded.requireFilesUnchanged();
        int n = enc.nWords();
        if (n == 0) throw new IllegalArgumentException("the prompt is empty (it has no words)");
        int max = loaded.config().sequenceLength();
        if (n > max) throw new IllegalArgumentException("the prompt has " + n + " words but the model's sequence_length is " + max);
        int vocab = loaded.config().vocabSize();
        int hidden = loaded.config().hiddenSize();
        try (Arena arena = Arena.ofConfined();
             KvCache cache = guard.call(() -> loaded.nativeModel().newCache(n))) {
            MemorySegment emb = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * hidden);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * vocab);
            guard.run(() -> {
                loaded.embed(enc, emb);
                cache.forward(emb, n, KvCache.ForwardOptions.ALL_LOGITS, out);
            });
            return new Logits(n, vocab, out.toArray(ValueLayout.JAVA_FLOAT));
        }
    }

    /** Logits of several positions: {@code rows × vocab} values, row-major. */
    public record Logits(int rows, int vocab, float[] values) {
        public float get(int row, int id) {
            return values[row * vocab + id];
        }
    }

    /** The words and vocab-id rows this model feeds for a text. */
    public Encoding encode(String text) {
        if (text == null) throw new IllegalArgumentException("text is null");
        TextInput.requireWellFormed("text", text);
        return loaded.tokenizer().encode(text);
    }

    public Tokenizer tokenizer() {
        return loaded.tokenizer();
    }

    public TransformerConfig config() {
        return loaded.config();
    }

    /** The dictionary's words in token-id order. */
    public List<String> dictionary() {
        return loaded.dictionary().words();
    }

    /** Internal objects for the other runtime packages (explain, divergence, evaluation). */
    public LoadedModel loaded() {
        return loaded;
    }

    public NativeContext context() {
        return context;
    }

    /** Where this model runs. */
    public Device device() {
        return context.device();
    }

    @Override
    public void close() {
        guard.close(() -> {
            loaded.close();
            context.close();
        });
    }
}
