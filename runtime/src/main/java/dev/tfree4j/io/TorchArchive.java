package dev.tfree4j.io;

import dev.tfree4j.ModelFormatException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A file written by {@code torch.save} (the zip format, docs/spec/tfree.md §7.3): {@code <top>/data.pkl}
 * describes the saved object, {@code <top>/data/<key>} hold the raw little-endian bytes of
 * each storage. The file is memory-mapped and every {@link Tensor} is a read-only slice of the
 * mapping, valid as long as the arena passed to {@link #open} is alive.
 *
 * <p>The pickle may only use the globals a state dict or tokenizer file needs
 * ({@code collections.OrderedDict/Counter}, {@code torch._utils._rebuild_tensor_v2} and
 * {@code _rebuild_parameter}, {@code torch.*Storage} type tags); storages are resolved from
 * persistent ids {@code ('storage', torch.XStorage, key, location, numel)}.
 */
public final class TorchArchive {
    private static final Pattern STORAGE_KEY = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final int MAX_RANK = 64;

    private final Path file;
    private final ZipArchive zip;
    private final String top;
    private final Object root;
    private final boolean aligned;

    /** One storage entry as referenced from the pickle: its dtype and its first {@code numel} elements. */
    private record Storage(String key, DType dtype, long numel, MemorySegment bytes, long fileOffset) {}

    private TorchArchive(Path file, ZipArchive zip, String top, Object root, boolean aligned) {
        this.file = file;
        this.zip = zip;
        this.top = top;
        this.root = root;
        this.aligned = aligned;
    }

    /**
     * Maps {@code file} (read-only, lifetime = {@code arena}), reads the ZIP directory and
     * unpickles {@code data.pkl}, checking every tensor against its storage.
     */
    public static TorchArchive open(Path file, Arena arena) {
        if (!java.nio.file.Files.isRegularFile(file)) throw new ModelFormatException(file, "file not found");
        return read(file, ZipArchive.mapReadOnly(file, arena));
    }

    /** Reads a torch zip already in memory; {@code file} names it in messages. */
    public static TorchArchive read(Path file, MemorySegment bytes) {
        ZipArchive zip = ZipArchive.read(file, bytes);
        ZipArchive.Entry pkl = zip.findBySuffix("data.pkl").orElseThrow(() ->
                new ModelFormatException(file, "no data.pkl entry: not a file written by torch.save (zip format)"));
        String top = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
        zip.entry(top + "byteorder").ifPresent(e -> {
            String order = new String(zip.data(e).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.US_ASCII).strip();
            if (!order.equals("little")) {
                throw new ModelFormatException(file, "byte order '" + order + "' is not supported (need little)");
            }
        });
        zip.checkCrc(pkl);
        Loader loader = new Loader(file, zip, top);
        Object root = Pickle.load(file, zip.data(pkl), loader.options());
        return new TorchArchive(file, zip, top, nameTopLevelTensors(root), loader.aligned);
    }

    public Path file() {
        return file;
    }

    public ZipArchive zip() {
        return zip;
    }

    /** The folder all entries live in, with its trailing slash (e.g. {@code "transformer/"}). */
    public String topFolder() {
        return top;
    }

    /**
     * The unpickled object (see {@link Pickle} for the Java types), with tensors as {@link Tensor}.
     * Tensors that are values of a top-level dict are named after their key; others are named
     * after their storage entry.
     */
    public Object root() {
        return root;
    }

    /** The root as a state dict: an (ordered) dict of name → tensor; anything else is an error. */
    public Map<String, Tensor> tensors() {
        if (!(root instanceof Map<?, ?> map)) {
            throw new ModelFormatException(file, "not a state dict: the pickle holds a " + Pickle.describe(root));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof Tensor t)) {
                throw new ModelFormatException(file, "not a state dict: entry " + Pickle.describe(e.getKey())
                        + " holds a " + Pickle.describe(e.getValue()) + " instead of a tensor");
            }
            out.put(name, t);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Whether every storage used starts at a 64-byte aligned file offset (torch writes them so,
     * which lets native kernels use aligned vector loads; nothing here requires it).
     */
    public boolean storagesAligned64() {
        return aligned;
    }

    @SuppressWarnings("unchecked")
    private static Object nameTopLevelTensors(Object root) {
        if (root instanceof LinkedHashMap<?, ?> map) {
            for (Map.Entry<Object, Object> e : ((Map<Object, Object>) map).entrySet()) {
                if (e.getKey() instanceof String name && e.getValue() instanceof Tensor t) e.setValue(t.withName(name));
            }
        }
        return root;
    }

    /** The pickle callbacks: storage resolution and tensor reconstruction, with all checks. */
    private static final class Loader {
        private final Path file;
        private final ZipArchive zip;
        private final String top;
        private final Map<String, Storage> storages = new HashMap<>();
        boolean aligned = true;

        Loader(Path file, ZipArchive zip, String top) {
            this.file = file;
            this.zip = zip;
            this.top = top;
        }

        Pickle.Options options() {
            Pickle.Options o = new Pickle.Options().allowDicts()
                    .allow("torch._utils", "_rebuild_tensor_v2", this::rebuildTensor)
                    .allow("torch._utils", "_rebuild_parameter", this::rebuildParameter)
                    .allow("torch._utils", "_rebuild_parameter_with_state", this::rebuildParameter)
                    .persistentLoader(this::storage);
            for (DType t : DType.values()) o.allowValue("torch", t.storageName());
            return o;
        }

        /** {@code ('storage', torch.XStorage, key, location, numel)} → the checked storage entry. */
        private Object storage(Object pid) {
            if (!(pid instanceof PickleTuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
                throw bad("persistent id " + Pickle.describe(pid) + " is not ('storage', type, key, location, numel)");
            }
            if (!(t.get(1) instanceof Pickle.Global type) || !type.module().equals("torch")) {
                throw bad("storage type " + Pickle.describe(t.get(1)) + " is not a torch storage class");
            }
            DType dtype = DType.ofStorageName(type.name())
                    .orElseThrow(() -> bad("unsupported storage type torch." + type.name()));
            if (!(t.get(2) instanceof String key) || !STORAGE_KEY.matcher(key).matches()) {
                throw bad("bad storage key " + Pickle.describe(t.get(2)));
            }
            long numel = nonNegative(t.get(4), "element count of storage '" + key + "'");
            Storage known = storages.get(key);
            if (known != null) {
                if (known.dtype() != dtype || known.numel() != numel) {
                    throw bad("storage '" + key + "' is referenced with different types or sizes");
                }
                return known;
            }
            ZipArchive.Entry e = zip.entry(top + "data/" + key)
                    .orElseThrow(() -> bad("storage '" + key + "' has no entry " + top + "data/" + key));
            MemorySegment bytes = zip.data(e);
            if (numel > bytes.byteSize() / dtype.byteSize()) {
                throw bad("storage '" + key + "' claims " + numel + " " + dtype + " elements but its entry holds only "
                        + bytes.byteSize() + " bytes");
            }
            if (e.dataOffset() % 64 != 0) aligned = false;
            Storage s = new Storage(key, dtype, numel, bytes.asSlice(0, numel * dtype.byteSize()), e.dataOffset());
            storages.put(key, s);
            return s;
        }

        /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
        private Object rebuildTensor(PickleTuple args) {
            if (args.size() < 4 || args.size() > 7 || !(args.get(0) instanceof Storage s)) {
                throw bad("_rebuild_tensor_v2 called with unexpected arguments");
            }
            String what = "tensor on storage '" + s.key() + "'";
            long offset = nonNegative(args.get(1), "storage offset of " + what);
            long[] size = longs(args.get(2), "size of " + what);
            long[] stride = longs(args.get(3), "stride of " + what);
            if (size.length != stride.length) throw bad(what + " has " + size.length + " sizes but " + stride.length + " strides");
            long numel = 1;
            for (long d : size) {
                try {
                    numel = Math.multiplyExact(numel, d);
                } catch (ArithmeticException overflow) {
                    throw bad(what + " has an impossible shape " + Arrays.toString(size));
                }
            }
            // Only C-contiguous layouts can be used in place; strides of size-1 dimensions are
            // arbitrary in torch and do not matter.
            long expected = 1;
            for (int i = size.length - 1; i >= 0; i--) {
                if (size[i] != 1 && numel != 0 && stride[i] != expected) {
                    throw bad(what + " is not contiguous (size " + Arrays.toString(size) + ", stride "
                            + Arrays.toString(stride) + "); only row-major contiguous tensors are supported");
                }
                expected *= size[i] == 0 ? 1 : size[i];
            }
            if (offset > s.numel() || numel > s.numel() - offset) {
                throw bad(what + ": elements [" + offset + ", " + offset + "+" + numel + ") lie outside the storage's "
                        + s.numel() + " elements");
            }
            int elem = s.dtype().byteSize();
            MemorySegment data = s.bytes().asSlice(offset * elem, numel * elem);
            return new Tensor(top + "data/" + s.key(), s.dtype(), size, data);
        }

        /** {@code _rebuild_parameter(tensor, requires_grad, hooks[, state])}: a parameter is just its tensor here. */
        private Object rebuildParameter(PickleTuple args) {
            if (args.size() < 3 || !(args.get(0) instanceof Tensor t)) {
                throw bad("_rebuild_parameter called with unexpected arguments");
            }
            return t;
        }

        private long nonNegative(Object o, String what) {
            if (o instanceof Long v && v >= 0) return v;
            throw bad(what + " is " + Pickle.describe(o) + ", not a non-negative integer");
        }

        private long[] longs(Object o, String what) {
            if (!(o instanceof PickleTuple t) || t.size() > MAX_RANK) {
                throw bad(what + " is " + Pickle.describe(o) + ", not a tuple of at most " + MAX_RANK + " integers");
            }
            List<Long> out = new ArrayList<>();
            for (Object item : t.items()) out.add(nonNegative(item, what));
            return out.stream().mapToLong(Long::longValue).toArray();
        }

        private ModelFormatException bad(String problem) {
            return new ModelFormatException(file, problem);
        }
    }
}
