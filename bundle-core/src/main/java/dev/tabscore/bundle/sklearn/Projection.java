package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The dense transform PCA and TruncatedSVD share: {@code X @ components_.T}, optionally centred by
 * {@code mean_} and divided by a per-component scale. numpy hands the products to BLAS, whose order
 * of additions (blocking, FMA, threads) is not reproducible; tabscore sums each dot product left to
 * right, so features agree with scikit-learn within the error bound of a dot product, {@link
 * #bound}: {@code 2 (n + 2) 2^-53} times the sum of the absolute products (both products for the
 * centring term), divided by the scale.
 *
 * <p>Fitted on a float32 array (after an encoder with {@code dtype=np.float32}) and fed one,
 * scikit-learn computes in float32: {@code components_}, {@code mean_} and {@code
 * explained_variance_} are {@code <f4}, numpy's {@code X - mean_} and the in-place {@code -=},
 * {@code /=} round each value to float32, and {@code sgemm} sums the products in float32 in an
 * order of its own. tabscore rounds to float32 wherever numpy stores a float32 array and sums each
 * dot product in double (each float32 product exact), rounded once: within a few float32 ulps of
 * the sum's magnitude of scikit-learn's, which the exporter's {@code APPROX_REL32} (2^-16 relative)
 * covers.
 */
final class Projection {

    private final String who;
    private final double[][] components;
    private final double[] mean;
    private final boolean centreFirst;
    private final double[] meanProjection;
    private final double[] scale;
    private final boolean float32;
    private final String prefix;

    /**
     * Creates a projection.
     *
     * @param who the estimator class, for messages and names
     * @param components {@code components_}, one row per component
     * @param mean {@code mean_}, or null for none
     * @param centreFirst true for {@code (X - mean_) @ C.T} (scikit-learn up to 1.4), false for
     *     {@code X @ C.T - mean_ @ C.T} (1.5 on)
     * @param scale per component the divisor, or null (float32 values when {@code float32})
     * @param float32 whether scikit-learn computes in float32 (float32 input and fitted arrays)
     */
    Projection(
            String who,
            double[][] components,
            double[] mean,
            boolean centreFirst,
            double[] scale,
            boolean float32) {
        this.who = who;
        this.float32 = float32;
        this.components = components;
        this.mean = mean;
        this.centreFirst = centreFirst;
        this.scale = scale;
        this.prefix = who.toLowerCase(java.util.Locale.ROOT);
        int width = components.length == 0 ? 0 : components[0].length;
        for (double[] c : components) {
            if (c.length != width) {
                throw new IllegalArgumentException("components_ rows differ in length");
            }
        }
        if (mean != null && mean.length != width
                || scale != null && scale.length != components.length) {
            throw new IllegalArgumentException(
                    "mean_ / scale do not match components_ " + components.length + " x " + width);
        }
        this.meanProjection = new double[components.length];
        if (mean != null && !centreFirst) {
            for (int j = 0; j < components.length; j++) {
                // mean_ @ C.T: a float32 array when fitted on float32
                double m = dot(mean, components[j]);
                meanProjection[j] = float32 ? NarrowFloatSteps.round(m) : m;
            }
        }
    }

    int width() {
        return components.length == 0 ? 0 : components[0].length;
    }

