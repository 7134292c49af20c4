package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.DictNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import dev.tabscore.bundle.skops.SkopsNode.SliceValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ColumnTransformer} from its skops node. Columns come from {@code
 * _transformer_to_input_indices} (the same in every version, whatever the user wrote: names,
 * indices, a bool mask, a slice or a callable); the stored column specifications are used only to
 * refuse scalar selections and to cross-check the remainder. {@code output_indices_} is checked
 * against the widths the branches will produce.
 */
final class ColumnTransformerAttributes {

    private ColumnTransformerAttributes() {}

    static ColumnTransformer build(Attrs a, List<String> in, GraphBuilder g) {
        boolean byName = a.has("feature_names_in_");
        Map<String, int[]> indices = inputIndices(a, in.size());
        Map<String, Double> weights = weights(a);
        String format = nameFormat(a);
        List<ColumnTransformer.Branch> branches = new ArrayList<>();
        List<SkopsNode> items = a.items("transformers_");
        a.ignore("_name_to_fitted_passthrough");
        boolean entryInexact = g.inexactBefore();
        boolean anyInexact = entryInexact;
        for (int i = 0; i < items.size(); i++) {
            List<SkopsNode> tuple = a.itemsOf(items.get(i), "transformers_[" + i + "]");
            if (tuple.size() != 3 || !(a.jsonOf(tuple.get(0), "transformers_") instanceof String)) {
                throw a.invalid(
                        "transformers_[" + i + "]",
                        "is not a (name, transformer," + " columns) triple");
            }
            String name = (String) a.jsonOf(tuple.get(0), "transformers_");
            SkopsNode trans = tuple.get(1);
            SkopsNode spec = tuple.get(2);
            int[] cols = indices.get(name);
            if (cols == null) {
                throw a.invalid("_transformer_to_input_indices", "has no entry for '" + name + "'");
            }
            if ("remainder".equals(name)
                    && i == items.size() - 1
                    && !Arrays.equals(FittedAttributes.remainderColumns(a, spec, in), cols)) {
                throw a.invalid(
                        "transformers_[" + i + "]",
                        "has remainder columns that"
                                + " disagree with _transformer_to_input_indices");
            }
            if (isString(trans, "drop") || cols.length == 0) {
                continue;
            }
            String label = "transformers_[" + i + "] '" + name + "'";
            if (spec instanceof JsonValue) {
                throw a.unsupported(
                        label
                                + " selects a scalar column "
                                + Attrs.render(spec)
                                + ", which gives 1-d input");
            }
            List<String> selected = new ArrayList<>();
            for (int j : cols) {
                selected.add(in.get(j));
            }
            String step = GraphBuilder.child(a.step(), label);
            Transformer t;
            g.inexactBefore(entryInexact); // a branch sees the ColumnTransformer's input
            if (isString(trans, "passthrough")) {
                ObjectNode fitted = FittedAttributes.fittedPassthrough(a, name);
                t =
                        fitted == null
                                ? FunctionTransformer.identity()
                                : g.build(fitted, step, selected);
            } else if (trans instanceof ObjectNode) {
                t = g.build(trans, step, selected);
            } else {
                throw a.invalid("transformers_[" + i + "]", "holds " + Attrs.render(trans));
            }
            anyInexact |= g.inexactBefore();
            Double w = weights.get(name);
            branches.add(
                    new ColumnTransformer.Branch(
                            "transformers_[" + i + "] '" + name + "'",
                            name,
                            cols,
                            t,
                            w == null ? Double.NaN : w,
                            g.outputDtype(t) == OutputDtype.FLOAT32));
        }
        g.inexactBefore(anyInexact);
        checkRemainder(a, in, indices);
        // _transformers_feature_names_out (pandas output) is only a fallback for branches without
        // get_feature_names_out, and every transformer tabscore builds has one.
        a.ignore(
                "transformers",
                "remainder",
                "sparse_threshold",
                "n_jobs",
                "verbose",
                "_columns",
                "_transformers_feature_names_out");
        boolean sparse = a.has("sparse_output_") && a.bool("sparse_output_");
        ColumnTransformer ct;
        try {
            ct = new ColumnTransformer(in, branches, byName, format, sparse);
        } catch (IllegalArgumentException e) {
            throw a.unsupported(e.getMessage());
        }
        checkOutputIndices(a, ct);
        return ct;
    }

    private static boolean isString(SkopsNode n, String s) {
        return n instanceof JsonValue j && s.equals(j.value());
    }

