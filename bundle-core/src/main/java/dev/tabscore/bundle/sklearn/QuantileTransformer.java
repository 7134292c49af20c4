package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import java.util.Arrays;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.QuantileTransformer} on dense input, as its {@code
 * _transform_col} computes each column from the stored {@code quantiles_[:, j]} and {@code
 * references_}: {@code 0.5 * (interp(x, q, r) - interp(-x, -q[::-1], -r[::-1]))} with numpy's
 * {@code interp} (so repeated quantiles map to the middle of their references), then the values on
 * the bounds set to 1 and 0 (uniform: {@code x == q[-1]}, {@code x == q[0]}; normal: {@code x +
 * 1e-7 > q[-1]}, {@code x - 1e-7 < q[0]}; the lower bound wins), and for the normal output {@code
 * scipy.stats.norm.ppf} ({@link NormalPpf}) clipped to {@code [ppf(1e-7 - eps), ppf(1 - (1e-7 -
 * eps))]}. NaN passes through; infinity is refused, as its input check ({@code "allow-nan"})
 * refuses it. n_quantiles, subsample and random_state only shape the stored quantiles.
 *
 * <p>Exactness: uniform output is bit-exact (interp is arithmetic only). Normal output is the
 * uniform value through ndtri, whose two logs are {@link StrictMath#log}: bit-exact where it agrees
 * with the platform libm, else within 4 ulps (NormalPpfTest, QuantileTransformerTest).
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}), as numpy
 * runs {@code _transform_col} on the float32 column: {@code np.interp} computes in float64 from the
 * float32 values and the float64 {@code quantiles_} (every release stores them float64), and {@code
 * 0.5 * (...)} is stored into the float32 column (rounded); the normal bounds are {@code X_col -
 * 1e-7 < q[0]} in float32 arithmetic (the Python float rounds to float32: numpy 2's weak scalars,
 * numpy 1's value-based casting) compared with {@code q[0]}, which is the float32 training minimum
 * (the 0th percentile), so numpy 1 and 2 compare alike; then scipy's {@code ndtri} float32 loop
 * (double ndtri of the float32 value, rounded), placed into float64 by {@code rv_continuous.ppf},
 * clipped with the float64 bounds and stored into the float32 X (rounded). Uniform is bit-exact;
 * normal too where the double ndtri rounds to the same float32 as scipy's.
 *
 * <p>Not reproduced: sparse input, {@code ignore_implicit_zeros} (sparse only), {@code
 * inverse_transform}.
 */
public final class QuantileTransformer implements Transformer {

    /** scikit-learn's {@code BOUNDS_THRESHOLD}. */
    private static final double BOUNDS = 1e-7;

    /** {@code BOUNDS_THRESHOLD} as numpy subtracts it from a float32 array. */
    private static final double BOUNDS32 = (float) BOUNDS;

    /** {@code stats.norm.ppf(BOUNDS_THRESHOLD - np.spacing(1))} and its mirror. */
    static final double CLIP_MIN = NormalPpf.ppf(BOUNDS - Math.ulp(1.0));

    static final double CLIP_MAX = NormalPpf.ppf(1 - (BOUNDS - Math.ulp(1.0)));

    private final double[][] quantiles;
    private final double[][] negReversed;
    private final double[] references;
    private final double[] negReversedRefs;
    private final boolean normal;
    private final boolean float32;

    /**
     * Returns whether the output is normal (through the inverse normal CDF: within a tolerance).
     *
     * @return true for {@code output_distribution='normal'}
     */
    boolean normal() {
        return normal;
    }

    /**
     * Creates a fitted transformer.
     *
     * @param quantiles per feature its column of {@code quantiles_}, non-decreasing
     * @param references {@code references_}
     * @param normal true for {@code output_distribution='normal'}
     */
    public QuantileTransformer(double[][] quantiles, double[] references, boolean normal) {
        this(quantiles, references, normal, false);
    }

    /**
     * Creates a fitted transformer that may receive float32.
     *
     * @param quantiles per feature its column of {@code quantiles_}, non-decreasing
     * @param references {@code references_}
     * @param normal true for {@code output_distribution='normal'}
     * @param float32 whether it receives a float32 array: numpy then rounds the interpolation and
     *     the normal output to float32 and computes the normal bounds in float32
     */
    public QuantileTransformer(
            double[][] quantiles, double[] references, boolean normal, boolean float32) {
        this.float32 = float32;
        this.quantiles = new double[quantiles.length][];
        this.negReversed = new double[quantiles.length][];
        for (int j = 0; j < quantiles.length; j++) {
            if (quantiles[j].length != references.length || references.length == 0) {
                throw new IllegalArgumentException(
                        "quantiles_ has "
                                + quantiles[j].length
                                + " rows for "
                                + references.length
                                + " references");
            }
            this.quantiles[j] = quantiles[j].clone();
            this.negReversed[j] = negReverse(quantiles[j]);
        }
        this.references = references.clone();
        this.negReversedRefs = negReverse(references);
        this.normal = normal;
    }

    private static double[] negReverse(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = -a[a.length - 1 - i];
        }
        return out;
    }

    static QuantileTransformer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        a.require("output_distribution", "uniform", "normal");
        boolean normal = "normal".equals(a.string("output_distribution"));
        double[] refs = a.doubles("references_");
        SkopsNode q = a.get("quantiles_");
        if (!(q instanceof NumpyArray npy)
                || npy.array().shape().length != 2
                || npy.array().doubles() == null
                || "<f4".equals(npy.array().dtype())) {
            throw a.invalid("quantiles_", "should be a 2-d float64 array, got " + Attrs.render(q));
        }
        NpyArray arr = npy.array();
        int rows = (int) arr.shape()[0];
        int cols = (int) arr.shape()[1];
        if (cols != in.size() || rows != refs.length) {
            throw a.invalid(
                    "quantiles_",
                    "has shape "
                            + Arrays.toString(arr.shape())
                            + " for "
                            + refs.length
                            + " references and "
                            + in.size()
                            + " input columns");
        }
        double[][] byFeature = new double[cols][rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                byFeature[j][r] = arr.doubles()[r * cols + j];
            }
        }
        // ignore_implicit_zeros only applies to sparse input, which tabscore never passes
        a.ignore(
                "n_quantiles",
                "n_quantiles_",
                "subsample",
                "random_state",
                "copy",
                "ignore_implicit_zeros");
        if (a.inputIsFloat32()) {
            for (int j = 0; j < cols; j++) {
                double lo = byFeature[j][0];
                double hi = byFeature[j][rows - 1];
                if ((float) lo != lo || (float) hi != hi) {
                    // scikit-learn fits them as the float32 minimum and maximum; other bounds
                    // would compare in float32 under numpy 1 and in float64 under numpy 2
                    throw a.invalid(
                            "quantiles_",
                            "column "
                                    + j
                                    + " has bounds "
                                    + PyRepr.ofDouble(lo)
                                    + ", "
                                    + PyRepr.ofDouble(hi)
                                    + ", not float32 values, on a float32 input");
                }
            }
        }
        return new QuantileTransformer(byFeature, refs, normal, a.inputIsFloat32());
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, quantiles.length, "QuantileTransformer");
        int n = in.rowCount();
        Column[] out = new Column[quantiles.length];
        for (int j = 0; j < quantiles.length; j++) {
            String name = in.names().get(j);
            double[] x = NumericInput.doubles(in.column(j), name, "QuantileTransformer");
            NumericInput.requireNoInfinity(x, name, "QuantileTransformer");
            double[] q = quantiles[j];
            double lo = q[0];
            double hi = q[q.length - 1];
            double[] y = new double[n];
            for (int r = 0; r < n; r++) {
                double v = x[r];
                boolean lower;
                boolean upper;
                if (!normal) {
                    lower = v == lo;
                    upper = v == hi;
                } else if (float32) {
                    // X_col - BOUNDS_THRESHOLD: float32 minus the threshold rounded to float32
                    lower = NarrowFloatSteps.round(v - BOUNDS32) < lo;
                    upper = NarrowFloatSteps.round(v + BOUNDS32) > hi;
                } else {
                    lower = v - BOUNDS < lo;
                    upper = v + BOUNDS > hi;
                }
                double t =
                        v != v
                                ? v
                                : 0.5
                                        * (interp(v, q, references)
                                                - interp(-v, negReversed[j], negReversedRefs));
                if (float32) {
                    t = NarrowFloatSteps.round(t); // stored into the float32 column
                }
                if (upper) {
                    t = 1.0;
                }
                if (lower) {
                    t = 0.0;
                }
                if (normal && float32) {
                    // ndtri's float32 loop rounds; the clipped float64 is stored into float32 X
                    t = NarrowFloatSteps.round(clip(NarrowFloatSteps.round(NormalPpf.ppf(t))));
                } else if (normal) {
                    t = clip(NormalPpf.ppf(t));
                }
                y[r] = t;
            }
            out[j] = new DoubleColumn(y);
        }
        return Batches.of(n, in.names(), out);
    }

    /** {@code np.clip(v, CLIP_MIN, CLIP_MAX)}; NaN stays NaN. */
    private static double clip(double v) {
        return v < CLIP_MIN ? CLIP_MIN : v > CLIP_MAX ? CLIP_MAX : v;
    }

    /**
     * numpy's {@code np.interp(x, xp, fp)} for one non-NaN x and increasing xp: fp[0] left of the
     * table, fp[-1] right of it, fp[j] on a table point, else {@code slope * (x - xp[j]) + fp[j]}
     * with j the last index where {@code xp[j] <= x} (retried from the right end of the interval if
     * that gives NaN).
     */
    static double interp(double x, double[] xp, double[] fp) {
        int n = xp.length;
        if (n == 1) {
            return fp[0];
        }
        if (x > xp[n - 1]) {
            return fp[n - 1];
        }
        if (x < xp[0]) {
            return fp[0];
        }
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x >= xp[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int j = lo - 1;
        if (j >= n - 1) {
            return fp[n - 1];
        }
        if (xp[j] == x) {
            return fp[j];
        }
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        double res = slope * (x - xp[j]) + fp[j];
        if (res != res) {
            res = slope * (x - xp[j + 1]) + fp[j + 1];
            if (res != res && fp[j] == fp[j + 1]) {
                res = fp[j];
            }
        }
        return res;
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        return List.copyOf(in);
    }
}
