package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.PowerTransformer}: each column through its fitted
 * {@code lambdas_[j]}, then, with {@code standardize}, the fitted {@code _scaler} ({@link
 * StandardScaler}, bit-exact on what it receives). NaN passes through (NaN out); infinity is
 * refused, as the input check ({@code "allow-nan"}) refuses it; box-cox refuses a value {@code <=
 * 0} (scikit-learn refuses the whole batch, tabscore names the row).
 *
 * <p>The formulas are the ones the fitting release runs. Yeo-Johnson up to scikit-learn 1.8 (its
 * own {@code _yeo_johnson_transform}): {@code x >= 0}: {@code log1p(x)} when {@code |λ| < eps},
 * else {@code (pow(x + 1, λ) - 1) / λ}; {@code x < 0}: {@code -log1p(-x)} when {@code |λ - 2| <=
 * eps}, else {@code -(pow(-x + 1, 2 - λ) - 1) / (2 - λ)}. From 1.9 (scipy's {@code yeojohnson}):
 * {@code expm1(λ * log1p(x)) / λ} and {@code -expm1((2 - λ) * log1p(-x)) / (2 - λ)}. Box-Cox
 * (scipy's {@code special.boxcox}): {@code log(x)} when {@code |λ| < 1e-19}, {@code expm1(λ log x)
 * / λ} while {@code λ log x < 709.78}, else {@code sign(λ) exp(λ log x - log|λ|) - 1/λ}.
 *
 * <p>Exactness: numpy's power/log1p/expm1 and libm's log/exp are not Java's; all are within about 1
 * ulp of the true value, so they usually agree bit for bit but need not. tabscore uses {@link
 * StrictMath#log1p} and {@link StrictMath#expm1} (as close to numpy's as {@link Math}'s) and {@link
 * Math#pow}, {@link Math#log}, {@link Math#exp}, which on x86-64 HotSpot agree with numpy / glibc
 * more often than fdlibm (pow 95% against 92%, exp 99.9% against 94%). Contract (enforced by
 * PowerTransformerTest): the power step within {@code 4 + 2 |t|} ulps of scikit-learn's value, t
 * the argument of exp/expm1/pow's exponent ({@code λ log1p(x)}, at most 710); after standardization
 * the same absolute error divided by {@code scale_}. Golden replay treats these features as ufunc
 * features.
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}) numpy
 * computes in float32: from 1.4 {@code lambdas_} is float32 ({@code np.empty(..., dtype=X.dtype)})
 * and every operation of a float32 array with a float32 scalar runs the float32 loop; 1.2's float64
 * {@code lambdas_} runs on numpy 1, whose value-based casting also picks the float32 loop, the
 * lambda (and {@code 2 - lambda}, computed in float64) cast to float32. So each operation is
 * rounded to float32 here: {@code x + 1}, {@code pow}, {@code - 1}, {@code / λ} (up to 1.8); {@code
 * log1p}, {@code λ *}, {@code expm1}, {@code / λ} (1.9, scipy's yeojohnson, whose thresholds are
 * float32's eps); box-cox is scipy's {@code ff->f} loop, the double {@code boxcox} of the float32
 * value and lambda, rounded. The float32 pow / log1p / expm1 are the double functions rounded
 * (numpy's libm or SIMD float32 loops are within a float32 ulp or so of that), so these features
 * are within the float32 approx tolerance, not bit-exact; the inner scaler then follows
 * StandardScaler's float32 rules.
 */
public final class PowerTransformer implements Transformer {

    /** numpy's {@code np.spacing(1.0)} and {@code finfo(float64).eps}. */
    private static final double EPS = Math.ulp(1.0);

    /** Which formula. */
    public enum Method {
        /** scikit-learn's own Yeo-Johnson, releases up to 1.8: {@code pow}. */
        YEO_JOHNSON_POW,
        /** scipy's Yeo-Johnson, scikit-learn 1.9 on: {@code expm1(λ log1p(x))}. */
        YEO_JOHNSON_EXPM1,
        /** scipy's Box-Cox. */
        BOX_COX
    }

    private final Method method;
    private final double[] lambdas;
    private final StandardScaler scaler;
    private final boolean float32;

    /**
     * Creates a fitted transformer.
     *
     * @param method the formula
     * @param lambdas {@code lambdas_}
     * @param scaler the fitted {@code _scaler}, or null without standardize
     */
    public PowerTransformer(Method method, double[] lambdas, StandardScaler scaler) {
        this(method, lambdas, scaler, false);
    }

    /**
     * Creates a fitted transformer that may receive float32.
     *
     * @param method the formula
     * @param lambdas {@code lambdas_}, as stored (float32 or float64)
     * @param scaler the fitted {@code _scaler}, or null without standardize
     * @param float32 whether it receives a float32 array: each operation is then rounded to
     *     float32, as numpy's float32 loops
     */
    public PowerTransformer(
            Method method, double[] lambdas, StandardScaler scaler, boolean float32) {
        this.float32 = float32;
        this.method = method;
        this.lambdas = lambdas.clone();
        this.scaler = scaler;
    }

    static PowerTransformer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        a.require("method", "yeo-johnson", "box-cox");
        Method method;
        if ("box-cox".equals(a.string("method"))) {
            method = Method.BOX_COX;
        } else {
            method =
                    FittedAttributes.sklearnAtLeast(a, 1, 9)
                            ? Method.YEO_JOHNSON_EXPM1
                            : Method.YEO_JOHNSON_POW;
        }
        boolean float32 = a.inputIsFloat32();
        // a float32 lambdas_ (1.4+, fitted on float32) is used as is
        double[] lambdas = Batches.copyOfWidth(a.fittedDoubles("lambdas_"), in.size(), "lambdas_");
        StandardScaler scaler = null;
        if (a.bool("standardize")) {
            // the scaler receives the float32 X the power step wrote
            Transformer t =
                    g.build(
                            a.get("_scaler"),
                            GraphBuilder.child(a.step(), "_scaler"),
                            in,
                            true,
                            a.inputDtype(),
                            a.inputOrigin());
            if (!(t instanceof StandardScaler s)) {
                throw a.invalid("_scaler", "should be a StandardScaler");
            }
            scaler = s;
        } else {
            a.ignore("_scaler");
        }
        a.ignore("copy");
        return new PowerTransformer(method, lambdas, scaler, float32);
    }

    /**
     * Returns the formula in use.
     *
     * @return the method
     */
    public Method method() {
        return method;
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, lambdas.length, "PowerTransformer");
        int n = in.rowCount();
        Column[] out = new Column[lambdas.length];
        for (int j = 0; j < lambdas.length; j++) {
            String name = in.names().get(j);
            double[] x = NumericInput.doubles(in.column(j), name, "PowerTransformer");
            NumericInput.requireNoInfinity(x, name, "PowerTransformer");
            double l = lambdas[j];
            double[] y = new double[n];
            for (int r = 0; r < n; r++) {
                if (method == Method.BOX_COX) {
                    if (x[r] <= 0) {
                        throw ScoringFailure.at(
                                Reason.INPUT_VALUE,
                                name,
                                r,
                                "PowerTransformer"
                                        + "(method='box-cox') refuses a value <= 0 (value "
                                        + PyRepr.ofDouble(x[r])
                                        + ")");
                    }
                    y[r] = float32 ? boxCox32(x[r], l) : boxCox(x[r], l);
                } else if (float32) {
                    y[r] = yeoJohnson32(x[r], l, method == Method.YEO_JOHNSON_EXPM1);
                } else {
                    y[r] = yeoJohnson(x[r], l, method == Method.YEO_JOHNSON_EXPM1);
                }
            }
            out[j] = new DoubleColumn(y);
        }
        ColumnBatch powered = Batches.of(n, in.names(), out);
        return scaler == null ? powered : scaler.transform(powered, stats);
    }

    static double yeoJohnson(double x, double l, boolean expm1) {
        if (x >= 0) {
            if (Math.abs(l) < EPS) {
                return StrictMath.log1p(x);
            }
            return expm1
                    ? StrictMath.expm1(l * StrictMath.log1p(x)) / l
                    : (Math.pow(x + 1, l) - 1) / l;
        }
        // NaN lands here too, as numpy's mask x >= 0 is false for it
        if (Math.abs(l - 2) > EPS) {
            return expm1
                    ? -StrictMath.expm1((2 - l) * StrictMath.log1p(-x)) / (2 - l)
                    : -(Math.pow(-x + 1, 2 - l) - 1) / (2 - l);
        }
        return -StrictMath.log1p(-x);
    }

    /** Rounds to float32, as numpy's float32 loops store each result. */
    private static double f(double v) {
        return NarrowFloatSteps.round(v);
    }

    /**
     * Yeo-Johnson on a float32 value, each operation rounded to float32. {@code l} is the stored
     * lambda: the thresholds compare it as is (np.spacing(1.0) up to 1.8, float32's eps in scipy's
     * yeojohnson), the arithmetic uses it rounded to float32, and {@code 2 - l} is computed from it
     * and then rounded (float64 for 1.2's float64 lambda, float32 for a float32 one: the same).
     */
    static double yeoJohnson32(double x, double l, boolean expm1) {
        double eps = expm1 ? Math.ulp(1.0f) : EPS;
        double l32 = f(l);
        double m32 = f(2 - l);
        if (x >= 0) {
            if (Math.abs(l) < eps) {
                return f(StrictMath.log1p(x));
            }
            return expm1
                    ? f(f(StrictMath.expm1(f(l32 * f(StrictMath.log1p(x))))) / l32)
                    : f(f(f(Math.pow(f(x + 1), l32)) - 1) / l32);
        }
        if (Math.abs(l - 2) > eps) {
            return expm1
                    ? f(-f(StrictMath.expm1(f(m32 * f(StrictMath.log1p(-x))))) / m32)
                    : f(-f(f(Math.pow(f(-x + 1), m32)) - 1) / m32);
        }
        return -f(StrictMath.log1p(-x));
    }

    /** scipy's boxcox float32 loop: the double function of the float32 values, rounded. */
    static double boxCox32(double x, double l) {
        return f(boxCox(x, f(l)));
    }

    static double boxCox(double x, double l) {
        if (Math.abs(l) < 1e-19) {
            return Math.log(x);
        }
        double t = l * Math.log(x);
        if (t < 709.78) {
            return StrictMath.expm1(t) / l;
        }
        return Math.copySign(1.0, l) * Math.exp(t - Math.log(Math.abs(l))) - 1 / l;
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        return List.copyOf(in);
    }
}
