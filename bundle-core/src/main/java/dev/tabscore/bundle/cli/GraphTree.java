package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.FunctionRef;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.ListNode;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Renders a fitted sklearn graph (as read by the skops reader, nothing built) as an indented tree:
 * estimators with their semantic parameters, ColumnTransformer branches with their columns,
 * Pipeline steps and FeatureUnion members in order.
 */
final class GraphTree {

    /** The constructor parameters worth showing; the rest are defaults or fitted state. */
    private static final Set<String> SHOWN =
            Set.of(
                    "strategy",
                    "fill_value",
                    "add_indicator",
                    "keep_empty_features",
                    "handle_unknown",
                    "drop",
                    "min_frequency",
                    "max_categories",
                    "unknown_value",
                    "encoded_missing_value",
                    "categories",
                    "with_mean",
                    "with_std",
                    "with_centering",
                    "with_scaling",
                    "quantile_range",
                    "feature_range",
                    "clip",
                    "n_bins",
                    "encode",
                    "func",
                    "remainder",
                    "verbose_feature_names_out",
                    "features",
                    "threshold",
                    "norm",
                    "degree",
                    "interaction_only",
                    "include_bias",
                    "method",
                    "standardize",
                    "output_distribution",
                    "n_quantiles",
                    "score_func",
                    "k",
                    "percentile",
                    "target_type",
                    "smooth",
                    "n_components",
                    "whiten",
                    "n_knots",
                    "extrapolation",
                    "handle_missing",
                    "subsample",
                    "cv",
                    "estimator",
                    "prefit",
                    "norm_order",
                    "max_features",
                    "n_neighbors",
                    "weights",
                    "metric");

    private GraphTree() {}

    static List<String> render(ObjectNode root, List<String> inputNames) {
        List<String> lines = new ArrayList<>();
        node(root, "", lines, inputNames);
        return lines;
    }

    private static void node(SkopsNode n, String indent, List<String> lines, List<String> in) {
        if (!(n instanceof ObjectNode o)) {
            lines.add(indent + value(n));
            return;
        }
        lines.add(indent + o.className() + params(o));
        SkopsNode branches = o.attrs().get("transformers_");
        if (branches instanceof ListNode l) {
            for (SkopsNode b : l.items()) {
                if (b instanceof ListNode t && t.items().size() == 3) {
                    lines.add(
                            indent
                                    + "  ["
                                    + value(t.items().get(0))
                                    + "] columns "
                                    + columns(t.items().get(2), in));
                    node(t.items().get(1), indent + "    ", lines, in);
                }
            }
        }
        for (String members : new String[] {"steps", "transformer_list"}) {
            SkopsNode steps = o.attrs().get(members);
            if (steps instanceof ListNode l) {
                for (SkopsNode s : l.items()) {
                    if (s instanceof ListNode t && t.items().size() == 2) {
                        lines.add(
                                indent
                                        + "  "
                                        + (members.equals("steps") ? "step " : "member ")
                                        + value(t.items().get(0))
                                        + ":");
                        node(t.items().get(1), indent + "    ", lines, in);
                    }
                }
            }
        }
    }

    private static String params(ObjectNode o) {
        List<String> ps = new ArrayList<>();
        for (var e : o.attrs().entrySet()) {
            if (SHOWN.contains(e.getKey()) && !(e.getValue() instanceof ObjectNode)) {
                ps.add(e.getKey() + "=" + value(e.getValue()));
            } else if ("_fit_X".equals(e.getKey())
                    && e.getValue() instanceof NumpyArray a
                    && a.array().shape().length == 2) {
                // KNNImputer's fitted rows: the bundle carries them, each imputed row visits all
                ps.add("fitted_rows=" + a.array().shape()[0] + "x" + a.array().shape()[1]);
            } else if ("estimator".equals(e.getKey()) && e.getValue() instanceof ObjectNode est) {
                // SelectFromModel's model: its class only (its coef_ or trees decide the mask)
                ps.add("estimator=" + est.className());
            }
        }
        return "(" + String.join(", ", ps) + ")";
    }

    private static String columns(SkopsNode cols, List<String> in) {
        List<String> out = new ArrayList<>();
        if (cols instanceof ListNode l) {
            for (SkopsNode c : l.items()) {
                out.add(
                        c instanceof JsonValue j && j.value() instanceof Long idx && idx < in.size()
                                ? in.get(idx.intValue())
                                : value(c));
            }
            return out.toString();
        }
        if (cols instanceof ObjectNode o && o.attrs().get("data") != null) {
            return columns(o.attrs().get("data"), in);
        }
        return value(cols);
    }

    private static String value(SkopsNode n) {
        if (n instanceof JsonValue j) {
            Object v = j.value();
            return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
        }
        if (n instanceof FunctionRef f) {
            return f.module() + "." + f.name();
        }
        if (n instanceof ListNode l) {
            List<String> parts = new ArrayList<>();
            l.items().forEach(i -> parts.add(value(i)));
            return (l.tuple() ? "(" : "[") + String.join(", ", parts) + (l.tuple() ? ")" : "]");
        }
        if (n instanceof ObjectArray a) {
            List<String> parts = new ArrayList<>();
            a.items().forEach(i -> parts.add(value(i)));
            return "array" + parts;
        }
        if (n instanceof ObjectNode o) {
            return o.className() + "(...)";
        }
        return n.getClass().getSimpleName();
    }
}
