package dev.tabscore.bundle.column;

/**
 * An int64 column with an optional missing mask (pandas' nullable Int64; scikit-learn sees a
 * missing integer as NaN).
 *
 * <p>Pandas holds an int column with a null as float64, and scikit-learn then computes on float64
 * (ufuncs, category matching, imputation dtype). That is decided once on the batch as read, as
 * pandas sees the whole frame passed to {@code transform}: {@link #nullInBatch()} records it and
 * {@link #select} keeps it, so the rows left after a refused row (the guard's re-scoring) are still
 * computed as float64, as {@code frame.iloc[rows]} keeps the dtype.
 *
 * @param values the values; the value of a missing row is unspecified
 * @param missing true where missing, or null when no value is missing
 * @param nullInBatch true when the batch as read held a null in this column (pandas: float64)
 */
public record LongColumn(long[] values, boolean[] missing, boolean nullInBatch) implements Column {

    /**
     * Checks the mask length; a missing row implies {@code nullInBatch}.
     *
     * @param values the values
     * @param missing the mask or null
     * @param nullInBatch whether the batch as read held a null in this column
     */
    public LongColumn {
        if (missing != null && missing.length != values.length) {
            throw new IllegalArgumentException(
                    "LongColumn: "
                            + values.length
                            + " values but a missing mask of "
                            + missing.length);
        }
        nullInBatch = nullInBatch || anyTrue(missing);
    }

    /**
     * A column read as a batch of its own: {@code nullInBatch} when a value is missing.
     *
     * @param values the values
     * @param missing the mask or null
     */
    public LongColumn(long[] values, boolean[] missing) {
        this(values, missing, false);
    }

    /**
     * Whether scikit-learn sees this column as float64 (pandas: an int column with a null in the
     * batch) rather than int64.
     *
     * @return true for float64
     */
    public boolean float64() {
        return nullInBatch;
    }

    private static boolean anyTrue(boolean[] m) {
        if (m != null) {
            for (boolean b : m) {
                if (b) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return values.length;
    }

    /** {@inheritDoc} */
    @Override
    public boolean isMissing(int row) {
        return missing != null && missing[row];
    }

    /** {@inheritDoc} */
    @Override
    public Object valueAt(int row) {
        return isMissing(row) ? null : values[row];
    }

    /** {@inheritDoc} */
    @Override
    public LongColumn select(int[] rows) {
        long[] v = new long[rows.length];
        boolean[] m = missing == null ? null : new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = values[rows[i]];
            if (m != null) {
                m[i] = missing[rows[i]];
            }
        }
        return new LongColumn(v, m, nullInBatch);
    }
}
