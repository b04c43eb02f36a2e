package dev.tfree4j.tests;

import dev.tfree4j.internal.ModelInternals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.convert.ConvertOptions;
import dev.tfree4j.convert.ConvertProgress;
import dev.tfree4j.convert.ConvertReport;
import dev.tfree4j.convert.Converter;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.Int8Matrix;
import dev.tfree4j.ActivationMode;
import dev.tfree4j.io.DType;
import dev.tfree4j.io.SafeTensors;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.io.TorchArchive;
import dev.tfree4j.model.ModelDirectory;
import dev.tfree4j.model.ModelTokenizer;
import dev.tfree4j.quant.Components;
import dev.tfree4j.quant.PrecisionMap;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Converter} end to end: converted models load in the tfree4j layout and compute exactly
 * (f32 and bf16 kept as is) or as their stored int8 values say (int8), with the stored int8 data
 * checked against both the native quantizer and an independent scalar one.
 */
class ConvertTest {
    @TempDir
    static Path tmp;
    private static NativeContext context;

    @BeforeAll
    static void setUp() {
        context = NativeContext.create(1, NativeContext.Simd.AUTO);
    }

    @AfterAll
    static void tearDown() {
        if (context != null) context.close();
    }

    static Path fixtureCheckpoint() {
        return ReferenceFixture.dir().resolve("checkpoint");
    }

    static Path fixtureDictionary() {
        return ReferenceFixture.dir().resolve("dictionary/top_words_counter.pckl");
    }

    static ConvertReport convert(Path in, Path out, ConvertOptions options) {
        return Converter.convert(context, in, out, options, ConvertProgress.NONE);
    }

    static TFreeModel open(Path dir) {
        return TFreeModel.open(dir, ModelOptions.DEFAULT.withThreads(1));
    }

    static List<String> fixturePrompts() {
        return ReferenceFixture.promptIndices().map(i -> ReferenceFixture.prompt(i).get("prompt").asText()).toList();
    }

    @Test
    void f32FixtureKeptAsIsGivesBitIdenticalLogitsForEveryPrompt() {
        Path out = tmp.resolve("ref-a-none");
        ConvertReport r = convert(fixtureCheckpoint(), out, ConvertOptions.DEFAULT.withDictionary(fixtureDictionary()));
        assertEquals(0, r.int8Weights());
        assertEquals(2 + 9 * 2 + 1, r.weights(), "embedding, 9 per layer, final norm, head");
        assertSameBytes(fixtureCheckpoint().resolve("transformer/transformer.pt"), out.resolve("model.safetensors"));
        assertTrue(Files.isRegularFile(out.resolve("dictionary/top_words_counter.pckl")));

        try (TFreeModel source = ReferenceFixture.open(); TFreeModel converted = open(out)) {
            assertEquals(ModelDirectory.Layout.TFREE4J, ModelInternals.loaded(converted).files().layout());
            assertEquals(source.dictionary(), converted.dictionary(), "bundled dictionary");
            for (String prompt : fixturePrompts()) {
                assertArrayEquals(source.logits(prompt).values(), converted.logits(prompt).values(), prompt);
            }
            GenerationResult g = converted.generate(fixturePrompts().get(0),
                    GenerateOptions.builder().maxWords(8).build());
            assertEquals(ReferenceFixture.prompt(0).get("generate").get("completion").asText(), g.completion());
        }
    }

    @Test
    void bundledBf16KeptAsIsGivesIdenticalLogitsAndGenerations() {
        Path out = tmp.resolve("kjv-none");
        convert(BundledModel.locate(), out, ConvertOptions.DEFAULT);
        assertSameBytes(BundledModel.locate().resolve("transformer/transformer.pt"), out.resolve("model.safetensors"));
        try (TFreeModel source = open(BundledModel.locate()); TFreeModel converted = open(out)) {
            for (String prompt : List.of("In the beginning", "And the LORD said unto Moses", "Blessed are the")) {
                assertArrayEquals(source.logits(prompt).values(), converted.logits(prompt).values(), prompt);
                GenerateOptions options = GenerateOptions.builder().maxWords(20).logProbs(3).build();
                GenerationResult a = source.generate(prompt, options);
                GenerationResult b = converted.generate(prompt, options);
                assertEquals(a.completion(), b.completion(), prompt);
                assertArrayEquals(a.tokenIds(), b.tokenIds(), prompt);
                assertEquals(a.logProbs(), b.logProbs(), prompt);
                for (int i = 0; i < a.logits().size(); i++) assertArrayEquals(a.logits().get(i), b.logits().get(i));
            }
        }
        // The tokenizer alone (the `ids` command) reads the converted layout too.
        assertArrayEquals(ModelTokenizer.open(BundledModel.locate()).encode("Let there be light").ids(),
                ModelTokenizer.open(out).encode("Let there be light").ids());
    }

