package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.FunctionRef;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.feature_selection.SelectKBest}: the support mask is recomputed from
 * the stored {@code scores_} exactly as {@code _get_support_mask} does: {@code k="all"} keeps
 * everything, {@code k=0} nothing, otherwise NaN scores become the most negative float64 and the
 * last k positions of a stable ascending sort are kept, so among equal scores the later columns win
 * (and -0.0 ties with 0.0, as numpy compares them). {@code score_func} is only a reference to
 * scikit-learn's own scoring function, never called; it is not needed at transform. NaN and
 * infinity in any input column are refused, as the selector's input check refuses them. (Not from
 * 1.3 when its output is pandas and it receives a DataFrame: {@link FrameInput}.)
 */
public final class SelectKBest extends MaskSelector {

    /**
     * Creates a fitted selector.
     *
     * @param scores {@code scores_}
     * @param k {@code k}, or -1 for {@code "all"}
     */
    public SelectKBest(double[] scores, long k) {
        this(scores, k, true);
    }

    /**
     * Creates a fitted selector.
     *
     * @param scores {@code scores_}
     * @param k {@code k}, or -1 for {@code "all"}
     * @param requireFinite false where scikit-learn skips the input check ({@link FrameInput}: a
     *     DataFrame in, pandas output configured)
     */
    public SelectKBest(double[] scores, long k, boolean requireFinite) {
        super(new SupportMask(mask(scores, k), requireFinite, "SelectKBest"));
    }

    static boolean[] mask(double[] scores, long k) {
        boolean[] mask = new boolean[scores.length];
        if (k < 0) {
            Arrays.fill(mask, true);
            return mask;
        }
        if (k == 0) {
            return mask;
        }
        double[] s = SupportMask.cleanNans(scores);
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // a stable sort (TimSort), comparing with < as numpy's mergesort does
        Arrays.sort(order, (a, b) -> s[a] < s[b] ? -1 : s[a] > s[b] ? 1 : 0);
        for (int i = (int) Math.max(0, s.length - k); i < s.length; i++) {
            mask[order[i]] = true;
        }
        return mask;
    }

    static SelectKBest fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        SkopsNode kNode = a.get("k");
        long k;
        if (kNode instanceof JsonValue j && "all".equals(j.value())) {
            k = -1;
        } else if (kNode instanceof JsonValue j && j.value() instanceof Long l && l >= 0) {
            k = l;
        } else {
            throw a.unsupported("k", kNode);
        }
        // a float32 scores_ (fitted on float32 input, 1.2) ranks as its exact double values do
        double[] scores = a.fittedDoubles("scores_");
        if (scores.length != in.size()) {
            throw a.invalid(
                    "scores_",
                    "has " + scores.length + " values for " + in.size() + " input columns");
        }
        scoreFunction(a);
        a.ignore("pvalues_");
        return new SelectKBest(scores, k, !FrameInput.skipsInputCheck(a));
    }

    /** Validates {@code score_func}: a reference to a function, not called at transform. */
    static void scoreFunction(Attrs a) {
        SkopsNode f = a.get("score_func");
        if (!(f instanceof FunctionRef)) {
            throw a.invalid("score_func", "should be a function reference, got " + Attrs.render(f));
        }
    }
}
