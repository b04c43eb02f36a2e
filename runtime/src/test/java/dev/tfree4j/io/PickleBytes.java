package dev.tfree4j.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test helper: writes pickle opcodes by hand (so tests can build valid and hostile pickles). */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PickleBytes proto(int p) {
        return new PickleBytes().op(0x80).op(p);
    }

    PickleBytes op(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    PickleBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    PickleBytes u32(long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    PickleBytes u64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    PickleBytes global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    PickleBytes stackGlobal(String module, String name) {
        return str8(module).str8(name).op(0x93);
    }

    /** BINUNICODE */
    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').u32(b.length).raw(b);
    }

    /** SHORT_BINUNICODE */
    PickleBytes str8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op(0x8c, b.length).raw(b);
    }

    /** The smallest int opcode torch/pickle would use. */
    PickleBytes integer(long v) {
        if (v >= 0 && v < 256) return op('K', (int) v);
        if (v >= 0 && v < 65536) return op('M', (int) v & 0xFF, (int) (v >>> 8));
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return op('J').u32(v);
        return op(0x8a, 8).u64(v);
    }

    PickleBytes mark() {
        return op('(');
    }

    PickleBytes tuple() {
        return op('t');
    }

    PickleBytes tupleOf(long... items) {
        mark();
        for (long v : items) integer(v);
        return tuple();
    }

    PickleBytes reduce() {
        return op('R');
    }

    PickleBytes stop() {
        return op('.');
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** One tensor as torch writes it: _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict()). */
    PickleBytes tensor(String storageType, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).tuple().op('Q');
        integer(offset).tupleOf(size).tupleOf(stride).op(0x89);
        global("collections", "OrderedDict").op(')').reduce();
        return tuple().reduce();
    }

    /** A state dict (OrderedDict) holding one F32 tensor of the given geometry over storage "0". */
    static byte[] oneTensorStateDict(String name, String storageType, long numel, long offset, long[] size, long[] stride) {
        return proto(2).global("collections", "OrderedDict").op(')').reduce()
                .mark().str(name).tensor(storageType, "0", numel, offset, size, stride).op('u')
                .stop().bytes();
    }
}
