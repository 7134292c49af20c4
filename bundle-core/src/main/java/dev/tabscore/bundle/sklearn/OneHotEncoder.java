package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.ArrayList;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.OneHotEncoder} (dense float64 output). For each
 * feature, in order, a block of {@code _n_features_outs[i]} columns: the category index k of the
 * value ({@link Categories}: exact strings, numbers compared numerically, NaN as a category); an
 * unknown value raises under {@code handle_unknown='error'}, gives all zeros under {@code ignore},
 * and under {@code infrequent_if_exist} takes the infrequent column if the feature has one, else
 * all zeros (so does {@code warn} from 1.8; in 1.6 and 1.7 {@code warn} gave all zeros); then
 * {@code _default_to_infrequent_mappings} groups the infrequent categories into the last column;
 * then the dropped category (after grouping) gives all zeros and later columns shift left. Each
 * step is folded into one lookup table per feature at construction. Names are {@code
 * <feature>_<str(category)>}, {@code <feature>_infrequent_sklearn} for the group, dropped
 * categories left out.
 *
 * <p>The output {@code dtype} (float32, ints, bool, ...) holds the same 0/1 values; sparse output
 * ({@code sparse_output=True}, the default, or the older {@code sparse=True}) is returned as the
 * dense matrix {@code .toarray()} gives, which is what a network is fed. On a float32 input the
 * float32 {@code categories_} are compared exactly and named as numpy's {@code str} of a float32
 * ({@link Categories#str}). Not reproduced: a callable {@code feature_name_combiner} (refused,
 * naming it). Unknown values are counted in the statistics.
 */
public final class OneHotEncoder implements Transformer {

    /** How a value outside {@code categories_} is treated. */
    public enum HandleUnknown {
        /** Raise. */
        ERROR,
        /** All zeros. */
        IGNORE,
        /** The infrequent column if the feature has one, else all zeros ({@code warn} 1.8+). */
        INFREQUENT_IF_EXIST
    }

    private static final int RAISE = -2;

    private final Categories[] categories;
    private final int[][] slots;
    private final int[] unknownSlot;
    private final int[] offsets;
    private final String[][] outNames;
    private final int width;

    /**
     * Creates a fitted encoder.
     *
     * @param categories {@code categories_}: per feature the values (String, Long, Double, Boolean
     *     or null for None), in stored order
     * @param handleUnknown the unknown-value treatment
     * @param dropIdx per feature the dropped index after infrequent grouping, -1 for none; or null
     *     when nothing is dropped
     * @param infrequentIndices {@code _infrequent_indices}: per feature null or the indices
     * @param infrequentMappings {@code _default_to_infrequent_mappings}: per feature null or the
     *     category-to-output mapping
     */
    public OneHotEncoder(
            Object[][] categories,
            HandleUnknown handleUnknown,
            int[] dropIdx,
            long[][] infrequentIndices,
            long[][] infrequentMappings) {
        this(categories, handleUnknown, dropIdx, infrequentIndices, infrequentMappings, 0);
    }

    /**
     * Creates a fitted encoder whose categories may be float32.
     *
     * @param float32Decpt 0, or for float32 {@code categories_} (fitted on a float32 input) the
     *     rule of numpy's float32 {@code str} that names the columns ({@link Categories})
     */
    OneHotEncoder(
            Object[][] categories,
            HandleUnknown handleUnknown,
            int[] dropIdx,
            long[][] infrequentIndices,
            long[][] infrequentMappings,
            int float32Decpt) {
        int n = categories.length;
        this.categories = new Categories[n];
        this.slots = new int[n][];
        this.unknownSlot = new int[n];
        this.offsets = new int[n];
        this.outNames = new String[n][];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            Categories cats = new Categories(categories[i], float32Decpt);
            long[] infrequent = infrequentIndices == null ? null : infrequentIndices[i];
            long[] mapping = infrequentMappings == null ? null : infrequentMappings[i];
            int drop = dropIdx == null ? -1 : dropIdx[i];
            String[] grouped = InfrequentGroups.names(cats, infrequent, mapping, i);
            if (drop < -1 || drop >= grouped.length) {
                throw new IllegalArgumentException(
                        "feature "
                                + i
                                + ": dropped index "
                                + drop
                                + " outside its "
                                + grouped.length
                                + " categories");
            }
            int[] slot = new int[cats.size()];
            for (int k = 0; k < slot.length; k++) {
                int m = mapping == null ? k : (int) mapping[k];
                slot[k] = drop < 0 || m < drop ? m : m == drop ? -1 : m - 1;
            }
            String[] names = new String[grouped.length - (drop < 0 ? 0 : 1)];
            for (int m = 0, o = 0; m < grouped.length; m++) {
                if (m != drop) {
                    names[o++] = grouped[m];
                }
            }
            this.categories[i] = cats;
            this.slots[i] = slot;
            this.unknownSlot[i] =
                    handleUnknown == HandleUnknown.ERROR
                            ? RAISE
                            : handleUnknown == HandleUnknown.INFREQUENT_IF_EXIST
                                            && infrequent != null
                                    ? slot[(int) infrequent[0]]
                                    : -1;
            this.offsets[i] = offset;
            this.outNames[i] = names;
            offset += names.length;
        }
        this.width = offset;
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

    static OneHotEncoder fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        String handle = a.string("handle_unknown");
        HandleUnknown h =
                switch (handle) {
                    case "error" -> HandleUnknown.ERROR;
                    case "ignore" -> HandleUnknown.IGNORE;
                    case "infrequent_if_exist" -> HandleUnknown.INFREQUENT_IF_EXIST;
                    case "warn" ->
                            FittedAttributes.warnTakesInfrequent(a)
                                    ? HandleUnknown.INFREQUENT_IF_EXIST
                                    : HandleUnknown.IGNORE;
                    default -> throw a.unsupported("handle_unknown", a.get("handle_unknown"));
                };
        a.require("feature_name_combiner", "concat");
        // every output type holds the 0/1 indicators exactly (KBinsDiscretizer's _encoder has a
        // numpy dtype object, and KBins overrides it with its own at transform anyway); float16
        // fits but never transforms: transform builds a scipy.sparse matrix, which refuses it
        if (OutputDtype.read(a, "dtype") == OutputDtype.FLOAT16) {
            throw a.unsupported(
                    "dtype=float16 is one scikit-learn fits but cannot transform"
                            + " (scipy.sparse does not support float16); use float32");
        }
        Object[][] cats = EncoderAttributes.categories(a, in);
        boolean infrequent = FittedAttributes.infrequentEnabled(a);
        long[][] indices =
                EncoderAttributes.perFeature(a, "_infrequent_indices", cats.length, infrequent);
        long[][] mappings =
                EncoderAttributes.perFeature(
                        a, "_default_to_infrequent_mappings", cats.length, infrequent);
        int[] drop = EncoderAttributes.dropIndices(a, cats.length);
        a.ignore(
                "drop", "categories", "min_frequency", "max_categories", "sparse_output", "sparse");
        int decpt = a.inputIsFloat32() ? float32Decpt(a, cats) : 0;
        OneHotEncoder enc = new OneHotEncoder(cats, h, drop, indices, mappings, decpt);
        EncoderAttributes.checkWidths(a, enc.featureWidths());
        return enc;
    }

    /**
     * The rule numpy's {@code str} of a float32 category follows in the column names: positional
     * below 1e16 up to numpy 2.2, below 1e6 from numpy 2.3 (scientific above: {@code
     * 1.048576e+06}). scikit-learn up to 1.3 runs on numpy 1.x; from 1.4 the manifest's numpy says
     * which, and without it a category from 1e6 to 1e16 (named differently by the two) is refused.
     */
    private static int float32Decpt(Attrs a, Object[][] cats) {
        TrainingNumpy numpy = a.trainingNumpy();
        if (!SklearnVersion.atLeast(a, 1, 4)) {
            return 16;
        }
        if (numpy.known()) {
            return numpy.atLeast(2, 3) ? 6 : 16;
        }
        for (int i = 0; i < cats.length; i++) {
            for (Object v : cats[i]) {
                if (v instanceof Double d && Math.abs(d) >= 1e6 && Math.abs(d) < 1e16) {
                    throw a.unsupported(
                            "categories_["
                                    + i
                                    + "] holds the float32 category "
                                    + PyRepr.ofFloat32((float) (double) d, 16)
                                    + ", which numpy up to 2.2 and from 2.3 name differently"
                                    + " (str(np.float32)); the training numpy is not known"
                                    + " (a bundle manifest's versions.numpy says it)");
                }
            }
        }
        return 16;
    }

    /**
     * Returns the number of output columns of each feature ({@code _n_features_outs}).
     *
     * @return one count per feature
     */
    int[] featureWidths() {
        int[] w = new int[outNames.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = outNames[i].length;
        }
        return w;
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, categories.length, "OneHotEncoder");
        int n = in.rowCount();
        double[][] out = new double[width][n];
        int[] codes = new int[n];
        for (int i = 0; i < categories.length; i++) {
            Column c = in.column(i);
            String name = in.names().get(i);
            if (c instanceof DoubleColumn d) {
                NumericInput.requireNoInfinity(d.values(), name, "OneHotEncoder");
            }
            categories[i].encode(c, codes);
            int[] slot = slots[i];
            int unknown = unknownSlot[i];
            int base = offsets[i];
            ColumnStats cs = stats == null ? null : stats.column(name);
            for (int r = 0; r < n; r++) {
                int k = codes[r];
                int s;
                if (k >= 0) {
                    s = slot[k];
                } else {
                    if (unknown == RAISE) {
                        throw ScoringFailure.at(
                                Reason.INPUT_VALUE,
                                name,
                                r,
                                "unknown category "
                                        + Categories.repr(c, r)
                                        + " (OneHotEncoder,"
                                        + " handle_unknown='error')");
                    }
                    if (cs != null) {
                        Categories.countUnknown(cs, c, r);
                    }
                    s = unknown;
                }
                if (s >= 0) {
                    out[base + s][r] = 1.0;
                }
            }
        }
        DoubleColumn[] cols = new DoubleColumn[width];
        for (int j = 0; j < width; j++) {
            cols[j] = new DoubleColumn(out[j]);
        }
        return Batches.of(n, featureNamesOut(in.names()), cols);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        List<String> out = new ArrayList<>(width);
        for (int i = 0; i < outNames.length; i++) {
            for (String c : outNames[i]) {
                out.add(in.get(i) + "_" + c);
            }
        }
        return out;
    }
}
