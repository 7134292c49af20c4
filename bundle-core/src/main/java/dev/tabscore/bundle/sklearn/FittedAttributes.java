package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.DictNode;
import dev.tabscore.bundle.skops.SkopsNode.FunctionRef;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every fitted attribute whose name or form moved between the scikit-learn versions tabscore reads
 * (1.2.1, 1.6.1, 1.9.1; VERSION_DIFFS.md §1, §2 and §7), each handled here in one method, so the
 * transformer classes never carry version fallbacks of their own.
 */
final class FittedAttributes {

    /** The class that 1.6.1 stores remainder columns in. */
    static final String REMAINDER_COLS_LIST = "_RemainderColsList";

    /**
     * Attributes written by some versions only that do not change transform (VERSION_DIFFS.md §7):
     * {@code _n_features} (ColumnTransformer, up to 1.5), {@code force_int_remainder_cols} (1.6),
     * {@code verbose} (SimpleImputer, "deprecated" up to 1.5), {@code sparse} (OneHotEncoder,
     * "deprecated" up to 1.3), {@code quantile_method} (KBinsDiscretizer 1.9, a fit-time option:
     * edges are stored).
     */
    private static final Map<String, Set<String>> VERSION_SPECIFIC_HARMLESS =
            Map.of(
                    "ColumnTransformer", Set.of("_n_features", "force_int_remainder_cols"),
                    "SimpleImputer", Set.of("verbose"),
                    "OneHotEncoder", Set.of("sparse"),
                    "KBinsDiscretizer", Set.of("quantile_method"));

    private FittedAttributes() {}

    /**
     * Returns the version-specific attributes of a class that are ignored on purpose.
     *
     * @param className the scikit-learn class name
     * @return the attribute names, possibly empty
     */
    static Set<String> versionSpecificHarmless(String className) {
        return VERSION_SPECIFIC_HARMLESS.getOrDefault(className, Set.of());
    }

