package dev.tabscore.bundle.sklearn;

import java.util.List;
import java.util.Locale;

/**
 * The single-argument element-wise numpy ufuncs a {@link FunctionTransformer} may apply, matched by
 * name whatever module skops recorded ({@code numpy.core._multiarray_umath} for numpy 1.x, {@code
 * numpy} or {@code numpy._core...} for 2.x), with numpy's results per input dtype:
 *
 * <ul>
 *   <li>float64: every function, with numpy's NaN, signed-zero and domain semantics ({@code
 *       sign(-0.0)} is 0.0, {@code sign(NaN)} NaN, {@code rint} rounds half to even, the log of a
 *       negative number is NaN). {@link #ulps()} is the contract against numpy: 0 for the exact
 *       IEEE operations, a measured bound for the transcendental ones
 *       (docs/sklearn-coverage/ufunc-contract.md).
 *   <li>int64: {@link IntRule#INT} functions stay int64 with numpy's two's-complement wrap ({@code
 *       abs(-2^63)} is -2^63, {@code square} wraps), {@link IntRule#BOOL} give bool, the rest
 *       convert to float64 first.
 *   <li>bool: {@link BoolRule} says whether numpy keeps bool, gives int8 or float16, or raises.
 * </ul>
 */
enum Ufunc {
    ABS(0, IntRule.INT, BoolRule.SAME, true, "abs", "absolute"),
    FABS(0, IntRule.FLOAT, BoolRule.FLOAT16, false, "fabs"),
    NEGATIVE(0, IntRule.INT, BoolRule.ERROR, true, "negative"),
    POSITIVE(0, IntRule.INT, BoolRule.ERROR, true, "positive"),
    SQUARE(0, IntRule.INT, BoolRule.INT8, true, "square"),
    SIGN(0, IntRule.INT, BoolRule.ERROR, false, "sign"),
    FLOOR(0, IntRule.INT, BoolRule.SAME, false, "floor"),
    CEIL(0, IntRule.INT, BoolRule.SAME, false, "ceil"),
    TRUNC(0, IntRule.INT, BoolRule.SAME, false, "trunc"),
    RINT(0, IntRule.FLOAT, BoolRule.FLOAT16, false, "rint"),
    SQRT(0, IntRule.FLOAT, BoolRule.FLOAT16, false, "sqrt"),
    RECIPROCAL(0, IntRule.INT, BoolRule.INT8, false, "reciprocal"),
    DEG2RAD(0, IntRule.FLOAT, BoolRule.FLOAT16, false, "deg2rad", "radians"),
    RAD2DEG(0, IntRule.FLOAT, BoolRule.FLOAT16, false, "rad2deg", "degrees"),
    ISNAN(0, IntRule.BOOL, BoolRule.SAME, false, "isnan"),
    ISINF(0, IntRule.BOOL, BoolRule.SAME, false, "isinf"),
    ISFINITE(0, IntRule.BOOL, BoolRule.SAME, false, "isfinite"),
    LOGICAL_NOT(0, IntRule.BOOL, BoolRule.SAME, false, "logical_not"),
    EXP(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "exp"),
    EXP2(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "exp2"),
    EXPM1(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "expm1"),
    LOG(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "log"),
    LOG2(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "log2"),
    LOG10(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "log10"),
    LOG1P(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "log1p"),
    SIN(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "sin"),
    COS(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "cos"),
    TAN(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "tan"),
    ARCSIN(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "arcsin", "asin"),
    ARCCOS(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "arccos", "acos"),
    ARCTAN(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "arctan", "atan"),
    SINH(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "sinh"),
    COSH(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "cosh"),
    TANH(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "tanh"),
    ARCSINH(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "arcsinh", "asinh"),
    ARCCOSH(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "arccosh", "acosh"),
    ARCTANH(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "arctanh", "atanh"),
    CBRT(Ufunc.CONTRACT_ULPS, IntRule.FLOAT, BoolRule.FLOAT16, false, "cbrt");

