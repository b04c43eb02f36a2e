package dev.tfree4j.convert;

import dev.tfree4j.ActivationMode;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.Int8Matrix;
import dev.tfree4j.io.DType;
import dev.tfree4j.io.SafeTensorsWriter;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.io.TokenizerFile;
import dev.tfree4j.model.ConvertedConfig;
import dev.tfree4j.model.ModelConfig;
import dev.tfree4j.model.ModelDirectory;
import dev.tfree4j.model.ModelWeights;
import dev.tfree4j.quant.Components;
import dev.tfree4j.quant.PrecisionMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a model directory (either layout) into the tfree4j layout ({@link ModelDirectory}):
 * weights into {@code model.safetensors} — int8 where the precision map says so, quantized with
 * the native {@link Int8Matrix#quantize} (per-row absmax) and stored as I8 plus an F32
 * {@code NAME.scale} tensor; every other weight with its source bytes unchanged (or cast by
 * {@code --dtype}) — and {@code config.json}, {@code precision.json}, the tokenizer file and the
 * dictionary beside it.
 *
 * <p>{@code tokenizer/tokenizer.pt} is copied byte for byte rather than moved into the
 * safetensors file: besides its int64 tables it holds the dictionary's word list and word
 * counters, which safetensors (tensors and a flat string map only) cannot hold, and the existing
 * reader already maps it without copying and loads it through a restricted unpickler.
 *
 * <p>Weights stream from the mapped source to their place in the output file one at a time, so
 * memory use is bounded by the largest single weight being quantized or cast. Everything is
 * written to a temporary directory, re-read and checked as a loader would, and only then moved
 * to the output path.
 */
public final class Converter {
    private Converter() {}

    /** One weight of the output and where its bytes come from. */
    private record Planned(String name, ModelWeights.Weight source, Kind kind, DType stored) {}

    private enum Kind { COPY, CAST, QUANTIZE, COPY_INT8 }

    /**
     * Converts {@code in} to {@code out}; {@code context} runs the quantization. Returns what was
     * written. Bad input is a {@link ModelFormatException}; an existing {@code out} without
     * {@code force}, or a bad option, an {@link IllegalArgumentException}.
     */
    public static ConvertReport convert(NativeContext context, Path in, Path out, ConvertOptions options,
                                        ConvertProgress progress) {
        long started = System.nanoTime();
        ModelDirectory files = ModelDirectory.of(in);
        ModelConfig config = ModelConfig.read(files);
        PrecisionMap precision = precisionMap(options, config);
        Path dictionary = options.dictionary() != null ? checkDictionary(options.dictionary())
                : files.dictionaryFile().orElse(null);

        OutputDirectory output = OutputDirectory.prepare(in, out, options.force());
        try (Arena mapping = Arena.ofConfined()) {
            Path tmp = output.temp();
            files.tokenizerFile().ifPresent(p -> TokenizerFile.read(p, mapping).checkIds(config.tokenizer().vocabSize()));
            ModelWeights weights = ModelWeights.open(files, config, mapping);
            List<Planned> plan = plan(weights, precision, options.weightType());

            long fileBytes = writeWeights(context, tmp.resolve(ModelDirectory.WEIGHTS), plan, progress);
            new ConvertedConfig(config.transformer(), config.tokenizer(), precision.activations(),
                    config.transformerJson(), config.tokenizerJson()).write(tmp.resolve(ModelDirectory.CONFIG_JSON));
            precision.write(tmp.resolve(ModelDirectory.PRECISION_JSON));
            if (files.tokenizerFile().isPresent()) copy(files.tokenizerFile().get(), tmp.resolve(ModelDirectory.TOKENIZER_FILE));
            if (dictionary != null) {
                copy(dictionary, tmp.resolve(ModelDirectory.DICTIONARY_FOLDER).resolve(dictionary.getFileName()));
            }
            verify(tmp);
            output.commit();

            long int8Params = 0;
            int int8Weights = 0;
            for (Planned p : plan) {
                if (p.stored() == DType.I8) {
                    int8Params += p.source().data().numel();
                    int8Weights++;
                }
            }
            return new ConvertReport(output.target(), plan.size(), int8Weights, weights.parameters(), int8Params,
                    int8Weights, Components.of(config.transformer().numLayers()).size(), precision.activations(),
                    fileBytes, size(files.transformerWeights()), (System.nanoTime() - started) / 1e9);
        } catch (RuntimeException | Error e) {
            output.abandon();
            throw e;
        }
    }

    /**
     * The precision map to apply: none, all components, or the plan file's (checked against the
     * model); activations from the options, else the plan's, else a16. Weights that are already
     * int8 in the source stay int8, so they are always part of the map.
     */
    static PrecisionMap precisionMap(ConvertOptions options, ModelConfig config) {
        int layers = config.transformer().numLayers();
        PrecisionMap chosen = switch (options.int8()) {
            case NONE -> PrecisionMap.none();
            case ALL -> PrecisionMap.all(layers, ActivationMode.FLOAT);
            case PLAN -> {
                PrecisionMap p = PrecisionMap.read(options.plan());
                p.checkAgainst(layers, options.plan());
                yield p;
            }
        };
        ActivationMode mode = options.activations() != null ? options.activations() : chosen.activations();
        Set<String> int8 = new LinkedHashSet<>(chosen.int8());
        int8.addAll(config.precision().int8());
        // Keep the map in the model's component order, whatever order a plan file listed them in.
        List<String> ordered = new ArrayList<>(Components.of(layers));
        ordered.retainAll(int8);
        return PrecisionMap.of(ordered, mode, chosen.note());
    }

    private static List<Planned> plan(ModelWeights weights, PrecisionMap precision, ConvertOptions.WeightType type) {
        List<Planned> out = new ArrayList<>();
        for (Map.Entry<String, ModelWeights.Weight> e : weights.weights().entrySet()) {
            ModelWeights.Weight w = e.getValue();
            DType source = w.data().dtype();
            if (w.isInt8()) {
                out.add(new Planned(e.getKey(), w, Kind.COPY_INT8, DType.I8));
            } else if (precision.isInt8(e.getKey())) {
                out.add(new Planned(e.getKey(), w, Kind.QUANTIZE, DType.I8));
            } else {
                DType stored = switch (type) {
                    case KEEP -> source;
                    case F32 -> DType.F32;
                    case BF16 -> DType.BF16;
                };
                out.add(new Planned(e.getKey(), w, stored == source ? Kind.COPY : Kind.CAST, stored));
            }
        }
        return out;
    }

    /** Writes every planned weight (and int8 scales) to {@code file}; returns its size. */
    private static long writeWeights(NativeContext context, Path file, List<Planned> plan, ConvertProgress progress) {
        List<SafeTensorsWriter.Entry> entries = new ArrayList<>();
        long total = 0;
        for (Planned p : plan) {
            long[] shape = p.source().data().shape();
            entries.add(new SafeTensorsWriter.Entry(p.name(), p.stored(), shape));
            if (p.stored() == DType.I8) {
                entries.add(new SafeTensorsWriter.Entry(p.name() + ModelWeights.SCALE_SUFFIX, DType.F32, new long[] {shape[0]}));
            }
        }
        for (SafeTensorsWriter.Entry e : entries) total += e.byteSize();
        progress.start(total);
        try (SafeTensorsWriter writer = SafeTensorsWriter.create(file, entries, Map.of("producer", "tfree4j convert"))) {
            for (Planned p : plan) {
                Tensor src = p.source().data();
                switch (p.kind()) {
                    case COPY -> writer.write(p.name(), src.data());
                    case COPY_INT8 -> {
                        writer.write(p.name(), src.data());
                        writer.write(p.name() + ModelWeights.SCALE_SUFFIX, p.source().scales().data());
                    }
                    case CAST -> {
                        try (Arena buffer = Arena.ofConfined()) {
                            writer.write(p.name(), WeightCast.cast(src, p.stored(), buffer));
                        }
                    }
                    case QUANTIZE -> {
                        long rows = src.dim(0);
                        long cols = src.dim(1);
                        try (Arena buffer = Arena.ofConfined()) {
                            Int8Matrix q = Int8Matrix.quantize(context, src.data(), src.dtype(), rows, cols, buffer);
                            writer.write(p.name(), q.data().asSlice(0, rows * cols));
                            writer.write(p.name() + ModelWeights.SCALE_SUFFIX, q.scales().asSlice(0, rows * Float.BYTES));
                        }
                    }
                }
                long bytes = src.numel() * p.stored().byteSize() + (p.stored() == DType.I8 ? src.dim(0) * Float.BYTES : 0);
                progress.advance(bytes, p.name());
            }
            writer.finish();
            return writer.fileSize();
        } finally {
            progress.finish();
        }
    }

    /** Reads the written model back as the loader would (configs, header, names, shapes, precision map). */
    private static void verify(Path dir) {
        ModelDirectory files = ModelDirectory.of(dir);
        ModelConfig config = ModelConfig.read(files);
        try (Arena arena = Arena.ofConfined()) {
            ModelWeights.open(files, config, arena);
        }
    }

    private static Path checkDictionary(Path file) {
        if (!Files.isRegularFile(file)) throw new ModelFormatException(file, "dictionary file does not exist");
        if (!ModelDirectory.isDictionaryName(file)) {
            throw new IllegalArgumentException(file + ": a bundled dictionary must be a pickled Counter (.pckl, .pkl)"
                    + " or a word list (.txt)");
        }
        return file;
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
