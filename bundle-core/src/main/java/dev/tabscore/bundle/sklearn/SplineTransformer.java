package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.SplineTransformer}, dense output, bit-exact: each
 * feature through its fitted {@code scipy.interpolate.BSpline} ({@code bsplines_[i]}: knots {@code
 * t}, coefficients {@code c}, degree {@code k}), evaluated as scipy's {@code evaluate_spline} does
 * (the knot interval, de Boor's recursion, then {@code sum c * B} from 0.0), followed by
 * scikit-learn's extrapolation: {@code error} (a value beyond the knots is refused), {@code
 * constant} (the boundary values on the first / last {@code degree} splines), {@code linear}
 * (boundary value plus slope times distance, the slope from the derivative at the boundary), {@code
 * continue} (the polynomial pieces extended), {@code periodic} (x wrapped with numpy's remainder,
 * twice, as scikit-learn and then BSpline do). Without {@code include_bias} the last spline of each
 * feature is dropped. Names {@code <feature>_sp_<j>}. NaN and infinity are refused, except with
 * {@code handle_missing='zeros'} (1.8+), where NaN gives all-zero splines and infinity goes through
 * the arithmetic as in numpy.
 *
 * <p>Not reproduced: {@code sparse_output=True} (refused).
 */
public final class SplineTransformer implements Transformer {

    /**
     * What a scipy BSpline holds: {@code t, c} (scipy 1.17 stores them as {@code _t, _c} behind
     * properties), {@code k}, {@code extrapolate}, {@code axis}, and from 1.15 {@code _asarray},
     * its array namespace's asarray.
     */
    private static final java.util.Set<String> BSPLINE_ATTRS =
            java.util.Set.of("t", "c", "_t", "_c", "k", "extrapolate", "axis", "_asarray");

    /** One fitted basis. */
    record Basis(double[] t, double[][] c, int k, boolean extrapolate, boolean periodic) {}

    private final Basis[] bases;
    private final int degree;
    private final String extrapolation;
    private final boolean includeBias;
    private final boolean zerosForMissing;
    private final int splines;

    SplineTransformer(
            Basis[] bases,
            int degree,
            String extrapolation,
            boolean includeBias,
            boolean zerosForMissing) {
        this.bases = bases.clone();
        this.degree = degree;
        this.extrapolation = extrapolation;
        this.includeBias = includeBias;
        this.zerosForMissing = zerosForMissing;
        this.splines = bases.length == 0 ? 0 : bases[0].c()[0].length;
        for (Basis b : bases) {
            if (b.c()[0].length != splines || b.t().length < 2 * b.k() + 2) {
                throw new IllegalArgumentException(
                        "bsplines_ differ in their number of splines" + " or have too few knots");
            }
        }
    }

