package dev.tabscore.bundle.quality;

import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.sklearn.PyRepr;

/**
 * The key of a categorical value in the training frequencies the exporter stores ({@code
 * _category_key} in {@code python/tabscore_export/statistics.py}): strings as they are, booleans
 * {@code true}/{@code false}, integral numbers in decimal, other floats as Python's repr.
 */
final class CategoryKey {

    private static final double EXACT_LONG = 9.2e18;

    private CategoryKey() {}

    /**
     * Returns the key of a non-missing cell.
     *
     * @param c the column
     * @param row the row (not missing)
     * @return the key
     */
    static String of(Column c, int row) {
        if (c instanceof StringColumn s) {
            return s.values()[row];
        }
        if (c instanceof LongColumn l) {
            return Long.toString(l.values()[row]);
        }
        if (c instanceof BooleanColumn b) {
            return b.values()[row] ? "true" : "false";
        }
        return ofNumber(((DoubleColumn) c).values()[row]);
    }

    /**
     * Returns the key of a fitted category value.
     *
     * @param v String, Long, Double or Boolean
     * @return the key, or null for null (Python None)
     */
    static String ofValue(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof Long l) {
            return Long.toString(l);
        }
        return ofNumber((Double) v);
    }

    private static String ofNumber(double x) {
        if (x == Math.rint(x) && !Double.isInfinite(x)) {
            // Python: str(int(x)), exact even beyond the range of a long
            return Math.abs(x) < EXACT_LONG
                    ? Long.toString((long) x)
                    : new java.math.BigDecimal(x).toBigInteger().toString();
        }
        return PyRepr.ofDouble(x);
    }
}
