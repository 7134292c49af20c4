package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.TypeValue;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the attributes OneHotEncoder and OrdinalEncoder share through scikit-learn's {@code
 * _BaseEncoder}: {@code categories_}, the per-feature infrequent arrays, {@code drop_idx_}, the
 * output widths and the output dtype.
 */
final class EncoderAttributes {

    private EncoderAttributes() {}

    /**
     * Reads {@code categories_} and checks the output {@code dtype} is float64.
     *
     * @param a the encoder
     * @param features the number of input features
     * @return per feature the category values
     */
    static Object[][] categories(Attrs a, int features) {
        SkopsNode dtype = a.get("dtype");
        if (!(dtype instanceof TypeValue t && "numpy".equals(t.module())
                && "float64".equals(t.name()))) {
            throw a.unsupported("dtype", dtype);
        }
        List<SkopsNode> items = a.items("categories_");
        if (items.size() != features) {
            throw a.invalid("categories_", "has " + items.size() + " features for " + features
                    + " input columns");
        }
        Object[][] out = new Object[features][];
        for (int i = 0; i < features; i++) {
            out[i] = a.valuesOf(items.get(i), "categories_[" + i + "]");
            if (out[i].length == 0) {
                throw a.invalid("categories_[" + i + "]", "is empty");
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
            throw a.invalid(name, "has " + items.size() + " entries for " + features
                    + " features");
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
        Object[] v = a.valuesOf(node, "drop_idx_");
        if (v.length != features) {
            throw a.invalid("drop_idx_", "has " + v.length + " entries for " + features
                    + " features");
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
                throw a.invalid("_n_features_outs", "disagrees with categories_, the infrequent"
                        + " mapping and drop_idx_: expected " + Arrays.toString(widths));
            }
        }
    }
}