    static SplineTransformer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        a.require("extrapolation", "error", "constant", "linear", "continue", "periodic");
        a.require("sparse_output", false);
        a.require("handle_missing", "error", "zeros");
        boolean zeros =
                "zeros".equals(a.isNone("handle_missing") ? "error" : a.string("handle_missing"));
        List<SkopsNode> items = a.items("bsplines_");
        if (items.size() != in.size()) {
            throw a.invalid(
                    "bsplines_",
                    "has " + items.size() + " splines for " + in.size() + " input columns");
        }
        Basis[] bases = new Basis[items.size()];
        for (int i = 0; i < bases.length; i++) {
            bases[i] = basis(a, items.get(i), "bsplines_[" + i + "]");
        }
        a.ignore("n_knots", "knots", "order", "n_features_out_", "sparse_output", "handle_missing");
        return new SplineTransformer(
                bases,
                (int) a.number("degree"),
                a.string("extrapolation"),
                a.bool("include_bias"),
                zeros);
    }

    private static Basis basis(Attrs a, SkopsNode n, String label) {
        if (!(n instanceof ObjectNode o) || !"BSpline".equals(o.className())) {
            throw a.invalid(label, "should be a scipy BSpline, got " + Attrs.render(n));
        }
        for (String key : o.attrs().keySet()) {
            if (!BSPLINE_ATTRS.contains(key)) {
                throw a.unsupported(label + " has an attribute tabscore does not know, " + key);
            }
        }
        if (o.attrs().containsKey("axis")
                && a.numberOf(o.attrs().get("axis"), label + ".axis") != 0) {
            throw a.unsupported(label + ".axis is not 0");
        }
        String tKey = o.attrs().containsKey("t") ? "t" : "_t";
        double[] t = a.doublesOf(o.attrs().get(tKey), label + ".t");
        SkopsNode cn = o.attrs().get(o.attrs().containsKey("c") ? "c" : "_c");
        if (!(cn instanceof NumpyArray ca)
                || ca.array().shape().length != 2
                || ca.array().doubles() == null) {
            throw a.invalid(label + ".c", "should be a 2-d float64 array");
        }
        NpyArray c = ca.array();
        int rows = (int) c.shape()[0];
        int cols = (int) c.shape()[1];
        double[][] coef = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(c.doubles(), r * cols, coef[r], 0, cols);
        }
        int k = (int) a.numberOf(o.attrs().get("k"), label + ".k");
        Object ex = a.jsonOf(o.attrs().get("extrapolate"), label + ".extrapolate");
        boolean periodic = "periodic".equals(ex);
        if (!(ex instanceof Boolean) && !periodic) {
            throw a.invalid(label + ".extrapolate", "is " + PyRepr.repr(ex));
        }
        if (rows != t.length - k - 1) {
            throw a.invalid(
                    label + ".c",
                    "has " + rows + " rows for " + t.length + " knots of degree " + k);
        }
        return new Basis(t, coef, k, Boolean.TRUE.equals(ex), periodic);
    }

    /** numpy's float remainder: fmod, moved to the sign of the divisor. */
    static double remainder(double a, double b) {
        double m = a % b;
        if (m != 0) {
            if ((b < 0) != (m < 0)) {
                m += b;
            }
        } else {
            m = Math.copySign(0.0, b);
        }
        return m;
    }

    /** {@code BSpline.__call__(x, nu)} for one x: the value of every spline. */
    static void evaluate(Basis b, double x, int nu, double[] out) {
        double[] t = b.t();
        int k = b.k();
        int n = t.length - k - 1;
        boolean extrapolate = b.extrapolate();
        if (b.periodic()) {
            x = t[k] + remainder(x - t[k], t[n] - t[k]);
            extrapolate = false;
        }
        int interval = findInterval(t, k, x, extrapolate);
        if (interval < 0) {
            java.util.Arrays.fill(out, Double.NaN);
            return;
        }
        double[] work = new double[2 * k + 2];
        deBoor(t, x, k, interval, nu, work);
        double[][] c = b.c();
        for (int jp = 0; jp < out.length; jp++) {
            double s = 0.0;
            for (int a = 0; a <= k; a++) {
                s = s + c[interval + a - k][jp] * work[a];
            }
            out[jp] = s;
        }
    }

    /** scipy's {@code find_interval}: l with t[l] <= x < t[l+1], within [k, n-1]; -1 outside. */
    static int findInterval(double[] t, int k, double x, boolean extrapolate) {
        int n = t.length - k - 1;
        if (x != x) {
            return -1;
        }
        if ((x < t[k] || x > t[n]) && !extrapolate) {
            return -1;
        }
        int l = k;
        l += 1;
        while (x >= t[l] && l != n) {
            l += 1;
        }
        return l - 1;
    }

    /** scipy's {@code _deBoor_D}: the k+1 non-zero B-splines (or their nu-th derivative). */
    static void deBoor(double[] t, double x, int k, int ell, int m, double[] h) {
        double[] hh = new double[k + 1];
        h[0] = 1.0;
        for (int j = 1; j <= k - m; j++) {
            System.arraycopy(h, 0, hh, 0, j);
            h[0] = 0.0;
            for (int n = 1; n <= j; n++) {
                int ind = ell + n;
                double xb = t[ind];
                double xa = t[ind - j];
                if (xb == xa) {
                    h[n] = 0.0;
                    continue;
                }
                double w = hh[n - 1] / (xb - xa);
                h[n - 1] += w * (xb - x);
                h[n] = w * (x - xa);
            }
        }
        for (int j = k - m + 1; j <= k; j++) {
            System.arraycopy(h, 0, hh, 0, j);
            h[0] = 0.0;
            for (int n = 1; n <= j; n++) {
                int ind = ell + n;
                double xb = t[ind];
                double xa = t[ind - j];
                if (xb == xa) {
                    h[m] = 0.0;
                    continue;
                }
                double w = j * hh[n - 1] / (xb - xa);
                h[n - 1] -= w;
                h[n] = w;
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, bases.length, "SplineTransformer");
        int n = in.rowCount();
        List<Column> out = new ArrayList<>();
        double[] row = new double[splines];
        // scikit-learn's transform keeps one local degree across features and, for linear
        // extrapolation of degree <= 1, raises it by one per feature: later features then use
        // the raised degree for their boundaries too. Reproduced as is.
        int deg = degree;
        for (int f = 0; f < bases.length; f++) {
            String name = in.names().get(f);
            double[] x = NumericInput.doubles(in.column(f), name, "SplineTransformer");
            if (!zerosForMissing) {
                // handle_missing='zeros' turns scikit-learn's finiteness check off: NaN and
                // infinity then go through the arithmetic as numpy's would
                NumericInput.requireFinite(x, name, "SplineTransformer");
            }
            Basis b = bases[f];
            double[][] block = new double[splines][n];
            double[] t = b.t();
            double xmin = t[deg];
            double xmax = t[t.length - deg - 1];
            double[] fMin = new double[splines];
            double[] fMax = new double[splines];
            double[] dMin = new double[splines];
            double[] dMax = new double[splines];
            boolean bounded = extrapolation.equals("constant") || extrapolation.equals("linear");
            if (bounded) {
                evaluate(b, xmin, 0, fMin);
                evaluate(b, xmax, 0, fMax);
                if (extrapolation.equals("linear")) {
                    evaluate(b, xmin, 1, dMin);
                    evaluate(b, xmax, 1, dMax);
                    if (deg <= 1) {
                        deg += 1;
                    }
                }
            }
            for (int r = 0; r < n; r++) {
                double v = x[r];
                if (v != v) {
                    continue; // handle_missing='zeros': all splines 0
                }
                if (!bounded) {
                    double xv = v;
                    if (extrapolation.equals("periodic")) {
                        int nn = t.length - b.k() - 1;
                        xv =
                                t[nn] - t[b.k()] > 0
                                        ? t[b.k()] + remainder(v - t[b.k()], t[nn] - t[b.k()])
                                        : 0.0;
                    }
                    evaluate(b, xv, 0, row);
                    for (int s = 0; s < splines; s++) {
                        if (row[s] != row[s] && extrapolation.equals("error")) {
                            throw ScoringFailure.at(
                                    Reason.INPUT_VALUE,
                                    name,
                                    r,
                                    "SplineTransformer(extrapolation='error') refuses "
                                            + PyRepr.ofDouble(v)
                                            + ", beyond the knots ["
                                            + xmin
                                            + ", "
                                            + xmax
                                            + "]");
                        }
                        block[s][r] = row[s];
                    }
                    continue;
                }
                if (xmin <= v && v <= xmax) {
                    evaluate(b, v, 0, row);
                    for (int s = 0; s < splines; s++) {
                        block[s][r] = row[s];
                    }
                } else if (extrapolation.equals("constant")) {
                    if (v < xmin) {
                        for (int s = 0; s < deg; s++) {
                            block[s][r] = fMin[s];
                        }
                    } else {
                        for (int s = splines - deg; s < splines; s++) {
                            block[s][r] = fMax[s];
                        }
                    }
                } else {
                    for (int j = 0; j < deg; j++) {
                        if (v < xmin) {
                            block[j][r] = fMin[j] + (v - xmin) * dMin[j];
                        } else {
                            int kk = splines - 1 - j;
                            block[kk][r] = fMax[kk] + (v - xmax) * dMax[kk];
                        }
                    }
                }
            }
            int kept = includeBias ? splines : splines - 1;
            for (int s = 0; s < kept; s++) {
                out.add(new DoubleColumn(block[s]));
            }
        }
        return Batches.of(n, featureNamesOut(in.names()), out.toArray(new Column[0]));
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        List<String> names = new ArrayList<>();
        for (String f : in) {
            for (int j = 0; j < splines - 1 + (includeBias ? 1 : 0); j++) {
                names.add(f + "_sp_" + j);
            }
        }
        return List.copyOf(names);
    }
}
