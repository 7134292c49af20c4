package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.DictNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * scikit-learn's {@code sklearn.preprocessing.OrdinalEncoder}: a known value becomes its index in
 * {@code categories_} (stored order, which is the user's order for explicit categories) as
 * float64; the category recorded in {@code _missing_indices} (NaN seen at fit) becomes {@code
 * encoded_missing_value} (NaN by default); an unknown value, including a NaN not seen at fit,
 * raises under {@code handle_unknown='error'} and becomes {@code unknown_value} under {@code
 * use_encoded_value}. Matching is that of {@link Categories}. Names are one-to-one.
 *
 * <p>Not reproduced: infrequent grouping ({@code _infrequent_enabled: true} is refused), output
 * dtypes other than float64.
 */
public final class OrdinalEncoder implements Transformer {

    private final Categories[] categories;
    private final int[] missingIndex;
    private final boolean useEncodedValue;
    private final double unknownValue;
    private final double encodedMissingValue;

    /**
     * Creates a fitted encoder.
     *
     * @param categories {@code categories_}: per feature the values in stored order
     * @param missingIndex per feature the index from {@code _missing_indices}, or -1
     * @param useEncodedValue true for {@code handle_unknown='use_encoded_value'}, false for
     *     {@code error}
     * @param unknownValue {@code unknown_value} (ignored unless useEncodedValue)
     * @param encodedMissingValue {@code encoded_missing_value}
     */
    public OrdinalEncoder(Object[][] categories, int[] missingIndex, boolean useEncodedValue,
            double unknownValue, double encodedMissingValue) {
        if (missingIndex.length != categories.length) {
            throw new IllegalArgumentException(missingIndex.length + " missing indices for "
                    + categories.length + " features");
        }
        this.categories = new Categories[categories.length];
        for (int i = 0; i < categories.length; i++) {
            this.categories[i] = new Categories(categories[i]);
            int m = missingIndex[i];
            if (m != -1 && (m < 0 || m >= categories[i].length
                    || categories[i][m] != null && m != this.categories[i].nanIndex())) {
                throw new IllegalArgumentException("feature " + i + ": _missing_indices " + m
                        + " is not the NaN category");
            }
        }
        this.missingIndex = missingIndex.clone();
        this.useEncodedValue = useEncodedValue;
        this.unknownValue = unknownValue;
        this.encodedMissingValue = encodedMissingValue;
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

    static OrdinalEncoder fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        if (FittedAttributes.infrequentEnabled(a)) {
            throw a.unsupported("_infrequent_enabled", a.get("_infrequent_enabled"));
        }
        a.require("handle_unknown", "error", "use_encoded_value");
        boolean useEncoded = "use_encoded_value".equals(a.string("handle_unknown"));
        double unknown = useEncoded ? a.number("unknown_value") : Double.NaN;
        double missing = a.number("encoded_missing_value");
        Object[][] cats = EncoderAttributes.categories(a, in.size());
        int[] missingIndex = new int[cats.length];
        Arrays.fill(missingIndex, -1);
        SkopsNode mi = a.get("_missing_indices");
        if (!(mi instanceof DictNode d)) {
            throw a.invalid("_missing_indices", "should be a dict, got " + Attrs.render(mi));
        }
        for (Map.Entry<Object, SkopsNode> e : d.entries().entrySet()) {
            if (!(e.getKey() instanceof Long f) || f < 0 || f >= cats.length) {
                throw a.invalid("_missing_indices", "has key " + PyRepr.repr(e.getKey()));
            }
            missingIndex[(int) (long) f] = (int) a.numberOf(e.getValue(), "_missing_indices");
        }
        a.ignore("unknown_value", "categories", "min_frequency", "max_categories");
        return new OrdinalEncoder(cats, missingIndex, useEncoded, unknown, missing);
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, categories.length, "OrdinalEncoder");
        int n = in.rowCount();
        int[] codes = new int[n];
        DoubleColumn[] out = new DoubleColumn[categories.length];
        for (int i = 0; i < categories.length; i++) {
            Column c = in.column(i);
            String name = in.names().get(i);
            if (c instanceof DoubleColumn d) {
                NumericInput.requireNoInfinity(d.values(), name, "OrdinalEncoder");
            }
            categories[i].encode(c, codes);
            ColumnStats cs = stats == null ? null : stats.column(name);
            int missing = missingIndex[i];
            double[] y = new double[n];
            for (int r = 0; r < n; r++) {
                int k = codes[r];
                if (k < 0) {
                    if (!useEncodedValue) {
                        throw ScoringFailure.at(Reason.INPUT_VALUE, name, r, "unknown category "
                                + Categories.repr(c, r) + " (OrdinalEncoder,"
                                + " handle_unknown='error')");
                    }
                    if (cs != null) {
                        Categories.countUnknown(cs, c, r);
                    }
                    y[r] = unknownValue;
                } else {
                    y[r] = k == missing ? encodedMissingValue : k;
                }
            }
            out[i] = new DoubleColumn(y);
        }
        return Batches.of(n, in.names(), out);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        return List.copyOf(in);
    }
}
