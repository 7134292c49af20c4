package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.ListNode;
import dev.tabscore.bundle.skops.SkopsNode.ObjectArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code feature_importances_} of the tree estimators, computed from the stored trees exactly as
 * scikit-learn 1.2-1.9 computes the property (the code is the same in every release):
 *
 * <ul>
 *   <li>a single tree: {@code tree_.compute_feature_importances()} (normalized);
 *   <li>a forest ({@code _forest.py}): the normalized importances of every tree with more than one
 *       node, {@code np.mean(..., axis=0)}, divided by their {@code np.sum}; no such tree: zeros;
 *   <li>gradient boosting ({@code _gb.py}): the same over every tree of every stage ({@code
 *       estimators_} row by row), each <em>not</em> normalized;
 *   <li>AdaBoost ({@code _weight_boosting.py}): Python's {@code sum(w * tree.feature_importances_
 *       for w, tree in zip(estimator_weights_, estimators_))} (element-wise, in order) divided by
 *       {@code estimator_weights_.sum()}.
 * </ul>
 *
 * <p>The mean along axis 0 of the C-ordered (trees × features) array numpy builds from the list is
 * summed row after row when there are at least two features, and with numpy's pairwise sum down the
 * single column otherwise (checked against numpy 1.26 and 2.4); then divided by the tree count.
 * {@code np.sum} of the 1-d result is {@code 0.0 +} the pairwise sum.
 */
final class TreeImportances {

    /** Single trees, by qualified class name. */
    static final Set<String> TREES =
            Set.of(
                    "sklearn.tree._classes.DecisionTreeClassifier",
                    "sklearn.tree._classes.DecisionTreeRegressor",
                    "sklearn.tree._classes.ExtraTreeClassifier",
                    "sklearn.tree._classes.ExtraTreeRegressor");

    /** Forests, by qualified class name. */
    static final Set<String> FORESTS =
            Set.of(
                    "sklearn.ensemble._forest.RandomForestClassifier",
                    "sklearn.ensemble._forest.RandomForestRegressor",
                    "sklearn.ensemble._forest.ExtraTreesClassifier",
                    "sklearn.ensemble._forest.ExtraTreesRegressor");

    /** Gradient boosting, by qualified class name. */
    static final Set<String> BOOSTING =
            Set.of(
                    "sklearn.ensemble._gb.GradientBoostingClassifier",
                    "sklearn.ensemble._gb.GradientBoostingRegressor");

    /** AdaBoost, by qualified class name. */
    static final Set<String> ADABOOST =
            Set.of(
                    "sklearn.ensemble._weight_boosting.AdaBoostClassifier",
                    "sklearn.ensemble._weight_boosting.AdaBoostRegressor");

    private TreeImportances() {}

    /**
     * Whether the class is a tree estimator whose importances this class computes.
     *
     * @param qualified module and class name
     * @return true for a tree, forest or gradient boosting model
     */
    static boolean supports(String qualified) {
        return TREES.contains(qualified)
                || FORESTS.contains(qualified)
                || BOOSTING.contains(qualified)
                || ADABOOST.contains(qualified);
    }

