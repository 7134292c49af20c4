package dev.tabscore.bundle.skops;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads a {@code .npy} entry (format versions 1.0, 2.0 and 3.0) into an {@link NpyArray}.
 *
 * <p>Only C-order little-endian arrays of {@code <f8 <f4 <i8 <i4 |b1 |u1} are read; any other dtype
 * is refused by name. The size the header declares is checked against the limits and the bytes
 * present before anything is allocated, so a header claiming a huge shape costs nothing.
 *
 * <pre>{@code
 * NpyArray mean = Npy.parse(zip.entry("140335004154832.npy"), "140335004154832.npy",
 *         SkopsLimits.defaults());
 * double[] values = mean.doubles();
 * }</pre>
 */
public final class Npy {

    /** The dtypes that are read, in the order error messages list them. */
    public static final String SUPPORTED_DTYPES = "<f8 <f4 <i8 <i4 |b1 |u1 <U<n>";

    /**
     * The field types a structured dtype may hold (besides {@code |V<n>} padding with an empty
     * name): scikit-learn's tree node record ({@code sklearn.tree._tree.NODE_DTYPE}) uses {@code
     * <i8 <f8 |u1}.
     */
    public static final String STRUCTURED_FIELD_DTYPES = "<f8 <f4 <i8 <i4 |u1 |b1";

    /** The longest header accepted (numpy itself writes well under 1 KiB). */
    static final int MAX_HEADER_BYTES = 65_536;

    /** Magic, version and the longest header-length field. */
    static final int PREAMBLE_BYTES = 12;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Map<String, Integer> ITEM_SIZES =
            Map.of("<f8", 8, "<f4", 4, "<i8", 8, "<i4", 4, "|b1", 1, "|u1", 1);

    private Npy() {}

    /**
     * Parses a whole {@code .npy} entry.
     *
     * @param bytes the entry's bytes
     * @param entryName the name used in error messages (the entry, and where it is referenced)
     * @param limits the limits; {@link SkopsLimits#maxArrayBytes()} applies
     * @return the array
     * @throws BundleFormatException with {@link Reason#NPY_INVALID} if the entry is malformed,
     *     {@link Reason#NPY_UNSUPPORTED} for other dtypes, Fortran order or big-endian data, and
     *     {@link Reason#LIMIT_EXCEEDED} if the declared data is over the limit
     */
    public static NpyArray parse(byte[] bytes, String entryName, SkopsLimits limits) {
        return parse(bytes, entryName, limits.maxArrayBytes(), Long.MAX_VALUE);
    }

