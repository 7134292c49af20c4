package dev.tabscore.bundle.sklearn;

import java.util.Locale;

/**
 * The numpy ufuncs a {@link FunctionTransformer} may apply, matched by name whatever module skops
 * recorded ({@code numpy.core._multiarray_umath} for numpy 1.x, {@code numpy} or {@code
 * numpy._core...} for 2.x). Each follows numpy's float64 semantics for NaN and out-of-domain
 * input: the log of a negative number and the square root of a negative number are NaN, log of 0
 * is -inf. The JDK's results are correctly rounded or within 1 ulp, as numpy's are, but the two
 * may differ in the last bit (FORMATS.md §6): {@link #exact()} says which functions are exact.
 */
enum Ufunc {
    /** {@code np.log1p}: {@code Math.log1p}. */
    LOG1P(false),
    /** {@code np.log}: {@code Math.log}. */
    LOG(false),
    /** {@code np.exp}: {@code Math.exp}. */
    EXP(false),
    /** {@code np.sqrt}: IEEE 754 square root, correctly rounded in both. */
    SQRT(true),
    /** {@code np.abs} / {@code np.absolute}: exact. */
    ABS(true);

    private final boolean exact;

    Ufunc(boolean exact) {
        this.exact = exact;
    }

    /**
     * Returns whether the Java result always equals numpy's bit for bit.
     *
     * @return true for sqrt and abs
     */
    boolean exact() {
        return exact;
    }

    /**
     * Returns the ufunc called {@code name}, or null.
     *
     * @param name a numpy function name such as {@code log1p} or {@code absolute}
     * @return the ufunc or null
     */
    static Ufunc byName(String name) {
        if ("absolute".equals(name)) {
            return ABS;
        }
        for (Ufunc u : values()) {
            if (u.pythonName().equals(name)) {
                return u;
            }
        }
        return null;
    }

    /**
     * Returns the numpy name.
     *
     * @return e.g. {@code log1p}
     */
    String pythonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Applies the function to every value, with the choice of function made once.
     *
     * @param in the inputs
     * @param out where the results go; may be {@code in}
     */
    void applyAll(double[] in, double[] out) {
        switch (this) {
            case LOG1P:
                for (int i = 0; i < in.length; i++) {
                    out[i] = Math.log1p(in[i]);
                }
                break;
            case LOG:
                for (int i = 0; i < in.length; i++) {
                    out[i] = Math.log(in[i]);
                }
                break;
            case EXP:
                for (int i = 0; i < in.length; i++) {
                    out[i] = Math.exp(in[i]);
                }
                break;
            case SQRT:
                for (int i = 0; i < in.length; i++) {
                    out[i] = Math.sqrt(in[i]);
                }
                break;
            default:
                for (int i = 0; i < in.length; i++) {
                    out[i] = Math.abs(in[i]);
                }
        }
    }

    /**
     * Applies the function to one float64.
     *
     * @param x the value
     * @return the result with numpy's NaN and domain semantics
     */
    double apply(double x) {
        switch (this) {
            case LOG1P:
                return Math.log1p(x);
            case LOG:
                return Math.log(x);
            case EXP:
                return Math.exp(x);
            case SQRT:
                return Math.sqrt(x);
            default:
                return Math.abs(x);
        }
    }
}
