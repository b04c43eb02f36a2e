package dev.tfree4j.io;

import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The central directory of a ZIP file held in memory (normally a read-only mapping), enough to
 * read what {@code torch.save} writes: uncompressed (STORED) entries whose data can be used in
 * place, without copying, as slices of the mapping.
 *
 * <p>The directory is read from the end of the file (end-of-central-directory record, and the
 * ZIP64 records torch always writes); local headers are only consulted to find where each
 * entry's data starts. Every offset and length read from the file is checked against the
 * file size before use, so a truncated or hostile file fails with a {@link ModelFormatException}
 * naming the file, never with an out-of-bounds access or an oversized allocation.
 */
public final class ZipArchive {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private static final int EOCD_SIG = 0x06054b50;
    private static final int EOCD_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int ZIP64_EOCD_SIZE = 56;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final int LOCAL_SIZE = 30;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final int METHOD_STORED = 0;

    /**
     * One entry. {@code dataOffset} is where its (stored) bytes start in the file; {@code size}
     * is the uncompressed size, {@code compressedSize} the size on disk.
     */
    public record Entry(String name, int method, long compressedSize, long size, long crc32,
                        long localHeaderOffset, long dataOffset) {
        public boolean isStored() {
            return method == METHOD_STORED;
        }

        public boolean isDirectory() {
            return name.endsWith("/");
        }
    }

    private final Path file;
    private final MemorySegment bytes;
    private final List<Entry> entries;
    private final Map<String, Entry> byName;

    private ZipArchive(Path file, MemorySegment bytes, List<Entry> entries, Map<String, Entry> byName) {
        this.file = file;
        this.bytes = bytes;
        this.entries = entries;
        this.byName = byName;
    }

    /** Maps {@code file} read-only into {@code arena} and reads its directory. */
    public static ZipArchive map(Path file, Arena arena) {
        return read(file, mapReadOnly(file, arena));
    }

