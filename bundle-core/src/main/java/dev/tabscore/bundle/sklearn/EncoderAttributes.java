package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.ListNode;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectArray;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the attributes OneHotEncoder and OrdinalEncoder share through scikit-learn's {@code
 * _BaseEncoder}: {@code categories_}, the per-feature infrequent arrays, {@code drop_idx_} and the
 * output widths.
 */
final class EncoderAttributes {

    private EncoderAttributes() {}

    /**
     * Reads {@code categories_}. A Python None among them is refused, naming the column: it comes
     * from a frame holding None in an object column, which scikit-learn keeps as a category of its
     * own (distinct from NaN), while tabscore's inputs have a single missing value that Python
     * reads as NaN (FORMATS.md §6), so the None category could never be scored as in training.
     *
     * @param a the encoder
     * @param in the names of its input columns
     * @return per feature the category values
     */
    static Object[][] categories(Attrs a, List<String> in) {
        int features = in.size();
        List<SkopsNode> items = a.items("categories_");
        if (items.size() != features) {
            throw a.invalid(
                    "categories_",
                    "has " + items.size() + " features for " + features + " input columns");
        }
        Object[][] out = new Object[features][];
        for (int i = 0; i < features; i++) {
            // fitted on a float32 input, categories_ is float32 (np.unique keeps the dtype): its
            // exact values, compared with the float32 input exactly as numpy compares them
            out[i] = a.valuesOf(items.get(i), "categories_[" + i + "]", a.inputIsFloat32());
            if (out[i].length == 0) {
                throw a.invalid("categories_[" + i + "]", "is empty");
            }
            for (Object v : out[i]) {
                if (v == null && !a.nullIsNone(in.get(i))) {
                    throw a.unsupported(
                            "categories_["
                                    + i
                                    + "] of column '"
                                    + in.get(i)
                                    + "' holds None: the training frame had Python None in that object"
                                    + " column, which scikit-learn learns as a category distinct from"
                                    + " NaN, and the manifest does not say that a null in that column is"
                                    + " None (input.columns[].training_nulls); export again with"
                                    + " tabscore_export (which records it), or replace None with np.nan"
                                    + " before fitting (X[col] = X[col].fillna(np.nan))");
                }
            }
        }
        return out;
    }

    /**
     * Reads a per-feature list of int arrays such as {@code _infrequent_indices}.
     *
     * @param a the encoder
     * @param name the attribute
     * @param features the number of features
     * @param enabled whether infrequent grouping is on; if not, the attribute must be absent or
     *     hold only None
     * @return per feature null or the values; null if absent
     */
    static long[][] perFeature(Attrs a, String name, int features, boolean enabled) {
        if (a.isNone(name)) {
            if (enabled) {
                throw a.invalid(name, "is missing although _infrequent_enabled is True");
            }
            return null;
        }
        List<SkopsNode> items = a.items(name);
        if (items.size() != features) {
            throw a.invalid(name, "has " + items.size() + " entries for " + features + " features");
        }
        long[][] out = new long[features][];
        for (int i = 0; i < features; i++) {
            SkopsNode n = items.get(i);
            if (!(n instanceof JsonValue j && j.value() == null)) {
                if (!enabled) {
                    throw a.invalid(name, "is set although _infrequent_enabled is False");
                }
                out[i] = a.longsOf(n, name + "[" + i + "]");
            }
        }
        return out;
    }

    /**
     * Reads the dropped index per feature, after infrequent grouping.
     *
     * @param a the OneHotEncoder
     * @param features the number of features
     * @return per feature the index or -1; null when nothing is dropped
     */
    static int[] dropIndices(Attrs a, int features) {
        SkopsNode node = FittedAttributes.dropIndexAfterGrouping(a);
        if (node instanceof JsonValue j && j.value() == null) {
            return null;
        }
        Object[] v = plainOrScalars(a, node, "drop_idx_");
        if (v.length != features) {
            throw a.invalid(
                    "drop_idx_", "has " + v.length + " entries for " + features + " features");
        }
        int[] out = new int[features];
        for (int i = 0; i < features; i++) {
            if (v[i] != null && !(v[i] instanceof Long)) {
                throw a.invalid("drop_idx_", "holds " + PyRepr.repr(v[i]));
            }
            out[i] = v[i] == null ? -1 : (int) (long) (Long) v[i];
        }
        return out;
    }

    /**
     * An array's elements where an object array may hold numpy scalars ({@code drop=[values]}
     * stores the {@code np.int64} indices that {@code np.where} found) next to Json ints and None.
     */
    private static Object[] plainOrScalars(Attrs a, SkopsNode node, String label) {
        if (!(node instanceof ObjectArray || node instanceof ListNode)) {
            return a.valuesOf(node, label);
        }
        List<SkopsNode> items = a.itemsOf(node, label);
        Object[] out = new Object[items.size()];
        for (int i = 0; i < out.length; i++) {
            SkopsNode n = items.get(i);
            if (n instanceof NumpyArray s
                    && s.array().shape().length == 0
                    && s.array().longs() != null) {
                out[i] = s.array().longs()[0];
            } else {
                out[i] = a.jsonOf(n, label + "[" + i + "]");
            }
        }
        return out;
    }

    /**
     * Checks {@code _n_features_outs}, when stored, against the widths derived from the other
     * attributes.
     *
     * @param a the OneHotEncoder
     * @param widths the derived widths
     */
    static void checkWidths(Attrs a, int[] widths) {
        if (a.isNone("_n_features_outs")) {
            return;
        }
        List<SkopsNode> items = a.items("_n_features_outs");
        for (int i = 0; i < widths.length; i++) {
            if (items.size() != widths.length
                    || a.numberOf(items.get(i), "_n_features_outs") != widths[i]) {
                throw a.invalid(
                        "_n_features_outs",
                        "disagrees with categories_, the infrequent"
                                + " mapping and drop_idx_: expected "
                                + Arrays.toString(widths));
            }
        }
    }
}
