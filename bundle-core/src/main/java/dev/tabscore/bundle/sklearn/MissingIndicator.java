package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.impute.MissingIndicator}: one column per fitted feature in {@code
 * features_}, 1.0 where the input holds {@code missing_values} (see {@link MissingValue}: NaN, a
 * number, a string or None), else 0.0; the input check follows it (infinity refused with NaN, NaN
 * and infinity refused with any other missing value). With {@code features="missing-only"} a column
 * that had no missing value at fit gets no indicator even when it has some now; with {@code
 * error_on_new=True} that case is refused as scikit-learn refuses it. Output names are {@code
 * missingindicator_<feature>}.
 *
 * <p>scikit-learn returns a bool array (sparse with {@code sparse=True}); the values are the same
 * 0/1 once stacked into the float64 output, which is what is returned here.
 */
public final class MissingIndicator implements Transformer {

    private final int width;
    private final int[] features;
    private final boolean errorOnNew;
    private final MissingValue missing;

    /**
     * Creates a fitted indicator.
     *
     * @param width the number of input columns
     * @param features {@code features_}: the input columns that get an indicator, increasing
     * @param errorOnNew whether a missing value in another column is an error
     * @param missing {@code missing_values}
     */
    MissingIndicator(int width, int[] features, boolean errorOnNew, MissingValue missing) {
        this.width = width;
        this.features = features.clone();
        for (int i = 0; i < features.length; i++) {
            if (features[i] < 0
                    || features[i] >= width
                    || i > 0 && features[i] <= features[i - 1]) {
                throw new IllegalArgumentException(
                        "features_ "
                                + Arrays.toString(features)
                                + " is not an increasing list of indices below "
                                + width);
            }
        }
        this.errorOnNew = errorOnNew;
        this.missing = missing;
    }

    /**
     * Creates a fitted indicator of NaN (and null) cells.
     *
     * @param width the number of input columns
     * @param features {@code features_}: the input columns that get an indicator, increasing
     * @param errorOnNew whether a missing value in another column is an error
     */
    public MissingIndicator(int width, int[] features, boolean errorOnNew) {
        this(width, features, errorOnNew, MissingValue.NAN);
    }

    static MissingIndicator fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        MissingValue missing = MissingValue.of(a);
        a.require("features", "missing-only", "all");
        long[] f = a.longs("features_");
        int[] features = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            features[i] = (int) f[i];
        }
        if (a.has("_n_features") && a.number("_n_features") != in.size()) {
            throw a.invalid(
                    "_n_features",
                    "is " + a.json("_n_features") + " for " + in.size() + " input columns");
        }
        boolean errorOnNew = "missing-only".equals(a.string("features")) && a.bool("error_on_new");
        a.ignore("sparse", "_precomputed", "error_on_new");
        return new MissingIndicator(in.size(), features, errorOnNew, missing);
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, width, "MissingIndicator");
        // dtype=None: a DataFrame with a string column becomes an object array
        boolean objectInput = false;
        for (int j = 0; j < width; j++) {
            objectInput |= in.column(j) instanceof StringColumn;
        }
        boolean[][] masks = new boolean[width][];
        for (int j = 0; j < width; j++) {
            missing.check(in.column(j), in.names().get(j), "MissingIndicator", objectInput);
            masks[j] = missing.mask(in.column(j));
        }
        return indicate(in, masks);
    }

    /**
     * Returns the missing value this indicator was fitted with.
     *
     * @return {@code missing_values}
     */
    MissingValue missingValue() {
        return missing;
    }

    /**
     * Computes the indicator columns from masks already computed (and values already checked) by
     * the caller, as SimpleImputer hands its mask to its indicator.
     *
     * @param in the input batch, for names
     * @param masks per input column, where it holds the missing value
     * @return the indicator columns
     */
    ColumnBatch indicate(ColumnBatch in, boolean[][] masks) {
        int n = in.rowCount();
        if (errorOnNew) {
            checkNoNewMissing(in, masks);
        }
        Column[] out = new Column[features.length];
        for (int i = 0; i < features.length; i++) {
            boolean[] m = masks[features[i]];
            double[] y = new double[n];
            for (int r = 0; r < n; r++) {
                y[r] = m[r] ? 1.0 : 0.0;
            }
            out[i] = new DoubleColumn(y);
        }
        return Batches.of(n, featureNamesOut(in.names()), out);
    }

    private void checkNoNewMissing(ColumnBatch in, boolean[][] masks) {
        int next = 0;
        for (int j = 0; j < width; j++) {
            if (next < features.length && features[next] == j) {
                next++;
                continue;
            }
            for (int r = 0; r < in.rowCount(); r++) {
                if (masks[j][r]) {
                    throw ScoringFailure.at(
                            Reason.INPUT_VALUE,
                            in.names().get(j),
                            r,
                            "missing value in a feature that had none at fit"
                                    + " (MissingIndicator, error_on_new=True)");
                }
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        List<String> out = new ArrayList<>(features.length);
        for (int f : features) {
            out.add("missingindicator_" + in.get(f));
        }
        return out;
    }
}
