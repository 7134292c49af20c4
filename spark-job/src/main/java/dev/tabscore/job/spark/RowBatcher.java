package dev.tabscore.job.spark;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Fills a {@link ColumnBatch} from Spark rows, column by column into primitive arrays, as the
 * {@link InputContract} says each column is read. Nulls become NaN (doubles), null (strings) or a
 * missing mask (longs, booleans): pandas' view of the same Parquet file.
 */
final class RowBatcher {

    private final List<InputContract.Resolved> columns;

    RowBatcher(InputContract contract) {
        this.columns = contract.columns();
    }

    /**
     * Builds a batch of the first {@code n} rows.
     *
     * @param rows the rows
     * @param n how many to use
     * @return the batch
     */
    ColumnBatch batch(Row[] rows, int n) {
        ColumnBatch.Builder b = ColumnBatch.builder(n);
        for (InputContract.Resolved c : columns) {
            b.add(c.name(), column(c, rows, n));
        }
        return b.build();
    }

    private static Column column(InputContract.Resolved c, Row[] rows, int n) {
        int f = c.fieldIndex();
        switch (c.read()) {
            case DOUBLE: {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rows[i].isNullAt(f) ? Double.NaN : rows[i].getDouble(f);
                }
                return new DoubleColumn(v);
            }
            case INTEGER_AS_DOUBLE: {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rows[i].isNullAt(f) ? Double.NaN : integer(rows[i], f);
                }
                return new DoubleColumn(v);
            }
            case LONG: {
                long[] v = new long[n];
                boolean[] missing = null;
                for (int i = 0; i < n; i++) {
                    if (rows[i].isNullAt(f)) {
                        missing = missing == null ? new boolean[n] : missing;
                        missing[i] = true;
                    } else {
                        v[i] = integer(rows[i], f);
                    }
                }
                return new LongColumn(v, missing);
            }
            case BOOLEAN: {
                boolean[] v = new boolean[n];
                boolean[] missing = null;
                for (int i = 0; i < n; i++) {
                    if (rows[i].isNullAt(f)) {
                        missing = missing == null ? new boolean[n] : missing;
                        missing[i] = true;
                    } else {
                        v[i] = rows[i].getBoolean(f);
                    }
                }
                return new BooleanColumn(v, missing);
            }
            case STRING: {
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rows[i].isNullAt(f) ? null : rows[i].getString(f);
                }
                return new StringColumn(v);
            }
            default:
                throw new BundleException(Reason.INPUT_SCHEMA, "column '" + c.name()
                        + "': no reader for " + c.read());
        }
    }

    private static long integer(Row row, int f) {
        Object o = row.get(f);
        return ((Number) o).longValue();
    }
}
