package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.Map;

/**
 * The node arrays of one fitted {@code sklearn.tree._tree.Tree} that its feature importances need,
 * read from skops' TreeNode ({@code nodes}: numpy's structured {@code NODE_DTYPE}) and checked as
 * the Cython code would need them: {@code node_count} records, every split's children inside the
 * array, every split's feature below {@code n_features}. scikit-learn reads these through raw
 * pointers, so a file that breaks them is refused, not followed.
 *
 * @param nFeatures {@code n_features}
 * @param leftChild per node, -1 ({@code _TREE_LEAF}) for a leaf
 * @param rightChild per node
 * @param feature per node
 * @param impurity per node
 * @param weightedNodeSamples per node ({@code weighted_n_node_samples})
 */
record TreeArrays(
        int nFeatures,
        long[] leftChild,
        long[] rightChild,
        long[] feature,
        double[] impurity,
        double[] weightedNodeSamples) {

    /** {@code _TREE_LEAF}. */
    static final long LEAF = -1;

    /** The record fields read, with the dtype scikit-learn's NODE_DTYPE gives them. */
    private static final Map<String, String> FIELDS =
            Map.of(
                    "left_child",
                    "<i8",
                    "right_child",
                    "<i8",
                    "feature",
                    "<i8",
                    "impurity",
                    "<f8",
                    "weighted_n_node_samples",
                    "<f8",
                    "threshold",
                    "<f8",
                    "n_node_samples",
                    "<i8");

    int nodeCount() {
        return leftChild.length;
    }

    /**
     * Reads the tree of a fitted tree estimator ({@code tree_}).
     *
     * @param e the estimator's attributes
     * @return the checked arrays
     */
    static TreeArrays of(Attrs e) {
        SkopsNode t = e.get("tree_");
        if (!(t instanceof ObjectNode tree)
                || !"sklearn.tree._tree.Tree".equals(tree.qualifiedName())) {
            throw e.invalid(
                    "tree_", "should be an sklearn.tree._tree.Tree, got " + Attrs.render(t));
        }
        Map<String, SkopsNode> a = tree.attrs();
        long nFeatures = count(e, a.get("n_features"), "n_features");
        long nodeCount = count(e, a.get("node_count"), "node_count");
        if (!(a.get("nodes") instanceof NumpyArray n) || n.array().fields() == null) {
            throw e.invalid(
                    "tree_.nodes",
                    "should be a structured array of node records, got "
                            + (a.get("nodes") == null ? "nothing" : Attrs.render(a.get("nodes"))));
        }
        NpyArray nodes = n.array();
        for (Map.Entry<String, String> f : FIELDS.entrySet()) {
            NpyArray c = nodes.fields().get(f.getKey());
            if (c == null || !f.getValue().equals(c.dtype())) {
                throw e.invalid(
                        "tree_.nodes",
                        "has the dtype "
                                + nodes.dtype()
                                + ", expected "
                                + "scikit-learn's node records (field "
                                + f.getKey()
                                + " "
                                + f.getValue()
                                + ")");
            }
        }
        for (String k : nodes.fields().keySet()) {
            if (!FIELDS.containsKey(k)
                    && !("missing_go_to_left".equals(k)
                            && "|u1".equals(nodes.fields().get(k).dtype()))) {
                throw e.invalid("tree_.nodes", "has the unknown field " + k);
            }
        }
        if (nodeCount < 1
                || nodes.size() != nodeCount
                || nFeatures < 1
                || nFeatures > SelectFromModel.MAX_MEAN_TERMS) {
            throw e.invalid(
                    "tree_",
                    "has node_count "
                            + nodeCount
                            + ", "
                            + nodes.size()
                            + " node records and n_features "
                            + nFeatures
                            + " (expected node_count >= 1"
                            + " records and 1 to "
                            + SelectFromModel.MAX_MEAN_TERMS
                            + " features)");
        }
        long[] left = nodes.fields().get("left_child").longs();
        long[] right = nodes.fields().get("right_child").longs();
        long[] feature = nodes.fields().get("feature").longs();
        for (int i = 0; i < nodeCount; i++) {
            if (left[i] == LEAF) {
                continue;
            }
            if (left[i] < 0
                    || left[i] >= nodeCount
                    || right[i] < 0
                    || right[i] >= nodeCount
                    || feature[i] < 0
                    || feature[i] >= nFeatures) {
                throw e.invalid(
                        "tree_.nodes",
                        "node "
                                + i
                                + " has children "
                                + left[i]
                                + ", "
                                + right[i]
                                + " and feature "
                                + feature[i]
                                + ", outside the "
                                + nodeCount
                                + " nodes and "
                                + nFeatures
                                + " features");
            }
        }
        return new TreeArrays(
                (int) nFeatures,
                left,
                right,
                feature,
                nodes.fields().get("impurity").doubles(),
                nodes.fields().get("weighted_n_node_samples").doubles());
    }

    private static long count(Attrs e, SkopsNode n, String name) {
        if (n instanceof JsonValue j && j.value() instanceof Long l) {
            return l;
        }
        if (n instanceof NumpyArray a
                && a.array().longs() != null
                && a.array().shape().length == 0) {
            return a.array().longs()[0];
        }
        throw e.invalid(
                "tree_." + name,
                "should be an int, got " + (n == null ? "nothing" : Attrs.render(n)));
    }

    /**
     * {@code Tree.compute_feature_importances(normalize)} (scikit-learn 1.2-1.9): per split, {@code
     * w * impurity - w_left * impurity_left - w_right * impurity_right} added to its feature in
     * node order; divided by the root's weighted samples; if normalized, divided by their {@code
     * np.sum} when that is positive.
     *
     * @param normalize as the argument
     * @return per feature
     */
    double[] featureImportances(boolean normalize) {
        double[] imp = new double[nFeatures];
        double[] w = weightedNodeSamples;
        double[] im = impurity;
        for (int i = 0; i < leftChild.length; i++) {
            if (leftChild[i] != LEAF) {
                int l = (int) leftChild[i];
                int r = (int) rightChild[i];
                imp[(int) feature[i]] += w[i] * im[i] - w[l] * im[l] - w[r] * im[r];
            }
        }
        for (int i = 0; i < nFeatures; i++) {
            imp[i] /= w[0];
        }
        if (normalize) {
            double normalizer = SelectFromModel.sum(imp);
            if (normalizer > 0.0) {
                for (int i = 0; i < nFeatures; i++) {
                    imp[i] /= normalizer;
                }
            }
        }
        return imp;
    }
}
