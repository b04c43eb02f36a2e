package dev.tfree4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.UnsafePickleException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PickleTest {
    private static final Path SRC = Path.of("test.pkl");

    /*
     * Written by CPython 3.11 pickle.dumps(obj, protocol=p) with
     * obj = {'ints': [0, 1, -1, 255, 256, 65535, 65536, 2**31-1, -2**31, 2**31, 2**63-1, -2**63, 2**64, -2**70],
     *        'float': [1.5, -0.0, 1e300], 'bools': [True, False, None],
     *        'str': ['', 'ü€😀', 'x'*300, s, s] (s the same object twice), 'tuples': [(), (1,), (1,2), (1,2,3), (1,2,3,4)],
     *        'nested': {(1, 'a'): {'k': []}}}
     * and for protocols 4/5 additionally 'bytes': [b'', b'\x00\x01\xff', bytearray(b'ab')], 'sets': [{'x'}, frozenset({'y'})].
     */
    private static final String P2 = "80027d7100285804000000696e747371015d7102284b004b014affffffff4bff4d00014dffff4a000001004affffff7f4a000000808a0500000080008a08ffffffffffffff7f8a0800000000000000808a090000000000000000018a090000000000000000c0655805000000666c6f617471035d710428473ff8000000000000478000000000000000477e37e43c8800759c655805000000626f6f6c7371055d71062888894e65580300000073747271075d710828580000000071095809000000c3bce282acf09f9880710a582c010000" + "78".repeat(300) + "710b5806000000736861726564710c680c6558060000007475706c6573710d5d710e28294b0185710f4b014b028671104b014b024b03877111284b014b024b034b047471126558060000006e657374656471137d71144b0158010000006171158671167d711758010000006b71185d71197373752e";
    private static final String P4 = "80049586020000000000007d94288c04696e7473945d94284b004b014affffffff4bff4d00014dffff4a000001004affffff7f4a000000808a0500000080008a08ffffffffffffff7f8a0800000000000000808a090000000000000000018a090000000000000000c0658c05666c6f6174945d9428473ff8000000000000478000000000000000477e37e43c8800759c658c05626f6f6c73945d942888894e658c03737472945d94288c00948c09c3bce282acf09f988094582c010000" + "78".repeat(300) + "948c0673686172656494680c658c067475706c6573945d9428294b0185944b014b0286944b014b024b038794284b014b024b034b047494658c066e6573746564947d944b018c01619486947d948c016b945d9473738c056279746573945d942843009443030001ff948c086275696c74696e73948c09627974656172726179949394430261629485945294658c0473657473945d94288f94288c01789490288c017994919465752e";
    private static final String P5 = "80059570020000000000007d94288c04696e7473945d94284b004b014affffffff4bff4d00014dffff4a000001004affffff7f4a000000808a0500000080008a08ffffffffffffff7f8a0800000000000000808a090000000000000000018a090000000000000000c0658c05666c6f6174945d9428473ff8000000000000478000000000000000477e37e43c8800759c658c05626f6f6c73945d942888894e658c03737472945d94288c00948c09c3bce282acf09f988094582c010000" + "78".repeat(300) + "948c0673686172656494680c658c067475706c6573945d9428294b0185944b014b0286944b014b024b038794284b014b024b034b047494658c066e6573746564947d944b018c01619486947d948c016b945d9473738c056279746573945d942843009443030001ff94960200000000000000616294658c0473657473945d94288f94288c01789490288c017994919465752e";
    /** pickle.dumps(Counter({'a': 2, 'b': 1, 'c': 2**40}), protocol=2) */
    private static final String COUNTER_P2 = "800263636f6c6c656374696f6e730a436f756e7465720a71007d71012858010000006171024b0258010000006271034b0158010000006371048a06000000000001758571055271062e";
    /** od = OrderedDict([('z', 1), ('a', 2)]); od.meta = 'm'; pickle.dumps(od, protocol=2) (ends with BUILD) */
    private static final String ORDERED_DICT_P2 = "800263636f6c6c656374696f6e730a4f726465726564446963740a7100295271012858010000007a71024b0158010000006171034b02757d710458040000006d657461710558010000006d710673622e";
    /** pickle.dumps({'x'}, protocol=2): Python 3 writes __builtin__.set for protocol 2 */
    private static final String SET_P2 = "8002635f5f6275696c74696e5f5f0a7365740a71005d71015801000000787102618571035271042e";
    /** pickle.dumps('a\udc80b', protocol=4): a lone surrogate, written with surrogatepass */
    private static final String SURROGATE_P4 = "80049509000000000000008c0561edb28062942e";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static Object load(byte[] data, Pickle.Options options) {
        return Pickle.load(SRC, data, options);
    }

    private static Object load(byte[] data) {
        return load(data, new Pickle.Options().allowDicts());
    }

    @Test
    void readsPythonPicklesOfAllProtocols() {
        Pickle.Options withBytearray = new Pickle.Options()
                .allow("builtins", "bytearray", args -> ((byte[]) args.get(0)).clone());
        checkCommon(load(hex(P2)), false);
        checkCommon(load(hex(P4), withBytearray), true);
        checkCommon(load(hex(P5)), true);
    }

    @SuppressWarnings("unchecked")
    private static void checkCommon(Object root, boolean withBytesAndSets) {
        Map<String, Object> m = assertInstanceOf(LinkedHashMap.class, root);
        assertEquals(List.of("ints", "float", "bools", "str", "tuples", "nested"),
                List.copyOf(m.keySet()).subList(0, 6));
        assertEquals(List.of(0L, 1L, -1L, 255L, 256L, 65535L, 65536L, 2147483647L, -2147483648L, 2147483648L,
                Long.MAX_VALUE, Long.MIN_VALUE, BigInteger.TWO.pow(64), BigInteger.TWO.pow(70).negate()), m.get("ints"));
        List<Object> floats = (List<Object>) m.get("float");
        assertEquals(1.5, floats.get(0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) floats.get(1)));
        assertEquals(1e300, floats.get(2));
        assertEquals(Arrays.asList(true, false, null), m.get("bools"));
        List<Object> strs = (List<Object>) m.get("str");
        assertEquals(List.of("", "ü€😀", "x".repeat(300), "shared", "shared"), strs);
        assertSame(strs.get(3), strs.get(4), "memo must give back the same object");
        List<Object> tuples = (List<Object>) m.get("tuples");
        assertEquals(PickleTuple.of(List.of()), tuples.get(0));
        assertEquals(PickleTuple.of(List.of(1L)), tuples.get(1));
        assertEquals(PickleTuple.of(List.of(1L, 2L)), tuples.get(2));
        assertEquals(PickleTuple.of(List.of(1L, 2L, 3L)), tuples.get(3));
        assertEquals(PickleTuple.of(List.of(1L, 2L, 3L, 4L)), tuples.get(4));
        Map<Object, Object> nested = (Map<Object, Object>) m.get("nested");
        assertEquals(Map.of("k", List.of()), nested.get(PickleTuple.of(List.of(1L, "a"))));
        if (withBytesAndSets) {
            List<Object> bytes = (List<Object>) m.get("bytes");
            assertArrayEquals(new byte[0], (byte[]) bytes.get(0));
            assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, (byte[]) bytes.get(1));
            assertArrayEquals(new byte[] {'a', 'b'}, (byte[]) bytes.get(2));
            assertEquals(List.of(Set.of("x"), Set.of("y")), m.get("sets"));
        }
    }

    @Test
    void counterAndOrderedDictKeepInsertionOrder() {
        Object c = load(hex(COUNTER_P2));
        assertEquals(List.of("a", "b", "c"), List.copyOf(((Map<?, ?>) c).keySet()));
        assertEquals(1L << 40, ((Map<?, ?>) c).get("c"));
        Object od = load(hex(ORDERED_DICT_P2));
        assertEquals(List.of("z", "a"), List.copyOf(((Map<?, ?>) od).keySet()), "BUILD state is dropped");
        assertEquals(Set.of("x"), load(hex(SET_P2), new Pickle.Options().allowSets()));
        assertEquals("a\udc80b", load(hex(SURROGATE_P4)));
    }

    @Test
    void forbiddenGlobalsAreNamed() {
        byte[] osSystem = PickleBytes.proto(2).global("os", "system").str("echo pwned").op(0x85).reduce().stop().bytes();
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> load(osSystem));
        assertTrue(e.getMessage().contains("'os.system'") && e.getMessage().contains("test.pkl"), e.getMessage());

        byte[] eval = PickleBytes.proto(4).stackGlobal("builtins", "eval").str8("1+1").op(0x85).reduce().stop().bytes();
        e = assertThrows(UnsafePickleException.class, () -> load(eval));
        assertTrue(e.getMessage().contains("'builtins.eval'"), e.getMessage());

        // Python-2 spelling of the same module is normalised, not a way around the list.
        byte[] eval2 = PickleBytes.proto(2).global("__builtin__", "eval").stop().bytes();
        e = assertThrows(UnsafePickleException.class, () -> load(eval2));
        assertTrue(e.getMessage().contains("'builtins.eval'"), e.getMessage());

        // The allow-list is per call: torch's rebuild function is not allowed for a plain counter.
        byte[] torch = PickleBytes.proto(2).global("torch._utils", "_rebuild_tensor_v2").stop().bytes();
        e = assertThrows(UnsafePickleException.class, () -> load(torch));
        assertTrue(e.getMessage().contains("torch._utils._rebuild_tensor_v2"), e.getMessage());

        // INST / OBJ / EXT1 reach classes without GLOBAL; they are refused as such.
        byte[] inst = PickleBytes.proto(2).mark().op('i').raw("os\nsystem\n".getBytes()).stop().bytes();
        assertThrows(UnsafePickleException.class, () -> load(inst));
        byte[] ext = PickleBytes.proto(2).op(0x82, 1).stop().bytes();
        assertThrows(UnsafePickleException.class, () -> load(ext));

        // A global admitted only as a value cannot be called.
        byte[] callValue = PickleBytes.proto(2).global("torch", "FloatStorage").op(')').reduce().stop().bytes();
        ModelFormatException m = assertThrows(ModelFormatException.class,
                () -> load(callValue, new Pickle.Options().allowValue("torch", "FloatStorage")));
        assertTrue(m.getMessage().contains("may not be called"), m.getMessage());
    }

    /**
     * A tuple reused twice at every level (through the memo) stands for 2^k items: as a dict key,
     * hashing it takes seconds at depth 31 and doubles with every level. Such keys are refused at once;
     * small tuple keys still work.
     */
    @Test
    void dictKeysOfSharedTuplesCannotMakeHashingExponential() {
        PickleBytes dag = PickleBytes.proto(2).op('}').op(')').op('q', 0);
        for (int level = 1; level <= 31; level++) dag.op('0').op('h', level - 1).op('h', level - 1).op(0x86).op('q', level);
        byte[] bomb = dag.op('N').op('s').stop().bytes();
        long t0 = System.nanoTime();
        expectError(bomb, "unsupported dict key or set item: tuple of 2");
        assertTrue(System.nanoTime() - t0 < 500_000_000L, "refusing the key took " + (System.nanoTime() - t0) / 1e6 + " ms");
        Object ok = load(PickleBytes.proto(2).op('}').tupleOf(1, 2).str("v").op('s').stop().bytes());
        assertEquals(Map.of(PickleTuple.of(List.of(1L, 2L)), "v"), ok);
    }

    @Test
    void hugeClaimedLengthsAreRejectedBeforeAllocating() {
        expectError(PickleBytes.proto(2).op('X').u32(0xFFFFFFFFL).stop().bytes(), "claims 4294967295 bytes");
        expectError(PickleBytes.proto(4).op(0x8d).u64(1L << 40).stop().bytes(), "claims 1099511627776 bytes");
        expectError(PickleBytes.proto(4).op(0x8e).u64(-1).stop().bytes(), "claims 18446744073709551615 bytes");
        expectError(PickleBytes.proto(4).op(0x95).u64(1L << 40).stop().bytes(), "frame of 1099511627776 bytes");
        expectError(PickleBytes.proto(2).op(0x8b).u32(0x7FFFFFFF).stop().bytes(), "LONG4 claims 2147483647 bytes");
        expectError(PickleBytes.proto(2).op('B').u32(100).raw(new byte[10]).stop().bytes(), "BINBYTES claims 100 bytes");
    }

    @Test
    void malformedStreamsFailWithAClearMessage() {
        expectError(new byte[0], "empty pickle");
        expectError(PickleBytes.proto(6).stop().bytes(), "protocol 6");
        expectError(PickleBytes.proto(2).op('I').raw("1\n".getBytes()).stop().bytes(), "unsupported pickle opcode 'I'");
        expectError(PickleBytes.proto(2).stop().bytes(), "stack underflow");
        expectError(PickleBytes.proto(2).op('h', 7).stop().bytes(), "memo entry 7 is not defined");
        expectError(PickleBytes.proto(2).op('t').stop().bytes(), "no MARK");
        expectError(PickleBytes.proto(2).integer(1).mark().op('0').stop().bytes(), "stack underflow");
        expectError(PickleBytes.proto(2).integer(1).integer(2).op('a').stop().bytes(), "not a list");
        expectError(PickleBytes.proto(2).op('}').op(']').integer(1).op('s').stop().bytes(), "unsupported dict key");
        expectError(PickleBytes.proto(2).integer(1).op('Q').stop().bytes(), "persistent id");
        expectError(PickleBytes.proto(2).global("collections", "OrderedDict").integer(1).reduce().stop().bytes(),
                "instead of an argument tuple");
        expectError(PickleBytes.proto(2).op('}').op('}').op('b').stop().bytes(), "BUILD on dict");
        expectError(PickleBytes.proto(2).integer(5).bytes(), "without STOP");
        expectError(PickleBytes.proto(2).op('c').raw("collections".getBytes()).bytes(), "unterminated");
        expectError(PickleBytes.proto(4).op(0x8c, 2, 0xC3, 0x28).stop().bytes(), "not valid UTF-8");
    }

    @Test
    void deepOrCyclicStructuresNeitherHangNorOverflow() {
        PickleBytes marks = PickleBytes.proto(2);
        for (int i = 0; i < 20_000; i++) marks.mark();
        expectError(marks.stop().bytes(), "MARKs nested deeper");

        PickleBytes tuples = PickleBytes.proto(2).integer(1);
        for (int i = 0; i < 2_000; i++) tuples.op(0x85);
        expectError(tuples.stop().bytes(), "tuples nested deeper");

        // 200k nested lists are built iteratively (no recursion in the parser).
        PickleBytes lists = PickleBytes.proto(2).op(']');
        for (int i = 0; i < 200_000; i++) lists.op(']').op('a');
        assertInstanceOf(List.class, load(lists.stop().bytes()));

        // l = []; l.append(l)
        Object self = load(PickleBytes.proto(2).op(']').op('q', 0).op('h', 0).op('a').stop().bytes());
        assertSame(self, ((List<?>) self).get(0));

        Pickle.Options small = new Pickle.Options().limits(10, 10, 10);
        PickleBytes many = PickleBytes.proto(2);
        for (int i = 0; i < 11; i++) many.integer(i);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(many.stop().bytes(), small));
        assertTrue(e.getMessage().contains("stack exceeds 10"), e.getMessage());
    }

    /** Every prefix of a valid pickle, and random corruptions of it, fail cleanly (or parse). */
    @Test
    void truncationsAndCorruptionsOnlyEverGiveModelFormatException() {
        Pickle.Options withBytearray = new Pickle.Options().allowDicts()
                .allow("builtins", "bytearray", args -> ((byte[]) args.get(0)).clone());
        byte[] good = hex(P4);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThrows(ModelFormatException.class, () -> load(cut, withBytearray), "prefix of " + n + " bytes");
        }
        Random rnd = new Random(42);
        for (int i = 0; i < 3000; i++) {
            byte[] bad = good.clone();
            for (int k = rnd.nextInt(4); k >= 0; k--) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
            try {
                load(bad, withBytearray);
            } catch (ModelFormatException expected) {
                // fine
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError other) {
                fail("corruption " + i + " escaped as " + other, other);
            }
        }
    }

    @Test
    void noneIsNull() {
        assertNull(load(PickleBytes.proto(2).op('N').stop().bytes()));
    }

    private static void expectError(byte[] pickle, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(pickle));
        assertTrue(e.getMessage().contains(fragment) && e.getMessage().startsWith("test.pkl"),
                "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