    private static double dot(double[] x, double[] c) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * c[i];
        }
        return s;
    }

    /**
     * {@code components_} as rows: float64, or float32 when the step receives float32 (it was
     * fitted on the same float32 array).
     */
    static double[][] matrix(Attrs a, String name, int width) {
        SkopsNode n = a.get(name);
        boolean f4 = n instanceof NumpyArray f && "<f4".equals(f.array().dtype());
        if (f4 && !a.inputIsFloat32()) {
            // fitted on float32 input (case-1402-00078, a PCA fitted on a float32 frame) but fed
            // what the graph takes as float64: numpy would project in float64 with float32
            // components, an input type tabscore cannot see
            throw a.unsupported(
                    name
                            + " is float32 (fitted on float32 input): a float32 projection is"
                            + " scored only on a float32 input, after a dtype=np.float32 encoder;"
                            + " fit on float64 input");
        }
        if (!f4 && a.inputIsFloat32()) {
            throw float64On32(a, name);
        }
        if (!(n instanceof NumpyArray arr)
                || arr.array().shape().length != 2
                || arr.array().doubles() == null) {
            throw a.invalid(name, "should be a 2-d float64 array, got " + Attrs.render(n));
        }
        NpyArray npy = arr.array();
        int rows = (int) npy.shape()[0];
        int cols = (int) npy.shape()[1];
        if (cols != width) {
            throw a.invalid(
                    name,
                    "has shape "
                            + Arrays.toString(npy.shape())
                            + " for "
                            + width
                            + " input columns");
        }
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(npy.doubles(), r * cols, (r + 1) * cols);
        }
        return out;
    }

    /**
     * A fitted float vector ({@code mean_}, {@code explained_variance_}): float64, or float32 on a
     * float32 input.
     */
    static double[] vector(Attrs a, String name, int width) {
        if (a.isFloat32(name) != a.inputIsFloat32()) {
            throw a.isFloat32(name)
                    ? a.invalid(name, "has dtype <f4, expected float64")
                    : float64On32(a, name);
        }
        return Batches.copyOfWidth(a.fittedDoubles(name), width, name);
    }

    /** numpy would promote to float64 what the graph expects float32 from: not reproduced. */
    private static BundleFormatException float64On32(Attrs a, String name) {
        return a.unsupported(
                name
                        + " is not float32 though the step receives float32 ("
                        + a.inputOrigin()
                        + "): numpy would project in float64 and return float64");
    }

    ColumnBatch apply(ColumnBatch in) {
        int n = in.rowCount();
        int w = width();
        Batches.checkWidth(in, w, who);
        double[][] x = new double[w][];
        for (int i = 0; i < w; i++) {
            String name = in.names().get(i);
            x[i] = NumericInput.doubles(in.column(i), name, who);
            NumericInput.requireFinite(x[i], name, who);
        }
        if (float32 && mean != null && centreFirst) {
            // X - mean_: a new float32 array
            for (int i = 0; i < w; i++) {
                double[] xc = new double[n];
                for (int r = 0; r < n; r++) {
                    xc[r] = NarrowFloatSteps.round(x[i][r] - mean[i]);
                }
                x[i] = xc;
            }
        }
        Column[] out = new Column[components.length];
        for (int j = 0; j < components.length; j++) {
            double[] c = components[j];
            double[] y = new double[n];
            for (int i = 0; i < w; i++) {
                double ci = c[i];
                double[] xi = x[i];
                double mi = mean != null && centreFirst && !float32 ? mean[i] : 0;
                for (int r = 0; r < n; r++) {
                    y[r] += (centreFirst ? xi[r] - mi : xi[r]) * ci;
                }
            }
            for (int r = 0; r < n; r++) {
                if (float32) {
                    // sgemm's float32 result, -= and /= into the float32 array
                    y[r] = NarrowFloatSteps.round(y[r]);
                    if (mean != null && !centreFirst) {
                        y[r] = NarrowFloatSteps.round(y[r] - meanProjection[j]);
                    }
                    if (scale != null) {
                        y[r] = NarrowFloatSteps.round(y[r] / scale[j]);
                    }
                    continue;
                }
                if (mean != null && !centreFirst) {
                    y[r] -= meanProjection[j];
                }
                if (scale != null) {
                    y[r] /= scale[j];
                }
            }
            out[j] = new DoubleColumn(y);
        }
        return Batches.of(n, names(), out);
    }

    /**
     * The contract for one feature computed in float64: how far tabscore's value may be from
     * scikit-learn's (a float32 projection is held to the exporter's {@code APPROX_REL32}).
     *
     * @param row the input values of the row
     * @param j the component
     * @return the bound
     */
    double bound(double[] row, int j) {
        double[] c = components[j];
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            double xi = mean != null && centreFirst ? row[i] - mean[i] : row[i];
            sum += Math.abs(xi * c[i]);
            if (mean != null && !centreFirst) {
                sum += Math.abs(mean[i] * c[i]);
            }
        }
        double b = 2.0 * (row.length + 2) * 0x1p-53 * sum;
        return scale == null ? b : b / scale[j];
    }

    /** {@code ClassNamePrefixFeaturesOutMixin}: the lower-cased class name and the index. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < components.length; j++) {
            out.add(prefix + j);
        }
        return List.copyOf(out);
    }
}
