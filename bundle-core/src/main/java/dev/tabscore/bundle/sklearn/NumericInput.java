package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;

/**
 * Reads a column as float64 the way scikit-learn's {@code check_array(dtype=float64)} would, and
 * applies its finiteness checks. Integers and booleans convert as numpy's {@code astype(float64)};
 * a missing value becomes NaN. A string value is refused (scikit-learn would try {@code
 * float(str)}; tabscore's inputs are typed, so a string in a numeric column is a schema error).
 */
final class NumericInput {

    private NumericInput() {}

    /**
     * Returns the column as doubles. For a {@link DoubleColumn} this is its own array: callers must
     * not write to it.
     *
     * @param c the column
     * @param name the column name, for messages
     * @param who the transformer reading it, for messages
     * @return the values
     */
    static double[] doubles(Column c, String name, String who) {
        if (c instanceof DoubleColumn d) {
            return d.values();
        }
        double[] out = new double[c.size()];
        if (c instanceof LongColumn l) {
            long[] v = l.values();
            for (int r = 0; r < out.length; r++) {
                out[r] = l.isMissing(r) ? Double.NaN : (double) v[r];
            }
        } else if (c instanceof BooleanColumn b) {
            boolean[] v = b.values();
            for (int r = 0; r < out.length; r++) {
                out[r] = b.isMissing(r) ? Double.NaN : (v[r] ? 1.0 : 0.0);
            }
        } else {
            String[] v = ((StringColumn) c).values();
            for (int r = 0; r < out.length; r++) {
                if (v[r] != null) {
                    throw ScoringFailure.at(
                            Reason.INPUT_SCHEMA,
                            name,
                            r,
                            "string value "
                                    + PyRepr.repr(v[r])
                                    + " where "
                                    + who
                                    + " expects a number");
                }
                out[r] = Double.NaN;
            }
        }
        return out;
    }

    /**
     * Throws on the first infinite value: scikit-learn's {@code ensure_all_finite="allow-nan"}.
     *
     * @param v the values
     * @param name the column name
     * @param who the transformer, for the message
     */
    static void requireNoInfinity(double[] v, String name, String who) {
        for (int r = 0; r < v.length; r++) {
            if (Double.isInfinite(v[r])) {
                throw ScoringFailure.at(
                        Reason.INPUT_VALUE,
                        name,
                        r,
                        who + " refuses infinity (value " + PyRepr.ofDouble(v[r]) + ")");
            }
        }
    }

    /**
     * Throws on the first NaN or infinite value: scikit-learn's {@code ensure_all_finite=True}.
     *
     * @param v the values
     * @param name the column name
     * @param who the transformer, for the message
     */
    static void requireFinite(double[] v, String name, String who) {
        for (int r = 0; r < v.length; r++) {
            if (!Double.isFinite(v[r])) {
                throw ScoringFailure.at(
                        Reason.INPUT_VALUE,
                        name,
                        r,
                        who
                                + " refuses "
                                + (Double.isNaN(v[r])
                                        ? "a missing value (NaN)"
                                        : "infinity (value " + PyRepr.ofDouble(v[r]) + ")"));
            }
        }
    }
}