    /** Maps a whole file read-only; the mapping lives as long as {@code arena}. */
    static MemorySegment mapReadOnly(Path file, Arena arena) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot open: " + e, e);
        }
    }

    /**
     * Reads the directory of the ZIP held in {@code bytes}; {@code file} is only used in messages.
     */
    public static ZipArchive read(Path file, MemorySegment bytes) {
        return new Reader(file, bytes).read();
    }

    public Path file() {
        return file;
    }

    /** The whole file as mapped. */
    public MemorySegment bytes() {
        return bytes;
    }

    /** Entries in central-directory order. */
    public List<Entry> entries() {
        return entries;
    }

    public Optional<Entry> entry(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The single entry named {@code suffix} or ending in {@code "/" + suffix} (torch puts all
     * entries under a top folder named after the file stem, which users may rename). Empty when
     * none matches; an error when several do, since picking one would be a guess.
     */
    public Optional<Entry> findBySuffix(String suffix) {
        Entry found = null;
        for (Entry e : entries) {
            if (e.name().equals(suffix) || e.name().endsWith("/" + suffix)) {
                if (found != null) {
                    throw new ModelFormatException(file, "ambiguous ZIP entries '" + found.name() + "' and '"
                            + e.name() + "' both end in '" + suffix + "'");
                }
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The data of a STORED entry as a read-only slice of the file (no copy). Compressed entries
     * are refused: torch never compresses, and inflating would defeat memory mapping.
     */
    public MemorySegment data(Entry e) {
        if (!e.isStored()) {
            throw new ModelFormatException(file, "ZIP entry '" + e.name() + "' is compressed (method "
                    + e.method() + "); only uncompressed (stored) entries are supported, as torch.save writes them");
        }
        return bytes.asSlice(e.dataOffset(), e.size()).asReadOnly();
    }

    /** Checks the entry's CRC-32 (worth it for small metadata entries such as data.pkl). */
    public void checkCrc(Entry e) {
        MemorySegment data = data(e);
        CRC32 crc = new CRC32();
        crc.update(data.asByteBuffer());
        if (crc.getValue() != e.crc32()) {
            throw new ModelFormatException(file, "ZIP entry '" + e.name() + "' is corrupt (CRC-32 mismatch)");
        }
    }

    /** Parses the directory; one instance per call, holding the bounds-checked accessors. */
    private static final class Reader {
        private final Path file;
        private final MemorySegment bytes;
        private final long size;

        Reader(Path file, MemorySegment bytes) {
            this.file = file;
            this.bytes = bytes;
            this.size = bytes.byteSize();
        }

        ZipArchive read() {
            long eocd = findEndOfCentralDirectory();
            long entryCount = u16(eocd + 10);
            long cdSize = u32(eocd + 12);
            long cdOffset = u32(eocd + 16);
            long cdLimit = eocd; // the central directory ends where the end records begin

            // torch (miniz) always writes ZIP64 end records, even for small files; they are
            // authoritative when present, and required once sizes exceed 32 bits.
            long locator = eocd - ZIP64_LOCATOR_SIZE;
            if (locator >= 0 && u32(locator) == ZIP64_LOCATOR_SIG) {
                long z64 = u64(locator + 8);
                if (z64 < 0 || z64 > locator - ZIP64_EOCD_SIZE) {
                    throw bad("ZIP64 end-of-central-directory offset " + z64 + " lies outside the file (truncated?)");
                }
                if (u32(z64) != ZIP64_EOCD_SIG) {
                    throw bad("ZIP64 end-of-central-directory record not found at offset " + z64);
                }
                entryCount = u64(z64 + 32);
                cdSize = u64(z64 + 40);
                cdOffset = u64(z64 + 48);
                cdLimit = z64;
            } else if (entryCount == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
                throw bad("ZIP64 archive without a ZIP64 end-of-central-directory locator");
            }
            if (cdOffset < 0 || cdSize < 0 || cdOffset > cdLimit || cdSize > cdLimit - cdOffset) {
                throw bad("central directory (offset " + cdOffset + ", size " + cdSize
                        + ") lies outside the file (truncated?)");
            }
            // Each directory record is at least 46 bytes: a count the directory cannot hold is a
            // lie, and must not size any allocation.
            if (entryCount < 0 || entryCount > cdSize / CENTRAL_SIZE) {
                throw bad("central directory claims " + Long.toUnsignedString(entryCount) + " entries but has only "
                        + cdSize + " bytes");
            }
            List<Entry> list = new ArrayList<>((int) Math.min(entryCount, 1 << 16));
            Map<String, Entry> byName = new HashMap<>();
            long p = cdOffset;
            long cdEnd = cdOffset + cdSize;
            for (long i = 0; i < entryCount; i++) {
                Entry e = readCentralRecord(p, cdEnd, cdOffset);
                if (byName.putIfAbsent(e.name(), e) != null) {
                    throw bad("duplicate ZIP entry '" + e.name() + "'");
                }
                list.add(e);
                p += CENTRAL_SIZE + u16(p + 28) + u16(p + 30) + u16(p + 32);
            }
            return new ZipArchive(file, bytes, Collections.unmodifiableList(list), byName);
        }

        private Entry readCentralRecord(long p, long cdEnd, long dataLimit) {
            if (p > cdEnd - CENTRAL_SIZE || u32(p) != CENTRAL_SIG) {
                throw bad("corrupt central directory record at offset " + p);
            }
            int flags = u16(p + 8);
            int method = u16(p + 10);
            long crc = u32(p + 16);
            long csize = u32(p + 20);
            long usize = u32(p + 24);
            int nameLen = u16(p + 28);
            int extraLen = u16(p + 30);
            int commentLen = u16(p + 32);
            int disk = u16(p + 34);
            long lho = u32(p + 42);
            long end = p + CENTRAL_SIZE + nameLen + extraLen + commentLen;
            if (end > cdEnd) {
                throw bad("central directory record at offset " + p + " runs past the directory");
            }
            String name = new String(copy(p + CENTRAL_SIZE, nameLen), StandardCharsets.UTF_8);

            // ZIP64 extended information: present values replace the 0xFFFFFFFF placeholders, in
            // this fixed order.
            long extra = p + CENTRAL_SIZE + nameLen;
            long extraEnd = extra + extraLen;
            while (extra + 4 <= extraEnd) {
                int id = u16(extra);
                int len = u16(extra + 2);
                long body = extra + 4;
                if (body + len > extraEnd) throw bad("corrupt extra field in entry '" + name + "'");
                if (id == ZIP64_EXTRA_ID) {
                    long q = body;
                    if (usize == 0xFFFFFFFFL) { usize = need64(q, body + len, name); q += 8; }
                    if (csize == 0xFFFFFFFFL) { csize = need64(q, body + len, name); q += 8; }
                    if (lho == 0xFFFFFFFFL) { lho = need64(q, body + len, name); q += 8; }
                    // (a disk-number field may follow; any value but 0 is refused below)
                    if (disk == 0xFFFF && q + 4 <= body + len) disk = (int) u32(q);
                }
                extra = body + len;
            }

            if (disk != 0) throw bad("multi-disk (split) ZIP archives are not supported");
            if ((flags & 1) != 0) throw bad("ZIP entry '" + name + "' is encrypted");
            if (usize < 0 || csize < 0) throw bad("ZIP entry '" + name + "' has a size beyond 2^63");
            if (method == METHOD_STORED && csize != usize) {
                throw bad("stored ZIP entry '" + name + "' has different compressed (" + csize
                        + ") and uncompressed (" + usize + ") sizes");
            }
            // The local header repeats name and extra field (torch pads the local extra field so
            // that data starts 64-byte aligned); only its lengths matter here.
            if (lho < 0 || lho > dataLimit - LOCAL_SIZE || u32(lho) != LOCAL_SIG) {
                throw bad("local header of ZIP entry '" + name + "' not found at offset " + lho + " (truncated?)");
            }
            long dataOffset = lho + LOCAL_SIZE + u16(lho + 26) + u16(lho + 28);
            if (dataOffset > dataLimit || csize > dataLimit - dataOffset) {
                throw bad("data of ZIP entry '" + name + "' (offset " + dataOffset + ", " + csize
                        + " bytes) runs past the entries area (truncated?)");
            }
            return new Entry(name, method, csize, usize, crc, lho, dataOffset);
        }

        private long need64(long q, long end, String name) {
            if (q + 8 > end) throw bad("ZIP64 extra field of entry '" + name + "' is too short");
            return u64(q);
        }

        /** The EOCD record is 22 bytes plus a comment of up to 65535 bytes at the very end. */
        private long findEndOfCentralDirectory() {
            if (size < EOCD_SIZE) throw bad("not a ZIP file (only " + size + " bytes; truncated?)");
            long lowest = Math.max(0, size - EOCD_SIZE - 0xFFFF);
            for (long p = size - EOCD_SIZE; p >= lowest; p--) {
                if (u32(p) == EOCD_SIG && p + EOCD_SIZE + u16(p + 20) == size) {
                    return p;
                }
            }
            throw bad("not a ZIP file or truncated: end-of-central-directory record not found");
        }

        private byte[] copy(long offset, int len) {
            check(offset, len);
            byte[] out = new byte[len];
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, offset, out, 0, len);
            return out;
        }

        private int u16(long offset) {
            check(offset, 2);
            return Short.toUnsignedInt(bytes.get(U16, offset));
        }

        private long u32(long offset) {
            check(offset, 4);
            return Integer.toUnsignedLong(bytes.get(U32, offset));
        }

        /** Values above 2^63 come back negative; callers treat negative as out of range. */
        private long u64(long offset) {
            check(offset, 8);
            return bytes.get(U64, offset);
        }

        private void check(long offset, long len) {
            if (offset < 0 || offset > size - len) {
                throw bad("offset " + offset + " lies outside the file (" + size + " bytes; truncated?)");
            }
        }

        private ModelFormatException bad(String problem) {
            return new ModelFormatException(file, problem);
        }
    }
}
