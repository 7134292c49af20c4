package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import java.util.ArrayList;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.TargetEncoder} (1.3+) at scoring time, i.e. its
 * {@code transform} (not {@code fit_transform}, whose cross-fitted encodings exist only for the
 * training rows): a known category becomes its stored encoding ({@code encodings_}), an unknown
 * one, including a missing value when NaN was not seen at fit, becomes {@code target_mean_}. Binary
 * and continuous targets give one column per feature; multiclass targets (1.4+) give one per
 * feature and class, in the order {@code encodings_} holds them, named {@code <feature>_<class>}.
 * Matching is that of {@link Categories} (strings exactly, numbers numerically, NaN with NaN);
 * infinity in a numeric column is refused, as the input check ({@code "allow-nan"}) refuses it.
 * Values are copied, so features are bit-exact. Unknown categories are counted in the statistics,
 * and the categories feed {@link KnownCategories}.
 *
 * <p>Refused: a Python {@code None} category (fitted on None values), since tabscore's inputs do
 * not tell None from NaN, which scikit-learn matches differently.
 */
public final class TargetEncoder implements Transformer {

    private final Categories[] categories;

    /** Per output column, the encoding of each category of its feature. */
    private final double[][] encodings;

    /** Per output column, the value of an unknown category. */
    private final double[] unknown;

    private final List<String> classNames;

    /**
     * Creates a fitted encoder.
     *
     * @param categories {@code categories_}
     * @param encodings {@code encodings_}: per feature (times class, multiclass) one value per
     *     category
     * @param targetMean {@code target_mean_}: one value, or one per class
     * @param classNames the classes as Python's str gives them (multiclass), else null
     */
    public TargetEncoder(
            Object[][] categories,
            double[][] encodings,
            double[] targetMean,
            List<String> classNames) {
        int k = classNames == null ? 1 : classNames.size();
        if (targetMean.length != k || encodings.length != categories.length * k) {
            throw new IllegalArgumentException(
                    encodings.length
                            + " encodings and "
                            + targetMean.length
                            + " target means for "
                            + categories.length
                            + " features and "
                            + k
                            + " classes");
        }
        this.categories = new Categories[categories.length];
        for (int i = 0; i < categories.length; i++) {
            this.categories[i] = new Categories(categories[i]);
        }
        this.encodings = new double[encodings.length][];
        this.unknown = new double[encodings.length];
        for (int e = 0; e < encodings.length; e++) {
            int f = e / k;
            if (encodings[e].length != categories[f].length) {
                throw new IllegalArgumentException(
                        "encodings_["
                                + e
                                + "] has "
                                + encodings[e].length
                                + " values for "
                                + categories[f].length
                                + " categories");
            }
            this.encodings[e] = encodings[e].clone();
            this.unknown[e] = targetMean[e % k];
        }
        this.classNames = classNames == null ? null : List.copyOf(classNames);
    }

    static TargetEncoder fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        if (FittedAttributes.infrequentEnabled(a)) {
            throw a.unsupported("_infrequent_enabled", a.get("_infrequent_enabled"));
        }
        a.ignore("_infrequent_enabled");
        String type = a.string("target_type_");
        List<SkopsNode> cats = a.items("categories_");
        if (cats.size() != in.size()) {
            throw a.invalid(
                    "categories_",
                    "has " + cats.size() + " features for " + in.size() + " input columns");
        }
        Object[][] categories = new Object[cats.size()][];
        for (int i = 0; i < categories.length; i++) {
            categories[i] = a.valuesOf(cats.get(i), "categories_[" + i + "]", a.inputIsFloat32());
            for (Object v : categories[i]) {
                if (v == null && !a.nullIsNone(in.get(i))) {
                    throw a.unsupported(
                            "categories_["
                                    + i
                                    + "] of column '"
                                    + in.get(i)
                                    + "' holds None (fitted on None values): tabscore reads a missing"
                                    + " value as NaN, which scikit-learn would not match with None;"
                                    + " fit on NaN instead (e.g. df[col].fillna(np.nan))");
                }
            }
        }
        List<SkopsNode> enc = a.items("encodings_");
        double[][] encodings = new double[enc.size()][];
        for (int e = 0; e < encodings.length; e++) {
            encodings[e] = a.doublesOf(enc.get(e), "encodings_[" + e + "]");
        }
        double[] targetMean = targetMean(a);
        List<String> classNames = null;
        if ("multiclass".equals(type)) {
            classNames = new ArrayList<>();
            for (Object c : a.valuesOf(a.get("classes_"), "classes_")) {
                classNames.add(PyRepr.str(c));
            }
        } else if (!"binary".equals(type) && !"continuous".equals(type)) {
            throw a.unsupported("target_type_", a.get("target_type_"));
        } else {
            a.ignore("classes_");
        }
        // fit-time options: the encodings they produced are stored
        a.ignore("categories", "target_type", "smooth", "cv", "shuffle", "random_state");
        return new TargetEncoder(categories, encodings, targetMean, classNames);
    }

    /** {@code target_mean_}: a 0-d numpy float64 or Python float, or one value per class. */
    private static double[] targetMean(Attrs a) {
        SkopsNode n = a.get("target_mean_");
        if (n instanceof JsonValue) {
            return new double[] {a.numberOf(n, "target_mean_")};
        }
        if (n instanceof NumpyArray arr && arr.array().shape().length == 0) {
            NpyArray npy = arr.array();
            if (npy.doubles() == null || npy.size() != 1) {
                throw a.invalid("target_mean_", "should be a float64, got dtype " + npy.dtype());
            }
            return new double[] {npy.doubles()[0]};
        }
        return a.doublesOf(n, "target_mean_");
    }

    /**
     * Returns the fitted categories of feature {@code i}.
     *
     * @param i a feature position
     * @return its lookup
     */
    Categories categoriesOf(int i) {
        return categories[i];
    }

    /**
     * Returns the number of features encoded.
     *
     * @return the count
     */
    int featureCount() {
        return categories.length;
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, categories.length, "TargetEncoder");
        int n = in.rowCount();
        int k = encodings.length / categories.length;
        int[] codes = new int[n];
        Column[] out = new Column[encodings.length];
        for (int f = 0; f < categories.length; f++) {
            Column c = in.column(f);
            String name = in.names().get(f);
            if (c instanceof DoubleColumn d) {
                NumericInput.requireNoInfinity(d.values(), name, "TargetEncoder");
            }
            categories[f].encode(c, codes);
            if (stats != null) {
                ColumnStats cs = stats.column(name);
                for (int r = 0; r < n; r++) {
                    if (codes[r] < 0 && !c.isMissing(r)) {
                        Categories.countUnknown(cs, c, r);
                    }
                }
            }
            for (int m = 0; m < k; m++) {
                int e = f * k + m;
                double[] table = encodings[e];
                double[] y = new double[n];
                for (int r = 0; r < n; r++) {
                    y[r] = codes[r] < 0 ? unknown[e] : table[codes[r]];
                }
                out[e] = new DoubleColumn(y);
            }
        }
        return Batches.of(n, featureNamesOut(in.names()), out);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        if (classNames == null) {
            return List.copyOf(in);
        }
        List<String> out = new ArrayList<>();
        for (String f : in) {
            for (String c : classNames) {
                out.add(f + "_" + c);
            }
        }
        return List.copyOf(out);
    }
}
