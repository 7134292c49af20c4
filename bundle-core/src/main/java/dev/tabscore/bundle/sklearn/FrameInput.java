package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.DictNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.ListNode;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;

/**
 * Whether a step receives a pandas DataFrame and is configured to return one ({@code
 * set_output(transform="pandas")}, stored as {@code _sklearn_output_config}). It matters where
 * scikit-learn (1.3+) then skips the input check: {@code SelectorMixin.transform} keeps a DataFrame
 * as it is when its own output is pandas ({@code skip_check_array=preserve_X}), so a selector
 * without the {@code allow_nan} tag passes NaN and infinity through instead of refusing the row.
 * The graph's input is a DataFrame (the contract); a ColumnTransformer hands each branch a
 * DataFrame slice; along a Pipeline the frame survives a step whose output is pandas, and a
 * FunctionTransformer that does not validate (a ufunc or the identity on a DataFrame gives a
 * DataFrame).
 */
final class FrameInput {

    private FrameInput() {}

    /**
     * Whether the estimator's own output container is pandas.
     *
     * @param node the estimator node
     * @return true for {@code _sklearn_output_config = {"transform": "pandas"}}
     */
    static boolean pandasOutput(SkopsNode node) {
        if (!(node instanceof ObjectNode o)
                || !(o.attrs().get("_sklearn_output_config") instanceof DictNode d)) {
            return false;
        }
        return d.entries().get("transform") instanceof JsonValue j && "pandas".equals(j.value());
    }

    /**
     * Whether a step fed {@code inputIsFrame} returns a pandas DataFrame.
     *
     * @param node the step (an estimator node, or "passthrough")
     * @param inputIsFrame whether the step receives a DataFrame
     * @return true if its output is a DataFrame
     */
    static boolean outputIsFrame(SkopsNode node, boolean inputIsFrame) {
        if (!(node instanceof ObjectNode o)) {
            return inputIsFrame; // "passthrough" / None steps hand X on
        }
        if ("Pipeline".equals(o.className()) && o.attrs().get("steps") instanceof ListNode steps) {
            boolean frame = inputIsFrame;
            for (SkopsNode step : steps.items()) {
                if (step instanceof ListNode pair && pair.items().size() == 2) {
                    frame = outputIsFrame(pair.items().get(1), frame);
                }
            }
            return frame;
        }
        if (pandasOutput(o)) {
            return true;
        }
        if ("FunctionTransformer".equals(o.className())) {
            SkopsNode validate = o.attrs().get("validate");
            boolean validates = validate instanceof JsonValue j && Boolean.TRUE.equals(j.value());
            return inputIsFrame && !validates;
        }
        return false;
    }

    /**
     * Whether a selector skips its input check for this input: pandas output configured and a
     * DataFrame received, from scikit-learn 1.3 (1.2 always checks).
     *
     * @param a the selector
     * @return true if NaN and infinity pass through it
     */
    static boolean skipsInputCheck(Attrs a) {
        return a.inputIsFrame() && pandasOutput(a.node()) && SklearnVersion.atLeast(a, 1, 3);
    }
}
