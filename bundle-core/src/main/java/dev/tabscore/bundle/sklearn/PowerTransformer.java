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

    /**
     * Creates a fitted transformer.
     *
     * @param method the formula
     * @param lambdas {@code lambdas_}
     * @param scaler the fitted {@code _scaler}, or null without standardize
     */
    public PowerTransformer(Method method, double[] lambdas, StandardScaler scaler) {
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
        double[] lambdas = Batches.copyOfWidth(a.doubles("lambdas_"), in.size(), "lambdas_");
        StandardScaler scaler = null;
        if (a.bool("standardize")) {
            Transformer t = g.build(a.get("_scaler"), GraphBuilder.child(a.step(), "_scaler"), in);
            if (!(t instanceof StandardScaler s)) {
                throw a.invalid("_scaler", "should be a StandardScaler");
            }
            scaler = s;
        } else {
            a.ignore("_scaler");
        }
        a.ignore("copy");
        return new PowerTransformer(method, lambdas, scaler);
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
                    y[r] = boxCox(x[r], l);
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
