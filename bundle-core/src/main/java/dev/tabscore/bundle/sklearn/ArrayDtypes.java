package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * The numpy dtype of the array a fitted step hands the next one, worked out from the graph when it
 * is built. tabscore carries every value as a double, but scikit-learn computes a step in its
 * input's precision: {@code check_array(dtype=FLOAT_DTYPES)} keeps float32 (and float16), so a
 * scaler after {@code OrdinalEncoder(dtype=np.float32)} rounds each of its operations to float32.
 * The rules, checked against numpy 1.26 / 2.4 and scikit-learn 1.2–1.9:
 *
 * <ul>
 *   <li>an encoder's output has its {@code dtype}; KBinsDiscretizer's its {@code dtype}, or its
 *       input's float type when None; MissingIndicator's is bool;
 *   <li>the numeric steps (scalers, SimpleImputer, Binarizer, a ufunc, ...) keep a float input's
 *       type and turn anything else into float64; an identity FunctionTransformer keeps its input's
 *       type; the rest (TargetEncoder, ...) give float64;
 *   <li>a Pipeline gives its last step's type;
 *   <li>a ColumnTransformer or FeatureUnion stacks its branches as {@code np.hstack} does, with
 *       numpy's promotion ({@code np.result_type}): float32 with float32, bool, int8/16 or uint8/16
 *       stays float32, with float64 or a wider int it becomes float64. With {@code
 *       set_output(transform="pandas")} each column keeps its dtype, and the next step's {@code
 *       check_array} converts the frame to {@code np.result_type} of its columns: the same type,
 *       except that a branch with no output columns adds nothing to {@code pd.concat}. A weighted
 *       branch ({@code res * weight}) stays float32, and an int or bool one becomes float64. A
 *       passthrough branch hands on the graph's input columns, taken as float64 (the graph's input
 *       types are not known here; golden replay catches a bool passthrough column next to
 *       all-float32 branches, which numpy would keep float32).
 * </ul>
 *
 * <p>Only FLOAT64, FLOAT32 and FLOAT16 matter to the steps after; the int kinds and BOOL are kept
 * for the promotion in a stack.
 */
final class ArrayDtypes {

    /** Steps that keep a float input's type and give float64 for any other input. */
    private static final Set<String> FLOAT_KEEPING =
            Set.of(
                    "StandardScaler",
                    "MinMaxScaler",
                    "MaxAbsScaler",
                    "RobustScaler",
                    "SimpleImputer",
                    "Binarizer",
                    "QuantileTransformer",
                    "SplineTransformer",
                    "PowerTransformer",
                    "Normalizer",
                    "PCA",
                    "TruncatedSVD",
                    "PolynomialFeatures",
                    "VarianceThreshold",
                    "SelectKBest",
                    "SelectPercentile",
                    "SelectFromModel",
                    "KNNImputer");

    private ArrayDtypes() {}

    /**
     * The dtype of what a built step returns.
     *
     * @param o the step's node
     * @param step its step path, for messages
     * @param t the step as built
     * @param in the dtype it receives
     * @param g the builder, which knows the dtype of every step built before
     * @return its output dtype
     */
    static OutputDtype output(
            ObjectNode o, String step, Transformer t, OutputDtype in, GraphBuilder g) {
        String cls = o.className();
        if (FLOAT_KEEPING.contains(cls)) {
            return floatOf(in);
        }
        switch (cls) {
            case "OneHotEncoder":
            case "OrdinalEncoder":
                return OutputDtype.read(new Attrs(o, ""), "dtype");
            case "KBinsDiscretizer":
                {
                    Attrs a = new Attrs(o, "");
                    return a.isNone("dtype") ? floatOf(in) : OutputDtype.read(a, "dtype");
                }
            case "MissingIndicator":
                return OutputDtype.BOOL;
            case "FunctionTransformer":
                {
                    Ufunc f = ((FunctionTransformer) t).func();
                    return f == null
                            ? in
                            : f.intRule() == Ufunc.IntRule.BOOL ? OutputDtype.BOOL : floatOf(in);
                }
            case "Pipeline":
                {
                    List<Transformer> steps = ((Pipeline) t).steps();
                    return steps.isEmpty() ? in : g.outputDtype(steps.get(steps.size() - 1));
                }
            case "ColumnTransformer":
            case "FeatureUnion":
                {
                    OutputDtype d = null;
                    ColumnTransformer ct = (ColumnTransformer) t;
                    boolean frames = FrameInput.pandasOutput(o);
                    for (ColumnTransformer.Branch b : ct.branches()) {
                        if (frames && ct.widthOf(b) == 0) {
                            // pd.concat: a branch with no columns (a selector that kept none) adds
                            // no dtype; np.hstack would still promote with its empty array
                            continue;
                        }
                        OutputDtype bd = g.outputDtype(b.transformer());
                        if (!Double.isNaN(b.weight())) {
                            // res * weight: a float32 branch stays float32 (the weight rounded to
                            // float32, ColumnTransformer.Branch); an int or bool one becomes
                            // float64
                            if (bd == OutputDtype.FLOAT16) {
                                throw new Attrs(o, step)
                                        .unsupported(
                                                b.label()
                                                        + " weighted "
                                                        + PyRepr.ofDouble(b.weight())
                                                        + " outputs float16, which"
                                                        + " tabscore does not weight in float16");
                            }
                            bd = floatOf(bd);
                        }
                        d = d == null ? bd : promote(d, bd);
                    }
                    return d == null ? OutputDtype.FLOAT64 : d;
                }
            default:
                return OutputDtype.FLOAT64;
        }
    }

