package dev.tfree4j;

import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.ExplainResult;
import dev.tfree4j.explain.Explainer;
import dev.tfree4j.hat.HatForward;
import dev.tfree4j.hat.HatGenerateOptions;
import dev.tfree4j.hat.HatGenerationResult;
import dev.tfree4j.hat.HatGenerator;
import dev.tfree4j.hat.HatModel;
import dev.tfree4j.hat.HatStreamListener;
import dev.tfree4j.io.TransformerConfig;
import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.model.ModelFamilies;
import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.Tokenizer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * A T-FREE or HAT model, ready to generate. {@link #open} routes the directory by its layout; on a
 * HAT model (byte-level, docs/spec/hat.md) {@code generate}, streaming, {@link #logits} (one row
 * per byte), {@link #logLikelihood}, {@link #hatChat} and {@link #hat()} work, and the T-FREE-only
 * features (dictionary, explain, word sessions) say so.
 *
 * <p>A T-FREE model, ready to generate. The entry point of the tfree4j API:
 * <pre>{@code
 * try (TFreeModel model = TFreeModel.open(Path.of("models/my-model"))) {
 *     GenerationResult r = model.generate("In the beginning", GenerateOptions.builder().maxWords(20).build());
 *     System.out.println(r.completion());
 * }
 * }</pre>
 * A model may be used by several threads at once; each generation has its own KV cache (its own
 * {@link Session}). {@link #close()} frees all native memory; generations still running then fail
 * with an {@link IllegalStateException}.
 */
public final class TFreeModel implements AutoCloseable {
    private final LoadedModel loaded;  // null for a HAT model
    private final HatModel hat;        // null for a T-FREE model
    private final NativeContext context;
    private final ModelGuard guard = new ModelGuard();

    static {
        // tfree4j's own tools reach the internals through this explicitly internal door.
        ModelInternals.install(new ModelInternals.Access() {
            @Override
            public LoadedModel loaded(TFreeModel model) {
                if (model.loaded == null) throw model.tfreeOnly("this tool");
                return model.loaded;
            }

            @Override
            public NativeContext context(TFreeModel model) {
                return model.context;
            }

            @Override
            public <T> T whileOpen(TFreeModel model, java.util.function.Supplier<T> step) {
                return model.guard.call(step);
            }
        });
    }

    private TFreeModel(LoadedModel loaded, NativeContext context) {
        this.loaded = loaded;
        this.hat = null;
        this.context = context;
    }

    private TFreeModel(HatModel hat) {
        this.loaded = null;
        this.hat = hat;
        this.context = hat.context();
    }

    /** The error of a T-FREE-only feature on a HAT model. */
    private UnsupportedModelException tfreeOnly(String feature) {
        return new UnsupportedModelException(hat.directory() + ": " + feature + " works on T-FREE models only; HAT"
                + " models support generate, streaming, hatChat, logits, logLikelihood and hat()");
    }

    private LoadedModel tfree(String feature) {
        if (loaded == null) throw tfreeOnly(feature);
        return loaded;
    }

    /** Opens the bundled default model (see {@link BundledModel#locate()}). */
    public static TFreeModel openDefault() {
        return open(BundledModel.locate(), ModelOptions.DEFAULT);
    }

    /** Opens a model directory (either T-FREE layout) with default options. */
    public static TFreeModel open(Path dir) {
        return open(dir, ModelOptions.DEFAULT);
    }

    /**
     * Opens a model on {@code options}' device (default: {@link Device#configured()}). The
     * directory is routed to its model family first; the model runs on the JVM's shared native
     * context for its threads, SIMD level and device unless {@link ModelOptions#privateContext()}.
     *
     * @throws ModelFormatException when the directory is not a model of a known family or is invalid
     * @throws DeviceUnavailableException when an explicitly chosen device cannot be used here
     */
    public static TFreeModel open(Path dir, ModelOptions options) {
        if (HatModel.isHatDirectory(dir)) {
            return new TFreeModel(HatModel.open(dir, options, HatModel.WindowConvention.VLLM));
        }
        NativeContext.Simd simd = NativeContext.Simd.valueOf(options.simd().toUpperCase());
        NativeContext context = options.privateContext()
                ? NativeContext.create(options.threads(), simd, options.resolvedDevice())
                : NativeContext.acquireShared(options.threads(), simd, options.resolvedDevice());
        try {
            return new TFreeModel(ModelFamilies.open(dir, context, options), context);
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

    /**
     * Generates and calls {@code listener} with every word as soon as it is chosen.
     *
     * @throws ModelFormatException when the model has no dictionary (see {@link #hasDictionary()})
     */
    public GenerationResult generate(String prompt, GenerateOptions options, WordListener listener) {
        return generate(prompt, options, listener, null);
    }

    /**
     * As {@link #generate(String, GenerateOptions, WordListener)}, with every forward of the
     * generation run through {@code steps} (null = on its own): {@link BatchGenerator}'s
     * continuous batching.
     */
    GenerationResult generate(String prompt, GenerateOptions options, WordListener listener, StepBatcher steps) {
        if (prompt == null) throw new IllegalArgumentException("prompt is null");
        if (options == null) throw new IllegalArgumentException("options is null");
        if (guard.isClosed()) throw new IllegalStateException("the model was closed");
        TextInput.requireWellFormed("prompt", prompt);
        if (hat != null) return guard.call(() -> HatBridge.generate(hat, prompt, options, listener));
        TextInput.requireFits("prompt", prompt, loaded.config().sequenceLength());
        TextInput.requireWellFormed("moreWords", options.moreWords());
        loaded.requireFilesUnchanged();
        return Generation.generate(loaded, guard, prompt, options, listener, steps);
    }

    /**
     * A new session: one sequence of at most {@code capacity} positions (words), driven step by
     * step ({@link Session}). Close it when done; it frees its KV cache.
     */
    public Session newSession(int capacity) {
        if (guard.isClosed()) throw new IllegalStateException("the model was closed");
        tfree("newSession (a word-level session)");
        int max = loaded.config().sequenceLength();
        if (capacity > max) {
            throw new IllegalArgumentException("capacity " + capacity + " exceeds the model's sequence_length " + max);
        }
        loaded.requireFilesUnchanged();
        return new Session(loaded, guard, capacity);
    }

    /** A new session over the model's whole context (sequence_length positions). */
    public Session newSession() {
        tfree("newSession (a word-level session)");
        return newSession(loaded.config().sequenceLength());
    }

    /**
     * A chat with an instruct checkpoint ({@link Chat}): the conversation stays in one session,
     * so each turn runs only its new words through the model.
     */
    public Chat chat(ChatTemplate template, String system) {
        tfree("chat (use hatChat for HAT models)");
        Session session = newSession();
        try {
            return new Chat(loaded, session, template, system);
        } catch (RuntimeException e) {
            session.close();
            throw e;
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
        tfree("explain (AtMan)");
        TextInput.requireFits("prompt", request.prompt(), loaded.config().sequenceLength());
        loaded.requireFilesUnchanged();  // before the tokenizer or the weights are read (a truncated file: SIGBUS)
        return guard.call(() -> Explainer.explain(this, request));
    }

    /** Prefill logits of a prompt: {@code [words × vocab]} float32, row-major. Needs no dictionary. */
    public Logits logits(String prompt) {
        if (prompt == null) throw new IllegalArgumentException("prompt is null");
        if (hat != null) {
            TextInput.requireWellFormed("prompt", prompt);
            HatForward f = guard.call(() -> hat.logits(prompt));
            return new Logits(f.length(), HatModel.VOCAB, f.logits());
        }
        TextInput.requireFits("prompt", prompt, loaded.config().sequenceLength());
        Encoding enc = encode(prompt);
        int n = enc.nWords();
        if (n == 0) throw new IllegalArgumentException("the prompt is empty (it has no words)");
        int max = loaded.config().sequenceLength();
        if (n > max) throw new IllegalArgumentException("the prompt has " + n + " words but the model's sequence_length is " + max);
        try (Session session = newSession(n)) {
            MemorySegment out = session.feed(enc, 0);
            return new Logits(n, loaded.config().vocabSize(), out.toArray(ValueLayout.JAVA_FLOAT));
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
        tfree("encode (trigram rows; HAT: hat().encode)");
        TextInput.requireWellFormed("text", text);
        return loaded.tokenizer().encode(text);
    }

    public Tokenizer tokenizer() {
        return tfree("tokenizer").tokenizer();
    }

    public TransformerConfig config() {
        return tfree("config (T-FREE's; HAT: hat().config())").config();
    }

    /** Whether this is a HAT model (byte-level, {@link #hat()}), not a T-FREE one. */
    public boolean isHat() {
        return hat != null;
    }

    /**
     * The HAT model behind this one, for HAT's own API (byte-level generation options, sessions,
     * teacher-forced intermediates).
     *
     * @throws UnsupportedModelException for a T-FREE model
     */
    public HatModel hat() {
        if (hat == null) throw new UnsupportedModelException("this is a T-FREE model, not a HAT model");
        return hat;
    }

    /** HAT generation with HAT's options (byte budget, boundary policy, ...), streaming by byte and word. */
    public HatGenerationResult generate(String prompt, HatGenerateOptions options, HatStreamListener listener) {
        if (prompt == null) throw new IllegalArgumentException("prompt is null");
        if (options == null) throw new IllegalArgumentException("options is null");
        if (guard.isClosed()) throw new IllegalStateException("the model was closed");
        TextInput.requireWellFormed("prompt", prompt);
        HatModel m = hat();
        return guard.call(() -> HatGenerator.generate(m, prompt, options, listener));
    }

    /** A chat with a HAT SFT/DPO model in the Llama-3 template (docs/spec/hat.md §3.4); null system = the HF default. */
    public HatChat hatChat(String system) {
        return new HatChat(this, system == null ? HatGenerator.DEFAULT_SYSTEM_PROMPT : system);
    }

    /** ln p of {@code continuation}'s bytes after {@code prompt} (HAT models). */
    public HatModel.LogLikelihood logLikelihood(String prompt, String continuation) {
        if (prompt == null || continuation == null) throw new IllegalArgumentException("prompt or continuation is null");
        TextInput.requireWellFormed("prompt", prompt);
        TextInput.requireWellFormed("continuation", continuation);
        HatModel m = hat();
        return guard.call(() -> m.logLikelihood(prompt, continuation));
    }

    /** The dictionary's words in token-id order; empty when the model has no dictionary. */
    public List<String> dictionary() {
        if (hat != null) return List.of();
        return loaded.hasDictionary() ? loaded.dictionary().words() : List.of();
    }

    /**
     * Whether the model has a dictionary. Without one it opens and gives logits, but decoding
     * words (generate, chat, eval, divergence, explain's dictionary log-prob) fails, saying how
     * to give one.
     */
    public boolean hasDictionary() {
        return loaded != null && loaded.hasDictionary();
    }

    /** Where this model runs. */
    public Device device() {
        return context.device();
    }

    @Override
    public void close() {
        guard.close(() -> {
            if (hat != null) {
                hat.close();  // closes its own context
            } else {
                loaded.close();
                context.close();
            }
        });
    }
}
