package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.DTypeValue;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.TypeValue;
import java.util.Map;

/**
 * An encoder's {@code dtype} parameter: the numpy type its output array holds. tabscore carries
 * every feature as a double, so what matters is the value that array holds: {@link #cast} is
 * numpy's {@code astype} (or element assignment) of a float64 into that type, exact in a double for
 * every type listed here (float64, float32, float16, the int and uint types, bool).
 */
enum OutputDtype {
    FLOAT64,
    FLOAT32,
    FLOAT16,
    INT8,
    INT16,
    INT32,
    INT64,
    UINT8,
    UINT16,
    UINT32,
    UINT64,
    BOOL;

    /** numpy type names (and builtins, as numpy maps them on Linux) to the kind. */
    private static final Map<String, OutputDtype> NAMES =
            Map.ofEntries(
                    Map.entry("float64", FLOAT64),
                    Map.entry("double", FLOAT64),
                    Map.entry("float", FLOAT64),
                    Map.entry("float32", FLOAT32),
                    Map.entry("single", FLOAT32),
                    Map.entry("float16", FLOAT16),
                    Map.entry("half", FLOAT16),
                    Map.entry("int8", INT8),
                    Map.entry("byte", INT8),
                    Map.entry("int16", INT16),
                    Map.entry("short", INT16),
                    Map.entry("int32", INT32),
                    Map.entry("intc", INT32),
                    Map.entry("int64", INT64),
                    Map.entry("int", INT64),
                    Map.entry("int_", INT64),
                    Map.entry("longlong", INT64),
                    Map.entry("intp", INT64),
                    Map.entry("uint8", UINT8),
                    Map.entry("ubyte", UINT8),
                    Map.entry("uint16", UINT16),
                    Map.entry("ushort", UINT16),
                    Map.entry("uint32", UINT32),
                    Map.entry("uintc", UINT32),
                    Map.entry("uint64", UINT64),
                    Map.entry("ulonglong", UINT64),
                    Map.entry("uint", UINT64),
                    Map.entry("bool", BOOL),
                    Map.entry("bool_", BOOL));

    /** numpy dtype strings ({@code dtype.str}) to the kind. */
    private static final Map<String, OutputDtype> CODES =
            Map.ofEntries(
                    Map.entry("<f8", FLOAT64),
                    Map.entry("<f4", FLOAT32),
                    Map.entry("<f2", FLOAT16),
                    Map.entry("|i1", INT8),
                    Map.entry("<i2", INT16),
                    Map.entry("<i4", INT32),
                    Map.entry("<i8", INT64),
                    Map.entry("|u1", UINT8),
                    Map.entry("<u2", UINT16),
                    Map.entry("<u4", UINT32),
                    Map.entry("<u8", UINT64),
                    Map.entry("|b1", BOOL));

    /**
     * Reads the stored {@code dtype}: a type ({@code numpy.float32}, {@code builtins.float}), a
     * numpy dtype ({@code dtype('<f8')}, what KBinsDiscretizer gives its {@code _encoder}) or a
     * dtype name string.
     *
     * @param a the estimator
     * @param name the attribute, usually {@code dtype}
     * @return the kind
     */
    static OutputDtype read(Attrs a, String name) {
        SkopsNode n = a.get(name);
        OutputDtype d = null;
        if (n instanceof TypeValue t
                && ("numpy".equals(t.module()) || "builtins".equals(t.module()))) {
            d = NAMES.get(t.name());
        } else if (n instanceof DTypeValue t) {
            d = CODES.get(t.dtype());
        } else if (n instanceof JsonValue j && j.value() instanceof String s) {
            d = NAMES.containsKey(s) ? NAMES.get(s) : byCode(s);
        }
        if (d == null) {
            throw a.unsupported(name, n);
        }
        return d;
    }

    /** A dtype string such as {@code 'f4'}, {@code '<f4'}, {@code 'i1'} or {@code '?'}. */
    private static OutputDtype byCode(String s) {
        if ("?".equals(s)) {
            return BOOL;
        }
        String code =
                s.length() == 2
                        ? s
                        : s.length() == 3 && "<>=|".indexOf(s.charAt(0)) >= 0
                                ? s.substring(1)
                                : null;
        if (code == null) {
            return null;
        }
        OutputDtype d = CODES.get("<" + code);
        return d != null ? d : CODES.get("|" + code);
    }

    /**
     * True for the integer kinds, into which numpy 2 refuses to store an out-of-range Python int
     * (bool takes any number: nonzero is True).
     *
     * @return whether a stored value must fit
     */
    boolean integral() {
        return this != FLOAT64 && this != FLOAT32 && this != FLOAT16 && this != BOOL;
    }

    /**
     * The value a float64 {@code x} becomes in an array of this type: rounded to nearest even for
     * the floats, truncated then wrapped (C's cast, what {@code astype} does) for the ints, {@code
     * x != 0} for bool (NaN is True).
     *
     * @param x the value
     * @return what the array holds, as a double
     */
    double cast(double x) {
        return switch (this) {
            case FLOAT64 -> x;
            case FLOAT32 -> (double) (float) x;
            case FLOAT16 -> toHalf(x);
            case INT8 -> (byte) (long) x;
            case INT16 -> (short) (long) x;
            case INT32 -> (int) (long) x;
            case INT64 -> (double) (long) x;
            case UINT8 -> (long) x & 0xFFL;
            case UINT16 -> (long) x & 0xFFFFL;
            case UINT32 -> (long) x & 0xFFFFFFFFL;
            case UINT64 -> x < 0 ? Math.scalb(1.0, 64) + (double) (long) x : x;
            case BOOL -> x != 0 || x != x ? 1.0 : 0.0;
        };
    }

    /** IEEE half precision, round to nearest even; beyond 65504 (after rounding) infinity. */
    private static double toHalf(double x) {
        if (x != x || Double.isInfinite(x) || x == 0) {
            return x;
        }
        if (Math.abs(x) >= 65520.0) {
            return Math.copySign(Double.POSITIVE_INFINITY, x);
        }
        int e = Math.max(Math.getExponent(x), -14);
        double quantum = Math.scalb(1.0, e - 10);
        // x / quantum is exact (a power of two); rint rounds half to even
        return Math.rint(x / quantum) * quantum;
    }
}
