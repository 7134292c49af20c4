package dev.tabscore.bundle.column;

/**
 * A boolean column with an optional missing mask.
 *
 * <p>Pandas holds a bool column with a null as an object column, decided once on the batch as read:
 * {@link #nullInBatch()} records it and {@link #select} keeps it, so the rows left after a refused
 * row are computed as scikit-learn computes them ({@code frame.iloc} keeps the dtype).
 *
 * @param values the values; the value of a missing row is unspecified
 * @param missing true where missing, or null when no value is missing
 * @param nullInBatch true when the batch as read held a null in this column (pandas: object)
 */
public record BooleanColumn(boolean[] values, boolean[] missing, boolean nullInBatch)
        implements Column {

    /**
     * Checks the mask length; a missing row implies {@code nullInBatch}.
     *
     * @param values the values
     * @param missing the mask or null
     * @param nullInBatch whether the batch as read held a null in this column
     */
    public BooleanColumn {
        if (missing != null && missing.length != values.length) {
            throw new IllegalArgumentException(
                    "BooleanColumn: "
                            + values.length
                            + " values but a missing mask of "
                            + missing.length);
        }
        if (!nullInBatch && missing != null) {
            for (boolean m : missing) {
                nullInBatch |= m;
            }
        }
    }

    /**
     * A column read as a batch of its own: {@code nullInBatch} when a value is missing.
     *
     * @param values the values
     * @param missing the mask or null
     */
    public BooleanColumn(boolean[] values, boolean[] missing) {
        this(values, missing, false);
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
    public BooleanColumn select(int[] rows) {
        boolean[] v = new boolean[rows.length];
        boolean[] m = missing == null ? null : new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = values[rows[i]];
            if (m != null) {
                m[i] = missing[rows[i]];
            }
        }
        return new BooleanColumn(v, m, nullInBatch);
    }
}
