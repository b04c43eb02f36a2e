package dev.tfree4j.model;

import dev.tfree4j.ActivationMode;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.decode.Dictionary;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.NativeModel;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.io.TokenizerFile;
import dev.tfree4j.io.TransformerConfig;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.TokenizerConfig;
import dev.tfree4j.text.Encoding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a loaded checkpoint consists of: configs, tokenizer, the native model whose weights
 * point into the mapped checkpoint file, and the dictionary if there is one (only decoding
 * words needs it: logits do not). Owns the mapping (an arena) and the native objects;
 * {@link #close()} frees them all (not the context, which the caller owns).
 */
public final class LoadedModel implements AutoCloseable {
    private final NativeContext context;
    private final ModelDirectory files;
    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final Arena mapping;
    private final NativeModel nativeModel;
    /** Null when the model has none. */
    private final Dictionary dictionary;
    private final ModelWeights weights;
    private final FileStamps mapped;

    private LoadedModel(NativeContext context, ModelDirectory files, ModelConfig config, Tokenizer tokenizer, Arena mapping,
                        NativeModel nativeModel, Dictionary dictionary, ModelWeights weights, FileStamps mapped) {
        this.context = context;
        this.weights = weights;
        this.files = files;
        this.config = config;
        this.tokenizer = tokenizer;
        this.mapping = mapping;
        this.nativeModel = nativeModel;
        this.dictionary = dictionary;
        this.mapped = mapped;
    }

    /**
     * Loads a T-FREE checkpoint directory in either layout ({@link ModelDirectory}); reached
     * through {@link ModelFamilies}. {@code dictionaryFile} overrides the directory's dictionary;
     * int8 weights multiply as {@code activations} says (null = the directory's own setting;
     * FLOAT for the reference layout); {@code checkWeights} refuses NaN/infinite weights
     * ({@link WeightCheck}).
     */
    public static LoadedModel load(NativeContext context, Path dir, Path dictionaryFile, ActivationMode activations,
                                   boolean checkWeights) {
        ModelDirectory files = ModelDirectory.of(dir);
        ModelConfig modelConfig = ModelConfig.read(files);
        TransformerConfig config = modelConfig.transformer();
        TokenizerConfig tokConfig = modelConfig.tokenizer();

        Arena mapping = Arena.ofShared();
        NativeModel nativeModel = null;
        FileStamps mapped = new FileStamps();
        try {
            // Stamped before mapping: a change during the load itself is caught by the first check.
            files.tokenizerFile().ifPresent(mapped::add);
            mapped.add(files.transformerWeights());
            TokenizerFile tokFile = files.tokenizerFile().map(p -> TokenizerFile.read(p, mapping)).orElse(null);
            if (tokFile != null) tokFile.checkIds(tokConfig.vocabSize());
            Tokenizer tokenizer = new Tokenizer(tokConfig, ModelTokenizer.table(tokConfig, tokFile));

            ModelWeights weights = ModelWeights.open(files, modelConfig, mapping);
            if (checkWeights) WeightCheck.requireFinite(weights);
            nativeModel = createNativeModel(context, config, weights,
                    activations == null ? modelConfig.activations() : activations);

            Dictionary dictionary = loadDictionary(context, tokenizer, files, tokFile, dictionaryFile);
            return new LoadedModel(context, files, modelConfig, tokenizer, mapping, nativeModel, dictionary, weights, mapped);
        } catch (RuntimeException | Error e) {
            if (nativeModel != null) nativeModel.close();
            mapping.close();
            throw e;
        }
    }

    private static NativeModel createNativeModel(NativeContext context, TransformerConfig c, ModelWeights weights,
                                                 ActivationMode activations) {
        NativeModel.Shape shape = new NativeModel.Shape(c.vocabSize(), c.hiddenSize(), c.numLayers(),
                c.numAttentionHeads(), c.intermediateSize(), c.sequenceLength(), (float) c.layernormEpsilon());
        float[] rope = RopeTable.compute(c.headDim(), c.sequenceLength(), c.rotaryEmbeddingBase());
        NativeModel model = NativeModel.create(context, shape, rope, activations);
        try {
            for (Map.Entry<String, ModelWeights.Weight> e : weights.weights().entrySet()) {
                Tensor t = e.getValue().data();
                long[] s = t.shape();
                long rows = s.length == 2 ? s[0] : 1;
                long cols = s.length == 2 ? s[1] : s[0];
                Tensor scales = e.getValue().scales();
                model.setWeight(e.getKey(), t.data(), t.dtype(), rows, cols, scales == null ? null : scales.data());
            }
            model.finalizeWeights();
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static Dictionary loadDictionary(NativeContext context, Tokenizer tokenizer, ModelDirectory files,
                                             TokenizerFile tokFile, Path explicit) {
        if (explicit != null) return DictionarySources.fromFile(context, tokenizer, explicit);
        if (tokFile != null && tokFile.dictionary().isPresent()) return DictionarySources.fromTokenizerFile(context, tokenizer, tokFile);
        if (files.dictionaryFile().isPresent()) return DictionarySources.fromFile(context, tokenizer, files.dictionaryFile().get());
        return null;
    }

    public ModelDirectory files() {
        return files;
    }

    public TransformerConfig config() {
        return config.transformer();
    }

    /** All configs, including which weights are int8 and the activation mode (none / a16 for the reference layout). */
    public ModelConfig modelConfig() {
        return config;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public NativeModel nativeModel() {
        return nativeModel;
    }

    /** The context the native model runs on. */
    public NativeContext context() {
        return context;
    }

    /** Whether the model has a dictionary (from its directory or given when opening). */
    public boolean hasDictionary() {
        return dictionary != null;
    }

    /** The dictionary, for decoding words; see {@link #dictionary(String)}. */
    public Dictionary dictionary() {
        return dictionary("decoding words");
    }

    /**
     * The dictionary, which turns logits into words; {@code purpose} names what needs it for the
     * error when there is none.
     *
     * @throws ModelFormatException when the model has no dictionary, saying how to give one
     */
    public Dictionary dictionary(String purpose) {
        if (dictionary == null) {
            throw new ModelFormatException(files.root(), "no dictionary: " + purpose + " needs one to turn the model's"
                    + " scores into words, and the model directory has no " + ModelDirectory.DICTIONARY_FOLDER
                    + "/ folder and no tokenizer/tokenizer.pt with a dictionary; put a word list (*.txt) or a pickled"
                    + " Counter (*.pckl) in " + ModelDirectory.DICTIONARY_FOLDER + "/, or give one when opening the model"
                    + " (--dictionary FILE, ModelOptions.withDictionary(file))");
        }
        return dictionary;
    }

    /**
     * The source tensor of a weight as loaded (in the mapped file), e.g. to restore it after a
     * component was swapped for an int8 copy.
     */
    public Tensor weight(String name) {
        return source(name).data();
    }

    /** Total number of parameters (every weight tensor's element count; int8 scales not counted). */
    public long parameterCount() {
        return weights.parameters();
    }

    /** Sets a weight of the native model back to its source tensor (with its scales, if it is stored int8). */
    public void restoreWeight(String name) {
        ModelWeights.Weight w = source(name);
        Tensor t = w.data();
        long[] s = t.shape();
        nativeModel.setWeight(name, t.data(), t.dtype(), s.length == 2 ? s[0] : 1, s.length == 2 ? s[1] : s[0],
                w.scales() == null ? null : w.scales().data());
    }

    private ModelWeights.Weight source(String name) {
        ModelWeights.Weight w = weights.weights().get(name);
        if (w == null) throw new IllegalArgumentException("the model has no weight named '" + name + "'");
        return w;
    }

    /**
     * Refuses to go on when a mapped file (weights, tokenizer.pt) changed on disk since loading:
     * reading the mapping then gives changed weights or, for a truncated file, a fatal SIGBUS.
     */
    public void requireFilesUnchanged() {
        mapped.requireUnchanged();
    }

    /** Writes the input embeddings [enc.nWords() × hidden] of an encoding into {@code out}. */
    public void embed(Encoding enc, MemorySegment out) {
        try (Arena arena = Arena.ofConfined()) {
            nativeModel.embed(arena.allocateFrom(ValueLayout.JAVA_INT, enc.ids()), enc.nRows(), enc.population(),
                    arena.allocateFrom(ValueLayout.JAVA_INT, enc.rowWord()), enc.nWords(), out);
        }
    }

    @Override
    public void close() {
        if (dictionary != null) dictionary.close();
        nativeModel.close();
        mapping.close();
    }
}
