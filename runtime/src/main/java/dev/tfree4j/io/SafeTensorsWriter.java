package dev.tfree4j.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a safetensors file (layout in {@link SafeTensors}) without holding its tensors in
 * memory: the caller first declares every tensor (name, dtype, shape), which fixes the header and
 * every tensor's offset; the header is written at once, and each tensor's bytes are then written
 * straight to their place in the file, in any order, from any {@link MemorySegment} (a mapped
 * source file, or a buffer freed right after). A 7B conversion so never needs a second copy of
 * the model in memory.
 *
 * <p>Layout choices: tensors are ordered by element size, largest first (stable, so otherwise in
 * declaration order), and the header is padded with spaces so the data section starts at a
 * multiple of 64 bytes; every tensor therefore starts at a multiple of its element size. The
 * output is deterministic: the same declarations and bytes give the same file.
 */
public final class SafeTensorsWriter implements AutoCloseable {
    /** Where the data section starts is a multiple of this (the format asks for 8). */
    private static final int DATA_ALIGNMENT = 64;
    /** Writes go through the channel in pieces of at most this many bytes (a ByteBuffer's limit is 2 GiB). */
    private static final long CHUNK = 64L << 20;

    /** One tensor to write. */
    public record Entry(String name, DType dtype, long[] shape) {
        public Entry {
            if (name == null || name.isEmpty() || name.equals("__metadata__")) {
                throw new IllegalArgumentException("bad tensor name '" + name + "'");
            }
            shape = shape.clone();
            for (long d : shape) if (d < 0) throw new IllegalArgumentException(name + ": negative dimension " + Arrays.toString(shape));
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long byteSize() {
            long n = dtype.byteSize();
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final long dataSize;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Long> offsets = new LinkedHashMap<>();
    private final Set<String> written = new HashSet<>();
    private boolean finished;

    private SafeTensorsWriter(Path file, FileChannel channel, long dataStart, long dataSize) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.dataSize = dataSize;
    }

    /**
     * Creates (or truncates) {@code file}, lays out {@code tensors} and writes the header with
     * {@code metadata}. Then {@link #write} every tensor and {@link #finish()}.
     */
    public static SafeTensorsWriter create(Path file, List<Entry> tensors, Map<String, String> metadata) {
        List<Entry> ordered = new ArrayList<>(tensors);
        ordered.sort(Comparator.comparingInt((Entry e) -> e.dtype().byteSize()).reversed());

        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        Map<String, Long> offsets = new LinkedHashMap<>();
        long offset = 0;
        for (Entry e : ordered) {
            if (header.has(e.name())) throw new IllegalArgumentException("tensor '" + e.name() + "' declared twice");
            ObjectNode t = header.putObject(e.name());
            t.put("dtype", SafeTensors.nameOf(e.dtype()));
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) shape.add(d);
            long end = Math.addExact(offset, e.byteSize());
            t.putArray("data_offsets").add(offset).add(end);
            offsets.put(e.name(), offset);
            offset = end;
        }
        byte[] text;
        try {
            text = json.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Pad with spaces (allowed after the JSON object) so that 8 + N is a multiple of 64.
        int padded = (int) (((8L + text.length + DATA_ALIGNMENT - 1) / DATA_ALIGNMENT) * DATA_ALIGNMENT - 8);
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(text);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
        SafeTensorsWriter w = new SafeTensorsWriter(file, channel, 8L + padded, offset);
        for (Entry e : ordered) w.entries.put(e.name(), e);
        w.offsets.putAll(offsets);
        try {
            w.writeAt(head, 0);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    /** Writes the bytes of tensor {@code name}; {@code bytes} must be exactly its declared size. */
    public void write(String name, MemorySegment bytes) {
        Entry e = entries.get(name);
        if (e == null) throw new IllegalArgumentException("tensor '" + name + "' was not declared");
        if (bytes.byteSize() != e.byteSize()) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + e.byteSize() + " bytes, got " + bytes.byteSize());
        }
        if (!written.add(name)) throw new IllegalStateException("tensor '" + name + "' written twice");
        long at = dataStart + offsets.get(name);
        for (long done = 0; done < bytes.byteSize(); done += CHUNK) {
            writeAt(bytes.asSlice(done, Math.min(CHUNK, bytes.byteSize() - done)).asByteBuffer(), at + done);
        }
    }

    /** Checks that every declared tensor was written, forces the file to disk and closes it. */
    public void finish() {
        List<String> missing = new ArrayList<>();
        for (String name : entries.keySet()) if (!written.contains(name)) missing.add(name);
        if (!missing.isEmpty()) throw new IllegalStateException(file + ": tensors never written: " + missing);
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        finished = true;
    }

    /** The file's final size: header plus data. */
    public long fileSize() {
        return dataStart + dataSize;
    }

    private void writeAt(ByteBuffer buffer, long position) {
        try {
            long at = position;
            while (buffer.hasRemaining()) at += channel.write(buffer, at);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Closes the file; if {@link #finish()} was not called, the file is incomplete and the caller should delete it. */
    @Override
    public void close() {
        if (finished) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing after a failure: the original error matters, not this one
        }
    }
}
