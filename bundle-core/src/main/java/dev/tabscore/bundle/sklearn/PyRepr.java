package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.StringColumn;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's text for values: {@code repr(float)} (the shortest digits that read back to the same
 * double, as CPython and numpy print them) and {@code str(x)}, which scikit-learn uses in feature
 * names such as {@code weekday_3} or {@code bins_2.0}. JDK 17's {@code Double.toString} is not
 * always shortest and formats differently, so it cannot be used for names.
 */
public final class PyRepr {

    private PyRepr() {}

    /**
     * Returns Python's {@code str(v)} for a category or statistic value.
     *
     * @param v a String, Long, Double, Boolean or null (Python None)
     * @return the text
     */
    public static String str(Object v) {
        if (v == null || v == StringColumn.NONE) {
            return "None";
        }
        if (v instanceof Double d) {
            return ofDouble(d);
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return v.toString();
    }

    /**
     * Returns Python's {@code repr(v)}: strings in single quotes, the rest as {@link #str}.
     *
     * @param v a value
     * @return the text
     */
    public static String repr(Object v) {
        if (v instanceof String s && s != StringColumn.NONE) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        return str(v);
    }

    /**
     * Returns Python's {@code repr(x)} for a float.
     *
     * @param x the value
     * @return e.g. {@code 3.0}, {@code 0.1}, {@code 1e+16}, {@code 1e-05}, {@code nan}, {@code
     *     -inf}
     */
    public static String ofDouble(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) {
            return special(x);
        }
        BigDecimal digits = shortest(Math.abs(x)).stripTrailingZeros();
        int decpt = decpt(digits);
        return format(x < 0, digits, decpt > -4 && decpt <= 16);
    }

    /**
     * Returns numpy's {@code str(np.float32(x))}: the shortest digits that read back to the same
     * float32, positional from 1e-4 up to below {@code 10^maxDecpt}, else scientific ({@code
     * 1e-05}, {@code 1.2345679e+08}). numpy up to 2.2 writes positional below 1e16 (as Python does
     * for a float), numpy 2.3 and later below 1e6 ({@code 1.048576e+06}): {@code maxDecpt} is 16 or
     * 6.
     *
     * @param x a float32 value
     * @param maxDecpt 16 (numpy up to 2.2) or 6 (numpy 2.3 and later)
     * @return the text
     */
    static String ofFloat32(float x, int maxDecpt) {
        if (Float.isNaN(x) || Float.isInfinite(x) || x == 0) {
            return special(x);
        }
        // numpy compares the value with the thresholds, not its digits: float32(1e-4) is
        // 9.99999974e-05, written 1e-04 (Python's digit rule would write 0.0001)
        double a = Math.abs((double) x);
        boolean positional = a >= 1e-4 && a < Math.pow(10, maxDecpt);
        return format(x < 0, shortest32(Math.abs(x)).stripTrailingZeros(), positional);
    }

    private static String special(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        return (Double.doubleToRawLongBits(x) < 0) ? "-0.0" : "0.0";
    }

    /** The decimal point position of {@code 0.ds * 10^decpt}. */
    private static int decpt(BigDecimal digits) {
        return digits.unscaledValue().toString().length() - digits.scale();
    }

    /** Python's float repr layout of {@code 0.ds * 10^decpt}, positional or scientific. */
    private static String format(boolean negative, BigDecimal digits, boolean positional) {
        String ds = digits.unscaledValue().toString();
        // x = 0.ds * 10^decpt
        int decpt = ds.length() - digits.scale();
        StringBuilder sb = new StringBuilder(24);
        if (negative) {
            sb.append('-');
        }
        if (positional) {
            if (decpt <= 0) {
                sb.append("0.").append("0".repeat(-decpt)).append(ds);
            } else if (decpt >= ds.length()) {
                sb.append(ds).append("0".repeat(decpt - ds.length())).append(".0");
            } else {
                sb.append(ds, 0, decpt).append('.').append(ds, decpt, ds.length());
            }
        } else {
            sb.append(ds.charAt(0));
            if (ds.length() > 1) {
                sb.append('.').append(ds, 1, ds.length());
            }
            int exp = decpt - 1;
            sb.append(exp < 0 ? "e-" : "e+");
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            sb.append(a);
        }
        return sb.toString();
    }

    /** The shortest decimal that reads back to the float32 x, the closest to x if several. */
    private static BigDecimal shortest32(float x) {
        return shortest(new BigDecimal(x), 9, c -> c.floatValue() == x);
    }

    /** The shortest decimal that reads back to x, the closest to x if several (Gay's mode 0). */
    private static BigDecimal shortest(double x) {
        return shortest(new BigDecimal(x), 17, c -> c.doubleValue() == x);
    }

    /**
     * The shortest decimal of at most {@code maxDigits} significant digits that {@code readsBack}
     * accepts, the closest to {@code exact} if several; {@code exact} if none.
     */
    private static BigDecimal shortest(
            BigDecimal exact, int maxDigits, java.util.function.Predicate<BigDecimal> readsBack) {
        for (int p = 1; p <= maxDigits; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(r.precision() - r.scale() - p);
            BigDecimal best = null;
            for (BigDecimal c : new BigDecimal[] {r, r.subtract(unit), r.add(unit)}) {
                if (c.signum() > 0
                        && readsBack.test(c)
                        && (best == null
                                || c.subtract(exact).abs().compareTo(best.subtract(exact).abs())
                                        < 0)) {
                    best = c;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return exact;
    }
}
