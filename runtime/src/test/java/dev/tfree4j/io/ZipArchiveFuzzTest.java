package dev.tfree4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/** Fuzz target: the ZIP central-directory reader, then every entry's data and CRC. */
class ZipArchiveFuzzTest {
    private static final Path FILE = Path.of("fuzz-input.zip");

    @FuzzTest
    @Timeout(10)
    void zipDirectory(byte[] input) {
        FuzzContract.onlyFormatErrors(FILE, () -> {
            ZipArchive zip = ZipArchive.read(FILE, MemorySegment.ofArray(input));
            for (ZipArchive.Entry e : zip.entries()) {
                zip.findBySuffix(e.name());
                if (e.isStored()) zip.checkCrc(e);
            }
        });
    }
}
