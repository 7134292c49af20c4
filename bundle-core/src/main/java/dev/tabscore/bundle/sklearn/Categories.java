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
 * <p>A Python {@code None} category matches {@link StringColumn#NONE} only, never a null (NaN):
 * scikit-learn keeps None and NaN apart ({@code _unique_python}: sorted values, then None, then
 * NaN). Inputs hold None only in columns whose training frame held None for a null (the manifest's
 * {@code training_nulls}); elsewhere the encoders refuse such {@code categories_} at load ({@link
 * EncoderAttributes#categories}). Integer categories (an int64 {@code categories_}) match an int
 * column exactly, as numpy compares int64 with int64, even beyond 2^53; a float value is compared
 * with them as float64, as numpy promotes, and where several int categories round to the same
 * double it matches the first of them ({@code searchsorted} side left).
 */
final class Categories {

    private final Object[] values;
    private final Map<String, Integer> strings;
    private final double[] sortedNumbers;
    private final int[] sortedIndex;
    private final int nanIndex;
    private final int noneIndex;
    private final Map<Long, Integer> longs;
    private final int float32Decpt;

    /**
     * Creates the lookup.
     *
     * @param values the categories in stored order: String, Long, Double (NaN allowed once),
     *     Boolean or null
     * @throws IllegalArgumentException on duplicates, unsupported types or huge ints
     */
    Categories(Object[] values) {
        this(values, 0);
    }

    /**
     * Creates the lookup of a float32 {@code categories_} (fitted on a float32 input), or of any
     * other when {@code float32Decpt} is 0.
     *
     * @param values the categories in stored order
     * @param float32Decpt 0, or for float32 categories where numpy's {@code str} of a float32 turns
     *     scientific ({@link PyRepr#ofFloat32}: 16 up to numpy 2.2, 6 from 2.3)
     */
    Categories(Object[] values, int float32Decpt) {
        this.float32Decpt = float32Decpt;
        this.values = values.clone();
        this.strings = new HashMap<>();
        int nan = -1;
        int none = -1;
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
            } else if (v == null) {
                if (none >= 0) {
                    throw new IllegalArgumentException("None appears twice among the categories");
                }
                none = i;
            } else {
                throw new IllegalArgumentException("unsupported category type " + v.getClass());
            }
        }
        this.nanIndex = nan;
        this.noneIndex = none;
        this.longs = longIndex(values);
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
            // distinct int64 categories beyond 2^53 may share a double; anything else equal is not
            if (n > 0
                    && sortedNumbers[n] == sortedNumbers[n - 1]
                    && !(values[order[n]] instanceof Long
                            && values[order[n - 1]] instanceof Long)) {
                throw new IllegalArgumentException(
                        "categories "
                                + PyRepr.repr(values[order[n]])
                                + " and "
                                + PyRepr.repr(values[order[n - 1]])
                                + " are equal");
            }
        }
    }

    /**
     * The exact lookup of an all-int categories array (numpy int64), or null when some category is
     * not an int: then numpy compares an int64 column with them as float64.
     */
    private static Map<Long, Integer> longIndex(Object[] values) {
        Map<Long, Integer> m = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] instanceof Long l)) {
                return null;
            }
            if (m.put(l, i) != null) {
                throw new IllegalArgumentException("category " + l + " twice");
            }
        }
        return m;
    }

    /** A number or bool other than NaN: compared numerically. */
    private static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Boolean || v instanceof Double d && !d.isNaN();
    }

    private static double numeric(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
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
     * Returns {@code str(category)} as scikit-learn names a one-hot column: a float32 category is a
     * numpy float32 scalar there ({@code str(np.float32(0.1))} is {@code 0.1}).
     *
     * @param i the index
     * @return the text
     */
    String str(int i) {
        if (float32Decpt > 0 && values[i] instanceof Double d) {
            return PyRepr.ofFloat32((float) (double) d, float32Decpt);
        }
        return PyRepr.str(values[i]);
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
     * @param s the value, null for missing (NaN) or {@link StringColumn#NONE}
     * @return its index, or -1 if unknown
     */
    int indexOf(String s) {
        if (s == null) {
            return nanIndex;
        }
        if (s == StringColumn.NONE) {
            return noneIndex;
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
        // the first of equal values: int categories beyond 2^53 may share a double
        int lo = 0;
        int hi = sortedNumbers.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedNumbers[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < sortedNumbers.length && sortedNumbers[lo] == x ? sortedIndex[lo] : -1;
    }

    /**
     * Looks up an int: exactly among int categories, else as a float64 (numpy's promotion).
     *
     * @param x the value
     * @return its index, or -1 if unknown
     */
    int indexOf(long x) {
        if (longs != null) {
            Integer i = longs.get(x);
            return i == null ? -1 : i;
        }
        return indexOf((double) x);
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
            // An int column with a null is float64 in pandas (the reference frame): its values
            // are doubles then, compared with int categories as numpy promotes them (found by
            // the differential fuzzer: 4611207602170494886 stored, 4.611207602170495e18 seen).
            // Decided on the batch as read (kept through the guard's re-scoring of the rows
            // left after a refusal), as pandas' frame.iloc keeps the dtype.
            boolean asFloat = l.float64();
            for (int r = 0; r < codes.length; r++) {
                codes[r] =
                        l.isMissing(r)
                                ? nanIndex
                                : asFloat ? indexOf((double) v[r]) : indexOf(v[r]);
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
            stats.addUnknown(PyRepr.str(s.values()[row]));
        } else if (c instanceof DoubleColumn d) {
            stats.addUnknown(d.values()[row]);
        } else {
            stats.addUnknown(text(c, row));
        }
    }
}
