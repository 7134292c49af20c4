package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.Locale;
import java.util.Set;

/**
 * Pipeline steps that would compute in float32: an encoder or KBinsDiscretizer with {@code
 * dtype=np.float32} (or float16) hands the next step a float32 array, and the transformers below
 * then compute and return float32 (QuantileTransformer, SplineTransformer and PowerTransformer
 * round their results, Normalizer, PCA and TruncatedSVD sum in float32, PolynomialFeatures
 * multiplies in float32; the scalers subtract/multiply/divide in place into the float32 array,
 * rounding each result to float32, and a FunctionTransformer's ufunc runs its float32 loop).
 * tabscore computes every feature in float64, so such a step is refused
 * (exit 19) naming both steps rather than scored a float32 rounding away from scikit-learn (a
 * difffuzz finding: {@code KBinsDiscretizer(dtype=np.float32)} then a QuantileTransformer gave
 * -10.398674964904785 in scikit-learn, -10.39867516521115 in tabscore). Selectors, Binarizer and
 * TargetEncoder pass values or copy fitted ones and stay exact.
 */
final class NarrowFloatSteps {

    /** The steps with float32 arithmetic on float32 input. */
    private static final Set<String> FLOAT_ARITHMETIC = Set.of("QuantileTransformer",
            "SplineTransformer", "PowerTransformer", "Normalizer", "PCA", "TruncatedSVD",
            "PolynomialFeatures", "StandardScaler", "MinMaxScaler", "MaxAbsScaler",
            "RobustScaler", "FunctionTransformer");

    /** The steps whose {@code dtype} sets their output array's type. */
    private static final Set<String> DTYPE_OUTPUT = Set.of("KBinsDiscretizer", "OneHotEncoder",
            "OrdinalEncoder");

    private NarrowFloatSteps() {}

    /**
     * Refuses {@code step} after {@code previous} when the previous one outputs float32/float16
     * and the step computes in its input's precision.
     *
     * @param previous the previous step's node, or null for the first step
     * @param step this step's node
     * @param previousLabel the previous step's label, e.g. {@code steps[1] 'bins'}
     * @param label this step's label
     * @param path the Pipeline's step path, for the message
     * @throws BundleFormatException ({@link Reason#UNSUPPORTED_OPTION})
     */
    static void check(SkopsNode previous, SkopsNode step, String previousLabel, String label,
            String path) {
        if (!(previous instanceof ObjectNode p) || !(step instanceof ObjectNode s)
                || !DTYPE_OUTPUT.contains(p.className())
                || !FLOAT_ARITHMETIC.contains(s.className())) {
            return;
        }
        if (s.className().equals("FunctionTransformer")
                && new Attrs(s, GraphBuilder.child(path, label)).isNone("func")) {
            return; // the identity passes the float32 values as they are
        }
        Attrs a = new Attrs(p, GraphBuilder.child(path, previousLabel));
        if (a.isNone("dtype")) {
            return;
        }
        OutputDtype d = OutputDtype.read(a, "dtype");
        if (d == OutputDtype.FLOAT32 || d == OutputDtype.FLOAT16) {
            throw new BundleFormatException(Reason.UNSUPPORTED_OPTION, Attrs.prefix(
                    GraphBuilder.child(path, label)) + s.className() + " after " + previousLabel
                    + " " + p.className() + "(dtype=" + d.name().toLowerCase(Locale.ROOT)
                    + ") is not supported: scikit-learn then computes it in "
                    + d.name().toLowerCase(Locale.ROOT) + ", tabscore in float64;"
                    + " use dtype=np.float64 for " + previousLabel);
        }
    }
}
