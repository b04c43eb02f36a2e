package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.DType;
import dev.tfree4j.io.SafeTensors;
import dev.tfree4j.io.SafeTensorsWriter;
import dev.tfree4j.io.Tensor;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HatCheckpoint} on the {@code hat-tiny-a} fixture (sharded, as published) and on copies of
 * it: a single file, other dtypes, and broken indexes and weights.
 */
class HatCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHARD_1 = "model-00001-of-00002.safetensors";
    private static final String SHARD_2 = "model-00002-of-00002.safetensors";
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir Path tmp;

    private static Path fixture() {
        return Fixtures.fixture("hat-tiny-a");
    }

    @Test
    void theFixtureOpensWithEveryTensorInItsPublishedShapeAndDtype() throws IOException {
        try (HatCheckpoint c = HatCheckpoint.open(fixture())) {
            Map<String, long[]> expected = c.config().expectedTensors();
            assertEquals(147, c.tensors().size());
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(c.tensors().keySet()), "the config's module order");
            long bytes = 0;
            for (Tensor t : c.tensors().values()) {
                assertArrayEquals(expected.get(t.name()), t.shape(), t.name());
                assertEquals(DType.BF16, t.dtype(), t.name());
                bytes += t.data().byteSize();
            }
            var index = JSON.readTree(fixture().resolve(HatWeightIndex.FILE_NAME).toFile());
            assertEquals(index.get("metadata").get("total_size").longValue(), bytes, "the index's total_size");
            assertEquals(List.of(fixture().resolve(SHARD_1), fixture().resolve(SHARD_2)), c.files());
            assertTrue(c.tensor("lm_head.weight").data().isReadOnly());
        }
    }

    @Test
    void weightValuesMatchTheGoldensAndTheReadme() {
        try (HatCheckpoint c = HatCheckpoint.open(fixture()); Arena arena = Arena.ofConfined()) {
            // golden predictive row 0 is first_word_embedding (README, spec §2.5), in float32 from the bf16 weight.
            SafeTensors golden = SafeTensors.open(fixture().resolve("golden/forward.safetensors"), arena);
            float[] predictive = golden.tensors().get("p0.predictive").toFloatArray();
            float[] first = c.tensor("decoder_connector.first_word_embedding").toFloatArray();
            assertEquals(64, first.length);
            for (int i = 0; i < first.length; i++) assertEquals(first[i], predictive[i], 0f, "element " + i);
            // README: lm_head rows outside printable ASCII and newline are zero, the others are not.
            Tensor head = c.tensor("lm_head.weight");
            for (int row = 0; row < 256; row++) {
                boolean kept = row == '\n' || (row >= 0x20 && row <= 0x7e);
                float sumAbs = 0;
                for (int col = 0; col < 32; col++) sumAbs += Math.abs(head.getFloat(row * 32L + col));
                assertEquals(kept, sumAbs > 0, "lm_head row " + row);
            }
        }
    }

    @Test
    void aSingleFileCopyOpensWithTheSameTensors() throws IOException {
        Path single = singleFileCopy(DType.BF16, tensors -> {});
        try (HatCheckpoint fromShards = HatCheckpoint.open(fixture()); HatCheckpoint fromOne = HatCheckpoint.open(single)) {
            assertEquals(List.of(single.resolve(HatCheckpoint.SINGLE_FILE)), fromOne.files());
            for (Tensor t : fromShards.tensors().values()) {
                Tensor u = fromOne.tensor(t.name());
                assertArrayEquals(t.shape(), u.shape());
                assertEquals(-1L, t.data().mismatch(u.data()), t.name());
            }
        }
    }

    @Test
    void f32AndF16WeightsOpenWithTheSameValues() throws IOException {
        for (DType dtype : List.of(DType.F32, DType.F16)) {
            Path copy = singleFileCopy(dtype, tensors -> {});
            try (HatCheckpoint fixture = HatCheckpoint.open(fixture()); HatCheckpoint c = HatCheckpoint.open(copy)) {
                for (Tensor t : fixture.tensors().values()) {
                    Tensor u = c.tensor(t.name());
                    assertEquals(dtype, u.dtype());
                    // bf16 has 8 significant bits, f16 11: values convert exactly unless they fall into f16's subnormal range.
                    float[] expected = t.toFloatArray();
                    float[] actual = u.toFloatArray();
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], actual[i], dtype == DType.F16 ? 1e-4f : 0f, t.name() + "[" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void rotaryInverseFrequencyBuffersAreTolerated() throws IOException {
        Path dir = singleFileCopy(DType.BF16, tensors -> tensors.put("backbone.layers.0.self_attn.rotary_emb.inv_freq",
                floats("backbone.layers.0.self_attn.rotary_emb.inv_freq", DType.F32, new long[] {8}, new float[8])));
        try (HatCheckpoint c = HatCheckpoint.open(dir)) {
            assertEquals(147, c.tensors().size(), "derived from the config, not exposed");
        }
    }

    @Test
    void missingExtraMisshapenAndIntegerTensorsAreNamed() throws IOException {
        assertOpenFails(singleFileCopy(DType.BF16, t -> t.remove("layer_norm.weight")), HatCheckpoint.SINGLE_FILE,
                "missing 1 tensor(s) that config.json implies: layer_norm.weight [32]");
        assertOpenFails(singleFileCopy(DType.BF16, t -> t.put("lm_head.bias",
                        floats("lm_head.bias", DType.BF16, new long[] {256}, new float[256]))), HatCheckpoint.SINGLE_FILE,
                "1 unexpected tensor(s) that config.json does not imply: lm_head.bias BF16[256]");
        assertOpenFails(singleFileCopy(DType.BF16, t -> t.put("lm_head.weight",
                        floats("lm_head.weight", DType.BF16, new long[] {32, 256}, new float[256 * 32]))), HatCheckpoint.SINGLE_FILE,
                "tensor lm_head.weight has shape [32, 256], config.json implies [256, 32]");
        assertOpenFails(singleFileCopy(DType.BF16, t -> t.put("layer_norm.weight",
                        new Tensor("layer_norm.weight", DType.I32, new long[] {32}, MemorySegment.ofArray(new byte[32 * 4])))),
                HatCheckpoint.SINGLE_FILE, "tensor layer_norm.weight is I32; weights must be BF16, F16 or F32");
    }

    @Test
    void aConfigThatDisagreesWithTheWeightsIsCaught() throws IOException {
        Path dir = shardedCopy();
        ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        ((ObjectNode) config.get("decoder_config")).put("num_hidden_layers", 4);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        // Layer 4's block (9), cross-attention (4) and norms (2): named, five of them listed.
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "15 unexpected tensor(s) that config.json does not imply: "
                + "decoder.decoder_layers.4.");
        assertTrue(openError(dir).getMessage().endsWith("; and 10 more"), openError(dir).getMessage());
    }

    @Test
    void bothOrNeitherWeightLayoutIsRefused() throws IOException {
        Path both = shardedCopy();
        Files.copy(singleFileCopy(DType.BF16, t -> {}).resolve(HatCheckpoint.SINGLE_FILE), both.resolve(HatCheckpoint.SINGLE_FILE));
        assertOpenFails(both, "", "holds both model.safetensors and model.safetensors.index.json");
        Path neither = Files.createDirectories(tmp.resolve("neither"));
        Files.copy(fixture().resolve("config.json"), neither.resolve("config.json"));
        assertOpenFails(neither, "", "no HAT weights: expected model.safetensors or model.safetensors.index.json");
        assertOpenFails(tmp.resolve("absent"), "", "HAT model directory does not exist");
    }

    @Test
    void aMissingShardIsNamedByTheIndex() throws IOException {
        Path dir = shardedCopy();
        Files.delete(dir.resolve(SHARD_2));
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "lists shard " + SHARD_2 + " (for tensor 'decoder.decoder_layers.0.cross_attention.k_proj.weight'), which is not a file in");
    }

    @Test
    void shardsOutsideTheDirectoryAreRefusedBeforeAnythingIsOpened() throws IOException {
        for (String shard : List.of("../" + SHARD_2, "/tmp/" + SHARD_2, "sub/" + SHARD_2, "..\\" + SHARD_2, "..",
                "C:" + SHARD_2, "config.json", "")) {
            Path dir = shardedCopy();
            editIndex(dir, map -> map.put("lm_head.weight", shard));
            assertOpenFails(dir, HatWeightIndex.FILE_NAME, "\"weight_map\" puts tensor 'lm_head.weight' in \"" + shard
                    + "\"; a shard must be a .safetensors file name in the model directory (no path)");
        }
    }

    @Test
    void theIndexAndTheShardsMustAgreeTensorForTensor() throws IOException {
        Path dir = shardedCopy();
        editIndex(dir, map -> map.put("lm_head.weight", SHARD_1));
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "lists tensor 'lm_head.weight' in " + SHARD_1 + ", but shard "
                + SHARD_2 + " holds it");

        dir = shardedCopy();
        editIndex(dir, map -> map.remove("lm_head.weight"));
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "does not list tensor 'lm_head.weight', which shard " + SHARD_2 + " holds");

        dir = shardedCopy();
        editIndex(dir, map -> map.put("extra.weight", SHARD_1));
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "lists tensor 'extra.weight' in shard " + SHARD_1 + ", which does not hold it");

        // A tensor in two shards: shard 1 gains a copy of lm_head.weight, which the index places in shard 2.
        dir = shardedCopy();
        rewriteShard(dir, SHARD_1, t -> t.put("lm_head.weight", fixtureTensor("lm_head.weight")));
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "lists tensor 'lm_head.weight' in " + SHARD_2 + ", but shard "
                + SHARD_1 + " holds it");
        editIndex(dir, map -> map.put("lm_head.weight", SHARD_1));
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "lists tensor 'lm_head.weight' in " + SHARD_1 + ", but shard "
                + SHARD_2 + " holds it too");
    }

    @Test
    void theIndexIsReadStrictly() throws IOException {
        Path dir = shardedCopy();
        Path index = dir.resolve(HatWeightIndex.FILE_NAME);
        String text = Files.readString(index);
        Files.writeString(index, text.replace("\"lm_head.weight\": \"" + SHARD_2 + "\"",
                "\"lm_head.weight\": \"" + SHARD_2 + "\", \"lm_head.weight\": \"" + SHARD_1 + "\""));
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "Duplicate field 'lm_head.weight'");
        Files.writeString(index, "{\"metadata\": {}}");
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "safetensors index has no \"weight_map\"");
        Files.writeString(index, "{\"weight_map\": {}}");
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "\"weight_map\" is empty");
        Files.writeString(index, "{\"weight_map\": {\"lm_head.weight\": 2}}");
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "\"weight_map\" entry 'lm_head.weight' must be a shard file name");
        Files.writeString(index, "{\"weight_map\": []}");
        assertOpenFails(dir, HatWeightIndex.FILE_NAME, "\"weight_map\" must be an object");
    }

    @Test
    void theIndexListsEachShardOnceInOrderOfFirstMention() {
        HatWeightIndex index = HatWeightIndex.read(fixture().resolve(HatWeightIndex.FILE_NAME));
        assertEquals(List.of(SHARD_1, SHARD_2), index.shards());
        assertEquals(147, index.weightMap().size());
    }

    @Test
    void unknownTensorNamesAndUseAfterCloseFailClearly() {
        HatCheckpoint c = HatCheckpoint.open(fixture());
        var e = assertThrows(IllegalArgumentException.class, () -> c.tensor("lm_head.bias"));
        assertTrue(e.getMessage().contains("has no tensor 'lm_head.bias'"), e.getMessage());
        Tensor head = c.tensor("lm_head.weight");
        c.close();
        assertThrows(IllegalStateException.class, () -> head.getFloat(0), "the mapping is gone after close");
    }

    private static ModelFormatException openError(Path dir) {
        return assertThrows(ModelFormatException.class, () -> HatCheckpoint.open(dir).close());
    }

    /** Opening {@code dir} fails with a message naming {@code dir/file} and saying {@code expected}. */
    private static void assertOpenFails(Path dir, String file, String expected) {
        String m = openError(dir).getMessage();
        assertTrue(m.startsWith(dir.resolve(file) + ": ") && m.contains(expected), m);
    }

    /** A copy of the fixture (config, index, shards). */
    private Path shardedCopy() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "sharded");
        for (String f : List.of("config.json", HatWeightIndex.FILE_NAME, SHARD_1, SHARD_2)) {
            Files.copy(fixture().resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static void editIndex(Path dir, Consumer<ObjectNode> edit) throws IOException {
        Path index = dir.resolve(HatWeightIndex.FILE_NAME);
        ObjectNode root = (ObjectNode) JSON.readTree(index.toFile());
        edit.accept((ObjectNode) root.get("weight_map"));
        JSON.writeValue(index.toFile(), root);
    }

    /** The fixture's config with one {@code model.safetensors} of every weight in {@code dtype}, edited by {@code edit}. */
    private Path singleFileCopy(DType dtype, Consumer<Map<String, Tensor>> edit) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "single");
        Files.copy(fixture().resolve("config.json"), dir.resolve("config.json"));
        try (HatCheckpoint c = HatCheckpoint.open(fixture())) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Tensor t : c.tensors().values()) {
                tensors.put(t.name(), dtype == t.dtype() ? t : floats(t.name(), dtype, t.shape(), t.toFloatArray()));
            }
            edit.accept(tensors);
            write(dir.resolve(HatCheckpoint.SINGLE_FILE), tensors.values());
        }
        return dir;
    }

    /** Rewrites one shard of a sharded copy with its tensors edited by {@code edit}. */
    private static void rewriteShard(Path dir, String shard, Consumer<Map<String, Tensor>> edit) throws IOException {
        Path file = dir.resolve(shard);
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>(SafeTensors.open(fixture().resolve(shard), arena).tensors());
            edit.accept(tensors);
            write(file, tensors.values());
        }
    }

    private static Tensor fixtureTensor(String name) {
        try (HatCheckpoint c = HatCheckpoint.open(fixture())) {
            Tensor t = c.tensor(name);
            return new Tensor(name, t.dtype(), t.shape(), MemorySegment.ofArray(t.data().toArray(ValueLayout.JAVA_BYTE)));
        }
    }

    private static void write(Path file, Iterable<Tensor> tensors) {
        List<SafeTensorsWriter.Entry> entries = new ArrayList<>();
        for (Tensor t : tensors) entries.add(new SafeTensorsWriter.Entry(t.name(), t.dtype(), t.shape()));
        try (SafeTensorsWriter w = SafeTensorsWriter.create(file, entries, Map.of("format", "pt"))) {
            for (Tensor t : tensors) w.write(t.name(), t.data());
            w.finish();
        }
    }

    /** A heap tensor of {@code values} stored as {@code dtype} (F32, F16 or BF16 by truncation, exact for bf16 values). */
    private static Tensor floats(String name, DType dtype, long[] shape, float[] values) {
        MemorySegment data = MemorySegment.ofArray(new byte[values.length * dtype.byteSize()]);
        for (int i = 0; i < values.length; i++) {
            switch (dtype) {
                case F32 -> data.set(F32, i * 4L, values[i]);
                case F16 -> data.set(I16, i * 2L, Float.floatToFloat16(values[i]));
                case BF16 -> data.set(I16, i * 2L, (short) (Float.floatToRawIntBits(values[i]) >>> 16));
                default -> throw new IllegalArgumentException(dtype.toString());
            }
        }
        return new Tensor(name, dtype, shape, data);
    }
}
