package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import java.util.List;

/** Small helpers for building and checking the batches transformers pass along. */
final class Batches {

    private Batches() {}

    /**
     * Freezes columns into a batch.
     *
     * @param rows the row count
     * @param names the column names
     * @param columns the columns, one per name
     * @return the batch
     */
    static ColumnBatch of(int rows, List<String> names, Column[] columns) {
        if (names.size() != columns.length) {
            throw new IllegalArgumentException(
                    names.size() + " names for " + columns.length + " columns");
        }
        ColumnBatch.Builder b = ColumnBatch.builder(rows);
        for (int j = 0; j < columns.length; j++) {
            b.add(names.get(j), columns[j]);
        }
        return b.build();
    }

    /**
     * Checks that a batch has the width a transformer was fitted on.
     *
     * @param in the batch
     * @param width the fitted width
     * @param who the transformer, for the message
     */
    static void checkWidth(ColumnBatch in, int width, String who) {
        if (in.columnCount() != width) {
            throw new IllegalArgumentException(
                    who
                            + " was fitted on "
                            + width
                            + " columns, got "
                            + in.columnCount()
                            + " "
                            + in.names());
        }
    }

    /**
     * Checks a fitted per-column array against the width.
     *
     * @param values the array, or null when the option is off
     * @param width the width
     * @param what the attribute name, for the message
     * @return a copy, or null
     */
    static double[] copyOfWidth(double[] values, int width, String what) {
        if (values == null) {
            return null;
        }
        if (values.length != width) {
            throw new IllegalArgumentException(
                    what + " has " + values.length + " values for " + width + " columns");
        }
        return values.clone();
    }
}
