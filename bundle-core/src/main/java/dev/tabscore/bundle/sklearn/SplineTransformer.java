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
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}): the
 * knots and coefficients stay float64 and BSpline converts x to float64 (exact), so the splines are
 * the float64 ones, stored into scikit-learn's float32 {@code XBS}: each value rounded to float32.
 * The extrapolations mix the float32 column with numpy float64 scalars ({@code spl.t[k]}, {@code
 * xmin}, {@code f_min[j]}, {@code fp_min[j]}): numpy 2 computes those in float64 (then rounded as
 * stored), numpy 1.x's value-based casting rounds each scalar to float32 and computes in float32
 * (the comparisons with {@code xmin} / {@code xmax} too). scikit-learn up to 1.3 runs on numpy 1.x
 * only, and its rules are reproduced bit for bit. From 1.4 either numpy may have run it and the
 * file does not say which; a bundle manifest's {@code versions.numpy} does ({@link TrainingNumpy}),
 * and its numpy's rules are then reproduced bit for bit. Without it, {@code error}, {@code
 * continue} and {@code constant} compute alike under both and are scored; {@code linear} and {@code
 * periodic} (the wrap {@code t[k] + (x - t[k]) % period}) differ and are refused (exit 19). With
 * explicit knots that are not float32 values, {@code constant} differs at one value per boundary,
 * the knot rounded to float32, when that rounding crosses it: such a row is then refused.
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

    /** Whether the input is float32: every value is then rounded as stored into float32 XBS. */
    private final boolean float32;

    /**
     * Whether numpy 1.x computes the extrapolations (scikit-learn up to 1.3 on a float32 input):
     * value-based casting rounds the float64 scalars to float32 and operates in float32.
     */
    private final boolean valueBased;

    /**
     * Whether the numpy that computes it is known (up to 1.3 numpy 1.x; from 1.4 the manifest's
     * {@code versions.numpy}): else a float32 value numpy 1.x and 2 place differently is refused.
     */
    private final boolean numpyKnown;

    SplineTransformer(
            Basis[] bases,
            int degree,
            String extrapolation,
            boolean includeBias,
            boolean zerosForMissing) {
        this(bases, degree, extrapolation, includeBias, zerosForMissing, false, false);
    }

    /**
     * Creates a fitted spline expansion that may receive float32.
     *
     * @param bases the fitted BSplines, one per input column
     * @param degree the spline degree
     * @param extrapolation scikit-learn's {@code extrapolation}
     * @param includeBias whether the last spline of each feature is kept
     * @param zerosForMissing {@code handle_missing='zeros'}
     * @param float32 whether it receives a float32 array (each output rounded to float32)
     * @param valueBased whether numpy 1.x computes it: the extrapolations in float32 with the
     *     float64 scalars rounded to float32
     */
    SplineTransformer(
            Basis[] bases,
            int degree,
            String extrapolation,
            boolean includeBias,
            boolean zerosForMissing,
            boolean float32,
            boolean valueBased) {
        this(
                bases,
                degree,
                extrapolation,
                includeBias,
                zerosForMissing,
                float32,
                valueBased,
                valueBased);
    }

    /**
     * Creates a fitted spline expansion that may receive float32, saying whether the numpy that
     * computes it is known.
     *
     * @param bases the fitted BSplines, one per input column
     * @param degree the spline degree
     * @param extrapolation scikit-learn's {@code extrapolation}
     * @param includeBias whether the last spline of each feature is kept
     * @param zerosForMissing {@code handle_missing='zeros'}
     * @param float32 whether it receives a float32 array (each output rounded to float32)
     * @param valueBased whether numpy 1.x computes it (else numpy 2's float64 rules)
     * @param numpyKnown whether that is known: if not, numpy 2's rules are used and a float32 value
     *     that numpy 1.x places differently is refused
     */
    SplineTransformer(
            Basis[] bases,
            int degree,
            String extrapolation,
            boolean includeBias,
            boolean zerosForMissing,
            boolean float32,
            boolean valueBased,
            boolean numpyKnown) {
        this.float32 = float32;
        this.valueBased = float32 && valueBased;
        this.numpyKnown = numpyKnown || this.valueBased;
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
        int degree = (int) a.number("degree");
        String extrapolation = a.string("extrapolation");
        // scikit-learn 1.4.2 is the first release whose wheels also run on numpy 2; 1.4.0 and 1.4.1
        // are counted with it, on the safe side. From 1.4 the manifest's versions.numpy says
        // which ran (the skops file does not).
        TrainingNumpy numpy = a.trainingNumpy();
        boolean known = numpy.known() || !SklearnVersion.atLeast(a, 1, 4);
        boolean numpy1 = numpy.known() ? numpy.isNumpy1() : known;
        if (a.inputIsFloat32()) {
            checkFloat32(a, bases, degree, extrapolation, numpy1, known);
        }
        return new SplineTransformer(
                bases,
                degree,
                extrapolation,
                a.bool("include_bias"),
                zeros,
                a.inputIsFloat32(),
                numpy1,
                known);
    }

    /**
     * Refuses what numpy 1.x and 2 compute differently on a float32 input when it is not known
     * which ran (a release from 1.4 without the manifest's numpy), and, for numpy 1.x, a float64
     * scalar beyond float32's range (value-based casting would then compute in float64).
     */
    private static void checkFloat32(
            Attrs a,
            Basis[] bases,
            int degree,
            String extrapolation,
            boolean numpy1,
            boolean known) {
        boolean linear = extrapolation.equals("linear");
        boolean bounded = linear || extrapolation.equals("constant");
        if (!numpy1) {
            if (!known && (linear || extrapolation.equals("periodic"))) {
                throw a.unsupported(
                        "extrapolation='"
                                + extrapolation
                                + "' on a float32 input is not supported: numpy 1.x computes"
                                + (linear
                                        ? " f_min + (x - xmin) * fp_min"
                                        : " the wrap t[k] + (x - t[k]) % period")
                                + " in float32 (value-based casting), numpy 2 in float64;"
                                + " scikit-learn 1.4 and later run on either and neither the file"
                                + " nor a manifest's versions.numpy says which; use"
                                + " dtype=np.float64 there");
            }
            // numpy 2 (known or not): float64 scalars. constant: numpy 1.x compares x with xmin /
            // xmax rounded to float32; they differ from numpy 2's float64 comparison only at
            // x == float32(bound) (transform refuses that row when the numpy is not known)
            return;
        }
        int deg = degree;
        for (int f = 0; f < bases.length; f++) {
            Basis b = bases[f];
            double[] t = b.t();
            int n = t.length - b.k() - 1;
            List<Double> scalars = new ArrayList<>();
            if (extrapolation.equals("periodic")) {
                scalars.add(t[b.k()]);
                scalars.add(t[n] - t[b.k()]);
            }
            if (bounded) {
                scalars.add(t[deg]);
                scalars.add(t[t.length - deg - 1]);
            }
            if (linear) {
                double[] v = new double[b.c()[0].length];
                for (double x : new double[] {t[deg], t[t.length - deg - 1]}) {
                    for (int nu = 0; nu <= 1; nu++) {
                        evaluate(b, x, nu, v);
                        for (double s : v) {
                            scalars.add(s);
                        }
                    }
                }
                if (deg <= 1) {
                    deg += 1;
                }
            }
            for (double s : scalars) {
                if (!fitsFloat32(s)) {
                    throw a.unsupported(
                            "a float32 input with bsplines_["
                                    + f
                                    + "] holding "
                                    + PyRepr.ofDouble(s)
                                    + ", beyond float32's range, is not supported: numpy 1.x"
                                    + " would compute its extrapolation in float64");
                }
            }
        }
    }

    /**
     * Whether numpy 1.x's value-based casting treats this float64 scalar as float32 next to a
     * float32 array ({@code min_scalar_type}: |x| &lt; 3.4e38, or not finite).
     */
    static boolean fitsFloat32(double x) {
        return !Double.isFinite(x) || Math.abs(x) < 3.4e38;
    }

    /** numpy 1.x's float32 {@code a % b} of two float32 values: fmod, moved to b's sign. */
    static double remainder32(double a, double b) {
        // fmod is exact; the one addition of two float32 values, done in double and rounded,
        // is float32's own
        return (float) remainder(a, b);
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
            // numpy 1.x compares the float32 column with xmin / xmax rounded to float32
            double lo = valueBased ? (float) xmin : xmin;
            double hi = valueBased ? (float) xmax : xmax;
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
                        double tk = t[b.k()];
                        double period = t[nn] - tk;
                        if (!(period > 0)) {
                            xv = 0.0;
                        } else if (valueBased) {
                            // numpy 1.x: t[k] and the period rounded to float32, each
                            // operation in float32
                            float tk32 = (float) tk;
                            xv = (float) (tk32 + remainder32((float) (v - tk32), (float) period));
                        } else {
                            xv = tk + remainder(v - tk, period);
                        }
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
                if (float32 && !numpyKnown && ((float) xmin == v || (float) xmax == v)) {
                    checkSameUnderNumpy1(v, xmin, xmax, name, r);
                }
                if (lo <= v && v <= hi) {
                    evaluate(b, v, 0, row);
                    for (int s = 0; s < splines; s++) {
                        block[s][r] = row[s];
                    }
                } else if (extrapolation.equals("constant")) {
                    if (v < lo) {
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
                        if (v < lo) {
                            block[j][r] = linear(fMin[j], v, xmin, dMin[j]);
                        } else {
                            int kk = splines - 1 - j;
                            block[kk][r] = linear(fMax[kk], v, xmax, dMax[kk]);
                        }
                    }
                }
            }
            int kept = includeBias ? splines : splines - 1;
            for (int s = 0; float32 && s < kept; s++) {
                NarrowFloatSteps.round(block[s]); // stored into scikit-learn's float32 XBS
            }
            for (int s = 0; s < kept; s++) {
                out.add(new DoubleColumn(block[s]));
            }
        }
        return Batches.of(n, featureNamesOut(in.names()), out.toArray(new Column[0]));
    }

    /**
     * Refuses a float32 value that numpy 1.x and 2 place differently: one equal to a boundary knot
     * rounded to float32, where that rounding moved it beyond the knots (explicit knots that are
     * not float32 values; no other float32 value lies between a knot and its rounding). numpy 1.x
     * compares with the rounded knot, numpy 2 with the knot.
     */
    private static void checkSameUnderNumpy1(
            double v, double xmin, double xmax, String name, int row) {
        double lo = (float) xmin;
        double hi = (float) xmax;
        boolean same =
                (lo <= v && v <= hi) == (xmin <= v && v <= xmax)
                        && (v < lo) == (v < xmin)
                        && (v > hi) == (v > xmax);
        if (!same) {
            throw ScoringFailure.at(
                    Reason.INPUT_VALUE,
                    name,
                    row,
                    "SplineTransformer on a float32 input refuses "
                            + PyRepr.ofDouble(v)
                            + ", the knot "
                            + PyRepr.ofDouble(v == lo ? xmin : xmax)
                            + " rounded to float32: numpy 1.x counts it inside the knots (a NaN"
                            + " spline), numpy 2 beyond them, and neither the file nor a manifest's"
                            + " versions.numpy says which ran");
        }
    }

    /**
     * {@code f + (x - bound) * fp}: in float64 (numpy 2, or a float64 input), or numpy 1.x's
     * float32 loop with each float64 scalar rounded to float32 first.
     */
    private double linear(double f, double x, double bound, double fp) {
        if (!valueBased) {
            return f + (x - bound) * fp;
        }
        float d = (float) (x - (float) bound);
        float p = (float) ((double) d * (float) fp);
        return (float) ((float) f + (double) p);
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
