package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.util.Set;

/**
 * The steps tabscore scores on a float32 (or float16) input array, and the float32 rounding they
 * share. scikit-learn computes a step in its input's precision ({@link ArrayDtypes}); a step that
 * receives float32 reproduces numpy's float32 arithmetic:
 *
 * <ul>
 *   <li>each in-place operation ({@code X -= mean_}, {@code X /= scale_}, {@code X *= scale_},
 *       {@code X += min_}) runs numpy's loop for its operands' common type (float64 when the fitted
 *       array is float64, float32 when it is float32) and stores into the float32 array, rounding
 *       to nearest float32. Both are {@link #round}({@code x op p}) on the doubles: a float32
 *       operation is correctly rounded, and a double operation of two float32 values rounded to
 *       float32 gives exactly that (53 &gt;= 2 * 24 + 2 bits), checked on millions of values with
 *       numpy 1.26 and 2.4;
 *   <li>a value stored into the float32 array ({@code statistics_} of SimpleImputer, clipping
 *       bounds) is rounded to float32; a Python float compared with it (Binarizer's threshold) too
 *       (numpy 2's weak scalars, numpy 1's value-based casting);
 *   <li>PolynomialFeatures multiplies a float32 term by a float32 input into its float32 {@code
 *       XP}: the double product (exact) rounded once;
 *   <li>a ufunc runs numpy's float32 loop: exact ones (sqrt, square, floor, ...) are the rounded
 *       double result; the inexact ones (exp, log1p, ...) are within the ufunc contract, counted in
 *       float32 ulps ({@link Ufunc#ulps()});
 *   <li>QuantileTransformer: numpy's float64 {@code interp} of the float32 values stored into the
 *       float32 column, the normal bounds in float32, ndtri's float32 loop, the clipped result
 *       stored into float32 (uniform bit-exact);
 *   <li>PowerTransformer: each float32 operation (pow, log1p, expm1, +, -, /, scipy's boxcox loop)
 *       as the double operation rounded to float32, within the float32 approx tolerance, then the
 *       inner StandardScaler's float32 rules;
 *   <li>PCA and TruncatedSVD project with {@code sgemm}, and Normalizer's l1 / l2 norms are float32
 *       sums, in an order numpy and BLAS choose: each sum is taken in double and rounded to float32
 *       where numpy stores it, within the exporter's {@code APPROX_REL32} (2^-16 relative; {@link
 *       Projection}, {@link Normalizer}); Normalizer's max is exact;
 *   <li>SplineTransformer evaluates its float64 BSplines on the float32 values (exact in float64)
 *       and stores into a float32 array; its extrapolations follow numpy 1.x's value-based casting
 *       (float32) up to scikit-learn 1.3, which runs on numpy 1.x only; from 1.4, which may run on
 *       either, the rules of the numpy a bundle manifest names ({@link TrainingNumpy}), and without
 *       it {@code linear} and {@code periodic} are refused, numpy 1.x and 2 computing them
 *       differently ({@link SplineTransformer});
 *   <li>OneHotEncoder, OrdinalEncoder and TargetEncoder hold a float32 {@code categories_} (fitted
 *       on the float32 array) that numpy compares with the float32 values exactly; KBinsDiscretizer
 *       searches float32 or float64 edges, exact in either: all compared as doubles, bit for bit.
 *       One-hot names follow numpy's {@code str} of a float32 ({@link Categories#str}).
 * </ul>
 *
 * <p>Every other step on a float32 or float16 input is refused (exit 19) naming it: KNNImputer
 * (float32 distances tabscore does not reproduce), or a ColumnTransformer or FeatureUnion nested
 * after the float32 step; SplineTransformer's linear and periodic extrapolations from scikit-learn
 * 1.4 are refused too when the training side's numpy is not known. The selectors pass the float32
 * values they keep; a float32 {@code scores_} or {@code variances_} (compared in float32) stays
 * refused (exit 20). On float16 only MissingIndicator and the identity are scored.
 */
final class NarrowFloatSteps {

    /** The steps scored on a float32 input, computing as numpy does in float32. */
    private static final Set<String> ON_FLOAT32 =
            Set.of(
                    "StandardScaler",
                    "MinMaxScaler",
                    "MaxAbsScaler",
                    "RobustScaler",
                    "SimpleImputer",
                    "Binarizer",
                    "FunctionTransformer",
                    "MissingIndicator",
                    "Pipeline",
                    "VarianceThreshold",
                    "SelectKBest",
                    "SelectPercentile",
                    "SelectFromModel",
                    "PolynomialFeatures",
                    "QuantileTransformer",
                    "PowerTransformer",
                    "PCA",
                    "TruncatedSVD",
                    "Normalizer",
                    "SplineTransformer",
                    "OneHotEncoder",
                    "OrdinalEncoder",
                    "TargetEncoder",
                    "KBinsDiscretizer");

    private NarrowFloatSteps() {}

    /**
     * Refuses a step that receives a float32 or float16 array and is not scored on it.
     *
     * @param a the step, with the dtype of its input
     * @throws BundleFormatException ({@link Reason#UNSUPPORTED_OPTION})
     */
    static void check(Attrs a) {
        OutputDtype d = a.inputDtype();
        if (d != OutputDtype.FLOAT32 && d != OutputDtype.FLOAT16) {
            return;
        }
        String cls = a.className();
        boolean identity = "FunctionTransformer".equals(cls) && a.isNone("func");
        boolean scored =
                d == OutputDtype.FLOAT32
                        ? ON_FLOAT32.contains(cls)
                        : identity || "MissingIndicator".equals(cls) || "Pipeline".equals(cls);
        if (!scored) {
            String t = ArrayDtypes.name(d);
            String from = a.inputOrigin() == null ? "the step before it" : a.inputOrigin();
            throw a.unsupported(
                    "on a "
                            + t
                            + " input is not supported: "
                            + from
                            + " outputs "
                            + t
                            + ", and scikit-learn then computes "
                            + cls
                            + " in "
                            + t
                            + ", which tabscore does not reproduce; use dtype=np.float64 there");
        }
    }

    /**
     * Rounds to the nearest float32, ties to even, as numpy stores into a float32 array.
     *
     * @param x the value
     * @return the float32 value, as a double
     */
    static double round(double x) {
        return (float) x;
    }

    /**
     * Rounds every value to float32 in place.
     *
     * @param y the values
     */
    static void round(double[] y) {
        for (int r = 0; r < y.length; r++) {
            y[r] = (float) y[r];
        }
    }
}
