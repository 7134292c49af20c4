package dev.tabscore.bundle.column;

/**
 * One typed column of a {@link ColumnBatch}: primitive arrays, no object per numeric cell.
 *
 * <p>Missing values follow pandas: NaN in a {@link DoubleColumn}, {@code null} in a {@link
 * StringColumn}, and a separate mask for {@link LongColumn} and {@link BooleanColumn}.
 */
public sealed interface Column permits DoubleColumn, LongColumn, BooleanColumn, StringColumn {

    /**
     * Returns the number of rows.
     *
     * @return the row count
     */
    int size();

    /**
     * Returns whether the value at {@code row} is missing (NaN or null).
     *
     * @param row a 0-based row
     * @return true if missing
     */
    boolean isMissing(int row);

    /**
     * Returns the value at {@code row} as a Java object, for messages and tests only (never in hot
     * loops): Double, Long, Boolean, String, or null when missing.
     *
     * @param row a 0-based row
     * @return the boxed value
     */
    Object valueAt(int row);

    /**
     * Returns a new column holding the given rows, in the given order (to drop rejected rows from a
     * batch before it is transformed).
     *
     * @param rows 0-based row indexes
     * @return the selected rows
     */
    Column select(int[] rows);
}
