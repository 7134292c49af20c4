package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.Normalizer} on dense input: each row divided by its
 * norm, {@code x / norms[:, None]}, where a norm below {@code 10 * eps} (2.22e-15) is replaced by 1
 * ({@code _handle_zeros_in_scale}), so an all-zero or all-tiny row passes through unchanged. NaN
 * and infinity are refused, as scikit-learn's input check refuses them.
 *
 * <p>Exactness. {@code max}: {@code max(|x|)} is exact, so features are bit-exact. {@code l1}
 * ({@code np.sum(np.abs(X), axis=1)}) and {@code l2} ({@code sqrt(einsum("ij,ij->i", X, X))}):
 * numpy's summation order depends on the memory layout of the array it is given. tabscore sums left
 * to right, {@code ((|x0| + |x1|) + |x2|) ...} and {@code ((0 + x0*x0) + x1*x1) ...}: the order
 * numpy uses for a Fortran-ordered multi-row array, which is what a ColumnTransformer branch or a
 * Pipeline fitted on a DataFrame passes (bit-exact there). For a C-ordered array (a single row, or
 * the output of a ColumnTransformer) numpy uses pairwise sums (l1, 8 features or more) or two
 * interleaved SIMD lanes (l2, 3 features or more), and the features may differ by rounding.
 * Contract: every feature within {@code n * 2^-52} absolute of scikit-learn's, n the row width
 * (features lie in [-1, 1]); outside that only when a norm lands on either side of the 2.22e-15
 * cut-off.
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} encoder, {@link NarrowFloatSteps}) numpy
 * computes in float32: the norms are a float32 array (l1 a float32 sum, l2 a float32 einsum and
 * float32 sqrt), a norm below {@code 10 * finfo(float32).eps} (1.19e-6) counts as zero, and {@code
 * X /= norms} rounds each quotient to float32. tabscore sums in double (each float32 square exact)
 * and rounds the sum to float32, then takes the float32 sqrt and quotient (the double operation
 * rounded once, exact): {@code max} is bit-exact, {@code l1} and {@code l2} differ only by numpy's
 * float32 summation error, a few float32 ulps of the norm, within the exporter's {@code
 * APPROX_REL32} (2^-16).
 *
 * <p>Not reproduced: sparse input.
 */
public final class Normalizer implements Transformer {

    /** scikit-learn's {@code 10 * np.finfo(np.float64).eps}: smaller norms count as zero. */
    static final double ZERO_NORM = 10 * Math.ulp(1.0);

    /** {@code 10 * np.finfo(np.float32).eps}, exact in float32, for a float32 input. */
    static final double ZERO_NORM32 = 10 * 0x1p-23;

    /** The norm of a row. */
    public enum Norm {
        /** The sum of absolute values. */
        L1,
        /** The Euclidean norm. */
        L2,
        /** The largest absolute value. */
        MAX
    }

    private final int width;
    private final Norm norm;
    private final boolean float32;

    /**
     * Creates a normalizer.
     *
     * @param width the number of columns
     * @param norm the norm
     */
    public Normalizer(int width, Norm norm) {
        this(width, norm, false);
    }

    /**
     * Creates a normalizer.
     *
     * @param width the number of columns
     * @param norm the norm
     * @param float32 whether it receives a float32 array, and so computes in float32
     */
    public Normalizer(int width, Norm norm, boolean float32) {
        this.width = width;
        this.norm = norm;
        this.float32 = float32;
    }

    static Normalizer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        a.require("norm", "l1", "l2", "max");
        Norm norm = Norm.valueOf(a.string("norm").toUpperCase(java.util.Locale.ROOT));
        a.ignore("copy");
        return new Normalizer(in.size(), norm, a.inputIsFloat32());
    }

    /**
     * Returns the norm.
     *
     * @return l1, l2 or max
     */
    public Norm norm() {
        return norm;
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, width, "Normalizer");
        int n = in.rowCount();
        double[][] x = new double[width][];
        for (int j = 0; j < width; j++) {
            String name = in.names().get(j);
            x[j] = NumericInput.doubles(in.column(j), name, "Normalizer");
            NumericInput.requireFinite(x[j], name, "Normalizer");
        }
        double[] norms = new double[n];
        if (width > 0) {
            rowNorms(x, norms);
        }
        Column[] out = new Column[width];
        for (int j = 0; j < width; j++) {
            double[] y = new double[n];
            double[] xj = x[j];
            for (int r = 0; r < n; r++) {
                y[r] = float32 ? NarrowFloatSteps.round(xj[r] / norms[r]) : xj[r] / norms[r];
            }
            out[j] = new DoubleColumn(y);
        }
        return Batches.of(n, in.names(), out);
    }

    /** The norms column by column, the order numpy uses on a Fortran-ordered array. */
    private void rowNorms(double[][] x, double[] norms) {
        int n = norms.length;
        switch (norm) {
            case L1 -> {
                for (int r = 0; r < n; r++) {
                    norms[r] = Math.abs(x[0][r]);
                }
                for (int j = 1; j < width; j++) {
                    for (int r = 0; r < n; r++) {
                        norms[r] += Math.abs(x[j][r]);
                    }
                }
            }
            case L2 -> {
                for (int j = 0; j < width; j++) {
                    for (int r = 0; r < n; r++) {
                        norms[r] += x[j][r] * x[j][r];
                    }
                }
                for (int r = 0; r < n; r++) {
                    norms[r] =
                            float32
                                    ? NarrowFloatSteps.round(
                                            Math.sqrt(NarrowFloatSteps.round(norms[r])))
                                    : Math.sqrt(norms[r]);
                }
            }
            case MAX -> {
                for (int r = 0; r < n; r++) {
                    norms[r] = Math.abs(x[0][r]);
                }
                for (int j = 1; j < width; j++) {
                    for (int r = 0; r < n; r++) {
                        norms[r] = Math.max(norms[r], Math.abs(x[j][r]));
                    }
                }
            }
            default -> throw new IllegalStateException(norm.name());
        }
        if (float32 && norm == Norm.L1) {
            NarrowFloatSteps.round(norms); // a float32 sum; max is a float32 value already
        }
        double zero = float32 ? ZERO_NORM32 : ZERO_NORM;
        for (int r = 0; r < n; r++) {
            if (norms[r] < zero) {
                norms[r] = 1.0;
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        return List.copyOf(in);
    }
}
