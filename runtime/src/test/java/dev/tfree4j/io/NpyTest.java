package dev.tfree4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy round trip and the malformed headers that used to escape as other exceptions. */
class NpyTest {
    private static final Path F = Path.of("t.npy");

    @Test
    void roundTrip(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("a.npy");
        Npy.writeFloats(f, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Npy.Array a = Npy.read(f);
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.floats());
    }

    @Test
    void badHeadersAreFormatErrorsNamingTheFile() {
        expect(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", 8), "does not match shape");
        expect(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", 8),
                "does not match shape");
        expect(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2x,), }", 8), "bad dimension '2x'");
        expect(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 8), "bad dimension '-1'");
        expect(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 8), "bad dimension");
        byte[] v2 = npy(2, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", 8);
        expect(java.util.Arrays.copyOf(v2, 11), "truncated .npy header");
    }

    private static void expect(byte[] bytes, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Npy.parse(F, bytes));
        assertTrue(e.getMessage().startsWith("t.npy: ") && e.getMessage().contains(fragment), e.getMessage());
    }

    static byte[] npy(int major, String header, int dataBytes) {
        byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
        int pre = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(pre + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) h.length); else b.putInt(h.length);
        b.put(h);
        return b.array();
    }
}
