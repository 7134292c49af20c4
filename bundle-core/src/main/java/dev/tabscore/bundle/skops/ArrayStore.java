package dev.tabscore.bundle.skops;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.zip.SafeZip;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the {@code .npy} entries that NdArrayNodes name, once per entry (skops writes an array
 * shared by two attributes once and names it from both), and keeps the total under the limit.
 */
final class ArrayStore {

    private final SafeZip zip;
    private final SkopsLimits limits;
    private final Map<String, NpyArray> byFile = new HashMap<>();
    private long totalBytes;

    ArrayStore(SafeZip zip, SkopsLimits limits) {
        this.zip = zip;
        this.limits = limits;
    }

    /**
     * Returns the sha-256 of an entry's bytes (hex), for comparing two nodes that name arrays of a
     * dtype the reader does not decode.
     */
    String digest(String file, String path) {
        if (!zip.has(file)) {
            throw new BundleFormatException(
                    Reason.NPY_INVALID,
                    zip.artifact()
                            + ": node at "
                            + path
                            + " names the .npy entry '"
                            + NodePaths.printable(file)
                            + "', which is not in the archive");
        }
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(zip.entry(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the array in entry {@code file}, referenced by the node at {@code path}. */
    NpyArray load(String file, String path) {
        NpyArray cached = byFile.get(file);
        if (cached != null) {
            return cached;
        }
        if (!zip.has(file)) {
            throw new BundleFormatException(
                    Reason.NPY_INVALID,
                    zip.artifact()
                            + ": node at "
                            + path
                            + " names the .npy entry '"
                            + NodePaths.printable(file)
                            + "', which is not in the archive");
        }
        String where = zip.artifact() + ": entry '" + file + "' (node at " + path + ")";
        NpyArray array =
                Npy.parse(
                        zip.entry(file),
                        where,
                        limits.maxArrayBytes(),
                        limits.maxTotalArrayBytes() - totalBytes);
        totalBytes += (long) array.size() * Npy.itemSize(array);
        byFile.put(file, array);
        return array;
    }
}