    /**
     * ColumnTransformer remainder columns, in {@code _remainder[2]} and the remainder tuple of
     * {@code transformers_}: a list of int indices (up to 1.4, and from 1.5 when the branches
     * select by int or callable), a {@code _RemainderColsList} object whose {@code data} holds them
     * (1.5 to 1.7 with {@code force_int_remainder_cols=True}), or from 1.5 the type the branches
     * select by: column names (by str) or a boolean mask over the input columns (by bool; {@code
     * _get_remainder_cols}).
     *
     * @param ct the ColumnTransformer
     * @param spec the stored column specification
     * @param namesIn the ColumnTransformer's input names, to resolve names
     * @return the input indices
     */
    static int[] remainderColumns(Attrs ct, SkopsNode spec, List<String> namesIn) {
        SkopsNode list = spec;
        if (spec instanceof ObjectNode o && REMAINDER_COLS_LIST.equals(o.className())) {
            list = o.attrs().get("data");
            if (list == null) {
                throw ct.invalid("_remainder", "is a _RemainderColsList without data");
            }
        }
        List<SkopsNode> items = ct.itemsOf(list, "remainder columns");
        if (!items.isEmpty()
                && items.size() == namesIn.size()
                && items.stream()
                        .allMatch(n -> n instanceof JsonValue j && j.value() instanceof Boolean)) {
            return maskIndices(items);
        }
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = ct.jsonOf(items.get(i), "remainder columns");
            int idx =
                    v instanceof Long l
                            ? (int) (long) l
                            : v instanceof String s ? namesIn.indexOf(s) : -1;
            if (idx < 0 || idx >= namesIn.size()) {
                throw ct.invalid(
                        "_remainder",
                        "names column "
                                + PyRepr.repr(v)
                                + " that is not among its "
                                + namesIn.size()
                                + " input columns");
            }
            out[i] = idx;
        }
        return out;
    }

    /** The indices where a boolean mask (a list of Json bools) is true. */
    private static int[] maskIndices(List<SkopsNode> mask) {
        return java.util.stream.IntStream.range(0, mask.size())
                .filter(i -> Boolean.TRUE.equals(((JsonValue) mask.get(i)).value()))
                .toArray();
    }

    /**
     * The fitted identity behind a {@code "passthrough"} branch. Up to 1.5 the branch holds the
     * string and the fitted {@code FunctionTransformer(func=None)} sits in {@code
     * _name_to_fitted_passthrough[name]}; from 1.6 the branch itself holds that object (and the
     * graph builder builds it like any FunctionTransformer).
     *
     * @param ct the ColumnTransformer
     * @param name the branch name
     * @return the stored FunctionTransformer node, or null when none was stored
     */
    static ObjectNode fittedPassthrough(Attrs ct, String name) {
        SkopsNode map = ct.opt("_name_to_fitted_passthrough");
        if (map == null || map instanceof JsonValue j && j.value() == null) {
            return null;
        }
        if (!(map instanceof DictNode d)) {
            throw ct.invalid(
                    "_name_to_fitted_passthrough", "should be a dict, got " + Attrs.render(map));
        }
        SkopsNode fitted = d.entries().get(name);
        if (fitted != null && !(fitted instanceof ObjectNode)) {
            throw ct.invalid(
                    "_name_to_fitted_passthrough",
                    "holds " + Attrs.render(fitted) + " for '" + name + "'");
        }
        return (ObjectNode) fitted;
    }

    /**
     * OneHotEncoder's dropped category per feature as transform applies it, an index after
     * infrequent grouping: {@code _drop_idx_after_grouping} from 1.3 on; before that, {@code
     * drop_idx_} held exactly that value.
     *
     * @param ohe the OneHotEncoder
     * @return None, or an array of int or None per feature
     */
    static SkopsNode dropIndexAfterGrouping(Attrs ohe) {
        if (ohe.has("_drop_idx_after_grouping")) {
            ohe.ignore("drop_idx_");
            return ohe.get("_drop_idx_after_grouping");
        }
        return ohe.get("drop_idx_");
    }

    /**
     * OneHotEncoder {@code handle_unknown='warn'} (added in 1.6): from 1.8 an unknown value takes
     * the infrequent column like {@code infrequent_if_exist}; in 1.6 and 1.7 {@code
     * _map_infrequent_categories} tested for {@code 'infrequent_if_exist'} only, so it gave all
     * zeros like {@code ignore}. Told apart by {@code _sklearn_version}.
     *
     * @param ohe the OneHotEncoder
     * @return true if unknown values take the infrequent column
     */
    static boolean warnTakesInfrequent(Attrs ohe) {
        SkopsNode v = ohe.opt("_sklearn_version");
        Object s = v instanceof JsonValue j ? j.value() : null;
        if (!(s instanceof String version) || !version.matches("\\d+\\.\\d+(\\D.*)?")) {
            throw ohe.unsupported(
                    "handle_unknown='warn' without a readable _sklearn_version"
                            + " (its meaning changed in 1.8)");
        }
        String[] p = version.split("\\.");
        int major = Integer.parseInt(p[0]);
        int minor = Integer.parseInt(p[1].replaceAll("\\D.*", ""));
        return major > 1 || major == 1 && minor >= 8;
    }

    /**
     * Whether an encoder groups infrequent categories: {@code _infrequent_enabled} (always on
     * OneHotEncoder from 1.1, on OrdinalEncoder from 1.3; absent means false).
     *
     * @param enc the encoder
     * @return the flag
     */
    static boolean infrequentEnabled(Attrs enc) {
        return enc.has("_infrequent_enabled") && enc.bool("_infrequent_enabled");
    }

    /**
     * SimpleImputer's {@code statistics_}: an npy float64 array for numeric input, or an object
     * array (strings for object input; from 1.8, the raw fill values for strategy="constant", which
     * may be Json ints cast to float64 at transform by {@code _fill_dtype}).
     *
     * @param imp the SimpleImputer
     * @return per column a Double (NaN included), String or Boolean; null for Python None
     */
    static Object[] imputerStatistics(Attrs imp) {
        Object[] out = imp.valuesOf(imp.get("statistics_"), "statistics_", imp.inputIsFloat32());
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof Long l) {
                out[i] = (double) l;
            }
        }
        return out;
    }

    /**
     * Whether SimpleImputer(strategy="constant") drops a column whose statistic is NaN (all missing
     * at fit). From 1.8 it does, and those versions are the ones that write {@code _fill_dtype}; up
     * to 1.7 the constant strategy kept every column.
     *
     * @param imp the SimpleImputer
     * @return true if the constant strategy drops NaN-statistic columns
     */
    static boolean constantDropsEmptyColumns(Attrs imp) {
        boolean newer = imp.has("_fill_dtype");
        imp.ignore("_fill_dtype");
        return newer;
    }

    /**
     * Validates {@code n_samples_seen_}, which transform does not need: a Json int (MinMaxScaler,
     * MaxAbsScaler), a 0-d {@code <i8} numpy.int64 (StandardScaler up to 1.6), a 0-d {@code <f8}
     * numpy.float64 (1.9), or a per-feature {@code <i8} array.
     *
     * @param a the scaler
     */
    static void checkSamplesSeen(Attrs a) {
        SkopsNode n = a.opt("n_samples_seen_");
        if (n == null
                || n instanceof NumpyArray && ((NumpyArray) n).array().shape().length <= 1
                || n instanceof JsonValue j && j.value() instanceof Long) {
            return;
        }
        throw a.invalid("n_samples_seen_", "has an unexpected form " + Attrs.render(n));
    }

    /**
     * A numpy ufunc named by a FunctionNode: {@code numpy.core._multiarray_umath.log1p} with numpy
     * 1.x, {@code numpy.log1p} with 2.x; matched on the name within any numpy module.
     *
     * @param a the FunctionTransformer
     * @param attr the attribute holding the function
     * @param f the function node
     * @return the ufunc
     */
    static Ufunc ufunc(Attrs a, String attr, FunctionRef f) {
        Ufunc u = Ufunc.byName(f.name());
        if (u == null || !(f.module().equals("numpy") || f.module().startsWith("numpy."))) {
            throw a.unsupported(attr, f);
        }
        return u;
    }

    /**
     * Whether the estimator was fitted by scikit-learn {@code major.minor} or later, read from
     * {@code _sklearn_version} (absent: false). PowerTransformer's Yeo-Johnson formula moved to
     * scipy's in 1.9.
     *
     * @param a the estimator
     * @param major the major release
     * @param minor the minor release
     * @return true if {@code _sklearn_version >= major.minor}
     */
    static boolean sklearnAtLeast(Attrs a, int major, int minor) {
        SkopsNode v = a.opt("_sklearn_version");
        if (!(v instanceof JsonValue j) || !(j.value() instanceof String s)) {
            return false;
        }
        String[] parts = s.split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("[^0-9].*", "")) : 0;
            return ma > major || ma == major && mi >= minor;
        } catch (NumberFormatException e) {
            throw a.invalid("_sklearn_version", "is not a version: " + PyRepr.repr(s));
        }
    }
}