    private static Map<String, int[]> inputIndices(Attrs a, int width) {
        SkopsNode node = a.get("_transformer_to_input_indices");
        if (!(node instanceof DictNode d)) {
            throw a.invalid("_transformer_to_input_indices", "should be a dict");
        }
        Map<String, int[]> out = new HashMap<>();
        for (Map.Entry<Object, SkopsNode> e : d.entries().entrySet()) {
            long[] v = a.longsOf(e.getValue(), "_transformer_to_input_indices");
            int[] idx = new int[v.length];
            for (int k = 0; k < v.length; k++) {
                if (v[k] < 0 || v[k] >= width) {
                    throw a.invalid(
                            "_transformer_to_input_indices['" + e.getKey() + "']",
                            "holds index " + v[k] + " of " + width + " input columns");
                }
                idx[k] = (int) v[k];
            }
            out.put(String.valueOf(e.getKey()), idx);
        }
        return out;
    }

    private static Map<String, Double> weights(Attrs a) {
        Map<String, Double> out = new HashMap<>();
        if (a.isNone("transformer_weights")) {
            return out;
        }
        if (!(a.get("transformer_weights") instanceof DictNode d)) {
            throw a.unsupported("transformer_weights", a.get("transformer_weights"));
        }
        for (Map.Entry<Object, SkopsNode> e : d.entries().entrySet()) {
            out.put(String.valueOf(e.getKey()), a.numberOf(e.getValue(), "transformer_weights"));
        }
        return out;
    }

    private static String nameFormat(Attrs a) {
        Object v = a.json("verbose_feature_names_out");
        if (Boolean.TRUE.equals(v)) {
            return FeatureNameFormat.VERBOSE;
        }
        if (Boolean.FALSE.equals(v)) {
            return null;
        }
        if (v instanceof String s && !SklearnVersion.atLeast(a, 1, 6)) {
            // Up to 1.5 the option was only tested for truth: any non-empty str meant True.
            return s.isEmpty() ? null : FeatureNameFormat.VERBOSE;
        }
        if (v instanceof String s) {
            try {
                new FeatureNameFormat(s);
            } catch (IllegalArgumentException e) {
                throw a.unsupported(
                        "verbose_feature_names_out", a.get("verbose_feature_names_out"));
            }
            return s;
        }
        throw a.unsupported("verbose_feature_names_out", a.get("verbose_feature_names_out"));
    }

    /** {@code _remainder}'s columns must be those of {@code _transformer_to_input_indices}. */
    private static void checkRemainder(Attrs a, List<String> in, Map<String, int[]> indices) {
        if (a.isNone("_remainder")) {
            return;
        }
        List<SkopsNode> rem = a.items("_remainder");
        int[] expected = indices.getOrDefault("remainder", new int[0]);
        if (rem.size() != 3
                || !Arrays.equals(FittedAttributes.remainderColumns(a, rem.get(2), in), expected)) {
            throw a.invalid(
                    "_remainder",
                    "disagrees with _transformer_to_input_indices"
                            + " ['remainder'] "
                            + Arrays.toString(expected));
        }
    }

    /** {@code output_indices_} must match the widths the branches produce, in order. */
    private static void checkOutputIndices(Attrs a, ColumnTransformer ct) {
        if (a.isNone("output_indices_")) {
            return;
        }
        if (!(a.get("output_indices_") instanceof DictNode d)) {
            throw a.invalid("output_indices_", "should be a dict");
        }
        Map<String, int[]> expected = new HashMap<>();
        int offset = 0;
        for (ColumnTransformer.Branch b : ct.branches()) {
            int w = ct.widthOf(b);
            expected.put(b.name(), new int[] {offset, offset + w});
            offset += w;
        }
        for (Map.Entry<Object, SkopsNode> e : d.entries().entrySet()) {
            if (!(e.getValue() instanceof SliceValue s)
                    || !(s.start() instanceof Long start)
                    || !(s.stop() instanceof Long stop)) {
                throw a.invalid("output_indices_['" + e.getKey() + "']", "is not a slice");
            }
            int[] want = expected.remove(String.valueOf(e.getKey()));
            boolean ok = want == null ? start.equals(stop) : start == want[0] && stop == want[1];
            if (!ok) {
                throw a.invalid(
                        "output_indices_['" + e.getKey() + "']",
                        "is "
                                + s.start()
                                + ":"
                                + s.stop()
                                + ", but the fitted transformers give "
                                + (want == null ? "no output" : want[0] + ":" + want[1]));
            }
        }
        if (!expected.isEmpty()) {
            throw a.invalid("output_indices_", "has no slice for " + expected.keySet());
        }
    }
}
