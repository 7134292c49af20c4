package dev.tabscore.bundle.skops;

import dev.tabscore.bundle.zip.ZipLimits;

/**
 * Limits {@link SkopsReader} enforces on a {@code .skops} file. Every size is compared with what
 * the file declares before anything of that size is allocated.
 *
 * @param maxJsonDepth the deepest nesting of JSON objects and arrays in schema.json
 * @param maxStringLength the longest JSON string (or property name) in schema.json
 * @param maxSchemaBytes the largest schema.json, in bytes
 * @param maxArrayBytes the largest data section of one {@code .npy} entry, in bytes
 * @param maxTotalArrayBytes the largest data of all {@code .npy} entries together, in bytes
 * @param maxNodes the most nodes the graph may hold
 */
public record SkopsLimits(
        int maxJsonDepth,
        int maxStringLength,
        long maxSchemaBytes,
        long maxArrayBytes,
        long maxTotalArrayBytes,
        int maxNodes) {

    /** Room for {@code .npy} headers and the zip structure on top of the data limits. */
    private static final long ZIP_SLACK_BYTES = 64L << 20;

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public SkopsLimits {
        if (maxJsonDepth <= 0
                || maxStringLength <= 0
                || maxSchemaBytes <= 0
                || maxArrayBytes <= 0
                || maxTotalArrayBytes <= 0
                || maxNodes <= 0) {
            throw new IllegalArgumentException(
                    "skops limits must be positive: maxJsonDepth="
                            + maxJsonDepth
                            + ", maxStringLength="
                            + maxStringLength
                            + ", maxSchemaBytes="
                            + maxSchemaBytes
                            + ", maxArrayBytes="
                            + maxArrayBytes
                            + ", maxTotalArrayBytes="
                            + maxTotalArrayBytes
                            + ", maxNodes="
                            + maxNodes);
        }
    }

    /**
     * Returns the default limits: JSON depth 200, strings of 1 MiB, a 64 MiB schema.json, 256 MiB
     * per array, 512 MiB of arrays in all, 100,000 nodes. The fixture bundles need depth 23, fewer
     * than 700 nodes and a few KiB of arrays.
     *
     * @return the default limits
     */
    public static SkopsLimits defaults() {
        return new SkopsLimits(200, 1 << 20, 64L << 20, 256L << 20, 512L << 20, 100_000);
    }

    /**
     * Returns the zip limits that follow from these limits: one entry per node plus schema.json,
     * each entry no larger than schema.json or one array with its header.
     *
     * @return the limits for reading the container
     */
    public ZipLimits zipLimits() {
        long npyBytes = saturatedAdd(maxArrayBytes, Npy.MAX_HEADER_BYTES + Npy.PREAMBLE_BYTES);
        long entryBytes = Math.max(maxSchemaBytes, npyBytes);
        long totalBytes =
                saturatedAdd(saturatedAdd(maxSchemaBytes, maxTotalArrayBytes), ZIP_SLACK_BYTES);
        int entries = maxNodes == Integer.MAX_VALUE ? maxNodes : maxNodes + 1;
        return new ZipLimits(entries, Math.min(entryBytes, ZipLimits.MAX_ARRAY_BYTES), totalBytes);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
