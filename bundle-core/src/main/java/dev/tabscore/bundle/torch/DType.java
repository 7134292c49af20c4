package dev.tabscore.bundle.torch;

import java.util.Optional;

/**
 * The element types a torch storage can hold, named as torch names them. Each is identified in a
 * pickle by its legacy storage class ({@code torch FloatStorage} and so on), which is the only form
 * {@code torch.save} writes for a state_dict.
 */
public enum DType {
    /** {@code torch.float32}, storage class {@code FloatStorage}. */
    FLOAT32("FloatStorage", "float32", 4, true),
    /** {@code torch.float64}, storage class {@code DoubleStorage}. */
    FLOAT64("DoubleStorage", "float64", 8, true),
    /** {@code torch.float16} (IEEE half), storage class {@code HalfStorage}. */
    FLOAT16("HalfStorage", "float16", 2, true),
    /** {@code torch.bfloat16}, storage class {@code BFloat16Storage}. */
    BFLOAT16("BFloat16Storage", "bfloat16", 2, true),
    /** {@code torch.int64}, storage class {@code LongStorage}. */
    INT64("LongStorage", "int64", 8, false),
    /** {@code torch.int32}, storage class {@code IntStorage}. */
    INT32("IntStorage", "int32", 4, false),
    /** {@code torch.int16}, storage class {@code ShortStorage}. */
    INT16("ShortStorage", "int16", 2, false),
    /** {@code torch.int8}, storage class {@code CharStorage}. */
    INT8("CharStorage", "int8", 1, false),
    /** {@code torch.uint8}, storage class {@code ByteStorage}. */
    UINT8("ByteStorage", "uint8", 1, false),
    /** {@code torch.bool} (one byte, 0 or 1), storage class {@code BoolStorage}. */
    BOOL("BoolStorage", "bool", 1, false);

    private final String storageClass;
    private final String torchName;
    private final int itemSize;
    private final boolean floatingPoint;

    DType(String storageClass, String torchName, int itemSize, boolean floatingPoint) {
        this.storageClass = storageClass;
        this.torchName = torchName;
        this.itemSize = itemSize;
        this.floatingPoint = floatingPoint;
    }

    /**
     * Returns the legacy storage class name in module {@code torch}, e.g. {@code FloatStorage}.
     *
     * @return the storage class name
     */
    public String storageClass() {
        return storageClass;
    }

    /**
     * Returns torch's name of the dtype, e.g. {@code float32}.
     *
     * @return the dtype name
     */
    public String torchName() {
        return torchName;
    }

    /**
     * Returns the size of one element in bytes.
     *
     * @return the element size
     */
    public int itemSize() {
        return itemSize;
    }

    /**
     * Tells whether this is a floating-point type.
     *
     * @return true for float32, float64, float16 and bfloat16
     */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /**
     * Finds the dtype of a storage class of module {@code torch}.
     *
     * @param storageClass a name such as {@code FloatStorage}
     * @return the dtype, or empty if the name is not a known storage class
     */
    public static Optional<DType> ofStorageClass(String storageClass) {
        for (DType type : values()) {
            if (type.storageClass.equals(storageClass)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return torchName;
    }
}