    /**
     * {@code estimator.feature_importances_}.
     *
     * @param e the fitted estimator's attributes
     * @param est its node
     * @return per feature
     */
    static double[] of(Attrs e, ObjectNode est) {
        String q = est.qualifiedName();
        if (TREES.contains(q)) {
            return TreeArrays.of(e).featureImportances(true);
        }
        if (ADABOOST.contains(q)) {
            return adaBoost(e);
        }
        boolean boosting = BOOSTING.contains(q);
        List<SkopsNode> members =
                boosting ? flatten(e, e.get("estimators_")) : e.items("estimators_");
        int nFeatures = (int) e.number("n_features_in_");
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            SkopsNode m = members.get(i);
            if (!(m instanceof ObjectNode tree) || !TREES.contains(tree.qualifiedName())) {
                throw e.invalid(
                        "estimators_",
                        "item " + i + " should be a fitted tree, got " + Attrs.render(m));
            }
            TreeArrays t = TreeArrays.of(new Attrs(tree, e.step() + " estimators_[" + i + "]"));
            if (t.nFeatures() != nFeatures) {
                throw e.invalid(
                        "estimators_",
                        "item "
                                + i
                                + " has "
                                + t.nFeatures()
                                + " features for n_features_in_ "
                                + nFeatures);
            }
            if (t.nodeCount() > 1) {
                rows.add(t.featureImportances(!boosting));
            }
        }
        if (rows.isEmpty()) {
            return new double[nFeatures];
        }
        double[] mean = meanAxis0(rows, nFeatures);
        double total = SelectFromModel.sum(mean);
        double[] out = new double[nFeatures];
        for (int j = 0; j < nFeatures; j++) {
            out[j] = mean[j] / total;
        }
        return out;
    }

    private static double[] adaBoost(Attrs e) {
        List<SkopsNode> members = e.items("estimators_");
        double[] weights = e.doubles("estimator_weights_");
        int nFeatures = (int) e.number("n_features_in_");
        if (members.isEmpty() || weights.length > SelectFromModel.MAX_MEAN_TERMS) {
            throw e.invalid(
                    "estimators_",
                    "has "
                            + members.size()
                            + " members and "
                            + weights.length
                            + " weights (expected at least one member, at most "
                            + SelectFromModel.MAX_MEAN_TERMS
                            + " weights)");
        }
        double norm = SelectFromModel.sum(weights);
        double[] acc = new double[nFeatures];
        for (int i = 0; i < Math.min(members.size(), weights.length); i++) {
            if (!(members.get(i) instanceof ObjectNode tree)
                    || !TREES.contains(tree.qualifiedName())) {
                throw e.invalid(
                        "estimators_",
                        "item "
                                + i
                                + " should be a fitted tree (only "
                                + "trees have feature_importances_), got "
                                + Attrs.render(members.get(i)));
            }
            TreeArrays t = TreeArrays.of(new Attrs(tree, e.step() + " estimators_[" + i + "]"));
            if (t.nFeatures() != nFeatures) {
                throw e.invalid(
                        "estimators_",
                        "item "
                                + i
                                + " has "
                                + t.nFeatures()
                                + " features for n_features_in_ "
                                + nFeatures);
            }
            double[] fi = t.featureImportances(true);
            for (int j = 0; j < nFeatures; j++) {
                acc[j] += weights[i] * fi[j]; // sum() starts at 0; 0 + x is x (but for -0.0)
            }
        }
        for (int j = 0; j < nFeatures; j++) {
            acc[j] /= norm;
        }
        return acc;
    }

    /** {@code np.mean(rows, axis=0, dtype=np.float64)} of the C-ordered stacked rows. */
    static double[] meanAxis0(List<double[]> rows, int nFeatures) {
        double[] sum = new double[nFeatures];
        if (nFeatures >= 2) {
            System.arraycopy(rows.get(0), 0, sum, 0, nFeatures);
            for (int r = 1; r < rows.size(); r++) {
                for (int j = 0; j < nFeatures; j++) {
                    sum[j] += rows.get(r)[j];
                }
            }
        } else {
            double[] column = new double[rows.size()];
            for (int r = 0; r < column.length; r++) {
                column[r] = rows.get(r)[0];
            }
            sum[0] = SelectFromModel.sum(column);
        }
        for (int j = 0; j < nFeatures; j++) {
            sum[j] /= rows.size();
        }
        return sum;
    }

    /** Gradient boosting's {@code estimators_}, an object array (stages × trees per stage). */
    private static List<SkopsNode> flatten(Attrs e, SkopsNode n) {
        if (!(n instanceof ObjectArray a) || a.shape() == null || a.shape().length != 2) {
            throw e.invalid("estimators_", "should be a 2-d object array, got " + Attrs.render(n));
        }
        List<SkopsNode> out = new ArrayList<>();
        for (SkopsNode stage : a.items()) {
            if (!(stage instanceof ListNode l) || l.items().size() != a.shape()[1]) {
                throw e.invalid(
                        "estimators_",
                        "should hold "
                                + a.shape()[1]
                                + " trees per stage, got "
                                + Attrs.render(stage));
            }
            out.addAll(l.items());
        }
        return out;
    }

    /**
     * The {@code allow_nan} tag of the estimator a SelectFromModel holds in {@code estimator}
     * (scikit-learn takes the selector's tag from the unfitted estimator): true lets NaN and
     * infinity through the selector's input check.
     *
     * @param sel the selector's attributes (for its release)
     * @param est the {@code estimator} node
     * @return the tag
     */
    static boolean allowNan(Attrs sel, ObjectNode est) {
        if (!SklearnVersion.atLeast(sel, 1, 3)) {
            return false;
        }
        String q = est.qualifiedName();
        Map<String, SkopsNode> a = est.attrs();
        if (TREES.contains(q)) {
            return treeAllowsNan(sel, q, text(a.get("splitter")), text(a.get("criterion")));
        }
        if (FORESTS.contains(q) && SklearnVersion.atLeast(sel, 1, 4)) {
            // type(self.estimator)(criterion=self.criterion): that class's default splitter
            String base =
                    a.get("estimator") instanceof ObjectNode b
                            ? b.qualifiedName()
                            : q.contains("ExtraTrees")
                                    ? "sklearn.tree._classes.ExtraTreeClassifier"
                                    : "sklearn.tree._classes.DecisionTreeClassifier";
            if (!TREES.contains(base)) {
                return false;
            }
            return treeAllowsNan(
                    sel,
                    base,
                    base.contains("ExtraTree") ? "random" : "best",
                    text(a.get("criterion")));
        }
        return false;
    }

    /** A tree's {@code allow_nan} tag, release by release. */
    private static boolean treeAllowsNan(Attrs sel, String q, String splitter, String criterion) {
        boolean regressor = q.endsWith("Regressor");
        boolean extra = q.contains("ExtraTree");
        Set<String> criteria =
                regressor
                        ? Set.of("squared_error", "friedman_mse", "poisson")
                        : Set.of("gini", "log_loss", "entropy");
        boolean crit = criteria.contains(criterion);
        if (SklearnVersion.atLeast(sel, 1, 9)) {
            return !extra || "random".equals(splitter);
        }
        if (SklearnVersion.atLeast(sel, 1, 6)) {
            boolean dtRule = ("best".equals(splitter) || "random".equals(splitter)) && crit;
            if (!extra) {
                return dtRule;
            }
            // 1.6's ExtraTreeRegressor only annotates its tag, keeping DecisionTreeRegressor's
            boolean annotatedOnly = regressor && !SklearnVersion.atLeast(sel, 1, 7);
            return annotatedOnly ? dtRule : "random".equals(splitter) && crit;
        }
        return "best".equals(splitter) && crit;
    }

    private static String text(SkopsNode n) {
        return n instanceof JsonValue j && j.value() instanceof String s ? s : null;
    }
}
