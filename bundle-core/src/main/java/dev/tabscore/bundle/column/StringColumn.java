package dev.tabscore.bundle.column;

/**
 * A string (pandas object) column; {@code null} is missing. The empty string is a value, not
 * missing, exactly as in pandas once a file has been read.
 *
 * @param values the values
 */
public record StringColumn(String[] values) implements Column {

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