    /** Parses a whole entry; {@code totalBytesLeft} is what the total-array budget still allows. */
    static NpyArray parse(byte[] bytes, String entryName, long maxArrayBytes, long totalBytesLeft) {
        if (bytes.length < 10 || !startsWithMagic(bytes)) {
            throw invalid(entryName, "is not a .npy array (no \\x93NUMPY magic)");
        }
        int major = bytes[6] & 0xff;
        int minor = bytes[7] & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new BundleFormatException(
                    Reason.NPY_UNSUPPORTED,
                    entryName
                            + ": .npy format "
                            + "version "
                            + major
                            + "."
                            + minor
                            + " is not supported (supported: 1.0, "
                            + "2.0, 3.0)");
        }
        int headerStart = major == 1 ? 10 : 12;
        if (bytes.length < headerStart) {
            throw invalid(entryName, "ends inside its preamble");
        }
        long headerLength = major == 1 ? u16(bytes, 8) : u32(bytes, 8);
        if (headerLength > MAX_HEADER_BYTES) {
            throw invalid(
                    entryName,
                    "declares a header of "
                            + headerLength
                            + " bytes, over the limit of "
                            + MAX_HEADER_BYTES);
        }
        if (headerLength > bytes.length - headerStart) {
            throw invalid(
                    entryName,
                    "declares a header of "
                            + headerLength
                            + " bytes but only "
                            + (bytes.length - headerStart)
                            + " follow");
        }
        String text = headerText(bytes, headerStart, (int) headerLength, major, entryName);
        NpyHeader header = NpyHeader.parse(text, entryName);
        int dataStart = headerStart + (int) headerLength;
        if (header.fields() != null) {
            return Structured.parse(
                    header, bytes, dataStart, maxArrayBytes, totalBytesLeft, entryName);
        }
        int itemSize = itemSize(header.descr(), entryName);
        int count =
                checkSize(
                        header,
                        itemSize,
                        bytes.length - dataStart,
                        maxArrayBytes,
                        totalBytesLeft,
                        entryName);
        ByteBuffer data =
                ByteBuffer.wrap(bytes, dataStart, count * itemSize)
                        .slice()
                        .order(ByteOrder.LITTLE_ENDIAN);
        NpyArray array = decode(header, count, data, entryName);
        return header.fortranOrder() ? toCOrder(array) : array;
    }

    /**
     * Reorders a Fortran-ordered array (first index fastest; np.save writes one for an F-contiguous
     * array, e.g. QuantileTransformer's quantiles_) into C order.
     */
    private static NpyArray toCOrder(NpyArray f) {
        long[] shape = f.shape();
        int n = f.size();
        if (shape.length < 2 || n == 0) {
            return f;
        }
        int[] perm = new int[n];
        int[] idx = new int[shape.length];
        for (int c = 0; c < n; c++) {
            int at = 0;
            for (int k = shape.length - 1; k >= 0; k--) {
                at = at * (int) shape[k] + idx[k];
            }
            perm[c] = at;
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        double[] d = null;
        long[] l = null;
        boolean[] b = null;
        String[] u = null;
        if (f.strings() != null) {
            u = new String[n];
            for (int c = 0; c < n; c++) {
                u[c] = f.strings()[perm[c]];
            }
        } else if (f.doubles() != null) {
            d = new double[n];
            for (int c = 0; c < n; c++) {
                d[c] = f.doubles()[perm[c]];
            }
        } else if (f.longs() != null) {
            l = new long[n];
            for (int c = 0; c < n; c++) {
                l[c] = f.longs()[perm[c]];
            }
        } else {
            b = new boolean[n];
            for (int c = 0; c < n; c++) {
                b[c] = f.booleans()[perm[c]];
            }
        }
        return new NpyArray(f.dtype(), shape, d, l, b, u);
    }

    /** Returns the bytes per element of a supported dtype (a structured one included). */
    static int itemSize(NpyArray array) {
        return array.fields() != null ? Structured.itemSize(array) : itemSize(array.dtype());
    }

    /** Returns the bytes per element of a supported plain dtype. */
    static int itemSize(String descr) {
        Integer size = ITEM_SIZES.get(descr);
        return size != null ? size : 4 * unicodeWidth(descr);
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String headerText(
            byte[] bytes, int start, int length, int major, String entryName) {
        if (major < 3) {
            for (int i = start; i < start + length; i++) {
                if (bytes[i] < 0) {
                    throw invalid(
                            entryName,
                            "header of a version " + major + ".0 file is not " + "ASCII");
                }
            }
            return new String(bytes, start, length, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid(entryName, "header of a version 3.0 file is not valid UTF-8");
        }
    }

    private static int itemSize(String descr, String entryName) {
        Integer size = ITEM_SIZES.get(descr);
        if (size != null) {
            return size;
        }
        int chars = unicodeWidth(descr);
        if (chars > 0) {
            return 4 * chars;
        }
        if (descr.startsWith(">")) {
            throw new BundleFormatException(
                    Reason.NPY_UNSUPPORTED,
                    entryName
                            + ": dtype '"
                            + descr
                            + "' is big-endian; only little-endian arrays are read (supported: "
                            + SUPPORTED_DTYPES
                            + ")");
        }
        throw new BundleFormatException(
                Reason.NPY_UNSUPPORTED,
                entryName
                        + ": dtype '"
                        + descr
                        + "' is not supported (supported: "
                        + SUPPORTED_DTYPES
                        + ")");
    }

    /** Checks the declared size against limits and the bytes present; returns the count. */
    static int checkSize(
            NpyHeader header,
            int itemSize,
            long present,
            long maxArrayBytes,
            long totalBytesLeft,
            String entryName) {
        String shape = NpyHeader.shapeText(header.shape());
        long count = 1;
        long dataBytes;
        try {
            for (long dim : header.shape()) {
                count = Math.multiplyExact(count, dim);
            }
            dataBytes = Math.multiplyExact(count, (long) itemSize);
        } catch (ArithmeticException e) {
            throw new BundleFormatException(
                    Reason.LIMIT_EXCEEDED,
                    entryName + ": shape " + shape + " overflows a 64-bit byte count");
        }
        if (dataBytes > maxArrayBytes) {
            throw new BundleFormatException(
                    Reason.LIMIT_EXCEEDED,
                    entryName
                            + ": shape "
                            + shape
                            + " of "
                            + header.descr()
                            + " declares "
                            + dataBytes
                            + " bytes, over the "
                            + "per-array limit of "
                            + maxArrayBytes);
        }
        if (dataBytes > totalBytesLeft) {
            throw new BundleFormatException(
                    Reason.LIMIT_EXCEEDED,
                    entryName
                            + ": shape "
                            + shape
                            + " of "
                            + header.descr()
                            + " declares "
                            + dataBytes
                            + " bytes, more than "
                            + "the "
                            + totalBytesLeft
                            + " bytes left under the total array limit");
        }
        if (dataBytes != present) {
            throw invalid(
                    entryName,
                    "shape "
                            + shape
                            + " of "
                            + header.descr()
                            + " needs "
                            + dataBytes
                            + " data bytes, but the entry holds "
                            + present);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new BundleFormatException(
                    Reason.LIMIT_EXCEEDED,
                    entryName
                            + ": shape "
                            + shape
                            + " has "
                            + count
                            + " elements, more than a Java array holds");
        }
        return (int) count;
    }

    /** The character count n of numpy's little-endian unicode dtype {@code <Un}, else 0. */
    private static int unicodeWidth(String descr) {
        if (!descr.matches("<U[1-9][0-9]{0,5}")) {
            return 0;
        }
        return Integer.parseInt(descr.substring(2));
    }

    /** UTF-32LE cells of a fixed width, trailing NULs removed as numpy's str() of them does. */
    private static NpyArray decodeUnicode(
            NpyHeader header, int count, ByteBuffer data, int chars, String entryName) {
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            StringBuilder b = new StringBuilder(chars);
            for (int k = 0; k < chars; k++) {
                int cp = data.getInt((i * chars + k) * 4);
                if (cp < 0
                        || cp > Character.MAX_CODE_POINT
                        || cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                    throw invalid(entryName, "holds an invalid code point " + cp);
                }
                b.appendCodePoint(cp);
            }
            int end = b.length();
            while (end > 0 && b.charAt(end - 1) == 0) {
                end--;
            }
            out[i] = b.substring(0, end);
        }
        return new NpyArray(header.descr(), header.shape().clone(), null, null, null, out);
    }

    static NpyArray decode(NpyHeader header, int count, ByteBuffer data, String entryName) {
        String descr = header.descr();
        int chars = unicodeWidth(descr);
        if (chars > 0) {
            return decodeUnicode(header, count, data, chars, entryName);
        }
        long[] shape = header.shape().clone();
        switch (descr) {
            case "<f8":
                {
                    double[] values = new double[count];
                    data.asDoubleBuffer().get(values);
                    return new NpyArray(descr, shape, values, null, null);
                }
            case "<f4":
                {
                    double[] values = new double[count];
                    for (int i = 0; i < count; i++) {
                        values[i] = data.getFloat(i * 4);
                    }
                    return new NpyArray(descr, shape, values, null, null);
                }
            case "<i8":
                {
                    long[] values = new long[count];
                    data.asLongBuffer().get(values);
                    return new NpyArray(descr, shape, null, values, null);
                }
            case "<i4":
                {
                    long[] values = new long[count];
                    for (int i = 0; i < count; i++) {
                        values[i] = data.getInt(i * 4);
                    }
                    return new NpyArray(descr, shape, null, values, null);
                }
            case "|u1":
                {
                    long[] values = new long[count];
                    for (int i = 0; i < count; i++) {
                        values[i] = data.get(i) & 0xff;
                    }
                    return new NpyArray(descr, shape, null, values, null);
                }
            default:
                {
                    boolean[] values = new boolean[count];
                    for (int i = 0; i < count; i++) {
                        byte b = data.get(i);
                        if (b != 0 && b != 1) {
                            throw invalid(
                                    entryName,
                                    "bool element "
                                            + i
                                            + " holds byte "
                                            + b
                                            + " (only 0 and 1 are valid)");
                        }
                        values[i] = b == 1;
                    }
                    return new NpyArray(descr, shape, null, null, values);
                }
        }
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xffL)
                | (b[p + 1] & 0xffL) << 8
                | (b[p + 2] & 0xffL) << 16
                | (b[p + 3] & 0xffL) << 24;
    }

    static BundleFormatException invalid(String entryName, String detail) {
        return new BundleFormatException(Reason.NPY_INVALID, entryName + ": " + detail);
    }
}
