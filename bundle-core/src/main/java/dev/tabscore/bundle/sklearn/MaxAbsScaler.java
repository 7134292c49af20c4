package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.MaxAbsScaler} on dense input: {@code x /= scale_[j]},
 * where the stored {@code scale_} is the maximum absolute value (1 for an all-zero column), then,
 * only with {@code clip=True} (scikit-learn 1.8+), numpy's {@code np.clip(x, -1, 1)} with NaN kept.
 * NaN passes through; infinity is refused as scikit-learn's input check does.
 *
 * <p>Not reproduced: sparse input (scikit-learn multiplies by {@code 1/scale_} there), {@code
 * partial_fit}, {@code inverse_transform}.
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}): {@code X
 * /= scale_} rounded to float32 (a float32 {@code scale_}).
 */
public final class MaxAbsScaler implements Transformer {

    private final double[] scale;
    private final boolean clip;
    private final boolean float32;

    /**
     * Creates a fitted scaler.
     *
     * @param scale {@code scale_}
     * @param clip whether to clip the result to [-1, 1]
     */
    public MaxAbsScaler(double[] scale, boolean clip) {
        this(scale, clip, false);
    }

    /**
     * Creates a fitted scaler that may receive float32.
     *
     * @param scale {@code scale_}
     * @param clip whether to clip the result to [-1, 1]
     * @param float32 whether it receives a float32 array: each operation is then rounded to
     *     float32, as numpy's in-place operators store into that array ({@link NarrowFloatSteps})
     */
    public MaxAbsScaler(double[] scale, boolean clip, boolean float32) {
        this.float32 = float32;
        this.scale = scale.clone();
        this.clip = clip;
    }

    static MaxAbsScaler fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        FittedAttributes.checkSamplesSeen(a);
        a.ignore("max_abs_", "copy");
        // clip arrived in 1.8; absent means the earlier behaviour, no clipping
        boolean clip = a.has("clip") && a.bool("clip");
        return new MaxAbsScaler(
                Batches.copyOfWidth(a.fittedDoubles("scale_"), in.size(), "scale_"),
                clip,
                a.inputIsFloat32());
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, scale.length, "MaxAbsScaler");
        Column[] out = new Column[scale.length];
        for (int j = 0; j < scale.length; j++) {
            String name = in.names().get(j);
            double[] x = NumericInput.doubles(in.column(j), name, "MaxAbsScaler");
            NumericInput.requireNoInfinity(x, name, "MaxAbsScaler");
            double[] y = new double[x.length];
            double s = scale[j];
            for (int r = 0; r < y.length; r++) {
                y[r] = x[r] / s;
            }
            if (float32) {
                NarrowFloatSteps.round(y); // X /= scale_, scale_ float32; ±1 are float32
            }
            if (clip) {
                for (int r = 0; r < y.length; r++) {
                    double v = y[r];
                    y[r] = v > 1.0 ? 1.0 : v < -1.0 ? -1.0 : v;
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
