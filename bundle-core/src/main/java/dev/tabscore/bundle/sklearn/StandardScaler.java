package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.StandardScaler}: {@code x -= mean_[j]} when
 * with_mean, then {@code x /= scale_[j]} when with_std, one rounding per operation as numpy's
 * in-place operators. NaN passes through; infinity is refused, as scikit-learn's input check does.
 * The stored {@code scale_} already holds 1 for zero-variance columns.
 *
 * <p>Not reproduced: sparse input, {@code partial_fit}, {@code inverse_transform}.
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}): each
 * operation rounded to float32, with {@code mean_} / {@code scale_} cast to float32 first from
 * scikit-learn 1.8 ({@code xp.astype(mean_, X.dtype)}), as they are not before.
 */
public final class StandardScaler implements Transformer {

    private final int width;
    private final double[] mean;
    private final double[] scale;
    private final boolean float32;

    /**
     * Creates a fitted scaler.
     *
     * @param width the number of columns
     * @param mean {@code mean_}, or null when with_mean is false
     * @param scale {@code scale_}, or null when with_std is false
     */
    public StandardScaler(int width, double[] mean, double[] scale) {
        this(width, mean, scale, false);
    }

    /**
     * Creates a fitted scaler that may receive float32.
     *
     * @param width the number of columns
     * @param mean {@code mean_}, or null when with_mean is false
     * @param scale {@code scale_}, or null when with_std is false
     * @param float32 whether it receives a float32 array: each operation is then rounded to
     *     float32, as numpy's in-place operators store into that array ({@link NarrowFloatSteps})
     */
    public StandardScaler(int width, double[] mean, double[] scale, boolean float32) {
        this.float32 = float32;
        this.width = width;
        this.mean = Batches.copyOfWidth(mean, width, "mean_");
        this.scale = Batches.copyOfWidth(scale, width, "scale_");
    }

    static StandardScaler fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        boolean withMean = a.bool("with_mean");
        boolean withStd = a.bool("with_std");
        double[] mean = withMean ? a.fittedDoubles("mean_") : null;
        double[] scale = withStd ? a.fittedDoubles("scale_") : null;
        FittedAttributes.checkSamplesSeen(a);
        a.ignore("mean_", "var_", "scale_", "copy");
        if (a.inputIsFloat32() && SklearnVersion.atLeast(a, 1, 8)) {
            // 1.8+: X -= xp.astype(mean_, X.dtype); X /= xp.astype(scale_, X.dtype)
            round(mean);
            round(scale);
        }
        return new StandardScaler(in.size(), mean, scale, a.inputIsFloat32());
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, width, "StandardScaler");
        Column[] out = new Column[width];
        for (int j = 0; j < width; j++) {
            String name = in.names().get(j);
            double[] x = NumericInput.doubles(in.column(j), name, "StandardScaler");
            NumericInput.requireNoInfinity(x, name, "StandardScaler");
            double[] y = new double[x.length];
            if (mean != null && scale != null) {
                double m = mean[j];
                double s = scale[j];
                for (int r = 0; r < y.length; r++) {
                    y[r] = (x[r] - m) / s;
                }
            } else if (mean != null) {
                double m = mean[j];
                for (int r = 0; r < y.length; r++) {
                    y[r] = x[r] - m;
                }
            } else if (scale != null) {
                double s = scale[j];
                for (int r = 0; r < y.length; r++) {
                    y[r] = x[r] / s;
                }
            } else {
                System.arraycopy(x, 0, y, 0, y.length);
            }
            if (float32) {
                float32(x, y, mean == null ? 0.0 : mean[j], scale == null ? 1.0 : scale[j]);
            }
            out[j] = new DoubleColumn(y);
        }
        return Batches.of(in.rowCount(), in.names(), out);
    }

    private static void round(double[] v) {
        if (v != null) {
            NarrowFloatSteps.round(v);
        }
    }

    /** {@code X -= mean_; X /= scale_} into a float32 X: each result rounded to float32. */
    private static void float32(double[] x, double[] y, double m, double s) {
        for (int r = 0; r < y.length; r++) {
            y[r] = NarrowFloatSteps.round(NarrowFloatSteps.round(x[r] - m) / s);
        }
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        return List.copyOf(in);
    }
}
