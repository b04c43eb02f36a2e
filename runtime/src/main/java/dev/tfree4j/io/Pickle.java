package dev.tfree4j.io;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.TFreeException;
import dev.tfree4j.UnsafePickleException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A restricted unpickler for the data pickles of torch checkpoints, tokenizer files and
 * {@code collections.Counter} dumps (pickle protocols 2 to 5).
 *
 * <p>In Python, loading a pickle runs code: GLOBAL names any importable callable and REDUCE
 * calls it. Here nothing is imported or run. A global is admitted only when the caller's
 * {@link Options} list it, and then all it can do is what its Java {@link Handler} does
 * (typically: build a map, or describe a tensor); every other global fails with an
 * {@link UnsafePickleException} naming it. Opcodes that only exist to import or instantiate
 * arbitrary classes (INST, OBJ, EXT*) and out-of-band buffers are refused outright.
 *
 * <p>Results: dict → {@link LinkedHashMap} (insertion order kept), list → {@link ArrayList},
 * tuple → {@link PickleTuple}, set → {@link LinkedHashSet}, frozenset → unmodifiable set,
 * str → {@link String}, int → {@link Long} ({@link BigInteger} beyond 64 bits), float →
 * {@link Double}, bool → {@link Boolean}, bytes/bytearray → {@code byte[]}, None → {@code null},
 * an admitted global used as a value → {@link Global}.
 *
 * <p>Robustness: every length is checked against the remaining input before anything is
 * allocated; stack, memo and mark nesting are capped ({@link Options#limits}); the parser is a
 * flat loop (no recursion), and dict keys / set items must be hashable scalars or shallow tuples
 * so that hashing them cannot recurse deeply. Any violation is a {@link ModelFormatException}
 * naming the file and the byte offset. Heap use is linear in the input size: each opcode
 * creates at most one object, so a hostile file costs at most a few dozen heap bytes per input
 * byte. Note that a pickle can legally describe cyclic lists and dicts (a list containing
 * itself); callers should not {@code toString()} or {@code hashCode()} untrusted results.
 */
public final class Pickle {
    /** An admitted global as it sits on the stack: a reference to a Python class or function. */
    public record Global(String module, String name) {
        public String qualifiedName() {
            return module + "." + name;
        }

        @Override
        public String toString() {
            return qualifiedName();
        }
    }

    /** What REDUCE / NEWOBJ do with an admitted global: build a value from the argument tuple. */
    @FunctionalInterface
    public interface Call {
        Object call(PickleTuple args);
    }

    /** What BUILD does with an object the global's {@link Call} made: apply {@code state}, return the result. */
    @FunctionalInterface
    public interface Build {
        Object build(Object target, Object state);
    }

    /**
     * The Java behaviour of one admitted global. {@code call} null: the global may only appear
     * as a value (e.g. a storage type inside a persistent id). {@code build} null: BUILD on its
     * objects is refused.
     */
    public record Handler(Call call, Build build) {}

    /** Allow-list, persistent-id loader and limits for one kind of file. Not thread-safe while being configured. */
    public static final class Options {
        private final Map<String, Handler> allowed = new LinkedHashMap<>();
        private Function<Object, Object> persistentLoader;
        private int maxStack = 1 << 26;
        private int maxMemo = 1 << 26;
        private int maxMarkDepth = 10_000;

        /** Admits {@code module.name}, callable through REDUCE/NEWOBJ. */
        public Options allow(String module, String name, Call call) {
            return allow(module, name, new Handler(call, null));
        }

        public Options allow(String module, String name, Handler handler) {
            allowed.put(module + "." + name, handler);
            return this;
        }

        /** Admits {@code module.name} only as a value (a type tag); calling it is refused. */
        public Options allowValue(String module, String name) {
            return allow(module, name, new Handler(null, null));
        }

        /**
         * Admits {@code collections.OrderedDict} (attributes set by BUILD, such as torch's
         * {@code _metadata}, are dropped) and {@code collections.Counter} (from a dict, kept in
         * the dict's order), both read as {@link LinkedHashMap}.
         */
        public Options allowDicts() {
            allow("collections", "OrderedDict", new Handler(Pickle::orderedDict, (target, state) -> target));
            allow("collections", "Counter", new Handler(Pickle::counter, null));
            return this;
        }

        /** Admits {@code builtins.set} and {@code builtins.frozenset} applied to a list (how protocol 2 writes sets). */
        public Options allowSets() {
            allow("builtins", "set", args -> toSet(args, false));
            allow("builtins", "frozenset", args -> toSet(args, true));
            return this;
        }

        /** Resolves BINPERSID/PERSID ids; without one, persistent ids are an error. */
        public Options persistentLoader(Function<Object, Object> loader) {
            this.persistentLoader = loader;
            return this;
        }

        /** Caps on stack size, memo entries and MARK nesting (each also bounded by the input size). */
        public Options limits(int maxStack, int maxMemo, int maxMarkDepth) {
            this.maxStack = maxStack;
            this.maxMemo = maxMemo;
            this.maxMarkDepth = maxMarkDepth;
            return this;
        }
    }

    private static final PickleTuple EMPTY_TUPLE = PickleTuple.of(List.of());
    /** Tuples deeper than this are refused, which keeps equals/hashCode on results shallow. */
    private static final int MAX_TUPLE_DEPTH = 1000;
    /** Hashable tuples (dict keys, set items) must be shallower than this. */
    private static final int MAX_KEY_DEPTH = 32;
    /** ...and hold at most this many items in all (shared sub-tuples counted each time they occur). */
    private static final long MAX_KEY_WEIGHT = 4096;
    /** Python ints beyond this many bytes have no use in model files. */
    private static final int MAX_LONG_BYTES = 1 << 16;
    /** GLOBAL's text lines (module and name) longer than this are not real module paths. */
    private static final int MAX_LINE = 4096;

    private final Path file;
    private final MemorySegment in;
    private final long end;
    private final Options options;
    private long pos;
    private long opStart;

    private final ArrayList<Object> stack = new ArrayList<>();
    private int[] marks = new int[16];
    private int markCount;
    /**
     * Memo slots, dense as Python's pickler numbers them; {@link #UNSET} marks gaps. An array
     * (8 bytes a slot) rather than a map, because the memo of a large tokenizer file holds
     * millions of entries; an index is only accepted below the input length, so a tiny file
     * cannot ask for a huge array.
     */
    private Object[] memo = filled(64);
    private int memoCount;
    private static final Object UNSET = new Object();
    /** Objects built by an admitted global whose handler knows how to BUILD them. */
    private final Map<Object, Build> buildable = new IdentityHashMap<>();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private static Object[] filled(int n) {
        Object[] a = new Object[n];
        Arrays.fill(a, UNSET);
        return a;
    }

    private Pickle(Path file, MemorySegment in, Options options) {
        this.file = file;
        this.in = in;
        this.end = in.byteSize();
        this.options = options;
    }

    /** Unpickles {@code data}; {@code file} names the source in messages. */
    public static Object load(Path file, MemorySegment data, Options options) {
        return new Pickle(file, data, options).run();
    }

    public static Object load(Path file, byte[] data, Options options) {
        return load(file, MemorySegment.ofArray(data), options);
    }

    /** Unpickles a whole file (mapped for the duration of the call). */
    public static Object load(Path file, Options options) {
        try (Arena arena = Arena.ofConfined()) {
            return load(file, ZipArchive.mapReadOnly(file, arena), options);
        }
    }

    // ---------------------------------------------------------------- main loop

    private Object run() {
        try {
            return loop();
        } catch (TFreeException e) {
            throw e;
        } catch (RuntimeException e) {
            // A handler or a cast tripped over data of the wrong shape: still a format error.
            throw bad("malformed pickle (" + e + ")");
        }
    }

    private Object loop() {
        if (end == 0) throw bad("empty pickle");
        while (true) {
            opStart = pos;
            if (pos >= end) throw bad("pickle ends without STOP (truncated?)");
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto < 2 || proto > 5) throw bad("unsupported pickle protocol " + proto + " (need 2 to 5)");
                }
                case 0x95 -> { // FRAME: a length hint for buffered readers; only check it
                    long len = u64le();
                    if (len < 0 || len > end - pos) throw bad("frame of " + Long.toUnsignedString(len) + " bytes runs past the end (truncated?)");
                }
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> pushMark(); // MARK
                case '1' -> popMark(); // POP_MARK
                case '0' -> pop(); // POP
                case '2' -> push(peek()); // DUP
                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'J' -> push((long) s32le()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) u16le()); // BININT2
                case 0x8a -> push(longFromBytes(u8())); // LONG1
                case 0x8b -> push(longFromBytes(length(u32le(), "LONG4"))); // LONG4
                case 'G' -> push(Double.longBitsToDouble(s64be())); // BINFLOAT
                case 'X' -> push(utf8(length(u32le(), "BINUNICODE"))); // BINUNICODE
                case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(length(u64le(), "BINUNICODE8"))); // BINUNICODE8
                case 'T' -> push(latin1(length(s32le(), "BINSTRING"))); // BINSTRING (Python 2 str)
                case 'U' -> push(latin1(u8())); // SHORT_BINSTRING
                case 'B' -> push(bytes(length(u32le(), "BINBYTES"))); // BINBYTES
                case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
                case 0x8e -> push(bytes(length(u64le(), "BINBYTES8"))); // BINBYTES8
                case 0x96 -> push(bytes(length(u64le(), "BYTEARRAY8"))); // BYTEARRAY8
                case ')' -> push(EMPTY_TUPLE); // EMPTY_TUPLE
                case 't' -> push(tuple(popMark())); // TUPLE
                case 0x85 -> push(tuple(listOf(pop()))); // TUPLE1
                case 0x86 -> { // TUPLE2
                    Object b = pop(), a = pop();
                    push(tuple(listOf(a, b)));
                }
                case 0x87 -> { // TUPLE3
                    Object c = pop(), b = pop(), a = pop();
                    push(tuple(listOf(a, b, c)));
                }
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'a' -> { // APPEND
                    Object item = pop();
                    list(peek()).add(item);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    List<Object> items = popMark();
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putPairs(d, items);
                    push(d);
                }
                case 's' -> { // SETITEM
                    Object value = pop(), key = pop();
                    dict(peek()).put(hashable(key), value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(dict(peek()), items);
                }
                case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
                case 0x90 -> { // ADDITEMS
                    List<Object> items = popMark();
                    Set<Object> set = set(peek());
                    for (Object o : items) set.add(hashable(o));
                }
                case 0x91 -> { // FROZENSET
                    Set<Object> set = new LinkedHashSet<>();
                    for (Object o : popMark()) set.add(hashable(o));
                    push(Collections.unmodifiableSet(set));
                }
                case 'c' -> { // GLOBAL: "module\nname\n"
                    String module = line();
                    String name = line();
                    push(global(module, name));
                }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw bad("STACK_GLOBAL needs two strings, got " + describe(module) + " and " + describe(name));
                    }
                    push(global(m, n));
                }
                case 'R' -> { // REDUCE
                    Object args = pop(), callable = pop();
                    push(call(callable, args, "REDUCE"));
                }
                case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args)
                    Object args = pop(), cls = pop();
                    push(call(cls, args, "NEWOBJ"));
                }
                case 0x92 -> { // NEWOBJ_EX
                    Object kwargs = pop(), args = pop(), cls = pop();
                    if (!(kwargs instanceof Map<?, ?> kw) || !kw.isEmpty()) {
                        throw bad("NEWOBJ_EX with keyword arguments is not supported");
                    }
                    push(call(cls, args, "NEWOBJ_EX"));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    Object target = peek();
                    Build build = buildable.get(target);
                    if (build == null) throw bad("BUILD on " + describe(target) + " is not supported");
                    Object built = build.build(target, state);
                    stack.set(stack.size() - 1, built);
                }
                case 'Q' -> push(persistent(pop())); // BINPERSID
                case 'P' -> push(persistent(line())); // PERSID (text id)
                case 'q' -> memoPut(u8()); // BINPUT
                case 'r' -> memoPut(u32le()); // LONG_BINPUT
                case 0x94 -> memoPut(memoCount); // MEMOIZE: the next free slot
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(u32le())); // LONG_BINGET
                case 'i', 'o' -> throw new UnsafePickleException(where() + "opcode " + opName(op)
                        + " instantiates arbitrary classes and is refused");
                case 0x82, 0x83, 0x84 -> throw new UnsafePickleException(where() + "opcode " + opName(op)
                        + " (extension registry global) is refused");
                case 0x97, 0x98 -> throw bad("out-of-band buffers (opcode " + opName(op) + ") are not supported");
                default -> throw bad("unsupported pickle opcode " + opName(op)
                        + " (text protocols 0/1 are not supported; need protocol 2 to 5)");
            }
        }
    }

    // ---------------------------------------------------------------- stack, marks, memo

    private void push(Object o) {
        if (stack.size() >= options.maxStack) throw bad("pickle stack exceeds " + options.maxStack + " items");
        stack.add(o);
    }

    private Object pop() {
        int floor = markCount == 0 ? 0 : marks[markCount - 1];
        if (stack.size() <= floor) throw bad("pickle stack underflow");
        return stack.removeLast();
    }

    private Object peek() {
        int floor = markCount == 0 ? 0 : marks[markCount - 1];
        if (stack.size() <= floor) throw bad("pickle stack underflow");
        return stack.getLast();
    }

    private void pushMark() {
        if (markCount >= options.maxMarkDepth) throw bad("MARKs nested deeper than " + options.maxMarkDepth);
        if (markCount == marks.length) marks = Arrays.copyOf(marks, marks.length * 2);
        marks[markCount++] = stack.size();
    }

    /** Removes and returns everything above the topmost MARK. */
    private List<Object> popMark() {
        if (markCount == 0) throw bad("no MARK on the pickle stack");
        int base = marks[--markCount];
        List<Object> top = stack.subList(base, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private void memoPut(long index) {
        if (index >= options.maxMemo || index >= end) {
            throw bad("memo index " + index + " exceeds the limit (" + Math.min(options.maxMemo, end) + ")");
        }
        int i = (int) index;
        if (i >= memo.length) {
            int grown = (int) Math.min(Math.max((long) memo.length * 2, i + 1L), Math.min(options.maxMemo, end));
            int old = memo.length;
            memo = Arrays.copyOf(memo, grown);
            Arrays.fill(memo, old, grown, UNSET);
        }
        memoCount = Math.max(memoCount, i + 1);
        memo[i] = peek();
    }

    private Object memoGet(long index) {
        Object o = index < memoCount ? memo[(int) index] : UNSET;
        if (o == UNSET) throw bad("memo entry " + index + " is not defined");
        return o;
    }

    // ---------------------------------------------------------------- globals and calls

    private Global global(String module, String name) {
        // Protocol 2 pickles written by Python 3 use Python 2 module names for builtins.
        String mod = switch (module) {
            case "__builtin__" -> "builtins";
            case "copy_reg" -> "copyreg";
            default -> module;
        };
        if (!options.allowed.containsKey(mod + "." + name)) {
            throw new UnsafePickleException(where() + "forbidden global '" + mod + "." + name
                    + "' (allowed: " + String.join(", ", options.allowed.keySet()) + ")");
        }
        return new Global(mod, name);
    }

    private Object call(Object callable, Object args, String op) {
        if (!(callable instanceof Global g)) throw bad(op + " on " + describe(callable) + ", not a global");
        if (!(args instanceof PickleTuple t)) throw bad(op + " of " + g + " with " + describe(args) + " instead of an argument tuple");
        Handler h = options.allowed.get(g.qualifiedName());
        if (h == null) throw new UnsafePickleException(where() + "forbidden global '" + g + "'");
        if (h.call() == null) throw bad(op + ": global '" + g + "' may not be called");
        Object result = h.call().call(t);
        if (h.build() != null && result != null) buildable.put(result, h.build());
        return result;
    }

    private Object persistent(Object pid) {
        if (options.persistentLoader == null) throw bad("persistent id in a pickle that should have none");
        return options.persistentLoader.apply(pid);
    }

    // ---------------------------------------------------------------- containers

    private PickleTuple tuple(List<Object> items) {
        PickleTuple t = PickleTuple.of(items);
        if (t.depth() > MAX_TUPLE_DEPTH) throw bad("tuples nested deeper than " + MAX_TUPLE_DEPTH);
        return t;
    }

    /** {@code List.of} refuses nulls (None); tuples of None are common. */
    private static List<Object> listOf(Object... items) {
        return Arrays.asList(items);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw bad("APPEND(S) on " + describe(o) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof LinkedHashMap<?, ?> m) return (Map<Object, Object>) m;
        throw bad("SETITEM(S) on " + describe(o) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private Set<Object> set(Object o) {
        if (o instanceof LinkedHashSet<?> s) return (Set<Object>) s;
        throw bad("ADDITEMS on " + describe(o) + ", not a set");
    }

    private void putPairs(Map<Object, Object> d, List<Object> items) {
        if (items.size() % 2 != 0) throw bad("odd number of items for a dict");
        for (int i = 0; i < items.size(); i += 2) d.put(hashable(items.get(i)), items.get(i + 1));
    }

    /** Only values whose hashCode/equals are cheap and non-recursive may be keys or set items. */
    private Object hashable(Object key) {
        if (isHashable(key, MAX_KEY_DEPTH)) return key;
        throw bad("unsupported dict key or set item: " + describe(key));
    }

    private static boolean isHashable(Object o, int depthLeft) {
        if (o == null || o instanceof String || o instanceof Long || o instanceof BigInteger
                || o instanceof Double || o instanceof Boolean || o instanceof Global) {
            return true;
        }
        if (o instanceof PickleTuple t && t.depth() <= depthLeft && t.weight() <= MAX_KEY_WEIGHT) {
            for (Object item : t.items()) if (!isHashable(item, depthLeft - 1)) return false;
            return true;
        }
        return false;
    }

    private static Object orderedDict(PickleTuple args) {
        LinkedHashMap<Object, Object> d = new LinkedHashMap<>();
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
            // protocol 0/1 form: OrderedDict([[k, v], ...])
            for (Object pair : pairs) {
                List<Object> kv = pair instanceof PickleTuple t ? t.items() : asList(pair);
                if (kv.size() != 2 || !isHashable(kv.get(0), MAX_KEY_DEPTH)) {
                    throw new IllegalArgumentException("OrderedDict argument is not a list of (key, value) pairs");
                }
                d.put(kv.get(0), kv.get(1));
            }
        } else if (args.size() != 0) {
            throw new IllegalArgumentException("OrderedDict with " + args.size() + " arguments");
        }
        return d;
    }

    private static Object counter(PickleTuple args) {
        if (args.size() == 0) return new LinkedHashMap<>();
        if (args.size() == 1 && args.get(0) instanceof LinkedHashMap<?, ?> m) return new LinkedHashMap<>(m);
        throw new IllegalArgumentException("Counter must be built from nothing or one dict");
    }

    private static Object toSet(PickleTuple args, boolean frozen) {
        Set<Object> s = new LinkedHashSet<>();
        if (args.size() == 1 && args.get(0) instanceof List<?> items) {
            for (Object o : items) {
                if (!isHashable(o, MAX_KEY_DEPTH)) throw new IllegalArgumentException("unhashable set item " + describe(o));
                s.add(o);
            }
        } else if (args.size() != 0) {
            throw new IllegalArgumentException("set must be built from nothing or one list");
        }
        return frozen ? Collections.unmodifiableSet(s) : s;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw new IllegalArgumentException("expected a pair, got " + describe(o));
    }

    /** A short, non-recursive description of a value for messages (never its full content). */
    public static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof String s) return s.length() <= 60 ? "str '" + s + "'" : "str of length " + s.length();
        if (o instanceof Long || o instanceof BigInteger) return "int " + o;
        if (o instanceof Double d) return "float " + d;
        if (o instanceof Boolean b) return "bool " + b;
        if (o instanceof byte[] b) return "bytes of length " + b.length;
        if (o instanceof PickleTuple t) return "tuple of " + t.size();
        if (o instanceof List<?> l) return "list of " + l.size();
        if (o instanceof Map<?, ?> m) return "dict of " + m.size();
        if (o instanceof Set<?> s) return "set of " + s.size();
        if (o instanceof Global g) return "global " + g;
        return o.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- primitive reads

    private int u8() {
        need(1);
        return Byte.toUnsignedInt(in.get(ValueLayout.JAVA_BYTE, pos++));
    }

    private int u16le() {
        need(2);
        int v = Short.toUnsignedInt(in.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos));
        pos += 2;
        return v;
    }

    private int s32le() {
        need(4);
        int v = in.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos);
        pos += 4;
        return v;
    }

    private long u32le() {
        return Integer.toUnsignedLong(s32le());
    }

    /** Unsigned 64-bit; values of 2^63 and more come back negative and are rejected by {@link #length}. */
    private long u64le() {
        need(8);
        long v = in.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos);
        pos += 8;
        return v;
    }

    private long s64be() {
        need(8);
        long v = in.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), pos);
        pos += 8;
        return v;
    }

    /** A claimed length is only believed if the input still holds that many bytes. */
    private int length(long claimed, String op) {
        if (claimed < 0 || claimed > end - pos) {
            throw bad(op + " claims " + Long.toUnsignedString(claimed) + " bytes but only " + (end - pos)
                    + " remain (truncated or corrupt)");
        }
        if (claimed > Integer.MAX_VALUE - 16) throw bad(op + " of " + claimed + " bytes is too large");
        return (int) claimed;
    }

    private void need(long n) {
        if (n > end - pos) throw bad("pickle ends in the middle of an opcode (truncated?)");
    }

    private byte[] bytes(int n) {
        need(n);
        byte[] b = new byte[n];
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, pos, b, 0, n);
        pos += n;
        return b;
    }

    private Object longFromBytes(int n) {
        if (n > MAX_LONG_BYTES) throw bad("integer of " + n + " bytes is too large");
        byte[] le = bytes(n);
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        BigInteger v = new BigInteger(be); // two's complement, as pickle stores it
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String latin1(int n) {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    /** A newline-terminated text line (GLOBAL, PERSID), bounded in length. */
    private String line() {
        long limit = Math.min(end, pos + MAX_LINE);
        for (long p = pos; p < limit; p++) {
            if (in.get(ValueLayout.JAVA_BYTE, p) == '\n') {
                String s = new String(bytes((int) (p - pos)), StandardCharsets.UTF_8);
                pos++; // the newline
                return s;
            }
        }
        throw bad("unterminated text line (truncated?)");
    }

    /**
     * Python writes str as UTF-8 with lone surrogates allowed ("surrogatepass"); Java's strict
     * decoder refuses those, so they get a second, permissive pass.
     */
    private String utf8(int n) {
        if (n == 0) return "";
        byte[] b = bytes(n);
        boolean ascii = true;
        for (byte x : b) if (x < 0) { ascii = false; break; }
        if (ascii) return new String(b, StandardCharsets.ISO_8859_1);
        try {
            return utf8.reset().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            String s = decodeSurrogatePass(b);
            if (s == null) throw bad("string is not valid UTF-8");
            return s;
        }
    }

    private static String decodeSurrogatePass(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            int n;
            int cp;
            if (c < 0x80) { cp = c; n = 1; }
            else if (c >= 0xC2 && c < 0xE0) { cp = c & 0x1F; n = 2; }
            else if (c >= 0xE0 && c < 0xF0) { cp = c & 0x0F; n = 3; }
            else if (c >= 0xF0 && c < 0xF5) { cp = c & 0x07; n = 4; }
            else return null;
            if (i + n > b.length) return null;
            for (int k = 1; k < n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return null;
                cp = (cp << 6) | (cc & 0x3F);
            }
            if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return null;
            sb.appendCodePoint(cp);
            i += n;
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- errors

    private String where() {
        return file + ": pickle offset " + opStart + ": ";
    }

    private ModelFormatException bad(String problem) {
        return new ModelFormatException(where() + problem);
    }

    private static String opName(int op) {
        return op >= 0x20 && op < 0x7f ? "'" + (char) op + "'" : String.format("0x%02x", op);
    }
}
