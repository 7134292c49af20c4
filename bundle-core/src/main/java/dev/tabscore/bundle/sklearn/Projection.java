package dev.tabscore.bundle.sklearn;

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
 */
final class Projection {

    private final String who;
    private final double[][] components;
    private final double[] mean;
    private final boolean centreFirst;
    private final double[] meanProjection;
    private final double[] scale;
    private final String prefix;

    /**
     * Creates a projection.
     *
     * @param who the estimator class, for messages and names
     * @param components {@code components_}, one row per component
     * @param mean {@code mean_}, or null for none
     * @param centreFirst true for {@code (X - mean_) @ C.T} (scikit-learn up to 1.4), false for
     *     {@code X @ C.T - mean_ @ C.T} (1.5 on)
     * @param scale per component the divisor, or null
     */
    Projection(
            String who, double[][] components, double[] mean, boolean centreFirst, double[] scale) {
        this.who = who;
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
                meanProjection[j] = dot(mean, components[j]);
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

    /** {@code components_} (2-d float64) as rows. */
    static double[][] matrix(Attrs a, String name, int width) {
        SkopsNode n = a.get(name);
        if (n instanceof NumpyArray f && "<f4".equals(f.array().dtype())) {
            // fitted on float32 input (e.g. a ColumnTransformer of float32 encoders): scikit-learn
            // then
            // projects in float32 through BLAS, which float64 arithmetic cannot reproduce within
            // the
            // stated tolerance (a difffuzz finding, case-1402-00078)
            throw a.unsupported(
                    name
                            + " is float32 (fitted on float32 input): float32 projections are"
                            + " not supported; fit on float64 input");
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
        Column[] out = new Column[components.length];
        for (int j = 0; j < components.length; j++) {
            double[] c = components[j];
            double[] y = new double[n];
            for (int i = 0; i < w; i++) {
                double ci = c[i];
                double[] xi = x[i];
                double mi = mean != null && centreFirst ? mean[i] : 0;
                for (int r = 0; r < n; r++) {
                    y[r] += (centreFirst ? xi[r] - mi : xi[r]) * ci;
                }
            }
            for (int r = 0; r < n; r++) {
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
     * The contract for one feature: how far tabscore's value may be from scikit-learn's.
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