    /**
     * The ulps by which an inexact function may differ from numpy: numpy's worst documented bound
     * for its float64 SIMD paths (4 ulps, the SVML routines used on AVX-512 CPUs) plus StrictMath's
     * (fdlibm, under 1 ulp). Measured on numpy 1.26 and 2.4: at most 3.
     */
    static final int CONTRACT_ULPS = 5;

    /** What numpy returns for int64 input. */
    enum IntRule {
        /** int64, computed in two's complement. */
        INT,
        /** bool. */
        BOOL,
        /** float64 of the input converted to float64. */
        FLOAT
    }

    /** What numpy returns for bool input. */
    enum BoolRule {
        /** bool (abs, floor, ceil, trunc, isnan, ...). */
        SAME,
        /** int8 0/1 (square, reciprocal). */
        INT8,
        /** float16: computed in float32, rounded to half precision. */
        FLOAT16,
        /** numpy raises TypeError (negative, positive, sign). */
        ERROR
    }

    private static final double LN2 = 0.6931471805599453;
    private static final double TWO28 = 0x1p28;

    private final int ulps;
    private final IntRule intRule;
    private final BoolRule boolRule;
    private final boolean onObject;
    private final List<String> names;

    Ufunc(int ulps, IntRule intRule, BoolRule boolRule, boolean onObject, String... names) {
        this.ulps = ulps;
        this.intRule = intRule;
        this.boolRule = boolRule;
        this.onObject = onObject;
        this.names = List.of(names);
    }

    /**
     * Returns the contract against numpy in float64, in units in the last place of the result.
     *
     * @return 0 when Java reproduces numpy bit for bit
     */
    int ulps() {
        return ulps;
    }

    /**
     * Returns whether the Java result always equals numpy's bit for bit.
     *
     * @return true for the exact IEEE operations
     */
    boolean exact() {
        return ulps == 0;
    }

    IntRule intRule() {
        return intRule;
    }

    BoolRule boolRule() {
        return boolRule;
    }

    /**
     * Whether numpy also computes the function on an object array of Python bools and floats (a
     * pandas bool column with missing values): abs, negative, positive and square call the Python
     * operator, giving the same numbers as on 0.0/1.0/NaN.
     *
     * @return true if the float64 result applies to such a column
     */
    boolean onObject() {
        return onObject;
    }

