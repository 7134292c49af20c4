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
 * {@code categories_} (stored order, which is the user's order for explicit categories); with
 * infrequent grouping ({@code min_frequency} / {@code max_categories}, 1.3+) the index goes through
 * {@code _default_to_infrequent_mappings}, so every infrequent category shares the code after the
 * frequent ones; the category recorded in {@code _missing_indices} (NaN seen at fit) is never
 * grouped and becomes {@code encoded_missing_value} (NaN by default); an unknown value, including a
 * NaN not seen at fit, raises under {@code handle_unknown='error'} and becomes {@code
 * unknown_value} under {@code use_encoded_value}. Every value is then what an array of the output
 * {@code dtype} holds ({@link OutputDtype}: float32 rounds 16777217 to 16777216, int8 wraps code
 * 200 to -56). Matching is that of {@link Categories}. Names are one-to-one.
 */
public final class OrdinalEncoder implements Transformer {

    private final Categories[] categories;
    private final double[][] values;
    private final boolean useEncodedValue;
    private final double unknownValue;

    /**
     * Creates a fitted float64 encoder without infrequent grouping.
     *
     * @param categories {@code categories_}: per feature the values in stored order
     * @param missingIndex per feature the index from {@code _missing_indices}, or -1
     * @param useEncodedValue true for {@code handle_unknown='use_encoded_value'}, false for {@code
     *     error}
     * @param unknownValue {@code unknown_value} (ignored unless useEncodedValue)
     * @param encodedMissingValue {@code encoded_missing_value}
     */
    public OrdinalEncoder(
            Object[][] categories,
            int[] missingIndex,
            boolean useEncodedValue,
            double unknownValue,
            double encodedMissingValue) {
        this(
                categories,
                missingIndex,
                null,
                useEncodedValue,
                unknownValue,
                encodedMissingValue,
                OutputDtype.FLOAT64);
    }

    /**
     * Creates a fitted encoder.
     *
     * @param categories {@code categories_}: per feature the values in stored order
     * @param missingIndex per feature the index from {@code _missing_indices}, or -1
     * @param infrequentMappings {@code _default_to_infrequent_mappings}: null, or per feature null
     *     or the code of each category except the missing one
     * @param useEncodedValue true for {@code handle_unknown='use_encoded_value'}, false for {@code
     *     error}
     * @param unknownValue {@code unknown_value} (ignored unless useEncodedValue)
     * @param encodedMissingValue {@code encoded_missing_value}
     * @param dtype the output dtype
     */
    OrdinalEncoder(
            Object[][] categories,
            int[] missingIndex,
            long[][] infrequentMappings,
            boolean useEncodedValue,
            double unknownValue,
            double encodedMissingValue,
            OutputDtype dtype) {
        if (missingIndex.length != categories.length) {
            throw new IllegalArgumentException(
                    missingIndex.length
                            + " missing indices for "
                            + categories.length
                            + " features");
        }
        this.categories = new Categories[categories.length];
        this.values = new double[categories.length][];
        for (int i = 0; i < categories.length; i++) {
            this.categories[i] = new Categories(categories[i]);
            int m = missingIndex[i];
            if (m != -1 && (m != categories[i].length - 1 || m != this.categories[i].nanIndex())) {
                throw new IllegalArgumentException(
                        "feature "
                                + i
                                + ": _missing_indices "
                                + m
                                + " is not the NaN category, last");
            }
            long[] mapping = infrequentMappings == null ? null : infrequentMappings[i];
            int grouped = categories[i].length - (m == -1 ? 0 : 1);
            if (mapping != null && mapping.length != grouped) {
                throw new IllegalArgumentException(
                        "feature "
                                + i
                                + ": infrequent mapping of "
                                + mapping.length
                                + " for "
                                + grouped
                                + " categories");
            }
            double[] c = new double[categories[i].length];
            for (int k = 0; k < c.length; k++) {
                c[k] = dtype.cast(k == m ? encodedMissingValue : mapping == null ? k : mapping[k]);
            }
            this.values[i] = c;
        }
        this.useEncodedValue = useEncodedValue;
        this.unknownValue = dtype.cast(unknownValue);
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
        a.require("handle_unknown", "error", "use_encoded_value");
        boolean useEncoded = "use_encoded_value".equals(a.string("handle_unknown"));
        OutputDtype dtype = OutputDtype.read(a, "dtype");
        double unknown = useEncoded ? a.number("unknown_value") : Double.NaN;
        double missing = a.number("encoded_missing_value");
        Object[][] cats = EncoderAttributes.categories(a, in);
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
        boolean infrequent = FittedAttributes.infrequentEnabled(a);
        long[][] mappings =
                EncoderAttributes.perFeature(
                        a, "_default_to_infrequent_mappings", cats.length, infrequent);
        // transform reads only the mappings; the indices must agree with them
        long[][] indices =
                EncoderAttributes.perFeature(a, "_infrequent_indices", cats.length, infrequent);
        for (int i = 0; i < cats.length; i++) {
            if (indices != null
                    && mappings != null
                    && (indices[i] == null) != (mappings[i] == null)) {
                throw a.invalid(
                        "_default_to_infrequent_mappings",
                        "disagrees with" + " _infrequent_indices for feature " + i);
            }
        }
        // numpy 2 refuses to store a value outside an integer dtype; numpy 1 wrapped it
        if (dtype.integral()) {
            checkFits(a, dtype, "unknown_value", useEncoded ? unknown : 0);
            checkFits(
                    a,
                    dtype,
                    "encoded_missing_value",
                    Arrays.stream(missingIndex).anyMatch(m -> m >= 0) ? missing : 0);
        }
        a.ignore("unknown_value", "categories", "min_frequency", "max_categories");
        return new OrdinalEncoder(
                cats, missingIndex, mappings, useEncoded, unknown, missing, dtype);
    }

    private static void checkFits(Attrs a, OutputDtype dtype, String name, double v) {
        if (dtype.cast(v) != v) {
            throw a.unsupported(
                    name
                            + "="
                            + PyRepr.repr(v)
                            + " does not fit the output dtype "
                            + dtype.name().toLowerCase(java.util.Locale.ROOT));
        }
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
            double[] value = values[i];
            double[] y = new double[n];
            for (int r = 0; r < n; r++) {
                int k = codes[r];
                if (k < 0) {
                    if (!useEncodedValue) {
                        throw ScoringFailure.at(
                                Reason.INPUT_VALUE,
                                name,
                                r,
                                "unknown category "
                                        + Categories.repr(c, r)
                                        + " (OrdinalEncoder,"
                                        + " handle_unknown='error')");
                    }
                    if (cs != null) {
                        Categories.countUnknown(cs, c, r);
                    }
                    y[r] = unknownValue;
                } else {
                    y[r] = value[k];
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
