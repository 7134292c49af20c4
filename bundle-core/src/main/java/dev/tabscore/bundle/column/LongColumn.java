package dev.tabscore.bundle.column;

/**
 * An int64 column with an optional missing mask (pandas' nullable Int64; scikit-learn sees a
 * missing integer as NaN).
 *
 * @param values the values; the value of a missing row is unspecified
 * @param missing true where missing, or null when no value is missing
 */
public record LongColumn(long[] values, boolean[] missing) implements Column {

    /**
     * Checks the mask length.
     *
     * @param values the values
     * @param missing the mask or null
     */
    public LongColumn {
        if (missing != null && missing.length != values.length) {
            throw new IllegalArgumentException("LongColumn: " + values.length
                    + " values but a missing mask of " + missing.length);
        }
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
        return new LongColumn(v, m);
    }
}
