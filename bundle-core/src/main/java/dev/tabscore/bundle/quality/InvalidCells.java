package dev.tabscore.bundle.quality;

import java.util.Arrays;

/**
 * The cells of a raw batch whose value could not be read as the column's type, filled by whoever
 * builds the batch (the cell itself then holds a missing value). One instance is reused batch after
 * batch: {@link #reset} clears it. Not thread-safe.
 */
public final class InvalidCells {

    private final int columns;
    private boolean[][] marks;
    private String[][] raw;
    private int rows;
    private boolean any;

    /**
     * Creates an empty set for a batch layout.
     *
     * @param columns the number of contract columns
     */
    public InvalidCells(int columns) {
        this.columns = columns;
        this.marks = new boolean[columns][];
        this.raw = new String[columns][];
    }

    /**
     * Clears every mark for a batch of {@code rows} rows.
     *
     * @param rows the batch's row count
     */
    public void reset(int rows) {
        if (any) {
            for (int c = 0; c < columns; c++) {
                if (marks[c] != null) {
                    Arrays.fill(marks[c], false);
                    Arrays.fill(raw[c], null);
                }
            }
        }
        this.rows = rows;
        this.any = false;
    }

    /**
     * Marks a cell as invalid.
     *
     * @param column the contract column index
     * @param row the row
     * @param value the value as read, for the reject's detail
     */
    public void mark(int column, int row, String value) {
        if (marks[column] == null || marks[column].length < rows) {
            marks[column] = new boolean[Math.max(rows, 1)];
            raw[column] = new String[Math.max(rows, 1)];
        }
        marks[column][row] = true;
        raw[column][row] = value;
        any = true;
    }

    /**
     * Returns whether a cell is invalid.
     *
     * @param column the contract column index
     * @param row the row
     * @return true when marked
     */
    public boolean isInvalid(int column, int row) {
        return any && marks[column] != null && marks[column][row];
    }

    /**
     * Returns whether a column may have marked cells in this batch (false: none has).
     *
     * @param column the contract column index
     * @return false when no row of the column is marked
     */
    public boolean anyIn(int column) {
        return any && marks[column] != null;
    }

    /**
     * Returns the value of an invalid cell as read.
     *
     * @param column the contract column index
     * @param row the row
     * @return the text, or null
     */
    public String value(int column, int row) {
        return raw[column] == null ? null : raw[column][row];
    }
}
