package dev.tfree4j.io;

import java.util.Optional;

/** Element types of tensors in torch checkpoints, with their size and torch storage class name. */
public enum DType {
    F32(4, "FloatStorage", true),
    BF16(2, "BFloat16Storage", true),
    F16(2, "HalfStorage", true),
    I64(8, "LongStorage", false),
    I32(4, "IntStorage", false),
    I8(1, "CharStorage", false),
    U8(1, "ByteStorage", false),
    BOOL(1, "BoolStorage", false);

    private final int byteSize;
    private final String storageName;
    private final boolean floatingPoint;

    DType(int byteSize, String storageName, boolean floatingPoint) {
        this.byteSize = byteSize;
        this.storageName = storageName;
        this.floatingPoint = floatingPoint;
    }

    public int byteSize() {
        return byteSize;
    }

    /** The class name under {@code torch.} that a pickled storage of this type refers to, e.g. {@code FloatStorage}. */
    public String storageName() {
        return storageName;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The dtype of {@code torch.<name>}, e.g. {@code BFloat16Storage} → BF16. */
    public static Optional<DType> ofStorageName(String name) {
        for (DType t : values()) if (t.storageName.equals(name)) return Optional.of(t);
        return Optional.empty();
    }
}
