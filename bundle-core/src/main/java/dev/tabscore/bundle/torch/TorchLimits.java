package dev.tabscore.bundle.torch;

import dev.tabscore.bundle.zip.ZipLimits;

/**
 * Limits {@link StateDictReader} enforces. Each is checked before the memory it guards is
 * allocated; exceeding one fails with {@link dev.tabscore.bundle.Reason#LIMIT_EXCEEDED}.
 *
 * @param zip the limits of the zip container
 * @param maxPickleBytes the most bytes {@code data.pkl} may hold
 * @param maxMemoEntries the most distinct memo keys the pickle may define
 * @param maxStackDepth the most values plus marks the pickle stack may hold at once
 * @param maxStringBytes the most bytes of one string, integer literal or text line
 * @param maxNesting the deepest nesting of tuples (bounds recursion when hashing dict keys)
 * @param maxTensors the most tensors in one state_dict
 * @param maxTensorElements the most elements of one tensor
 * @param maxTotalTensorBytes the most bytes of all tensors together, after views are resolved
 */
public record TorchLimits(
        ZipLimits zip,
        int maxPickleBytes,
        int maxMemoEntries,
        int maxStackDepth,
        int maxStringBytes,
        int maxNesting,
        int maxTensors,
        long maxTensorElements,
        long maxTotalTensorBytes) {

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if the zip limits are null or a limit is not positive
     */
    public TorchLimits {
        if (zip == null) {
            throw new IllegalArgumentException("zip limits must not be null");
        }
        if (maxPickleBytes <= 0
                || maxMemoEntries <= 0
                || maxStackDepth <= 0
                || maxStringBytes <= 0
                || maxNesting <= 0
                || maxTensors <= 0
                || maxTensorElements <= 0
                || maxTotalTensorBytes <= 0) {
            throw new IllegalArgumentException(
                    "torch limits must be positive: "
                            + zip
                            + ", "
                            + maxPickleBytes
                            + ", "
                            + maxMemoEntries
                            + ", "
                            + maxStackDepth
                            + ", "
                            + maxStringBytes
                            + ", "
                            + maxNesting
                            + ", "
                            + maxTensors
                            + ", "
                            + maxTensorElements
                            + ", "
                            + maxTotalTensorBytes);
        }
    }

    /**
     * Returns the defaults: {@link ZipLimits#defaults()}, a 64 MiB pickle, 1,000,000 memo keys, a
     * stack of 100,000, strings of 1 MiB, tuples nested 64 deep, 100,000 tensors, 2^28 elements per
     * tensor and 1 GiB of tensor data.
     *
     * @return the default limits
     */
    public static TorchLimits defaults() {
        return new TorchLimits(
                ZipLimits.defaults(),
                64 << 20,
                1_000_000,
                100_000,
                1 << 20,
                64,
                100_000,
                1L << 28,
                1L << 30);
    }
}
