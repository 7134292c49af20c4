package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.RobustScaler} on dense input: {@code x -= center_[j]}
 * when with_centering, then {@code x /= scale_[j]} when with_scaling. The quantile range and
 * unit_variance only matter at fit: their effect is in the stored {@code scale_} (1 for a zero
 * interquartile range). NaN passes through; infinity is refused as scikit-learn does.
 *
 * <p>Not reproduced: sparse input, {@code inverse_transform}.
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}): {@code X
 * -= center_} (float32) and {@code X /= scale_} (float64) each rounded to float32.
 */
public final class RobustScaler implements Transformer {

    private final int width;
    private final double[] center;
    private final double[] scale;
    private final boolean float32;

    /**
     * Creates a fitted scaler.
     *
     * @param width the number of columns
     * @param center {@code center_}, or null when with_centering is false
     * @param scale {@code scale_}, or null when with_scaling is false
     */
    public RobustScaler(int width, double[] center, double[] scale) {
        this(width, center, scale, false);
    }

    /**
     * Creates a fitted scaler that may receive float32.
     *
     * @param width the number of columns
     * @param center {@code center_}, or null when with_centering is false
     * @param scale {@code scale_}, or null when with_scaling is false
     * @param float32 whether it receives a float32 array: each operation is then rounded to
     *     float32, as numpy's in-place operators store into that array ({@link NarrowFloatSteps})
     */
    public RobustScaler(int width, double[] center, double[] scale, boolean float32) {
        this.float32 = float32;
        this.width = width;
        this.center = Batches.copyOfWidth(center, width, "center_");
        this.scale = Batches.copyOfWidth(scale, width, "scale_");
    }

    static RobustScaler fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        double[] center = a.bool("with_centering") ? a.fittedDoubles("center_") : null;
        double[] scale = a.bool("with_scaling") ? a.fittedDoubles("scale_") : null;
        a.ignore("center_", "scale_", "quantile_range", "unit_variance", "copy");
        return new RobustScaler(in.size(), center, scale, a.inputIsFloat32());
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, width, "RobustScaler");
        Column[] out = new Column[width];
        for (int j = 0; j < width; j++) {
            String name = in.names().get(j);
            double[] x = NumericInput.doubles(in.column(j), name, "RobustScaler");
            NumericInput.requireNoInfinity(x, name, "RobustScaler");
            double[] y = new double[x.length];
            double c = center == null ? 0.0 : center[j];
            double s = scale == null ? 1.0 : scale[j];
            if (center != null && scale != null) {
                for (int r = 0; r < y.length; r++) {
                    y[r] = (x[r] - c) / s;
                }
            } else if (center != null) {
                for (int r = 0; r < y.length; r++) {
                    y[r] = x[r] - c;
                }
            } else if (scale != null) {
                for (int r = 0; r < y.length; r++) {
                    y[r] = x[r] / s;
                }
            } else {
                System.arraycopy(x, 0, y, 0, y.length);
            }
            if (float32) {
                // X -= center_ (float32, fitted on float32); X /= scale_ (float64)
                for (int r = 0; r < y.length; r++) {
                    y[r] = NarrowFloatSteps.round(NarrowFloatSteps.round(x[r] - c) / s);
                }
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
