package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.StandardScaler}: {@code x -= mean_[j]} when
 * with_mean, then {@code x /= scale_[j]} when with_std, one rounding per operation as numpy's
 * in-place operators. NaN passes through; infinity is refused, as scikit-learn's input check
 * does. The stored {@code scale_} already holds 1 for zero-variance columns.
 *
 * <p>Not reproduced: sparse input, {@code partial_fit}, {@code inverse_transform}.
 */
public final class StandardScaler implements Transformer {

    private final int width;
    private final double[] mean;
    private final double[] scale;

    /**
     * Creates a fitted scaler.
     *
     * @param width the number of columns
     * @param mean {@code mean_}, or null when with_mean is false
     * @param scale {@code scale_}, or null when with_std is false
     */
    public StandardScaler(int width, double[] mean, double[] scale) {
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
        return new StandardScaler(in.size(), mean, scale);
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
            out[j] = new DoubleColumn(y);
        }
        return Batches.of(in.rowCount(), in.names(), out);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        return List.copyOf(in);
    }
}
