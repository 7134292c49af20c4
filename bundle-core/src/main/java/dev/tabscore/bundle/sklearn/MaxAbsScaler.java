package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.MaxAbsScaler} on dense input: {@code x /=
 * scale_[j]}, where the stored {@code scale_} is the maximum absolute value (1 for an all-zero
 * column). NaN passes through; infinity is refused as scikit-learn's input check does.
 *
 * <p>Not reproduced: sparse input (scikit-learn multiplies by {@code 1/scale_} there), {@code
 * partial_fit}, {@code inverse_transform}.
 */
public final class MaxAbsScaler implements Transformer {

    private final double[] scale;

    /**
     * Creates a fitted scaler.
     *
     * @param scale {@code scale_}
     */
    public MaxAbsScaler(double[] scale) {
        this.scale = scale.clone();
    }

    static MaxAbsScaler fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        FittedAttributes.checkSamplesSeen(a);
        a.ignore("max_abs_", "copy");
        return new MaxAbsScaler(Batches.copyOfWidth(a.doubles("scale_"), in.size(), "scale_"));
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
