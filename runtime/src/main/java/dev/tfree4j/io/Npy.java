package dev.tfree4j.io;

import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format 1.0/2.0, little-endian, C order) of {@code <f4} or {@code <i8}.
 * Used by the {@code logits --out} command and by the parity tests that read reference outputs.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** A loaded array: its shape and either float or long data (the other is null). */
    public record Array(long[] shape, float[] floats, long[] longs) {
        public long size() {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }

        public int dim(int i) {
            return Math.toIntExact(shape[i]);
        }
    }

    private Npy() {}

    public static Array read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return parse(file, bytes);
    }

    /** Parses the bytes of a .npy file; {@code file} only names it in messages. */
    public static Array parse(Path file, byte[] bytes) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new ModelFormatException(file, "not a .npy file (bad magic)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(buf.getShort(8));
            headerStart = 10;
        } else if ((major == 2 || major == 3) && bytes.length >= 12) {
            headerLen = buf.getInt(8);
            headerStart = 12;
        } else {
            throw new ModelFormatException(file, major == 2 || major == 3 ? "truncated .npy header"
                    : "unsupported .npy version " + major);
        }
        if (headerLen < 0 || headerStart + (long) headerLen > bytes.length) {
            throw new ModelFormatException(file, "truncated .npy header");
        }
        String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, file, "descr");
        if (find(ORDER, header, file, "fortran_order").equals("True")) {
            throw new ModelFormatException(file, "Fortran-order arrays are not supported");
        }
        long[] shape = parseShape(file, find(SHAPE, header, file, "shape").trim());
        int dataStart = headerStart + headerLen;
        int elem = switch (descr) {
            case "<f4" -> 4;
            case "<i8" -> 8;
            default -> throw new ModelFormatException(file, "unsupported dtype " + descr + " (need <f4 or <i8)");
        };
        // The element count is only believed once the data is known to hold it: a header claiming
        // 2^40 elements is refused before anything is allocated.
        long count = 1;
        for (long d : shape) {
            if (d > (bytes.length - dataStart) / elem || count > (bytes.length - dataStart) / elem / Math.max(d, 1)) {
                count = -1;
                break;
            }
            count *= d;
        }
        if (count < 0 || dataStart + count * elem != bytes.length) {
            throw new ModelFormatException(file, "data size (" + (bytes.length - dataStart) + " bytes) does not match shape "
                    + Arrays.toString(shape) + " of " + descr);
        }
        buf.position(dataStart);
        if (elem == 4) {
            float[] data = new float[Math.toIntExact(count)];
            buf.asFloatBuffer().get(data);
            return new Array(shape, data, null);
        }
        long[] data = new long[Math.toIntExact(count)];
        buf.asLongBuffer().get(data);
        return new Array(shape, null, data);
    }

    /** Writes a float32 array of the given shape (format 1.0). */
    public static void writeFloats(Path file, float[] data, long... shape) throws IOException {
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
        }
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(d).append(", ");
        if (shape.length > 1) dims.setLength(dims.length() - 2);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        head.put(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer body = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(data);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(head.array());
            out.write(body.array());
        }
    }

    /** "2, 3" or "5," or "" → dimensions; anything but non-negative decimal integers is an error. */
    private static long[] parseShape(Path file, String text) {
        if (text.isEmpty()) return new long[0];
        String[] parts = text.split(",", -1);
        int n = parts.length;
        if (parts[n - 1].isBlank()) n--;  // the trailing comma of a 1-d shape
        if (n > 64) throw new ModelFormatException(file, "npy shape has " + n + " dimensions (at most 64 supported)");
        long[] shape = new long[n];
        for (int i = 0; i < n; i++) {
            String d = parts[i].strip();
            if (d.isEmpty() || d.length() > 18 || !d.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new ModelFormatException(file, "npy shape (" + text + ") has a bad dimension '" + d + "'");
            }
            shape[i] = Long.parseLong(d);
        }
        return shape;
    }

    private static String find(Pattern p, String header, Path file, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new ModelFormatException(file, "npy header lacks '" + key + "'");
        return m.group(1);
    }
}