    /**
     * Returns the ufunc called {@code name}, or null.
     *
     * @param name a numpy function name such as {@code log1p} or {@code absolute}
     * @return the ufunc or null
     */
    static Ufunc byName(String name) {
        for (Ufunc u : values()) {
            if (u.names.contains(name)) {
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
        return names.get(0).toLowerCase(Locale.ROOT);
    }

    /**
     * Applies the function to every value, with the choice of function made once per value.
     *
     * @param in the inputs
     * @param out where the results go; may be {@code in}
     */
    void applyAll(double[] in, double[] out) {
        for (int i = 0; i < in.length; i++) {
            out[i] = apply(in[i]);
        }
    }

    /**
     * Applies the function to float32 inputs, as numpy's float32 loop does: the float64 result
     * rounded to float32, which is numpy's own for the exact functions (one IEEE operation, or
     * none, rounded once: 53 &gt;= 2 * 24 + 2 bits), except deg2rad / rad2deg, which multiply by a
     * float32 constant ({@code pi_f / 180f}, {@code 180f / pi_f}) in float32. An inexact function
     * is within {@link #ulps()} float32 ulps of numpy's float32 loop (measured: 3, numpy 2.4 on
     * AVX-512, 3.3 million values).
     *
     * @param in the inputs, float32 values
     * @param out where the results go; may be {@code in}
     */
    void applyAll32(double[] in, double[] out) {
        for (int i = 0; i < in.length; i++) {
            double x = in[i];
            out[i] =
                    this == DEG2RAD
                            ? (float) (x * DEG2RAD_F32)
                            : this == RAD2DEG ? (float) (x * RAD2DEG_F32) : (float) apply(x);
        }
    }

    /** numpy's float32 {@code NPY_PIf / 180.0f}. */
    private static final double DEG2RAD_F32 = (float) Math.PI / 180f;

    /** numpy's float32 {@code 180.0f / NPY_PIf}. */
    private static final double RAD2DEG_F32 = 180f / (float) Math.PI;

    /**
     * Applies the function to one float64, as numpy's float64 loop does. The {@link IntRule#BOOL}
     * functions return 1.0 for true and 0.0 for false.
     *
     * @param x the value
     * @return the result with numpy's NaN and domain semantics
     */
    double apply(double x) {
        switch (this) {
            case ABS:
            case FABS:
                return Math.abs(x);
            case NEGATIVE:
                return -x;
            case POSITIVE:
                return x;
            case SQUARE:
                return x * x;
            case SIGN:
                return x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x;
            case FLOOR:
                return Math.floor(x);
            case CEIL:
                return Math.ceil(x);
            case TRUNC:
                return x < 0 ? Math.ceil(x) : Math.floor(x);
            case RINT:
                return Math.rint(x);
            case SQRT:
                return Math.sqrt(x);
            case RECIPROCAL:
                return 1.0 / x;
            case DEG2RAD:
                return x * (Math.PI / 180.0);
            case RAD2DEG:
                return x * (180.0 / Math.PI);
            case ISNAN:
                return x != x ? 1.0 : 0.0;
            case ISINF:
                return Double.isInfinite(x) ? 1.0 : 0.0;
            case ISFINITE:
                return Double.isFinite(x) ? 1.0 : 0.0;
            case LOGICAL_NOT:
                return x == 0 ? 1.0 : 0.0;
            case EXP:
                return StrictMath.exp(x);
            case EXP2:
                return StrictMath.pow(2.0, x);
            case EXPM1:
                return StrictMath.expm1(x);
            case LOG:
                return StrictMath.log(x);
            case LOG2:
                return log2(x);
            case LOG10:
                return StrictMath.log10(x);
            case LOG1P:
                return StrictMath.log1p(x);
            case SIN:
                return StrictMath.sin(x);
            case COS:
                return StrictMath.cos(x);
            case TAN:
                return StrictMath.tan(x);
            case ARCSIN:
                return StrictMath.asin(x);
            case ARCCOS:
                return StrictMath.acos(x);
            case ARCTAN:
                return StrictMath.atan(x);
            case SINH:
                return StrictMath.sinh(x);
            case COSH:
                return StrictMath.cosh(x);
            case TANH:
                return StrictMath.tanh(x);
            case ARCSINH:
                return asinh(x);
            case ARCCOSH:
                return acosh(x);
            case ARCTANH:
                return atanh(x);
            default:
                return StrictMath.cbrt(x);
        }
    }

    /**
     * Applies an {@link IntRule#INT} function to an int64 as numpy's int64 loop does: two's
     * complement wrap for abs, negative and square; {@code reciprocal} is C integer division {@code
     * 1 / x}, with numpy's result for 0 (the most negative int64).
     *
     * @param x the value
     * @return the int64 result
     */
    long applyLong(long x) {
        switch (this) {
            case ABS:
                return x < 0 ? -x : x;
            case NEGATIVE:
                return -x;
            case SQUARE:
                return x * x;
            case SIGN:
                return Long.signum(x);
            case RECIPROCAL:
                return x == 0 ? Long.MIN_VALUE : 1 / x;
            case POSITIVE:
            case FLOOR:
            case CEIL:
            case TRUNC:
                return x;
            default:
                throw new IllegalStateException(this + " has no int64 loop");
        }
    }

    /**
     * Applies the function to a bool as numpy does for {@link BoolRule#SAME} and {@link
     * BoolRule#INT8} (as 0/1) and {@link BoolRule#FLOAT16}, where the float64 result is rounded to
     * half precision.
     *
     * @param b the value
     * @return the result as a float64
     */
    double applyBool(boolean b) {
        double x = b ? 1.0 : 0.0;
        switch (boolRule) {
            case SAME:
                return this == LOGICAL_NOT
                        ? (b ? 0.0 : 1.0)
                        : intRule == IntRule.BOOL ? apply(x) : x;
            case INT8:
                return this == RECIPROCAL ? x : x * x;
            case FLOAT16:
                return toHalf(apply(x));
            default:
                throw new IllegalStateException("np." + pythonName() + " is not defined on bool");
        }
    }

    /** Rounds a float64 to the nearest float16 (half to even), overflowing to infinity. */
    static double toHalf(double v) {
        if (v != v || Double.isInfinite(v) || v == 0) {
            return v;
        }
        double a = Math.abs(v);
        int e = Math.getExponent(a);
        // half precision keeps 11 significant bits down to 2^-14; subnormals a fixed 2^-24 step
        double quantum = Math.scalb(1.0, Math.max(e, -14) - 10);
        double r = Math.rint(a / quantum) * quantum;
        if (r > 65504.0) {
            r = Double.POSITIVE_INFINITY;
        }
        return Math.copySign(r, v);
    }

    /** log2 as exponent plus the log of the significand: exact for powers of two. */
    static double log2(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            return StrictMath.log(x) / LN2;
        }
        int e = Math.getExponent(x);
        if (e < Double.MIN_EXPONENT) {
            e = Math.getExponent(x * 0x1p54) - 54;
        }
        double m = Math.scalb(x, -e);
        if (m > 1.4142135623730951) {
            m /= 2;
            e++;
        }
        return e + StrictMath.log(m) / LN2;
    }

    /** fdlibm's s_asinh.c. */
    static double asinh(double x) {
        double ax = Math.abs(x);
        if (ax != ax || Double.isInfinite(ax) || ax < 0x1p-28) {
            return x;
        }
        double w;
        if (ax > TWO28) {
            w = StrictMath.log(ax) + LN2;
        } else if (ax > 2.0) {
            w = StrictMath.log(2.0 * ax + 1.0 / (StrictMath.sqrt(x * x + 1.0) + ax));
        } else {
            double t = x * x;
            w = StrictMath.log1p(ax + t / (1.0 + StrictMath.sqrt(1.0 + t)));
        }
        return Math.copySign(w, x);
    }

    /** fdlibm's e_acosh.c. */
    static double acosh(double x) {
        if (x < 1.0) {
            return Double.NaN;
        }
        if (x >= TWO28) {
            return Double.isInfinite(x) ? x : StrictMath.log(x) + LN2;
        }
        if (x == 1.0) {
            return 0.0;
        }
        if (x > 2.0) {
            double t = x * x;
            return StrictMath.log(2.0 * x - 1.0 / (x + StrictMath.sqrt(t - 1.0)));
        }
        double t = x - 1.0;
        return StrictMath.log1p(t + StrictMath.sqrt(2.0 * t + t * t));
    }

    /** fdlibm's e_atanh.c. */
    static double atanh(double x) {
        double ax = Math.abs(x);
        if (ax != ax || ax > 1.0) {
            return Double.NaN;
        }
        if (ax == 1.0) {
            return x / 0.0;
        }
        if (ax < 0x1p-28) {
            return x;
        }
        double t;
        if (ax < 0.5) {
            t = ax + ax;
            t = 0.5 * StrictMath.log1p(t + t * ax / (1.0 - ax));
        } else {
            t = 0.5 * StrictMath.log1p((ax + ax) / (1.0 - ax));
        }
        return Math.copySign(t, x);
    }
}
