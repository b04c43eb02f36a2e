package dev.tfree4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets for torch.save files (.pt). {@code torchArchive} mutates whole files (ZIP
 * structure and all). {@code torchPickle} mutates only data.pkl and wraps it in a valid ZIP with
 * a few storages, because data.pkl is CRC-checked: mutations of a whole file almost never reach
 * the unpickler and the tensor checks behind it.
 */
class TorchArchiveFuzzTest {
    private static final Path FILE = Path.of("fuzz-input.pt");
    /** A valid torch ZIP around {@code pickle}, with storages "0".."3" of 64 bytes each for it to refer to. */
    static byte[] wrap(byte[] pickle) {
        RawZip z = new RawZip().align(64).add("archive/data.pkl", pickle);
        for (int k = 0; k < 4; k++) {
            byte[] data = new byte[64];
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 37 + k);
            z.add("archive/data/" + k, data);
        }
        return z.bytes();
    }

    @FuzzTest
    @Timeout(10)
    void torchArchive(byte[] input) {
        FuzzContract.onlyFormatErrors(FILE, () -> touch(TorchArchive.read(FILE, MemorySegment.ofArray(input))));
    }

    @FuzzTest
    @Timeout(10)
    void torchPickle(byte[] pickle) {
        byte[] file = wrap(pickle);
        FuzzContract.onlyFormatErrors(FILE, () -> touch(TorchArchive.read(FILE, MemorySegment.ofArray(file))));
    }

    /** Reads the result as the model loader would: as a state dict, first and last element of each tensor. */
    private static void touch(TorchArchive archive) {
        archive.storagesAligned64();
        Map<String, Tensor> tensors = archive.tensors();
        for (Tensor t : tensors.values()) {
            long n = t.numel();
            if (n == 0) continue;
            if (t.dtype().isFloatingPoint()) {
                t.getFloat(0);
                t.getFloat(n - 1);
            } else {
                t.getLong(0);
                t.getLong(n - 1);
            }
        }
    }
}
