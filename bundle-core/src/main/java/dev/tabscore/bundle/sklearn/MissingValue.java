package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;

/**
 * The {@code missing_values} of SimpleImputer and MissingIndicator, with scikit-learn's mask
 * ({@code _get_mask}) and input check ({@code ensure_all_finite}):
 *
 * <ul>
 *   <li>NaN (the default): NaN, a masked int or bool and a null string are missing; infinity in a
 *       numeric column is refused ("allow-nan").
 *   <li>a number (e.g. -1): cells equal to it are missing (int64 compared as integers when the
 *       number is a Python int, as floats otherwise); NaN and infinity in numeric columns are
 *       refused ({@code ensure_all_finite=True}; an object array is only checked for NaN).
 *   <li>a string (e.g. ''): string cells equal to it are missing.
 *   <li>None: {@link StringColumn#NONE} cells are missing.
 * </ul>
 *
 * <p>A null string is NaN, as the exporter's Python reference ({@code sklearn_frame}) and golden
 * batch present it to scikit-learn, unless the bundle's training frame held None there (the
 * manifest's {@code training_nulls}): then it is {@link StringColumn#NONE}, which is not missing to
 * a NaN mask ({@code X != X} is false for None). With a missing value other than NaN (None
 * included) scikit-learn refuses NaN in an object array, so such a row is refused here too (found
 * by the differential fuzzer).
 */
final class MissingValue {

    /** The form of the missing value. */
    enum Kind {
        NAN,
        INT,
        FLOAT,
        STRING,
        NONE
    }

    static final MissingValue NAN = new MissingValue(Kind.NAN, 0, 0, null);

    private final Kind kind;
    private final long integer;
    private final double number;
    private final String string;

    private MissingValue(Kind kind, long integer, double number, String string) {
        this.kind = kind;
        this.integer = integer;
        this.number = number;
        this.string = string;
    }

    /**
     * Reads {@code missing_values}; absent means NaN.
     *
     * @param a the estimator
     * @return the missing value
     */
    static MissingValue of(Attrs a) {
        SkopsNode n = a.opt("missing_values");
        if (n == null) {
            return NAN;
        }
        if (!(n instanceof JsonValue j)) {
            throw a.unsupported("missing_values", n);
        }
        Object v = j.value();
        if (v == null) {
            return new MissingValue(Kind.NONE, 0, 0, null);
        }
        if (a.inputIsFloat32() && (v instanceof Double || v instanceof Long)) {
            // a float32 array == a Python number compares in float32 (numpy 2's weak scalars,
            // numpy 1's value-based casting): the number rounds to float32 first
            double x = ((Number) v).doubleValue();
            return x != x ? NAN : new MissingValue(Kind.FLOAT, 0, NarrowFloatSteps.round(x), null);
        }
        if (v instanceof Double d) {
            return d.isNaN() ? NAN : new MissingValue(Kind.FLOAT, 0, d, null);
        }
        if (v instanceof Long l) {
            return new MissingValue(Kind.INT, l, l, null);
        }
        if (v instanceof String s) {
            return new MissingValue(Kind.STRING, 0, 0, s);
        }
        throw a.unsupported("missing_values", n);
    }

    boolean isNan() {
        return kind == Kind.NAN;
    }

    /** Whether the missing value is a number other than NaN (int or float). */
    boolean isNumber() {
        return kind == Kind.INT || kind == Kind.FLOAT;
    }

    /** The number, for {@link #isNumber()}. */
    double number() {
        return number;
    }

    /**
     * Applies scikit-learn's finiteness check to one input column.
     *
     * @param c the column
     * @param name its name
     * @param who the transformer, for messages
     * @param objectInput whether scikit-learn sees the input as an object array (a string column
     *     among the inputs, or fitted so)
     */
    void check(Column c, String name, String who, boolean objectInput) {
        if (c instanceof StringColumn sc && objectInput) {
            if (kind != Kind.NAN) {
                // A null string is NaN to scikit-learn here (the exporter's frame and golden
                // batch turn None into NaN), and check_array refuses NaN in an object array
                // unless missing_values is NaN: "Input contains NaN".
                for (int r = 0; r < sc.size(); r++) {
                    if (sc.values()[r] == null) {
                        throw ScoringFailure.at(
                                Reason.INPUT_VALUE,
                                name,
                                r,
                                who
                                        + "(missing_values="
                                        + describe()
                                        + ") refuses a missing value "
                                        + "(NaN) in a string column");
                    }
                }
            }
            return;
        }
        double[] x = NumericInput.doubles(c, name, who); // refuses a string in numeric input
        if (kind == Kind.NAN) {
            if (!objectInput) {
                NumericInput.requireNoInfinity(x, name, who);
            }
            return;
        }
        for (int r = 0; r < x.length; r++) {
            if (x[r] != x[r] || !objectInput && Double.isInfinite(x[r])) {
                throw ScoringFailure.at(
                        Reason.INPUT_VALUE,
                        name,
                        r,
                        who
                                + "(missing_values="
                                + describe()
                                + ") refuses "
                                + (x[r] != x[r]
                                        ? "a missing value (NaN)"
                                        : "infinity (value " + PyRepr.ofDouble(x[r]) + ")"));
            }
        }
    }

    /**
     * Returns where a column holds the missing value.
     *
     * @param c the column (already checked)
     * @return the mask
     */
    boolean[] mask(Column c) {
        int n = c.size();
        boolean[] m = new boolean[n];
        switch (kind) {
            case NAN:
                for (int r = 0; r < n; r++) {
                    m[r] = c.isMissing(r);
                }
                break;
            case NONE:
                if (c instanceof StringColumn s) {
                    for (int r = 0; r < n; r++) {
                        m[r] = s.values()[r] == StringColumn.NONE;
                    }
                }
                break;
            case STRING:
                if (c instanceof StringColumn s) {
                    for (int r = 0; r < n; r++) {
                        m[r] = string.equals(s.values()[r]);
                    }
                }
                break;
            default:
                if (c instanceof LongColumn l) {
                    for (int r = 0; r < n; r++) {
                        // int64 == int, or float64 == number where pandas made it float64
                        m[r] =
                                !l.isMissing(r)
                                        && (kind == Kind.INT && !l.float64()
                                                ? l.values()[r] == integer
                                                : (double) l.values()[r] == number);
                    }
                } else if (c instanceof DoubleColumn d) {
                    for (int r = 0; r < n; r++) {
                        m[r] = d.values()[r] == number;
                    }
                } else if (c instanceof BooleanColumn b) {
                    for (int r = 0; r < n; r++) {
                        m[r] = !b.isMissing(r) && (b.values()[r] ? 1.0 : 0.0) == number;
                    }
                }
        }
        return m;
    }

    /**
     * Returns the Python repr of the missing value, for messages.
     *
     * @return e.g. {@code nan}, {@code -1}, {@code ''}
     */
    String describe() {
        switch (kind) {
            case NAN:
                return "nan";
            case INT:
                return Long.toString(integer);
            case FLOAT:
                return PyRepr.ofDouble(number);
            case STRING:
                return PyRepr.repr(string);
            default:
                return "None";
        }
    }
}