    @Test
    void int8AllStoresTheNativeQuantizationAndComputesLikeItsDequantizedTwin() throws IOException {
        Path out = tmp.resolve("ref-a-int8");
        ConvertReport r = convert(fixtureCheckpoint(), out,
                ConvertOptions.DEFAULT.withInt8("all").withDictionary(fixtureDictionary()));
        List<String> components = Components.of(2);
        assertEquals(components.size(), r.int8Weights());
        assertEquals(components.size(), r.scaleTensors());

        PrecisionMap written = PrecisionMap.read(out.resolve("precision.json"));
        assertEquals(Set.copyOf(components), written.int8());
        assertEquals(ActivationMode.FLOAT, written.activations());

        long int8Params = 0;
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> source = TorchArchive.open(fixtureCheckpoint().resolve("transformer/transformer.pt"), arena).tensors();
            Map<String, Tensor> stored = SafeTensors.open(out.resolve("model.safetensors"), arena).tensors();
            assertEquals(source.size() + components.size(), stored.size());
            for (Map.Entry<String, Tensor> e : source.entrySet()) {
                Tensor src = e.getValue();
                Tensor got = stored.get(e.getKey());
                if (!components.contains(e.getKey())) {
                    assertEquals(-1, src.data().mismatch(got.data()), e.getKey() + " kept as is");
                    continue;
                }
                int8Params += src.numel();
                Tensor scales = stored.get(e.getKey() + ".scale");
                assertEquals(DType.I8, got.dtype());
                assertArrayEquals(src.shape(), got.shape());
                assertEquals(DType.F32, scales.dtype());
                assertArrayEquals(new long[] {src.dim(0)}, scales.shape());
                Int8Matrix q = Int8Matrix.quantize(context, src.data(), DType.F32, src.dim(0), src.dim(1), arena);
                assertEquals(-1, got.data().mismatch(q.data().asSlice(0, got.data().byteSize())), e.getKey() + " = tf_quantize_rows");
                assertEquals(-1, scales.data().mismatch(q.scales().asSlice(0, scales.data().byteSize())), e.getKey() + " scales");
                assertMatchesScalarQuantizer(e.getKey(), src, got, scales);
            }
            assertEquals((double) int8Params / r.parameters(), r.int8Share(), 1e-12);
        }

