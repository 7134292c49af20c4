package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The fitted categories of one encoder feature ({@code categories_[i]}) and the lookup
 * scikit-learn's {@code _check_unknown} / {@code _encode} perform: strings match strings exactly
 * (case and whitespace kept); numbers, ints and bools compare numerically, so 3.0 matches the int
 * category 3 and {@code True} matches 1, while the string "3" matches neither; NaN, a null string
 * and a missing int or bool all match the NaN category if there is one.
 *
 * <p>A Python {@code None} category is accepted here but never matched, because tabscore's inputs
 * have no None distinct from missing; the encoders refuse such {@code categories_} at load
 * ({@link EncoderAttributes#categories}). Integer categories beyond 2^53 are refused, since they
 * would compare as doubles.
 */
final class Categories {

    private static final double MAX_EXACT = 9007199254740992.0;

    private final Object[] values;
    private final Map<String, Integer> strings;
    private final double[] sortedNumbers;
    private final int[] sortedIndex;
    private final int nanIndex;

    /**
     * Creates the lookup.
     *
     * @param values the categories in stored order: String, Long, Double (NaN allowed once),
     *     Boolean or null
     * @throws IllegalArgumentException on duplicates, unsupported types or huge ints
     */
    Categories(Object[] values) {
        this.values = values.clone();
        this.strings = new HashMap<>();
        int nan = -1;
        int numbers = 0;
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof Double d && d.isNaN()) {
                if (nan >= 0) {
                    throw new IllegalArgumentException("NaN appears twice among the categories");
                }
                nan = i;
            } else if (v instanceof String s) {
                if (strings.put(s, i) != null) {
                    throw new IllegalArgumentException("category " + PyRepr.repr(s) + " twice");
                }
            } else if (isNumber(v)) {
                numbers++;
            } else if (v != null) {
                throw new IllegalArgumentException("unsupported category type " + v.getClass());
            }
        }
        this.nanIndex = nan;
        Integer[] order = new Integer[numbers];
        for (int i = 0, n = 0; i < values.length; i++) {
            if (isNumber(values[i])) {
                order[n++] = i;
            }
        }
        Arrays.sort(order, (a, b) -> Double.compare(numeric(values[a]), numeric(values[b])));
        this.sortedNumbers = new double[numbers];
        this.sortedIndex = new int[numbers];
        for (int n = 0; n < numbers; n++) {
            sortedIndex[n] = order[n];
            sortedNumbers[n] = numeric(values[order[n]]);
            if (n > 0 && sortedNumbers[n] == sortedNumbers[n - 1]) {
                throw new IllegalArgumentException("categories " + PyRepr.repr(values[order[n]])
                        + " and " + PyRepr.repr(values[order[n - 1]]) + " are equal");
            }
        }
    }

    /** A number or bool other than NaN: compared numerically. */
    private static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Boolean || v instanceof Double d && !d.isNaN();
    }

    private static double numeric(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof Long l && Math.abs((double) l) >= MAX_EXACT) {
            throw new IllegalArgumentException("integer category " + l + " is beyond 2^53");
        }
        // + 0.0 turns -0.0 into 0.0: numpy compares them equal
        return ((Number) v).doubleValue() + 0.0;
    }

    /**
     * Returns the number of categories.
     *
     * @return the count
     */
    int size() {
        return values.length;
    }

    /**
     * Returns a category as stored.
     *
     * @param i the index
     * @return String, Long, Double, Boolean or null
     */
    Object value(int i) {
        return values[i];
    }

    /**
     * Returns the index of the NaN category, or -1.
     *
     * @return the index
     */
    int nanIndex() {
        return nanIndex;
    }

    /**
     * Looks up a string.
     *
     * @param s the value, or null for missing
     * @return its index, or -1 if unknown
     */
    int indexOf(String s) {
        if (s == null) {
            return nanIndex;
        }
        Integer i = strings.get(s);
        return i == null ? -1 : i;
    }

    /**
     * Looks up a number.
     *
     * @param x the value; NaN is missing
     * @return its index, or -1 if unknown
     */
    int indexOf(double x) {
        if (x != x) {
            return nanIndex;
        }
        int lo = 0;
        int hi = sortedNumbers.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            double m = sortedNumbers[mid];
            if (m < x) {
                lo = mid + 1;
            } else if (m > x) {
                hi = mid - 1;
            } else {
                return sortedIndex[mid];
            }
        }
        return -1;
    }

    /**
     * Looks up every row of a column.
     *
     * @param c the column
     * @param codes where the index (or -1 for unknown) of each row goes
     */
    void encode(Column c, int[] codes) {
        if (c instanceof StringColumn s) {
            String[] v = s.values();
            for (int r = 0; r < codes.length; r++) {
                codes[r] = indexOf(v[r]);
            }
        } else if (c instanceof DoubleColumn d) {
            double[] v = d.values();
            for (int r = 0; r < codes.length; r++) {
                codes[r] = indexOf(v[r]);
            }
        } else if (c instanceof LongColumn l) {
            long[] v = l.values();
            for (int r = 0; r < codes.length; r++) {
                codes[r] = l.isMissing(r) ? nanIndex : indexOf((double) v[r]);
            }
        } else {
            BooleanColumn b = (BooleanColumn) c;
            boolean[] v = b.values();
            for (int r = 0; r < codes.length; r++) {
                codes[r] = b.isMissing(r) ? nanIndex : indexOf(v[r] ? 1.0 : 0.0);
            }
        }
    }

    /**
     * Renders the value of a row for messages and statistics.
     *
     * @param c the column
     * @param row the row
     * @return Python's str of the value, {@code nan} when missing
     */
    static String text(Column c, int row) {
        if (c.isMissing(row)) {
            return "nan";
        }
        return PyRepr.str(c.valueAt(row));
    }

    /**
     * Renders the value of a row as Python's repr, for messages.
     *
     * @param c the column
     * @param row the row
     * @return e.g. {@code 'North'}, {@code 7}, {@code nan}
     */
    static String repr(Column c, int row) {
        if (c.isMissing(row)) {
            return "nan";
        }
        return PyRepr.repr(c.valueAt(row));
    }

    /**
     * Counts one unknown value in the statistics.
     *
     * @param stats the column's statistics
     * @param c the column
     * @param row the row
     */
    static void countUnknown(ColumnStats stats, Column c, int row) {
        if (c instanceof StringColumn s && s.values()[row] != null) {
            stats.addUnknown(s.values()[row]);
        } else if (c instanceof DoubleColumn d) {
            stats.addUnknown(d.values()[row]);
        } else {
            stats.addUnknown(text(c, row));
        }
    }
}
