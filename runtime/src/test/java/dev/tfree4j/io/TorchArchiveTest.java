package dev.tfree4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.UnsafePickleException;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchArchiveTest {
    @TempDir
    Path tmp;

    static Path transformerPt() {
        return Fixtures.refA().resolve("checkpoint/transformer/transformer.pt");
    }

    @Test
    void stateDictMatchesManifestShapes() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(Fixtures.refA().resolve("manifest.json").toFile());
        JsonNode shapes = manifest.get("state_dict_shapes");
        try (Arena arena = Arena.ofConfined()) {
            TorchArchive archive = TorchArchive.open(transformerPt(), arena);
            Map<String, Tensor> tensors = archive.tensors();
            List<String> expectedNames = new ArrayList<>();
            shapes.fieldNames().forEachRemaining(expectedNames::add);
            assertEquals(expectedNames, List.copyOf(tensors.keySet()), "names in file order");
            for (Iterator<Map.Entry<String, JsonNode>> it = shapes.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                long[] expected = new long[e.getValue().size()];
                for (int i = 0; i < expected.length; i++) expected[i] = e.getValue().get(i).asLong();
                Tensor t = tensors.get(e.getKey());
                assertArrayEquals(expected, t.shape(), e.getKey());
                assertEquals(DType.F32, t.dtype());
                assertEquals(e.getKey(), t.name());
            }
            assertEquals("transformer/", archive.topFolder());
            assertTrue(archive.storagesAligned64(), "torch writes 64-byte aligned storages");

            // Zero copy: the embedding is the mapped bytes of entry transformer/data/0, in place.
            Tensor emb = tensors.get("transformer.embeddings.embedding.weight");
            ZipArchive.Entry entry = archive.zip().entry("transformer/data/0").orElseThrow();
            assertTrue(emb.data().isMapped());
            assertEquals(archive.zip().bytes().address() + entry.dataOffset(), emb.data().address());
            assertTrue(emb.data().isReadOnly());
        }
    }

    /** Sums embedding rows exactly as docs/spec/tfree.md §4 describes and compares with the reference's embedding output. */
    @Test
    void embeddingRowsReproduceReferenceEmbeddings() {
        Path p0 = Fixtures.refA().resolve("prompts/p0");
        Npy.Array ids = Npy.read(p0.resolve("trigram_token_ids.npy"));
        Npy.Array positions = Npy.read(p0.resolve("trigram_set_position_ids.npy"));
        Npy.Array expected = Npy.read(p0.resolve("embeddings.npy"));
        int rows = ids.dim(0), p = ids.dim(1), n = expected.dim(0), h = expected.dim(1);
        try (Arena arena = Arena.ofConfined()) {
            Tensor emb = TorchArchive.open(transformerPt(), arena).tensors().get("transformer.embeddings.embedding.weight");
            assertEquals(h, emb.dim(1));
            float[] x = new float[n * h];
            for (int r = 0; r < rows; r++) {
                int pos = Math.toIntExact(positions.longs()[r]);
                for (int j = 0; j < p; j++) {
                    long id = ids.longs()[r * p + j];
                    for (int c = 0; c < h; c++) x[pos * h + c] += emb.getFloat(id * h + c);
                }
            }
            double maxDiff = 0;
            for (int i = 0; i < x.length; i++) maxDiff = Math.max(maxDiff, Math.abs(x[i] - expected.floats()[i]));
            assertTrue(maxDiff <= 1e-5, "max |diff| " + maxDiff);
        }
    }

    @Test
    void truncatedFilesFailClearly() throws IOException {
        byte[] good = Files.readAllBytes(transformerPt());
        int pklStart = 100;           // inside data.pkl (entry 0, 3732 bytes)
        int tensorData = 100_000;     // inside transformer/data/0
        int centralDir = good.length - 700; // inside the central directory
        for (int cut : new int[] {0, 10, pklStart, 2000, tensorData, centralDir, good.length - 30, good.length - 1}) {
            Path f = tmp.resolve("cut" + cut + ".pt");
            Files.write(f, Arrays.copyOf(good, cut));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> open(f), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        }
        // Data removed from the middle while the directory survives: offsets now point past the file.
        ZipArchive zip = ZipArchive.read(transformerPt(), MemorySegment.ofArray(good));
        long cdStart = zip.entries().stream().mapToLong(ZipArchive.Entry::localHeaderOffset).max().orElseThrow() + 100;
        int dirStart = (int) indexOf(good, new byte[] {'P', 'K', 1, 2}, (int) cdStart);
        byte[] spliced = concat(Arrays.copyOf(good, tensorData), Arrays.copyOfRange(good, dirStart, good.length));
        Path f = tmp.resolve("spliced.pt");
        Files.write(f, spliced);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> open(f));
        assertTrue(e.getMessage().contains("outside the file") || e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedPickleInsideAValidZip() throws IOException {
        byte[] pkl = PickleBytes.oneTensorStateDict("w", "FloatStorage", 4, 0, new long[] {2, 2}, new long[] {2, 1});
        byte[] cut = Arrays.copyOf(pkl, pkl.length / 2);
        Path f = write("cutpkl.pt", new RawZip().add("cutpkl/data.pkl", cut).add("cutpkl/data/0", new byte[16]));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> open(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void handBuiltArchivesIncludingZip64() throws IOException {
        float[] values = {1f, -2f, 3.5f, 4f, 5f, 6f};
        byte[] storage = floats(values);
        // A [2, 2] view at element offset 2 of a 6-element storage.
        byte[] pkl = PickleBytes.oneTensorStateDict("w", "FloatStorage", 6, 2, new long[] {2, 2}, new long[] {2, 1});
        for (boolean zip64 : new boolean[] {false, true}) {
            RawZip z = new RawZip().align(64).add("model/data.pkl", pkl).add("model/data/0", storage).add("model/version", "3\n".getBytes());
            if (zip64) z.zip64();
            Path f = write("m" + zip64 + ".pt", z);
            try (Arena arena = Arena.ofConfined()) {
                TorchArchive a = TorchArchive.open(f, arena);
                Tensor w = a.tensors().get("w");
                assertArrayEquals(new long[] {2, 2}, w.shape());
                assertArrayEquals(new float[] {3.5f, 4f, 5f, 6f}, w.toFloatArray());
                assertTrue(a.storagesAligned64());
                assertEquals("model/", a.topFolder());
            }
        }
        // Unaligned storages are accepted (and reported).
        Path f = write("unaligned.pt", new RawZip().add("u/data.pkl", pkl).add("u/data/0", storage));
        try (Arena arena = Arena.ofConfined()) {
            TorchArchive a = TorchArchive.open(f, arena);
            assertArrayEquals(new float[] {3.5f, 4f, 5f, 6f}, a.tensors().get("w").toFloatArray());
        }
    }

    @Test
    void tensorsOutsideTheirStorageAreRejected() throws IOException {
        byte[] storage = new byte[16]; // 4 floats
        expectError("range", PickleBytes.oneTensorStateDict("w", "FloatStorage", 4, 1, new long[] {4}, new long[] {1}),
                storage, "lie outside the storage");
        expectError("numel", PickleBytes.oneTensorStateDict("w", "FloatStorage", 5, 0, new long[] {5}, new long[] {1}),
                storage, "claims 5 F32 elements but its entry holds only 16 bytes");
        expectError("huge", PickleBytes.oneTensorStateDict("w", "FloatStorage", 1L << 40, 0, new long[] {1L << 40}, new long[] {1}),
                storage, "claims 1099511627776 F32 elements");
        expectError("overflow", PickleBytes.oneTensorStateDict("w", "FloatStorage", 4, 0, new long[] {1L << 40, 1L << 40}, new long[] {1L << 40, 1}),
                storage, "impossible shape");
        expectError("stride", PickleBytes.oneTensorStateDict("w", "FloatStorage", 4, 0, new long[] {2, 2}, new long[] {1, 2}),
                storage, "not contiguous");
        expectError("dtype", PickleBytes.oneTensorStateDict("w", "DoubleStorage", 2, 0, new long[] {2}, new long[] {1}),
                storage, "forbidden global 'torch.DoubleStorage'");
        byte[] missing = PickleBytes.proto(2).global("collections", "OrderedDict").op(')').reduce()
                .mark().str("w").tensor("FloatStorage", "7", 4, 0, new long[] {4}, new long[] {1}).op('u').stop().bytes();
        expectError("missing", missing, storage, "has no entry missing/data/7");
        byte[] pathKey = PickleBytes.proto(2).global("collections", "OrderedDict").op(')').reduce()
                .mark().str("w").tensor("FloatStorage", "../0", 4, 0, new long[] {4}, new long[] {1}).op('u').stop().bytes();
        expectError("key", pathKey, storage, "bad storage key");
    }

    @Test
    void forbiddenGlobalInsideACheckpoint() throws IOException {
        byte[] evil = PickleBytes.proto(2).global("os", "system").str("echo pwned").op(0x85).reduce().stop().bytes();
        Path f = write("evil.pt", new RawZip().add("evil/data.pkl", evil));
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> open(f));
        assertTrue(e.getMessage().contains("os.system") && e.getMessage().contains("evil.pt"), e.getMessage());
    }

    @Test
    void compressedOrOddArchives() throws IOException {
        byte[] pkl = PickleBytes.proto(2).op('}').stop().bytes();
        Path compressed = write("z.pt", new RawZip().add("z/data.pkl", pkl, 8));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> open(compressed));
        assertTrue(e.getMessage().contains("compressed"), e.getMessage());

        Path noPkl = write("n.pt", new RawZip().add("n/other", pkl));
        e = assertThrows(ModelFormatException.class, () -> open(noPkl));
        assertTrue(e.getMessage().contains("no data.pkl"), e.getMessage());

        Path notState = write("s.pt", new RawZip().add("s/data.pkl", PickleBytes.proto(2).integer(3).stop().bytes()));
        try (Arena arena = Arena.ofConfined()) {
            TorchArchive a = TorchArchive.open(notState, arena);
            assertEquals(3L, a.root());
            e = assertThrows(ModelFormatException.class, a::tensors);
            assertTrue(e.getMessage().contains("not a state dict"), e.getMessage());
        }
        Path missing = tmp.resolve("absent.pt");
        e = assertThrows(ModelFormatException.class, () -> open(missing));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    /** Random corruption of data.pkl (re-zipped with a correct CRC) must never escape as anything else. */
    @Test
    void fuzzedCheckpointPickles() throws IOException {
        Path src = transformerPt();
        byte[] good = Files.readAllBytes(src);
        ZipArchive zip = ZipArchive.read(src, MemorySegment.ofArray(good));
        byte[] pkl = zip.data(zip.findBySuffix("data.pkl").orElseThrow()).toArray(ValueLayout.JAVA_BYTE);
        List<ZipArchive.Entry> data = zip.entries().stream().filter(x -> !x.name().endsWith("data.pkl")).toList();
        Random rnd = new Random(7);
        int parsed = 0;
        for (int i = 0; i < 250; i++) {
            byte[] bad = pkl.clone();
            if (i % 4 == 0) {
                bad = Arrays.copyOf(bad, rnd.nextInt(bad.length));
            } else {
                for (int k = rnd.nextInt(3); k >= 0; k--) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
            }
            RawZip z = new RawZip().add("transformer/data.pkl", bad);
            for (ZipArchive.Entry d : data) z.add(d.name(), zip.data(d).toArray(ValueLayout.JAVA_BYTE));
            try {
                TorchArchive.read(Path.of("fuzz" + i + ".pt"), MemorySegment.ofArray(z.bytes())).tensors();
                parsed++;
            } catch (ModelFormatException expected) {
                assertTrue(expected.getMessage().startsWith("fuzz" + i + ".pt"), expected.getMessage());
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError other) {
                fail("corruption " + i + " escaped as " + other, other);
            }
        }
        assertTrue(parsed < 250);
    }

    private void expectError(String name, byte[] pkl, byte[] storage, String fragment) throws IOException {
        Path f = write(name + ".pt", new RawZip().add(name + "/data.pkl", pkl).add(name + "/data/0", storage));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> open(f));
        assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains(name + ".pt"),
                "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    private static void open(Path f) {
        try (Arena arena = Arena.ofConfined()) {
            TorchArchive.open(f, arena).tensors();
        }
    }

    private Path write(String name, RawZip zip) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, zip.bytes());
        return f;
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    private static long indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
