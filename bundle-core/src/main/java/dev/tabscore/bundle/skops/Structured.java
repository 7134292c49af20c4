package dev.tabscore.bundle.skops;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code .npy} entry of a flat structured dtype, read field by field into one plain column per
 * named field. skops writes a fitted tree's node records this way (numpy's {@code NODE_DTYPE}:
 * {@code left_child <i8, right_child <i8, feature <i8, threshold <f8, impurity <f8, n_node_samples
 * <i8, weighted_n_node_samples <f8}, from 1.3 {@code missing_go_to_left |u1} and 7 bytes of {@code
 * |V7} padding). Only one-dimensional C-order arrays whose fields are plain numbers ({@link
 * Npy#STRUCTURED_FIELD_DTYPES}) or unnamed {@code |V<n>} padding are read; the padding bytes are
 * skipped. Field names must be distinct and non-empty; nothing is nested.
 */
final class Structured {

    private static final int MAX_PADDING = 64;

    private Structured() {}

    static NpyArray parse(
            NpyHeader header,
            byte[] bytes,
            int dataStart,
            long maxArrayBytes,
            long totalBytesLeft,
            String entryName) {
        List<NpyHeader.Field> fields = header.fields();
        if (header.shape().length != 1 || header.fortranOrder()) {
            throw new BundleFormatException(
                    Reason.NPY_UNSUPPORTED,
                    entryName
                            + ": a structured "
                            + "array is read only one-dimensional and C-ordered, not of shape "
                            + NpyHeader.shapeText(header.shape())
                            + (header.fortranOrder() ? " in Fortran order" : ""));
        }
        int itemSize = 0;
        Set<String> names = new HashSet<>();
        for (NpyHeader.Field f : fields) {
            if (f.name().isEmpty()) {
                itemSize += padding(f.type(), entryName);
                continue;
            }
            if (!f.name().matches("[A-Za-z_][A-Za-z0-9_]{0,63}") || !names.add(f.name())) {
                throw Npy.invalid(
                        entryName,
                        "structured dtype has an invalid or repeated field "
                                + "name '"
                                + NodePaths.printable(f.name())
                                + "'");
            }
            if (!(" " + Npy.STRUCTURED_FIELD_DTYPES + " ").contains(" " + f.type() + " ")) {
                throw new BundleFormatException(
                        Reason.NPY_UNSUPPORTED,
                        entryName
                                + ": structured dtype field '"
                                + f.name()
                                + "' has dtype '"
                                + NodePaths.printable(f.type())
                                + "' (supported: "
                                + Npy.STRUCTURED_FIELD_DTYPES
                                + ", unnamed |V<n> padding)");
            }
            itemSize += Npy.itemSize(f.type());
        }
        if (names.isEmpty()) {
            throw Npy.invalid(entryName, "structured dtype has no named field");
        }
        int count =
                Npy.checkSize(
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
        Map<String, NpyArray> columns = new LinkedHashMap<>();
        int offset = 0;
        for (NpyHeader.Field f : fields) {
            if (f.name().isEmpty()) {
                offset += padding(f.type(), entryName);
                continue;
            }
            int size = Npy.itemSize(f.type());
            ByteBuffer column = ByteBuffer.allocate(count * size).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                column.put(data.slice(i * itemSize + offset, size));
            }
            column.flip();
            NpyHeader plain = new NpyHeader(f.type(), false, header.shape().clone(), null);
            columns.put(
                    f.name(),
                    Npy.decode(plain, count, column, entryName + " field '" + f.name() + "'"));
            offset += size;
        }
        return new NpyArray(
                header.descr(),
                header.shape().clone(),
                null,
                null,
                null,
                null,
                Collections.unmodifiableMap(columns));
    }

    /** Bytes per record of a structured array read by {@link #parse}. */
    static int itemSize(NpyArray array) {
        int size = 0;
        for (NpyHeader.Field f :
                NpyHeader.parse(
                                "{'descr': "
                                        + array.dtype()
                                        + ", 'fortran_order': False, 'shape': (0,), }",
                                "dtype")
                        .fields()) {
            size +=
                    f.name().isEmpty()
                            ? Integer.parseInt(f.type().substring(2))
                            : Npy.itemSize(f.type());
        }
        return size;
    }

    private static int padding(String type, String entryName) {
        if (type.matches("\\|V[1-9][0-9]?") && Integer.parseInt(type.substring(2)) <= MAX_PADDING) {
            return Integer.parseInt(type.substring(2));
        }
        throw new BundleFormatException(
                Reason.NPY_UNSUPPORTED,
                entryName
                        + ": structured dtype "
                        + "has an unnamed field of dtype '"
                        + NodePaths.printable(type)
                        + "' (only |V<n> "
                        + "padding of at most "
                        + MAX_PADDING
                        + " bytes may be unnamed)");
    }
}
