package dev.tabscore.bundle.zip;

/**
 * Limits {@link SafeZip} enforces while reading an archive. Sizes are compared with the sizes the
 * archive declares before anything is allocated, and again while inflating.
 *
 * @param maxEntries the most entries the central directory may list
 * @param maxEntryBytes the most uncompressed bytes one entry may hold
 * @param maxTotalBytes the most uncompressed bytes all entries together may hold
 */
public record ZipLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {

    /** The largest entry a Java byte array can hold. */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if a limit is not positive, or an entry limit exceeds what a
     *     Java array can hold
     */
    public ZipLimits {
        if (maxEntries <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0) {
            throw new IllegalArgumentException(
                    "zip limits must be positive: maxEntries="
                            + maxEntries
                            + ", maxEntryBytes="
                            + maxEntryBytes
                            + ", maxTotalBytes="
                            + maxTotalBytes);
        }
        if (maxEntryBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException(
                    "maxEntryBytes "
                            + maxEntryBytes
                            + " exceeds the largest Java array ("
                            + MAX_ARRAY_BYTES
                            + " bytes)");
        }
    }

    /**
     * Returns the default limits: 10,000 entries, 512 MiB per entry, 1 GiB in all.
     *
     * @return the default limits
     */
    public static ZipLimits defaults() {
        return new ZipLimits(10_000, 512L << 20, 1L << 30);
    }
}