        Path twin = dequantizedTwin(out, tmp.resolve("ref-a-int8-dequantized"));
        try (TFreeModel source = ReferenceFixture.open(); TFreeModel int8 = open(out); TFreeModel dequantized = open(twin)) {
            for (String prompt : fixturePrompts()) {
                float[] q = int8.logits(prompt).values();
                float[] d = dequantized.logits(prompt).values();
                float[] s = source.logits(prompt).values();
                double toTwin = 0;
                double toSource = 0;
                for (int i = 0; i < q.length; i++) {
                    assertTrue(Float.isFinite(q[i]), prompt);
                    toTwin = Math.max(toTwin, Math.abs(q[i] - d[i]) / (1 + Math.abs(d[i])));
                    toSource = Math.max(toSource, Math.abs(q[i] - s[i]));
                }
                // The twin multiplies by q·s per element, the int8 kernel scales each row's sum: only rounding differs.
                assertTrue(toTwin < 1e-4, prompt + ": int8 vs its dequantized twin differ by " + toTwin);
                assertTrue(toSource > 1e-4, prompt + ": quantization must change the logits (max diff " + toSource + ")");
            }
        }
    }

    @Test
    void activationsA8AreRecordedAndLoaded() throws IOException {
        Path out = tmp.resolve("ref-a-int8-a8");
        ConvertReport r = convert(fixtureCheckpoint(), out, ConvertOptions.DEFAULT.withInt8("all")
                .withActivations(ActivationMode.INT8).withDictionary(fixtureDictionary()));
        assertEquals(ActivationMode.INT8, r.activations());
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"activations\" : \"a8\""));
        assertEquals(ActivationMode.INT8, PrecisionMap.read(out.resolve("precision.json")).activations());
        try (TFreeModel m = open(out)) {
            assertEquals(ActivationMode.INT8, ModelInternals.loaded(m).modelConfig().activations());
            for (float v : m.logits(fixturePrompts().get(0)).values()) assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void planFileQuantizesExactlyItsComponents() throws IOException {
        List<String> chosen = List.of(Components.HEAD, "transformer.layers.1.mlp.dense_out.weight",
                "transformer.layers.0.attention.query.weight");
        Path planFile = tmp.resolve("plan3.json");
        PrecisionMap.of(chosen, ActivationMode.INT8, "three components").write(planFile);

        Path out = tmp.resolve("ref-a-plan3");
        ConvertReport r = convert(fixtureCheckpoint(), out,
                ConvertOptions.DEFAULT.withInt8(planFile.toString()).withDictionary(fixtureDictionary()));
        assertEquals(3, r.int8Weights());
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> source = TorchArchive.open(fixtureCheckpoint().resolve("transformer/transformer.pt"), arena).tensors();
            Map<String, Tensor> stored = SafeTensors.open(out.resolve("model.safetensors"), arena).tensors();
            Set<String> int8 = new LinkedHashSet<>();
            for (Map.Entry<String, Tensor> e : stored.entrySet()) {
                if (e.getValue().dtype() == DType.I8) int8.add(e.getKey());
            }
            assertEquals(Set.copyOf(chosen), int8);
            for (String name : source.keySet()) {
                if (!chosen.contains(name)) assertEquals(-1, source.get(name).data().mismatch(stored.get(name).data()), name);
            }
            assertEquals(source.size() + 3, stored.size());
        }
        PrecisionMap written = PrecisionMap.read(out.resolve("precision.json"));
        assertEquals(Set.copyOf(chosen), written.int8());
        assertEquals(ActivationMode.INT8, written.activations(), "the plan's activations are the default");
        assertEquals("three components", written.note());

        Path overridden = tmp.resolve("ref-a-plan3-a16");
        convert(fixtureCheckpoint(), overridden, ConvertOptions.DEFAULT.withInt8(planFile.toString())
                .withActivations(ActivationMode.FLOAT).withDictionary(fixtureDictionary()));
        assertEquals(ActivationMode.FLOAT, PrecisionMap.read(overridden.resolve("precision.json")).activations());
        try (TFreeModel m = open(overridden)) {
            assertEquals(Set.copyOf(chosen), ModelInternals.loaded(m).modelConfig().precision().int8());
        }
    }

    @Test
    void badPlanOrExistingOutputLeavesNothingBehind() throws IOException {
        Path planFile = tmp.resolve("bad-plan.json");
        PrecisionMap.of(List.of("transformer.layers.7.mlp.swiglu.weight"), ActivationMode.FLOAT, "").write(planFile);
        Path parent = Files.createDirectories(tmp.resolve("bad-plan-out"));
        Path out = parent.resolve("model");
        // The fixture lookup stays outside assertThrows: a missing fixture is a skip, not a failure.
        Path checkpoint = fixtureCheckpoint();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> convert(checkpoint, out,
                ConvertOptions.DEFAULT.withInt8(planFile.toString())));
        assertTrue(e.getMessage().contains("transformer.layers.7.mlp.swiglu.weight"), e.getMessage());
        assertTrue(e.getMessage().contains(planFile.toString()), e.getMessage());

        Files.createDirectories(out);
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> convert(checkpoint, out, ConvertOptions.DEFAULT));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(List.of(out), left.toList(), "no temporary directories left");
        }
        // --force replaces it; the result loads.
        convert(fixtureCheckpoint(), out, ConvertOptions.DEFAULT.withForce(true).withDictionary(fixtureDictionary()));
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(List.of(out), left.toList(), "the replaced directory is gone");
        }
        // The source itself can never be the target.
        Path copy = tmp.resolve("ref-a-self");
        convert(fixtureCheckpoint(), copy, ConvertOptions.DEFAULT.withDictionary(fixtureDictionary()));
        IllegalArgumentException self = assertThrows(IllegalArgumentException.class,
                () -> convert(copy, copy, ConvertOptions.DEFAULT.withForce(true)));
        assertTrue(self.getMessage().contains("is or contains the source"), self.getMessage());
        assertTrue(Files.isRegularFile(copy.resolve("model.safetensors")), "source untouched");
    }

    @Test
    void convertingAnInt8ModelAgainKeepsItsInt8BytesAndF32CastIsExact() throws IOException {
        Path int8 = tmp.resolve("kjv-int8");
        convert(BundledModel.locate(), int8, ConvertOptions.DEFAULT.withInt8("all"));
        Path again = tmp.resolve("kjv-int8-again");
        ConvertReport r = convert(int8, again, ConvertOptions.DEFAULT.withWeightType(ConvertOptions.WeightType.F32));
        assertEquals(r.components(), r.int8Weights(), "int8 weights stay int8");
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> first = SafeTensors.open(int8.resolve("model.safetensors"), arena).tensors();
            Map<String, Tensor> second = SafeTensors.open(again.resolve("model.safetensors"), arena).tensors();
            assertEquals(first.keySet(), second.keySet());
            for (Map.Entry<String, Tensor> e : first.entrySet()) {
                Tensor a = e.getValue();
                Tensor b = second.get(e.getKey());
                if (a.dtype() == DType.I8 || e.getKey().endsWith(".scale")) {
                    assertEquals(-1, a.data().mismatch(b.data()), e.getKey());
                } else {
                    assertEquals(DType.BF16, a.dtype(), e.getKey());
                    assertEquals(DType.F32, b.dtype(), e.getKey());
                    assertArrayEquals(a.toFloatArray(), b.toFloatArray(), e.getKey() + ": bf16 widens exactly");
                }
            }
        }
        assertEquals(PrecisionMap.read(int8.resolve("precision.json")).int8(), PrecisionMap.read(again.resolve("precision.json")).int8());
        try (TFreeModel m = open(again)) {
            for (float v : m.logits("In the beginning").values()) assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void tamperedConvertedModelsAreRejectedWithClearErrors() throws IOException {
        Path good = tmp.resolve("ref-a-tamper-source");
        convert(fixtureCheckpoint(), good, ConvertOptions.DEFAULT.withInt8("all").withDictionary(fixtureDictionary()));

        Path lying = copyOf(good, "tamper-precision");
        PrecisionMap.of(List.of(Components.HEAD), ActivationMode.FLOAT, "").write(lying.resolve("precision.json"));
        assertLoadFails(lying, "do not match precision.json");

        Path activations = copyOf(good, "tamper-activations");
        PrecisionMap.read(good.resolve("precision.json")).withActivations(ActivationMode.INT8).write(activations.resolve("precision.json"));
        assertLoadFails(activations, "precision.json says \"a8\"");

        Path truncated = copyOf(good, "tamper-truncated");
        Path weights = truncated.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertLoadFails(truncated, "beyond the data section");

        Path both = copyOf(good, "tamper-both-layouts");
        Files.createDirectories(both.resolve("transformer"));
        assertLoadFails(both, "holds both");

        Path noWeights = copyOf(good, "tamper-no-weights");
        Files.delete(noWeights.resolve("model.safetensors"));
        assertLoadFails(noWeights, "missing model.safetensors");

        Path version = copyOf(good, "tamper-version");
        Path config = version.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"version\" : 1", "\"version\" : 2"));
        assertLoadFails(version, "unsupported \"version\"");
    }

    @Test
    void tokenizerFileIsCopiedAsIsAndChecked() throws IOException {
        // A source with a tokenizer/tokenizer.pt: the fixture's sample file (a dictionary and a
        // deliberately truncated trigram table, so neither model can run; both must say the same).
        Path source = tmp.resolve("with-tokenizer-pt");
        Files.createDirectories(source.resolve("tokenizer"));
        Files.createDirectories(source.resolve("transformer"));
        Path checkpoint = fixtureCheckpoint();
        for (String f : List.of("transformer/transformer.pt", "transformer/transformer_config.yaml", "tokenizer/tokenizer_config.yaml")) {
            Files.copy(checkpoint.resolve(f), source.resolve(f));
        }
        Files.copy(checkpoint.resolve("tokenizer/tokenizer_sample_truncated_table.pt"), source.resolve("tokenizer/tokenizer.pt"));
        Path out = tmp.resolve("with-tokenizer-pt-converted");
        convert(source, out, ConvertOptions.DEFAULT);
        assertEquals(-1, Files.mismatch(source.resolve("tokenizer/tokenizer.pt"), out.resolve("tokenizer/tokenizer.pt")));
        String sourceError = assertThrows(ModelFormatException.class, () -> open(source).close()).getMessage();
        String convertedError = assertThrows(ModelFormatException.class, () -> open(out).close()).getMessage();
        assertEquals(sourceError.replace(source.toString(), "DIR"), convertedError.replace(out.toString(), "DIR"));

        Files.write(source.resolve("tokenizer/tokenizer.pt"), new byte[] {'P', 'K', 3, 4});
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> convert(source, tmp.resolve("with-bad-tokenizer-pt"), ConvertOptions.DEFAULT));
        assertTrue(e.getMessage().contains("tokenizer.pt"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("with-bad-tokenizer-pt")));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".with-bad-tokenizer-pt")).toList(),
                    "the temporary directory of the failed conversion is removed");
        }
    }

    @Test
    void loadTimeOfTheConvertedBundledModel() {
        Path none = tmp.resolve("kjv-none-timing");
        Path int8 = tmp.resolve("kjv-int8-timing");
        convert(BundledModel.locate(), none, ConvertOptions.DEFAULT);
        convert(BundledModel.locate(), int8, ConvertOptions.DEFAULT.withInt8("all"));
        StringBuilder report = new StringBuilder("load time of the bundled model (best of 3, ms; noisy shared machine):");
        for (Path dir : List.of(BundledModel.locate(), none, int8)) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                try (TFreeModel m = open(dir)) {
                    best = Math.min(best, System.nanoTime() - t0);
                    assertFalse(m.dictionary().isEmpty());
                }
            }
            report.append(String.format(java.util.Locale.ROOT, " %s %.1f;", dir.getFileName(), best / 1e6));
        }
        System.out.println(report);
    }

    // ---- helpers -------------------------------------------------------------------------

    /** Every tensor of the converted file has the dtype, shape and exact bytes of the source state dict. */
    static void assertSameBytes(Path torchFile, Path safetensors) {
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> source = TorchArchive.open(torchFile, arena).tensors();
            Map<String, Tensor> stored = SafeTensors.open(safetensors, arena).tensors();
            assertEquals(source.keySet(), stored.keySet());
            for (Map.Entry<String, Tensor> e : source.entrySet()) {
                Tensor got = stored.get(e.getKey());
                assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
                assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
                assertEquals(-1, e.getValue().data().mismatch(got.data()), e.getKey() + ": bytes differ");
            }
        }
    }

    /** Checks q and scales against docs/spec/atman-dtm.md §B.3 computed here: s = max|row| / 127, q = round-half-away(v / s). */
    static void assertMatchesScalarQuantizer(String name, Tensor src, Tensor q, Tensor scales) {
        long rows = src.dim(0);
        long cols = src.dim(1);
        for (long r = 0; r < rows; r++) {
            float amax = 0;
            for (long c = 0; c < cols; c++) amax = Math.max(amax, Math.abs(src.getFloat(r * cols + c)));
            float s = amax / 127f;
            assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(scales.getFloat(r)), name + " scale of row " + r);
            for (long c = 0; c < cols; c++) {
                float x = s == 0 ? 0 : src.getFloat(r * cols + c) / s;
                long expected = (long) Math.signum(x) * (long) Math.floor(Math.abs((double) x) + 0.5);
                expected = Math.max(-127, Math.min(127, expected));
                assertEquals(expected, q.getLong(r * cols + c), name + "[" + r + ", " + c + "]");
            }
        }
    }

    /**
     * A copy of an int8 model whose int8 weights are replaced by their f32 values q·scale (so it
     * holds exactly the numbers the int8 model stands for) and whose precision map is empty.
     */
    static Path dequantizedTwin(Path int8, Path twin) throws IOException {
        Files.createDirectories(twin);
        Files.copy(int8.resolve("config.json"), twin.resolve("config.json"));
        PrecisionMap.none().write(twin.resolve("precision.json"));
        Files.createDirectories(twin.resolve("dictionary"));
        Files.copy(fixtureDictionary(), twin.resolve("dictionary").resolve(fixtureDictionary().getFileName()));
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> stored = SafeTensors.open(int8.resolve("model.safetensors"), arena).tensors();
            List<dev.tfree4j.io.SafeTensorsWriter.Entry> entries = new java.util.ArrayList<>();
            for (Tensor t : stored.values()) {
                if (t.name().endsWith(".scale")) continue;
                entries.add(new dev.tfree4j.io.SafeTensorsWriter.Entry(t.name(), DType.F32, t.shape()));
            }
            try (dev.tfree4j.io.SafeTensorsWriter w = dev.tfree4j.io.SafeTensorsWriter.create(
                    twin.resolve("model.safetensors"), entries, Map.of())) {
                for (Tensor t : stored.values()) {
                    if (t.name().endsWith(".scale")) continue;
                    float[] values = t.toFloatArray();
                    if (t.dtype() == DType.I8) {
                        Tensor scales = stored.get(t.name() + ".scale");
                        long cols = t.dim(1);
                        for (int i = 0; i < values.length; i++) values[i] *= scales.getFloat(i / cols);
                    }
                    w.write(t.name(), arena.allocateFrom(ValueLayout.JAVA_FLOAT, values));
                }
                w.finish();
            }
        }
        return twin;
    }

    static Path copyOf(Path dir, String name) throws IOException {
        Path copy = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return copy;
    }

    static void assertLoadFails(Path dir, String expected) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> open(dir).close());
        assertTrue(e.getMessage().contains(expected), "'" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), "names the directory or file: " + e.getMessage());
    }

}
