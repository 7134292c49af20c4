package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.DictNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * scikit-learn's {@code sklearn.pipeline.FeatureUnion}: every fitted transformer of {@code
 * transformer_list} receives all input columns, its output is multiplied by {@code
 * transformer_weights[name]} when set ({@code _transform_one}: {@code res * weight}), and the
 * outputs are stacked side by side. That is a {@link ColumnTransformer} whose branches all read
 * every column, with no remainder, so it is built as one. "drop" gives nothing; "passthrough" is
 * stored fitted (a one-to-one {@code FunctionTransformer}) since 1.2, or read as the identity.
 * Names are {@code <name>__<feature>}, or the bare names when {@code
 * verbose_feature_names_out=False} (1.5+), which must then be unique.
 */
final class FeatureUnion {

    private FeatureUnion() {}

    static Transformer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        Map<Object, SkopsNode> weights = a.isNone("transformer_weights") ? Map.of() : weightsOf(a);
        int[] all = IntStream.range(0, in.size()).toArray();
        List<ColumnTransformer.Branch> branches = new ArrayList<>();
        List<SkopsNode> items = a.items("transformer_list");
        boolean entryInexact = g.inexactBefore();
        boolean anyInexact = entryInexact;
        for (int i = 0; i < items.size(); i++) {
            List<SkopsNode> pair = a.itemsOf(items.get(i), "transformer_list[" + i + "]");
            if (pair.size() != 2
                    || !(a.jsonOf(pair.get(0), "transformer_list") instanceof String name)) {
                throw a.invalid(
                        "transformer_list[" + i + "]", "is not a (name, transformer)" + " pair");
            }
            SkopsNode trans = pair.get(1);
            String label = "transformer_list[" + i + "] '" + name + "'";
            Transformer t;
            g.inexactBefore(entryInexact); // a branch sees the union's input
            if (trans instanceof JsonValue j && "drop".equals(j.value())) {
                continue;
            } else if (trans instanceof JsonValue j && "passthrough".equals(j.value())) {
                t = FunctionTransformer.identity();
            } else if (trans instanceof ObjectNode) {
                t = g.build(trans, GraphBuilder.child(a.step(), label), in);
            } else {
                throw a.invalid("transformer_list[" + i + "]", "holds " + Attrs.render(trans));
            }
            anyInexact |= g.inexactBefore();
            SkopsNode w = weights.get(name);
            branches.add(
                    new ColumnTransformer.Branch(
                            label,
                            name,
                            all,
                            t,
                            w == null || w instanceof JsonValue j && j.value() == null
                                    ? Double.NaN
                                    : a.numberOf(w, "transformer_weights"),
                            g.outputDtype(t) == OutputDtype.FLOAT32));
        }
        g.inexactBefore(anyInexact);
        // Absent before 1.5, when the names were always prefixed.
        boolean verbose =
                !a.has("verbose_feature_names_out") || a.bool("verbose_feature_names_out");
        a.ignore("n_jobs", "verbose", "_transformers_feature_names_out");
        try {
            return new ColumnTransformer(
                    in, branches, false, verbose ? FeatureNameFormat.VERBOSE : null);
        } catch (IllegalArgumentException e) {
            throw a.unsupported(e.getMessage());
        }
    }

    private static Map<Object, SkopsNode> weightsOf(Attrs a) {
        if (!(a.get("transformer_weights") instanceof DictNode d)) {
            throw a.unsupported("transformer_weights", a.get("transformer_weights"));
        }
        return d.entries();
    }
}
