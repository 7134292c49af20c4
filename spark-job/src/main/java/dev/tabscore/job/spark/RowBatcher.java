package dev.tabscore.job.spark;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.quality.InvalidCells;
import dev.tabscore.bundle.quality.PyFloat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Fills a {@link ColumnBatch} from Spark's internal rows, column by column into primitive arrays,
 * as the {@link InputContract} says each column is read: no external {@code Row}, no boxing. Nulls
 * become NaN (doubles), null (strings) or a missing mask (longs, booleans): pandas' view of the
 * same Parquet file.
 *
 * <p>Strings: categorical columns repeat a few values, so each distinct value is decoded to a Java
 * {@code String} once per batcher (bounded), and the same instance, whose hash code is then cached,
 * is handed to the encoders' lookups.
 */
final class RowBatcher {

    /** Distinct values remembered per string column before decoding every cell again. */
    static final int MAX_CACHED_STRINGS = 4096;

    private final List<InputContract.Resolved> columns;
    private final List<Map<UTF8String, String>> strings;

    /** A batch's dictionary id to string (valid for that batch only). */
    private String[] byId = new String[64];

    RowBatcher(InputContract contract) {
        this.columns = contract.columns();
        this.strings = new java.util.ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            strings.add(new HashMap<>());
        }
    }

    /**
     * Builds a batch of the first {@code n} rows.
     *
     * @param rows the rows (copies: input rows are reused by Spark)
     * @param n how many to use
     * @param invalid receives the cells whose value cannot be read (reset here)
     * @return the batch
     */
    ColumnBatch batch(InternalRow[] rows, int n, InvalidCells invalid) {
        return batch(rows, null, n, invalid);
    }

    /**
     * Builds a batch, reading double and string columns straight from the scan's vectors when there
     * are any (the rows are then views onto them).
     *
     * @param rows the rows
     * @param vectors the column vectors the rows view, by input field, or null
     * @param n how many rows
     * @param invalid receives the cells whose value cannot be read (reset here)
     * @return the batch
     */
    ColumnBatch batch(InternalRow[] rows, ColumnVector[] vectors, int n, InvalidCells invalid) {
        invalid.reset(n);
        ColumnBatch.Builder b = ColumnBatch.builder(n);
        for (int c = 0; c < columns.size(); c++) {
            InputContract.Resolved col = columns.get(c);
            Column fast = vectors == null ? null : fromVector(col, c, vectors[col.fieldIndex()], n);
            b.add(col.name(), fast != null ? fast : column(col, c, rows, n, invalid));
        }
        return b.build();
    }

    /** The common types, read in bulk from a vector; null for the others (read as rows). */
    private Column fromVector(InputContract.Resolved c, int index, ColumnVector v, int n) {
        if (c.read() == InputContract.Read.DOUBLE) {
            if (!v.hasNull()) {
                return new DoubleColumn(v.getDoubles(0, n));
            }
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = v.isNullAt(i) ? Double.NaN : v.getDouble(i);
            }
            return new DoubleColumn(x);
        }
        if (c.read() == InputContract.Read.STRING) {
            String[] x = new String[n];
            Map<UTF8String, String> cache = strings.get(index);
            ColumnVector ids = SparkInternals.dictionaryIds(v);
            if (ids != null) {
                // A dictionary-encoded batch: decode each distinct id once, not every cell
                // (the vector would copy the bytes out of the dictionary for each one).
                java.util.Arrays.fill(byId, null);
                for (int i = 0; i < n; i++) {
                    if (v.isNullAt(i)) {
                        continue;
                    }
                    int id = ids.getInt(i);
                    if (id >= byId.length) {
                        byId = java.util.Arrays.copyOf(byId, Math.max(id + 1, 2 * byId.length));
                    }
                    String s = byId[id];
                    if (s == null) {
                        s = string(v.getUTF8String(i), cache);
                        byId[id] = s;
                    }
                    x[i] = s;
                }
                return new StringColumn(x);
            }
            for (int i = 0; i < n; i++) {
                x[i] = v.isNullAt(i) ? null : string(v.getUTF8String(i), cache);
            }
            return new StringColumn(x);
        }
        return null;
    }

    private Column column(
            InputContract.Resolved c, int index, InternalRow[] rows, int n, InvalidCells invalid) {
        int f = c.fieldIndex();
        switch (c.read()) {
            case DOUBLE:
                {
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = rows[i].isNullAt(f) ? Double.NaN : rows[i].getDouble(f);
                    }
                    return new DoubleColumn(v);
                }
            case INTEGER_AS_DOUBLE:
                {
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        v[i] =
                                rows[i].isNullAt(f)
                                        ? Double.NaN
                                        : integer(rows[i], f, c.sparkType());
                    }
                    return new DoubleColumn(v);
                }
            case LONG:
                {
                    long[] v = new long[n];
                    boolean[] missing = null;
                    for (int i = 0; i < n; i++) {
                        if (rows[i].isNullAt(f)) {
                            missing = missing == null ? new boolean[n] : missing;
                            missing[i] = true;
                        } else {
                            v[i] = integer(rows[i], f, c.sparkType());
                        }
                    }
                    return new LongColumn(v, missing);
                }
            case BOOLEAN:
                {
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
            case STRING:
                {
                    String[] v = new String[n];
                    Map<UTF8String, String> cache = strings.get(index);
                    for (int i = 0; i < n; i++) {
                        v[i] = rows[i].isNullAt(f) ? null : string(rows[i].getUTF8String(f), cache);
                    }
                    return new StringColumn(v);
                }
            case DECIMAL_AS_DOUBLE:
                {
                    int[] ps = precisionScale(c.sparkType());
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        // BigDecimal.doubleValue is correctly rounded, as Python's float(Decimal)
                        v[i] =
                                rows[i].isNullAt(f)
                                        ? Double.NaN
                                        : rows[i].getDecimal(f, ps[0], ps[1])
                                                .toJavaBigDecimal()
                                                .doubleValue();
                    }
                    return new DoubleColumn(v);
                }
            case PARSE_DOUBLE:
                {
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        if (rows[i].isNullAt(f)) {
                            v[i] = Double.NaN;
                            continue;
                        }
                        String text = rows[i].getUTF8String(f).toString();
                        Double x = PyFloat.parse(text);
                        if (x == null) {
                            invalid.mark(index, i, text);
                            v[i] = Double.NaN;
                        } else {
                            v[i] = x;
                        }
                    }
                    return new DoubleColumn(v);
                }
            default:
                throw new BundleException(
                        Reason.INPUT_SCHEMA,
                        "column '" + c.name() + "': no reader for " + c.read());
        }
    }

    private static String string(UTF8String u, Map<UTF8String, String> cache) {
        String s = cache.get(u);
        if (s == null) {
            s = u.toString();
            if (cache.size() < MAX_CACHED_STRINGS) {
                cache.put(u.clone(), s); // the row's bytes are reused: keep a copy as the key
            }
        }
        return s;
    }

    /** The precision and scale of a {@code decimal(p,s)} type name. */
    static int[] precisionScale(String sparkType) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("decimal\\((\\d+),(\\d+)\\)").matcher(sparkType);
        if (!m.matches()) {
            throw new BundleException(Reason.INPUT_SCHEMA, "not a decimal type: " + sparkType);
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private static long integer(InternalRow row, int f, String sparkType) {
        return switch (sparkType) {
            case "bigint" -> row.getLong(f);
            case "int" -> row.getInt(f);
            case "smallint" -> row.getShort(f);
            case "tinyint" -> row.getByte(f);
            default ->
                    throw new BundleException(
                            Reason.INPUT_SCHEMA,
                            "column at " + f + " has type " + sparkType + ", not an integer type");
        };
    }
}
