package dev.tabscore.bundle.column;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N rows of named, typed columns: what the scikit-learn graph transforms.
 *
 * <p>Names may repeat, as scikit-learn's feature names may; a column with a repeated name is read
 * by position ({@link #column(int)}), and {@link #column(String)} refuses the name.
 *
 * <p>Immutable once built; every column has exactly {@link #rowCount()} rows (checked here, with
 * both counts in the message). Build one with {@link #builder(int)}:
 *
 * <pre>{@code
 * ColumnBatch batch = ColumnBatch.builder(2)
 *         .add("age", new DoubleColumn(new double[] {31, Double.NaN}))
 *         .add("region", new StringColumn(new String[] {"north", null}))
 *         .build();
 * }</pre>
 */
public final class ColumnBatch {

    /** The index of a name that more than one column carries. */
    private static final int AMBIGUOUS = -1;

    private final int rowCount;
    private final List<String> names;
    private final Column[] columns;
    private final Map<String, Integer> index;

    private ColumnBatch(int rowCount, List<String> names, Column[] columns) {
        this.rowCount = rowCount;
        this.names = Collections.unmodifiableList(new ArrayList<>(names));
        this.columns = columns;
        this.index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            // a repeated name (scikit-learn names two one-hot features c_nan for the categories
            // 'nan' and NaN) is kept: columns stay positional, only a lookup by that name fails
            index.merge(names.get(i), i, (a, b) -> AMBIGUOUS);
        }
    }

    /**
     * Starts a batch of {@code rowCount} rows.
     *
     * @param rowCount the number of rows every column must have
     * @return a builder
     */
    public static Builder builder(int rowCount) {
        return new Builder(rowCount);
    }

    /**
     * Returns the number of rows.
     *
     * @return the row count
     */
    public int rowCount() {
        return rowCount;
    }

    /**
     * Returns the number of columns.
     *
     * @return the column count
     */
    public int columnCount() {
        return columns.length;
    }

    /**
     * Returns the column names, in order.
     *
     * @return the names
     */
    public List<String> names() {
        return names;
    }

    /**
     * Returns column {@code i}.
     *
     * @param i a 0-based column index
     * @return the column
     */
    public Column column(int i) {
        return columns[i];
    }

    /**
     * Returns the column called {@code name}.
     *
     * @param name a column name
     * @return the column
     * @throws IllegalArgumentException if there is no such column
     */
    public Column column(String name) {
        return columns[indexOf(name)];
    }

    /**
     * Returns the index of the column called {@code name}, or throws.
     *
     * @param name a column name
     * @return its index
     * @throws IllegalArgumentException naming the column and the columns present, also when more
     *     than one column has that name
     */
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException(
                    "no column '" + name + "' in batch with columns " + names);
        }
        if (i == AMBIGUOUS) {
            throw new IllegalArgumentException(
                    "column '"
                            + name
                            + "' appears more than once in"
                            + " batch with columns "
                            + names
                            + ": it can only be read by position");
        }
        return i;
    }

    /**
     * Returns whether the batch has a column called {@code name}.
     *
     * @param name a column name
     * @return true if present
     */
    public boolean has(String name) {
        return index.containsKey(name);
    }

    /**
     * Returns a batch of the given rows of every column, in the given order.
     *
     * @param rows 0-based row indexes, each below {@link #rowCount()}
     * @return the selected rows
     */
    public ColumnBatch select(int[] rows) {
        Column[] out = new Column[columns.length];
        for (int c = 0; c < columns.length; c++) {
            out[c] = columns[c].select(rows);
        }
        return new ColumnBatch(rows.length, names, out);
    }

    /** Collects columns, then checks and freezes them into a batch. */
    public static final class Builder {
        private final int rowCount;
        private final List<String> names = new ArrayList<>();
        private final List<Column> columns = new ArrayList<>();

        private Builder(int rowCount) {
            if (rowCount < 0) {
                throw new IllegalArgumentException("negative row count " + rowCount);
            }
            this.rowCount = rowCount;
        }

        /**
         * Adds a column.
         *
         * @param name the column name
         * @param column the column, with exactly the batch's row count
         * @return this builder
         */
        public Builder add(String name, Column column) {
            if (column.size() != rowCount) {
                throw new IllegalArgumentException(
                        "column '"
                                + name
                                + "' has "
                                + column.size()
                                + " rows, the batch has "
                                + rowCount);
            }
            names.add(name);
            columns.add(column);
            return this;
        }

        /**
         * Freezes the batch.
         *
         * @return the batch
         */
        public ColumnBatch build() {
            return new ColumnBatch(rowCount, names, columns.toArray(new Column[0]));
        }
    }
}
