package dev.tfree4j.model;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.decode.Dictionary;
import dev.tfree4j.engine.CpuContext;
import dev.tfree4j.engine.NativeModel;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.io.TokenizerFile;
import dev.tfree4j.io.TorchArchive;
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
 * point into the mapped checkpoint file, and the dictionary. Owns the mapping (an arena) and
 * the native objects; {@link #close()} frees them all.
 */
public final class LoadedModel implements AutoCloseable {
    private final ModelDirectory files;
    private final TransformerConfig config;
    private final Tokenizer tokenizer;
    private final Arena mapping;
    private final NativeModel nativeModel;
    private final Dictionary dictionary;
    private final Map<String, Tensor> weights;
    private final FileStamps mapped;

    private LoadedModel(ModelDirectory files, TransformerConfig config, Tokenizer tokenizer, Arena mapping,
                        NativeModel nativeModel, Dictionary dictionary, Map<String, Tensor> weights, FileStamps mapped) {
        this.weights = Map.copyOf(weights);
        this.files = files;
        this.config = config;
        this.tokenizer = tokenizer;
        this.mapping = mapping;
        this.nativeModel = nativeModel;
        this.dictionary = dictionary;
        this.mapped = mapped;
    }

    /** Loads a checkpoint directory; {@code dictionaryFile} overrides the directory's dictionary. */
    public static LoadedModel load(CpuContext context, Path dir, Path dictionaryFile) {
        return load(context, dir, dictionaryFile, null, false);
    }

    /**
     * Loads a checkpoint directory whose int8 weights multiply as {@code activations} says
     * (null = the directory's own setting; FLOAT for the reference layout).
     */
    public static LoadedModel load(CpuContext context, Path dir, Path dictionaryFile, NativeModel.ActivationMode activations) {
        return load(context, dir, dictionaryFile, activations, false);
    }

    /** As {@link #load(CpuContext, Path, Path, NativeModel.ActivationMode)}; {@code checkWeights} refuses NaN/infinite weights ({@link WeightCheck}). */
    public static LoadedModel load(CpuContext context, Path dir, Path dictionaryFile, NativeModel.ActivationMode activations,
                                   boolean checkWeights) {
        ModelDirectory files = ModelDirectory.of(dir);
        TransformerConfig config = TransformerConfig.read(files.transformerConfig());
        TokenizerConfig tokConfig = TokenizerConfig.read(files.tokenizerConfig());
        checkConfigsAgree(files, config, tokConfig);

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

            TorchArchive archive = TorchArchive.open(files.transformerWeights(), mapping);
            Map<String, Tensor> weights = archive.tensors();
            config.validate(weights, files.transformerWeights());
            if (checkWeights) WeightCheck.requireFinite(weights, files.transformerWeights());
            nativeModel = createNativeModel(context, config, weights,
                    activations == null ? NativeModel.ActivationMode.FLOAT : activations);

            Dictionary dictionary = loadDictionary(context, tokenizer, files, tokFile, dictionaryFile);
            return new LoadedModel(files, config, tokenizer, mapping, nativeModel, dictionary, weights, mapped);
        } catch (RuntimeException | Error e) {
            if (nativeModel != null) nativeModel.close();
            mapping.close();
            throw e;
        }
    }

    private static void checkConfigsAgree(ModelDirectory files, TransformerConfig config, TokenizerConfig tok) {
        if (config.embeddingAggregation() != TransformerConfig.Aggregation.SUM || config.embeddingNormalization()) {
            throw new ModelFormatException(files.transformerConfig(), "unsupported embedding: tfree4j runs"
                    + " embedding_aggregation \"sum\" without embedding_normalization (the released models' setting)");
        }
        if (config.vocabSize() != tok.vocabSize()) {
            throw new ModelFormatException(files.root(), "vocab_size differs between transformer_config.yaml ("
                    + config.vocabSize() + ") and tokenizer_config.yaml (" + tok.vocabSize() + ")");
        }
        if (config.sequenceLength() != tok.sequenceLength()) {
            throw new ModelFormatException(files.root(), "sequence_length differs between transformer_config.yaml ("
                    + config.sequenceLength() + ") and tokenizer_config.yaml (" + tok.sequenceLength() + ")");
        }
    }

    private static NativeModel createNativeModel(CpuContext context, TransformerConfig c, Map<String, Tensor> weights,
                                                 NativeModel.ActivationMode activations) {
        NativeModel.Shape shape = new NativeModel.Shape(c.vocabSize(), c.hiddenSize(), c.numLayers(),
                c.numAttentionHeads(), c.intermediateSize(), c.sequenceLength(), (float) c.layernormEpsilon());
        float[] rope = RopeTable.compute(c.headDim(), c.sequenceLength(), c.rotaryEmbeddingBase());
        NativeModel model = NativeModel.create(context, shape, rope, activations);
        try {
            for (Map.Entry<String, Tensor> e : weights.entrySet()) {
                Tensor t = e.getValue();
                long[] s = t.shape();
                long rows = s.length == 2 ? s[0] : 1;
                long cols = s.length == 2 ? s[1] : s[0];
                model.setWeight(e.getKey(), t.data(), nativeType(t), rows, cols, null);
            }
            model.finalizeWeights();
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static NativeModel.DType nativeType(Tensor t) {
        return switch (t.dtype()) {
            case F32 -> NativeModel.DType.F32;
            case BF16 -> NativeModel.DType.BF16;
            case F16 -> NativeModel.DType.F16;
            default -> throw new ModelFormatException("tensor " + t.name() + " has dtype " + t.dtype()
                    + "; weights must be float32, bfloat16 or float16");
        };
    }

    private static Dictionary loadDictionary(CpuContext context, Tokenizer tokenizer, ModelDirectory files,
                                             TokenizerFile tokFile, Path explicit) {
        if (explicit != null) return DictionarySources.fromFile(context, tokenizer, explicit);
        if (tokFile != null && tokFile.dictionary().isPresent()) return DictionarySources.fromTokenizerFile(context, tokenizer, tokFile);
        if (files.dictionaryFile().isPresent()) return DictionarySources.fromFile(context, tokenizer, files.dictionaryFile().get());
        throw new ModelFormatException(files.root(), "no dictionary: the model directory has no dictionary/ folder and no"
                + " tokenizer/tokenizer.pt with a dictionary; pass one (a pickled Counter or a word list)");
    }

    public ModelDirectory files() {
        return files;
    }

    public TransformerConfig config() {
        return config;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public NativeModel nativeModel() {
        return nativeModel;
    }

    public Dictionary dictionary() {
        return dictionary;
    }

    /**
     * The source tensor of a weight as loaded (in the mapped file), e.g. to restore it after a
     * component was swapped for an int8 copy.
     */
    public Tensor weight(String name) {
        Tensor t = weights.get(name);
        if (t == null) throw new IllegalArgumentException("the model has no weight named '" + name + "'");
        return t;
    }

    /** Total number of parameters (every weight tensor's element count). */
    public long parameterCount() {
        return weights.values().stream().mapToLong(Tensor::numel).sum();
    }

    /** Sets a weight of the native model back to its source tensor. */
    public void restoreWeight(String name) {
        Tensor t = weight(name);
        long[] s = t.shape();
        nativeModel.setWeight(name, t.data(), nativeType(t), s.length == 2 ? s[0] : 1, s.length == 2 ? s[1] : s[0], null);
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
        dictionary.close();
        nativeModel.close();
        mapping.close();
    }
}
