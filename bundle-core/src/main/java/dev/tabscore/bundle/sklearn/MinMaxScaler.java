package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.skops.SkopsNode;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.MinMaxScaler}: {@code x *= scale_[j]; x += min_[j]}
 * (two roundings, as numpy's in-place operators), then, only when {@code clip}, numpy's {@code
 * np.clip(x, lo, hi)}: {@code v = x > lo ? x : lo; v = v < hi ? v : hi} with NaN kept. Values
 * outside the fitted range are not clipped by default (500 gives 3.765). NaN passes through;
 * infinity is refused as scikit-learn's input check does.
 *
 * <p>Not reproduced: {@code partial_fit}, {@code inverse_transform}.
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}): the
 * float32 {@code scale_} / {@code min_} used as they are, each operation rounded to float32 and the
 * clipping bounds rounded to float32.
 */
public final class MinMaxScaler implements Transformer {

    private final int width;
    private final double[] scale;
    private final double[] min;
    private final boolean clip;
    private final double lo;
    private final double hi;
    private final boolean float32;

    /**
     * Creates a fitted scaler.
     *
     * @param scale {@code scale_}
     * @param min {@code min_}
     * @param clip whether to clip to the feature range
     * @param lo {@code feature_range[0]}
     * @param hi {@code feature_range[1]}
     */
    public MinMaxScaler(double[] scale, double[] min, boolean clip, double lo, double hi) {
        this(scale, min, clip, lo, hi, false);
    }

    /**
     * Creates a fitted scaler that may receive float32.
     *
     * @param scale {@code scale_}
     * @param min {@code min_}
     * @param clip whether to clip to the feature range
     * @param lo {@code feature_range[0]}
     * @param hi {@code feature_range[1]}
     * @param float32 whether it receives a float32 array: each operation is then rounded to
     *     float32, as numpy's in-place operators store into that array and the clipping bounds
     *     rounded to float32 ({@link NarrowFloatSteps})
     */
    public MinMaxScaler(
            double[] scale, double[] min, boolean clip, double lo, double hi, boolean float32) {
        this.float32 = float32;
        this.width = scale.length;
        this.scale = scale.clone();
        this.min = Batches.copyOfWidth(min, width, "min_");
        this.clip = clip;
        // numpy clips a float32 array to bounds cast to float32 (1.9: xp.asarray(bound,
        // dtype=X.dtype); before: np.clip's Python-float bounds take the array's type)
        this.lo = float32 ? NarrowFloatSteps.round(lo) : lo;
        this.hi = float32 ? NarrowFloatSteps.round(hi) : hi;
        if (!(lo < hi)) {
            throw new IllegalArgumentException(
                    "feature_range (" + lo + ", " + hi + ") is not increasing");
        }
    }

    static MinMaxScaler fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        List<SkopsNode> range = a.items("feature_range");
        if (range.size() != 2) {
            throw a.invalid("feature_range", "should hold two numbers");
        }
        double lo = a.numberOf(range.get(0), "feature_range");
        double hi = a.numberOf(range.get(1), "feature_range");
        FittedAttributes.checkSamplesSeen(a);
        a.ignore("data_min_", "data_max_", "data_range_", "copy");
        return new MinMaxScaler(
                Batches.copyOfWidth(a.fittedDoubles("scale_"), in.size(), "scale_"),
                a.fittedDoubles("min_"),
                a.bool("clip"),
                lo,
                hi,
                a.inputIsFloat32());
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, width, "MinMaxScaler");
        Column[] out = new Column[width];
        for (int j = 0; j < width; j++) {
            String name = in.names().get(j);
            double[] x = NumericInput.doubles(in.column(j), name, "MinMaxScaler");
            NumericInput.requireNoInfinity(x, name, "MinMaxScaler");
            double[] y = new double[x.length];
            double s = scale[j];
            double m = min[j];
            for (int r = 0; r < y.length; r++) {
                double v = x[r] * s;
                y[r] = float32 ? NarrowFloatSteps.round(NarrowFloatSteps.round(v) + m) : v + m;
            }
            if (clip) {
                for (int r = 0; r < y.length; r++) {
                    double v = y[r];
                    if (v == v) {
                        v = v > lo ? v : lo;
                        y[r] = v < hi ? v : hi;
                    }
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
