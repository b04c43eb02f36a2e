package dev.tfree4j.io;

import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A <a href="https://huggingface.co/docs/safetensors">safetensors</a> file, memory-mapped:
 * <pre>
 * [8 bytes]  N, the header length (unsigned little-endian)
 * [N bytes]  the header: a UTF-8 JSON object, possibly padded with spaces
 *            {"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...}
 * [rest]     the data section: every tensor's little-endian, row-major bytes at its data_offsets
 * </pre>
 * {@link #open} reads and checks the whole header ({@link SafeTensorsHeader}) from the file
 * before it maps anything, so a malformed file fails with a {@link ModelFormatException} naming
 * the file and tensor before any memory is reserved for what it claims. Every {@link Tensor} is
 * then a read-only slice of the mapping (no copy), valid as long as the arena is alive.
 */
public final class SafeTensors {
    /** The most header bytes accepted (as the format's reference implementation: 100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The dtypes tfree4j reads, by their safetensors names. */
    static final String SUPPORTED = "F32, BF16, F16, I64, I32, I8, U8, BOOL";

    private final Path file;
    private final SafeTensorsHeader header;
    private final Map<String, Tensor> tensors;

    private SafeTensors(Path file, SafeTensorsHeader header, Map<String, Tensor> tensors) {
        this.file = file;
        this.header = header;
        this.tensors = tensors;
    }

    /** Checks the header of {@code file}, then maps the file read-only with the lifetime of {@code arena}. */
    public static SafeTensors open(Path file, Arena arena) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new ModelFormatException(file, "file is " + size + " bytes, too short for a safetensors header length");
            }
            long headerLength = readLong(channel, file);
            if (headerLength < 0 || headerLength > size - 8) {
                throw new ModelFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the file's " + size + " bytes (truncated, or not a safetensors file)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new ModelFormatException(file, "header length " + headerLength + " exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            byte[] json = new byte[(int) headerLength];
            readFully(channel, ByteBuffer.wrap(json), 8, file);
            long dataStart = 8 + headerLength;
            SafeTensorsHeader header = SafeTensorsHeader.parse(file, json, size - dataStart);

            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena).asSlice(dataStart);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (SafeTensorsHeader.Entry e : header.entries()) {
                tensors.put(e.name(), new Tensor(e.name(), e.dtype(), e.shape(), data.asSlice(e.begin(), e.byteSize())));
            }
            return new SafeTensors(file, header, Collections.unmodifiableMap(tensors));
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, "file not found");
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** The tensors by name, in data (file) order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The header's {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    public SafeTensorsHeader header() {
        return header;
    }

    /** The tfree4j dtype of a safetensors dtype name, e.g. {@code "BF16"}; empty for the ones tfree4j does not read. */
    public static Optional<DType> dtypeOf(String name) {
        return Optional.ofNullable(switch (name) {
            case "F32" -> DType.F32;
            case "BF16" -> DType.BF16;
            case "F16" -> DType.F16;
            case "I64" -> DType.I64;
            case "I32" -> DType.I32;
            case "I8" -> DType.I8;
            case "U8" -> DType.U8;
            case "BOOL" -> DType.BOOL;
            default -> null;
        });
    }

    /** The safetensors name of a dtype, e.g. {@code "BF16"}. */
    public static String nameOf(DType dtype) {
        return switch (dtype) {
            case F32 -> "F32";
            case BF16 -> "BF16";
            case F16 -> "F16";
            case I64 -> "I64";
            case I32 -> "I32";
            case I8 -> "I8";
            case U8 -> "U8";
            case BOOL -> "BOOL";
        };
    }

    private static long readLong(FileChannel channel, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, b, 0, file);
        return b.getLong(0);
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position, Path file) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) throw new ModelFormatException(file, "file ended while reading the header (truncated)");
            at += n;
        }
    }
}
