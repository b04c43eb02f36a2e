package dev.tfree4j.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Test helper: writes ZIP files byte by byte, optionally with ZIP64 fields everywhere (as a
 * multi-GB torch checkpoint has them) and 64-byte aligned data (as torch pads them).
 */
final class RawZip {
    private record Item(String name, byte[] data, int method) {}

    private final List<Item> items = new ArrayList<>();
    private boolean zip64;
    private int align = 1;

    RawZip zip64() {
        zip64 = true;
        return this;
    }

    RawZip align(int a) {
        align = a;
        return this;
    }

    RawZip add(String name, byte[] data) {
        return add(name, data, 0);
    }

    RawZip add(String name, byte[] data, int method) {
        items.add(new Item(name, data, method));
        return this;
    }

    byte[] bytes() {
        Out out = new Out();
        List<Long> offsets = new ArrayList<>();
        for (Item it : items) {
            long lho = out.size();
            offsets.add(lho);
            byte[] name = it.name.getBytes(StandardCharsets.UTF_8);
            int fixed = 30 + name.length + (zip64 ? 20 : 0);
            int pad = (int) ((align - (lho + fixed + 4) % align) % align);
            out.u32(0x04034b50).u16(45).u16(0).u16(it.method).u16(0).u16(0).u32(crc(it.data));
            out.u32(zip64 ? 0xFFFFFFFFL : it.data.length).u32(zip64 ? 0xFFFFFFFFL : it.data.length);
            out.u16(name.length).u16((zip64 ? 20 : 0) + 4 + pad).raw(name);
            if (zip64) out.u16(1).u16(16).u64(it.data.length).u64(it.data.length);
            out.u16(0xCAFE).u16(pad).raw(new byte[pad]);
            out.raw(it.data);
        }
        long cdStart = out.size();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            byte[] name = it.name.getBytes(StandardCharsets.UTF_8);
            out.u32(0x02014b50).u16(45).u16(45).u16(0).u16(it.method).u16(0).u16(0).u32(crc(it.data));
            out.u32(zip64 ? 0xFFFFFFFFL : it.data.length).u32(zip64 ? 0xFFFFFFFFL : it.data.length);
            out.u16(name.length).u16(zip64 ? 28 : 0).u16(0).u16(0).u16(0).u32(0);
            out.u32(zip64 ? 0xFFFFFFFFL : offsets.get(i)).raw(name);
            if (zip64) out.u16(1).u16(24).u64(it.data.length).u64(it.data.length).u64(offsets.get(i));
        }
        long cdSize = out.size() - cdStart;
        if (zip64) {
            long eocd64 = out.size();
            out.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0)
                    .u64(items.size()).u64(items.size()).u64(cdSize).u64(cdStart);
            out.u32(0x07064b50).u32(0).u64(eocd64).u32(1);
        }
        out.u32(0x06054b50).u16(0).u16(0);
        out.u16(zip64 ? 0xFFFF : items.size()).u16(zip64 ? 0xFFFF : items.size());
        out.u32(zip64 ? 0xFFFFFFFFL : cdSize).u32(zip64 ? 0xFFFFFFFFL : cdStart).u16(0);
        return out.toByteArray();
    }

    private static long crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
    }

    private static final class Out extends ByteArrayOutputStream {
        Out u16(int v) {
            write(v);
            write(v >>> 8);
            return this;
        }

        Out u32(long v) {
            for (int i = 0; i < 4; i++) write((int) (v >>> (8 * i)));
            return this;
        }

        Out u64(long v) {
            for (int i = 0; i < 8; i++) write((int) (v >>> (8 * i)));
            return this;
        }

        Out raw(byte[] b) {
            writeBytes(b);
            return this;
        }
    }
}
