package dev.tfree4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test helper: writes a float32 state dict as torch.save does (a zip holding data.pkl, one
 * storage file per tensor and a version file), so tests can build checkpoints with
 * hand-made weights without Python.
 */
public final class TorchCheckpointWriter {
    /** A float32 tensor: row-major values of the given shape. */
    public record F32(long[] shape, float[] values) {
        public F32 {
            long numel = 1;
            for (long s : shape) numel *= s;
            if (numel != values.length) throw new IllegalArgumentException("shape does not match the values");
        }
    }

    private final LinkedHashMap<String, F32> tensors = new LinkedHashMap<>();

    public TorchCheckpointWriter put(String name, float[] values, long... shape) {
        tensors.put(name, new F32(shape, values));
        return this;
    }

    public void write(Path file) {
        PickleBytes pkl = PickleBytes.proto(2).global("collections", "OrderedDict").op(')').reduce().mark();
        RawZip zip = new RawZip().align(64);
        int key = 0;
        for (Map.Entry<String, F32> e : tensors.entrySet()) {
            F32 t = e.getValue();
            long[] stride = new long[t.shape().length];
            long s = 1;
            for (int d = stride.length - 1; d >= 0; d--) {
                stride[d] = s;
                s *= t.shape()[d];
            }
            String k = Integer.toString(key++);
            pkl.str(e.getKey()).tensor("FloatStorage", k, t.values().length, 0, t.shape(), stride);
            ByteBuffer b = ByteBuffer.allocate(t.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : t.values()) b.putFloat(v);
            zip.add("archive/data/" + k, b.array());
        }
        zip.add("archive/data.pkl", pkl.op('u').stop().bytes());
        zip.add("archive/version", "3\n".getBytes());
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, zip.bytes());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
