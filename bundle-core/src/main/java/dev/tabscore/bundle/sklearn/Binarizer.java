package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.Binarizer} on dense input: 1.0 where {@code x >
 * threshold}, else 0.0 (a comparison, so exact). NaN and infinity are refused, as scikit-learn's
 * input check ({@code ensure_all_finite=True}) refuses them; ints and bools compare as float64, as
 * numpy promotes them. Names are one-to-one.
 *
 * <p>Not reproduced: sparse input (the same values; scikit-learn refuses a negative threshold
 * there).
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}): the
 * threshold rounded to float32, as numpy compares a float32 array with a Python float.
 */
public final class Binarizer implements Transformer {

    private final int width;
    private final double threshold;

    /**
     * Creates a binarizer.
     *
     * @param width the number of columns
     * @param threshold {@code threshold}
     */
    public Binarizer(int width, double threshold) {
        this.width = width;
        this.threshold = threshold;
    }

    static Binarizer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        double threshold = a.number("threshold");
        if (a.inputIsFloat32()) {
            // X > threshold on a float32 X compares with the threshold rounded to float32
            threshold = NarrowFloatSteps.round(threshold);
        }
        a.ignore("copy");
        return new Binarizer(in.size(), threshold);
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, width, "Binarizer");
        Column[] out = new Column[width];
        for (int j = 0; j < width; j++) {
            String name = in.names().get(j);
            double[] x = NumericInput.doubles(in.column(j), name, "Binarizer");
            NumericInput.requireFinite(x, name, "Binarizer");
            double[] y = new double[x.length];
            for (int r = 0; r < y.length; r++) {
                y[r] = x[r] > threshold ? 1.0 : 0.0;
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
