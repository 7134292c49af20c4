package dev.tabscore.bundle.column;

/**
 * A string (pandas object) column; {@code null} is missing. The empty string is a value, not
 * missing, exactly as in pandas once a file has been read.
 *
 * <p>{@link #NONE} (compared by identity) is Python's {@code None} where a bundle's training frame
 * held None for a null: scikit-learn keeps None apart from NaN (a category of its own, not missing
 * to a NaN imputer), so such a cell is not missing here either.
 *
 * @param values the values
 */
public record StringColumn(String[] values) implements Column {

    /**
     * Python's {@code None} in an object column. Only this instance means None (test with {@code
     * ==}); its text is never a real value, so an equality lookup cannot hit it by chance.
     */
    @SuppressWarnings("StringOperationCanBeSimplified")
    public static final String NONE = new String("\uE000None");

    /**
     * Returns a copy with every null replaced by {@link #NONE}: the column as scikit-learn saw it
     * when the training frame held None for a missing string.
     *
     * @return the copy
     */
    public StringColumn nullsAsNone() {
        String[] v = values.clone();
        for (int r = 0; r < v.length; r++) {
            if (v[r] == null) {
                v[r] = NONE;
            }
        }
        return new StringColumn(v);
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return values.length;
    }

    /** {@inheritDoc} */
    @Override
    public boolean isMissing(int row) {
        return values[row] == null;
    }

    /** {@inheritDoc} */
    @Override
    public Object valueAt(int row) {
        return values[row];
    }

    /** {@inheritDoc} */
    @Override
    public StringColumn select(int[] rows) {
        String[] v = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = values[rows[i]];
        }
        return new StringColumn(v);
    }
}
