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
}
