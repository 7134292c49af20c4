package dev.tabscore.bundle.torch;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a state_dict: its key, dtype, shape and elements, immutable.
 *
 * <p>The dtype is kept as the file has it. The elements are stored contiguous in row-major order
 * (views with an offset or strides are resolved by the reader) and little-endian. The accessors
 * convert only where the conversion is exact: {@link #toFloats()} for float32, float16 and
 * bfloat16; {@link #toDoubles()} for every floating-point type, bool and every integer type whose
 * values fit in 53 bits; {@link #toLongs()} for integer and bool types. Anything else is refused
 * with a message that names the tensor and its dtype, never rounded silently.
 */
public final class Tensor {

    private static final long DOUBLE_EXACT = 1L << 53;

    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final byte[] data;

    private Tensor(String name, DType dtype, long[] shape, byte[] data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /** Wraps contiguous little-endian bytes; the reader has checked that they match the shape. */
    static Tensor ofBytes(String name, DType dtype, long[] shape, byte[] littleEndian) {
        return new Tensor(name, dtype, shape.clone(), littleEndian);
    }

    /**
     * Creates a float32 tensor, e.g. to build a state_dict in code.
     *
     * @param name the state_dict key
     * @param shape the shape; its element count must equal {@code values.length}
     * @param values the elements in row-major order (copied)
     * @return the tensor
     * @throws IllegalArgumentException if the shape does not match the values
     */
    public static Tensor ofFloats(String name, long[] shape, float[] values) {
        checkCount(name, shape, values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new Tensor(name, DType.FLOAT32, shape.clone(), buffer.array());
    }

    /**
     * Creates a float64 tensor, e.g. to build a state_dict in code.
     *
     * @param name the state_dict key
     * @param shape the shape; its element count must equal {@code values.length}
     * @param values the elements in row-major order (copied)
     * @return the tensor
     * @throws IllegalArgumentException if the shape does not match the values
     */
    public static Tensor ofDoubles(String name, long[] shape, double[] values) {
        checkCount(name, shape, values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        return new Tensor(name, DType.FLOAT64, shape.clone(), buffer.array());
    }

    /**
     * Returns the same tensor under another key (the data is shared: tensors are immutable).
     *
     * @param newName the key, e.g. {@code 0.weight} for {@code mlp.0.weight}
     * @return the renamed tensor
     */
    public Tensor renamed(String newName) {
        return new Tensor(newName, dtype, shape, data);
    }

    private static void checkCount(String name, long[] shape, int count) {
        long numel = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "': negative dimension in " + Arrays.toString(shape));
            }
            numel = Math.multiplyExact(numel, dim);
        }
        if (numel != count) {
            throw new IllegalArgumentException(
                    "tensor '"
                            + name
                            + "': shape "
                            + Arrays.toString(shape)
                            + " holds "
                            + numel
                            + " elements, got "
                            + count);
        }
    }

    /**
     * Returns the state_dict key, e.g. {@code 0.weight}.
     *
     * @return the key
     */
    public String name() {
        return name;
    }

    /**
     * Returns the element type as stored in the file.
     *
     * @return the dtype
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * Returns the shape; an empty array for a 0-d tensor.
     *
     * @return a copy of the shape
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Returns the number of elements, the product of the shape (1 for a 0-d tensor).
     *
     * @return the element count
     */
    public int numel() {
        return data.length / dtype.itemSize();
    }

    /**
     * Returns the elements as float32, exactly: float32 as stored, float16 and bfloat16 widened.
     *
     * @return a new array in row-major order
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) for any other dtype
     */
    public float[] toFloats() {
        ByteBuffer in = buffer();
        float[] out = new float[numel()];
        switch (dtype) {
            case FLOAT32 -> in.asFloatBuffer().get(out);
            case FLOAT16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(in.getShort(2 * i));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((in.getShort(2 * i) & 0xffff) << 16);
                }
            }
            default -> throw inexact("float32", "use toDoubles()");
        }
        return out;
    }

    /**
     * Returns the elements as float64, exactly: every floating-point dtype, bool (0 or 1), and
     * integer dtypes as long as every value lies within ±2^53.
     *
     * @return a new array in row-major order
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) if an int64 value does not fit
     */
    public double[] toDoubles() {
        double[] out = new double[numel()];
        if (dtype == DType.FLOAT64) {
            buffer().asDoubleBuffer().get(out);
        } else if (dtype.isFloatingPoint()) {
            float[] floats = toFloats();
            for (int i = 0; i < out.length; i++) {
                out[i] = floats[i];
            }
        } else {
            long[] longs = toLongs();
            for (int i = 0; i < out.length; i++) {
                if (Math.abs(longs[i]) > DOUBLE_EXACT) {
                    throw inexact("float64", "element " + i + " is " + longs[i]);
                }
                out[i] = longs[i];
            }
        }
        return out;
    }

    /**
     * Returns the elements of an integer or bool tensor as int64.
     *
     * @return a new array in row-major order
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) for a floating-point dtype
     */
    public long[] toLongs() {
        ByteBuffer in = buffer();
        long[] out = new long[numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] =
                    switch (dtype) {
                        case INT64 -> in.getLong(8 * i);
                        case INT32 -> in.getInt(4 * i);
                        case INT16 -> in.getShort(2 * i);
                        case INT8 -> in.get(i);
                        case UINT8, BOOL -> in.get(i) & 0xff;
                        default -> throw inexact("int64", "use toFloats() or toDoubles()");
                    };
        }
        return out;
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    private BundleFormatException inexact(String target, String hint) {
        return new BundleFormatException(
                Reason.MODEL_INVALID,
                "tensor '"
                        + name
                        + "' has dtype "
                        + dtype
                        + ", which does not convert to "
                        + target
                        + " exactly; "
                        + hint);
    }

    /** IEEE binary16 to binary32; every half value, subnormals included, is exact in float. */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * Returns the key, dtype and shape, e.g. {@code Tensor[0.weight float32 [64, 11]]}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "Tensor[" + name + " " + dtype + " " + Arrays.toString(shape) + "]";
    }
}
