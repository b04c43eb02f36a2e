package dev.tfree4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The safetensors reader on hand-built files — one valid, and one for each way a header can lie
 * — and the writer's output read back both by the reader and by an independent parse of its
 * bytes.
 */
class SafeTensorsTest {
    @TempDir
    Path tmp;

    /** 8-byte little-endian length, the header text, then the data bytes. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    ModelFormatException rejects(byte[] bytes) throws IOException {
        Path p = write("bad.safetensors", bytes);
        try (Arena arena = Arena.ofConfined()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.open(p, arena));
            assertTrue(e.getMessage().startsWith(p.toString() + ": "), "names the file: " + e.getMessage());
            return e;
        }
    }

    void rejects(String header, int dataBytes, String... expectedParts) throws IOException {
        String message = rejects(file(header, new byte[dataBytes])).getMessage();
        for (String part : expectedParts) assertTrue(message.contains(part), "'" + part + "' in: " + message);
    }

    @Test
    void readsAHandBuiltFileInPlace() throws IOException {
        // a: F32 [2] = {1.5, -2.0}; b: BF16 [1] = 0x3F80 (1.0); c: I8 [2, 1] = {-128, 127}
        byte[] data = {0, 0, (byte) 0xC0, 0x3F, 0, 0, 0, (byte) 0xC0, (byte) 0x80, 0x3F, (byte) 0x80, 0x7F};
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"c\":{\"dtype\":\"I8\",\"shape\":[2,1],\"data_offsets\":[10,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[8,10]}}  ";
        Path p = write("ok.safetensors", file(header, data));
        try (Arena arena = Arena.ofConfined()) {
            SafeTensors st = SafeTensors.open(p, arena);
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(List.of("a", "b", "c"), List.copyOf(st.tensors().keySet()), "data order");
            Tensor a = st.tensors().get("a");
            assertEquals(DType.F32, a.dtype());
            assertArrayEquals(new float[] {1.5f, -2.0f}, a.toFloatArray());
            assertEquals(1.0f, st.tensors().get("b").getFloat(0));
            Tensor c = st.tensors().get("c");
            assertArrayEquals(new long[] {2, 1}, c.shape());
            assertArrayEquals(new long[] {-128, 127}, c.toLongArray());
            assertTrue(a.data().isMapped() || a.data().isNative(), "a slice of the mapping, not a heap copy");
        }
    }

    @Test
    void emptyFileWithOnlyAHeaderIsValid() throws IOException {
        Path p = write("empty.safetensors", file("{}", new byte[0]));
        try (Arena arena = Arena.ofConfined()) {
            assertTrue(SafeTensors.open(p, arena).tensors().isEmpty());
        }
    }

    @Test
    void headerLengthBeyondTheFileIsRejected() throws IOException {
        byte[] ok = file("{}", new byte[0]);
        ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertTrue(rejects(ok).getMessage().contains("exceeds the file"));
        ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L); // 2^64 - 1 unsigned
        assertTrue(rejects(ok).getMessage().contains("18446744073709551615"));
    }

    @Test
    void tooShortFileIsRejected() throws IOException {
        assertTrue(rejects(new byte[] {2, 0, 0}).getMessage().contains("too short"));
    }

    @Test
    void headerOverTheSizeCapIsRejectedWithoutReadingIt() throws IOException {
        // A sparse 150 MB file claiming a 120 MB header: refused on the number alone.
        Path p = tmp.resolve("huge-header.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(150_000_000L);
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(120_000_000L).array());
        }
        try (Arena arena = Arena.ofConfined()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.open(p, arena));
            assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                  | {\"a\":                                                            | not valid JSON",
            "array, not object         | []                                                                | must be a JSON object",
            "garbage after the object  | {} x                                                              | not valid JSON",
            "duplicate tensor          | {\"a\":{\"dtype\":\"I8\",\"shape\":[0],\"data_offsets\":[0,0]},\"a\":{\"dtype\":\"I8\",\"shape\":[0],\"data_offsets\":[0,0]}} | not valid JSON",
            "metadata not a map        | {\"__metadata__\":[1]}                                            | __metadata__ must be an object",
            "metadata value not string | {\"__metadata__\":{\"k\":1}}                                       | __metadata__ value of 'k'",
            "empty tensor name         | {\"\":{\"dtype\":\"I8\",\"shape\":[0],\"data_offsets\":[0,0]}}    | empty name",
            "entry not an object       | {\"w\":5}                                                          | tensor 'w' must be an object",
            "missing dtype             | {\"w\":{\"shape\":[0],\"data_offsets\":[0,0]}}                     | tensor 'w' has no string \"dtype\"",
            "unknown key               | {\"w\":{\"dtype\":\"I8\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":1}} | tensor 'w' has an unknown key 'x'",
            "unsupported dtype F64     | {\"w\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[0,0]}}   | tensor 'w' has unsupported dtype \"F64\"",
            "unknown dtype             | {\"w\":{\"dtype\":\"Q4\",\"shape\":[0],\"data_offsets\":[0,0]}}    | tensor 'w' has unsupported dtype \"Q4\"",
            "negative dimension        | {\"w\":{\"dtype\":\"I8\",\"shape\":[-1],\"data_offsets\":[0,0]}}   | tensor 'w' \"shape\" entry 0 is -1",
            "fractional dimension      | {\"w\":{\"dtype\":\"I8\",\"shape\":[1.5],\"data_offsets\":[0,0]}}  | tensor 'w' \"shape\" entry 0 is 1.5",
            "dimension beyond 64 bits  | {\"w\":{\"dtype\":\"I8\",\"shape\":[99999999999999999999],\"data_offsets\":[0,0]}} | not a non-negative 64-bit integer",
            "shape not an array        | {\"w\":{\"dtype\":\"I8\",\"shape\":3,\"data_offsets\":[0,0]}}      | tensor 'w' \"shape\" must be an array",
            "overflowing shape         | {\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}} | tensor 'w' has an impossible shape",
            "overflowing byte size     | {\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,8]}} | tensor 'w' has an impossible shape",
            "huge shape, small data    | {\"w\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,8]}} | span 8",
            "huge claimed range        | {\"w\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,4000000000000]}} | beyond the data section",
            "one offset                | {\"w\":{\"dtype\":\"I8\",\"shape\":[8],\"data_offsets\":[0]}}      | must have 2 entries",
            "string offset             | {\"w\":{\"dtype\":\"I8\",\"shape\":[8],\"data_offsets\":[\"0\",8]}} | \"data_offsets\" entry 0",
            "begin after end           | {\"w\":{\"dtype\":\"I8\",\"shape\":[0],\"data_offsets\":[8,4]}}    | begin > end",
            "end beyond the data       | {\"w\":{\"dtype\":\"I8\",\"shape\":[16],\"data_offsets\":[0,16]}}  | beyond the data section's 8 bytes",
            "size mismatch             | {\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}   | is F32[3] = 12 bytes, but its data_offsets [0, 8] span 8",
            "overlapping tensors       | {\"a\":{\"dtype\":\"I8\",\"shape\":[6],\"data_offsets\":[0,6]},\"b\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[4,8]}} | tensor 'b' [4, 8) overlaps tensor 'a' [0, 6)",
            "same range twice          | {\"a\":{\"dtype\":\"I8\",\"shape\":[8],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"I8\",\"shape\":[8],\"data_offsets\":[0,8]}} | overlaps",
            "gap between tensors       | {\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]},\"b\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[4,8]}} | gap of 2 unused bytes before tensor 'b'",
            "undescribed trailing data | {\"a\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[0,4]}}    | 4 bytes after the last tensor",
    })
    void malformedHeadersAreRejected(String what, String header, String expected) throws IOException {
        rejects(header.strip(), 8, expected.strip());
    }

    @Test
    void everyTruncationOfAValidFileIsRejected() throws IOException {
        Path full = tmp.resolve("full.safetensors");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2, 3, 4, 5, 6);
            MemorySegment b = arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 1, (byte) 2, (byte) 3);
            try (SafeTensorsWriter w = SafeTensorsWriter.create(full, List.of(
                    new SafeTensorsWriter.Entry("a", DType.F32, new long[] {2, 3}),
                    new SafeTensorsWriter.Entry("b", DType.I8, new long[] {3})), Map.of())) {
                w.write("a", a);
                w.write("b", b);
                w.finish();
            }
        }
        byte[] bytes = Files.readAllBytes(full);
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(bytes, cut);
            rejects(part);
        }
    }

    @Test
    void writerRoundTripsAndFollowsTheFormat() throws IOException {
        Path p = tmp.resolve("round.safetensors");
        List<SafeTensorsWriter.Entry> entries = List.of(
                new SafeTensorsWriter.Entry("q.weight", DType.I8, new long[] {2, 3}),
                new SafeTensorsWriter.Entry("q.weight.scale", DType.F32, new long[] {2}),
                new SafeTensorsWriter.Entry("norm", DType.BF16, new long[] {3}),
                new SafeTensorsWriter.Entry("empty", DType.F32, new long[] {0, 4}),
                new SafeTensorsWriter.Entry("scalar", DType.F32, new long[] {}),
                new SafeTensorsWriter.Entry("ids", DType.I64, new long[] {2}));
        byte[][] contents = {
                {1, -2, 3, -4, 5, -127},
                floats(0.5f, 0.25f),
                {(byte) 0x80, 0x3F, 0, 0x40, (byte) 0x80, (byte) 0xBF},
                {},
                floats(42f),
                {7, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}};
        try (Arena arena = Arena.ofConfined();
             SafeTensorsWriter w = SafeTensorsWriter.create(p, entries, Map.of("producer", "test"))) {
            // any write order
            for (int i = entries.size() - 1; i >= 0; i--) {
                w.write(entries.get(i).name(), arena.allocateFrom(ValueLayout.JAVA_BYTE, contents[i]));
            }
            w.finish();
            assertEquals(Files.size(p), w.fileSize());
        }

        byte[] bytes = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + n) % 64, "data section aligned to 64 (the format asks for 8)");
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip());
        assertEquals("test", header.get("__metadata__").get("producer").asText());
        // Independent of the reader: offsets tile the data section, larger elements first, bytes in place.
        List<String> order = new ArrayList<>();
        long expectedBegin = 0;
        long lastElementSize = Long.MAX_VALUE;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) continue;
            order.add(f.getKey());
            long begin = f.getValue().get("data_offsets").get(0).asLong();
            long end = f.getValue().get("data_offsets").get(1).asLong();
            assertEquals(expectedBegin, begin, f.getKey());
            int index = indexOf(entries, f.getKey());
            long elementSize = entries.get(index).dtype().byteSize();
            assertTrue(elementSize <= lastElementSize, "sorted by element size");
            assertEquals(0, begin % elementSize, "element-aligned");
            lastElementSize = elementSize;
            assertArrayEquals(contents[index], java.util.Arrays.copyOfRange(bytes, (int) (8 + n + begin), (int) (8 + n + end)), f.getKey());
            expectedBegin = end;
        }
        assertEquals(bytes.length - 8 - n, expectedBegin, "no trailing bytes");
        assertEquals(List.of("ids", "q.weight.scale", "empty", "scalar", "norm", "q.weight"), order,
                "stable sort by element size, declaration order otherwise");

        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> read = SafeTensors.open(p, arena).tensors();
            assertEquals(order, List.copyOf(read.keySet()));
            for (int i = 0; i < entries.size(); i++) {
                Tensor t = read.get(entries.get(i).name());
                assertEquals(entries.get(i).dtype(), t.dtype());
                assertArrayEquals(entries.get(i).shape(), t.shape());
                assertArrayEquals(contents[i], t.data().toArray(ValueLayout.JAVA_BYTE));
            }
            assertArrayEquals(new long[] {7, -1}, read.get("ids").toLongArray());
            assertArrayEquals(new float[] {1f, 2f, -1f}, read.get("norm").toFloatArray());
        }
    }

    @Test
    void writerRefusesMisuse() throws IOException {
        Path p = tmp.resolve("misuse.safetensors");
        List<SafeTensorsWriter.Entry> entries = List.of(new SafeTensorsWriter.Entry("a", DType.F32, new long[] {2}));
        assertThrows(IllegalArgumentException.class, () -> SafeTensorsWriter.create(p,
                List.of(entries.get(0), entries.get(0)), Map.of()), "declared twice");
        try (Arena arena = Arena.ofConfined(); SafeTensorsWriter w = SafeTensorsWriter.create(p, entries, Map.of())) {
            assertThrows(IllegalArgumentException.class, () -> w.write("a", arena.allocate(4)), "wrong size");
            assertThrows(IllegalArgumentException.class, () -> w.write("b", arena.allocate(8)), "undeclared");
            assertThrows(IllegalStateException.class, w::finish, "a never written");
            w.write("a", arena.allocate(8));
            assertThrows(IllegalStateException.class, () -> w.write("a", arena.allocate(8)), "written twice");
        }
    }

    private static int indexOf(List<SafeTensorsWriter.Entry> entries, String name) {
        for (int i = 0; i < entries.size(); i++) if (entries.get(i).name().equals(name)) return i;
        throw new AssertionError(name);
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

}
