package dev.tfree4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ModelFormatException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ZipArchiveTest {
    private static final Path NAME = Path.of("x.zip");

    @Test
    void fixtureCheckpointLayout() {
        try (Arena arena = Arena.ofConfined()) {
            ZipArchive zip = ZipArchive.map(TorchArchiveTest.transformerPt(), arena);
            assertEquals(23, zip.entries().size());
            for (ZipArchive.Entry e : zip.entries()) {
                assertTrue(e.isStored(), e.name());
                assertEquals(0, e.dataOffset() % 64, e.name() + " is 64-byte aligned (docs/spec/tfree.md §7.3)");
                zip.checkCrc(e);
            }
            ZipArchive.Entry version = zip.findBySuffix("version").orElseThrow();
            assertEquals("transformer/version", version.name());
            assertEquals("3", new String(zip.data(version).toArray(ValueLayout.JAVA_BYTE)).strip());
            assertEquals(262144, zip.entry("transformer/data/0").orElseThrow().size()); // 1024 x 64 floats
            assertTrue(zip.findBySuffix("nothing").isEmpty());
        }
    }

    @Test
    void zip64AndPlainDirectoriesReadTheSame() {
        byte[] a = {1, 2, 3};
        byte[] b = new byte[1000];
        Arrays.fill(b, (byte) 7);
        for (RawZip z : new RawZip[] {new RawZip(), new RawZip().zip64(), new RawZip().zip64().align(64)}) {
            ZipArchive zip = ZipArchive.read(NAME, MemorySegment.ofArray(z.add("top/a", a).add("top/dir/b", b).bytes()));
            assertEquals(2, zip.entries().size());
            assertArrayEquals(a, zip.data(zip.findBySuffix("a").orElseThrow()).toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(b, zip.data(zip.findBySuffix("dir/b").orElseThrow()).toArray(ValueLayout.JAVA_BYTE));
            zip.entries().forEach(zip::checkCrc);
        }
    }

    @Test
    void ambiguityDuplicatesCompressionAndCorruption() {
        ZipArchive two = read(new RawZip().add("a/data.pkl", new byte[1]).add("b/data.pkl", new byte[1]).bytes());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> two.findBySuffix("data.pkl"));
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());

        expectError(new RawZip().add("a", new byte[1]).add("a", new byte[2]).bytes(), "duplicate ZIP entry 'a'");

        ZipArchive deflated = read(new RawZip().add("a", new byte[4], 8).bytes());
        e = assertThrows(ModelFormatException.class, () -> deflated.data(deflated.entries().getFirst()));
        assertTrue(e.getMessage().contains("compressed (method 8)"), e.getMessage());

        byte[] flipped = new RawZip().add("a", new byte[] {1, 2, 3, 4}).bytes();
        flipped[30 + 1 + 4 + 1] ^= 1; // a data byte (after header, name, padding field)
        ZipArchive corrupt = read(flipped);
        e = assertThrows(ModelFormatException.class, () -> corrupt.checkCrc(corrupt.entries().getFirst()));
        assertTrue(e.getMessage().contains("CRC-32 mismatch"), e.getMessage());
    }

    @Test
    void hugeClaimedCountsAndOffsets() {
        byte[] good = new RawZip().add("a", new byte[8]).bytes();
        int eocd = good.length - 22;

        byte[] manyEntries = good.clone();
        manyEntries[eocd + 10] = (byte) 0xFE; // total entries 0xFFFE, directory still ~47 bytes
        manyEntries[eocd + 11] = (byte) 0xFF;
        expectError(manyEntries, "claims 65534 entries");

        byte[] farDirectory = good.clone();
        farDirectory[eocd + 19] = 0x70; // central directory offset ~ 1.8 GB
        expectError(farDirectory, "lies outside the file");

        byte[] z64 = new RawZip().zip64().add("a", new byte[8]).bytes();
        int rec = z64.length - 22 - 20 - 56;
        byte[] z64Count = z64.clone();
        z64Count[rec + 32 + 5] = 1; // 2^40 entries
        expectError(z64Count, "claims 1099511627777 entries");
        byte[] z64Offset = z64.clone();
        z64Offset[z64.length - 22 - 20 + 8 + 7] = (byte) 0x80; // ZIP64 EOCD offset >= 2^63
        expectError(z64Offset, "ZIP64 end-of-central-directory offset");

        byte[] bigEntry = z64.clone();
        int cd = indexOfCentral(bigEntry);
        bigEntry[cd + 46 + 1 + 4 + 7] = 0x10; // zip64 uncompressed size ~ 2^60
        expectError(bigEntry, "sizes"); // stored entry with different sizes
        bigEntry[cd + 46 + 1 + 4 + 8 + 7] = 0x10; // and the compressed size
        expectError(bigEntry, "runs past the entries area");
    }

    private static int indexOfCentral(byte[] z) {
        for (int i = 0; i < z.length - 4; i++) {
            if (z[i] == 'P' && z[i + 1] == 'K' && z[i + 2] == 1 && z[i + 3] == 2) return i;
        }
        throw new AssertionError();
    }

    private static ZipArchive read(byte[] bytes) {
        return ZipArchive.read(NAME, MemorySegment.ofArray(bytes));
    }

    private static void expectError(byte[] bytes, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(bytes));
        assertTrue(e.getMessage().startsWith("x.zip: ") && e.getMessage().contains(fragment),
                "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

}