    /**
     * Names the step whose float32 / float16 output starts here, for messages: an encoder or
     * KBinsDiscretizer with its dtype, a Pipeline's last step, or a ColumnTransformer /
     * FeatureUnion whose branches all output it.
     *
     * @param o the step's node
     * @param step its step path
     * @param t the step as built
     * @param g the builder
     * @return e.g. {@code steps[0] 'ord' OrdinalEncoder(dtype=float32)}
     */
    static String origin(ObjectNode o, String step, Transformer t, GraphBuilder g) {
        String d = name(g.outputDtype(t));
        if (t instanceof Pipeline p && !p.steps().isEmpty()) {
            String last = g.outputOrigin(p.steps().get(p.steps().size() - 1));
            if (last != null) {
                return last;
            }
        }
        if (t instanceof ColumnTransformer) {
            return step + " " + o.className() + " (every branch outputs " + d + ")";
        }
        return step + " " + o.className() + "(dtype=" + d + ")";
    }

    /** What {@code check_array(dtype=FLOAT_DTYPES)} makes of an input: floats stay. */
    static OutputDtype floatOf(OutputDtype in) {
        return in == OutputDtype.FLOAT32 || in == OutputDtype.FLOAT16 ? in : OutputDtype.FLOAT64;
    }

    /**
     * numpy's {@code np.result_type(a, b)} for the kinds here, where the result matters: a float
     * when either is one. Two ints give INT64 (a later step converts any int to float64; the exact
     * int type only matters stacked with a float, where a stack of wide ints is wide).
     *
     * @param a one dtype
     * @param b the other
     * @return the promoted dtype
     */
    static OutputDtype promote(OutputDtype a, OutputDtype b) {
        if (a == b) {
            return a;
        }
        int fa = floatBits(a);
        int fb = floatBits(b);
        if (fa == 0 && fb == 0) {
            return a == OutputDtype.BOOL ? b : b == OutputDtype.BOOL ? a : OutputDtype.INT64;
        }
        int bits = Math.max(Math.max(fa, fb), Math.max(floatFor(a), floatFor(b)));
        return bits == 16
                ? OutputDtype.FLOAT16
                : bits == 32 ? OutputDtype.FLOAT32 : OutputDtype.FLOAT64;
    }

    /** The numpy name, e.g. {@code float32}. */
    static String name(OutputDtype d) {
        return d.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The float's width, 0 for an int or bool. */
    private static int floatBits(OutputDtype d) {
        return switch (d) {
            case FLOAT16 -> 16;
            case FLOAT32 -> 32;
            case FLOAT64 -> 64;
            default -> 0;
        };
    }

    /** The narrowest float numpy promotes this int (or bool) to; 0 for a float. */
    private static int floatFor(OutputDtype d) {
        return switch (d) {
            case BOOL, INT8, UINT8 -> 16;
            case INT16, UINT16 -> 32;
            case INT32, UINT32, INT64, UINT64 -> 64;
            default -> 0;
        };
    }
}
