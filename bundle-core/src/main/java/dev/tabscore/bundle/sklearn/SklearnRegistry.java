package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.TrustPolicy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The allow-list: which scikit-learn classes tabscore builds, and how. It is also the reader's
 * trust policy: it trusts the ObjectNode classes of scikit-learn itself (a module {@code sklearn}
 * or {@code sklearn.*}), so that a valid scikit-learn estimator tabscore does not implement (a
 * PolynomialFeatures, a TargetEncoder) is refused by the {@link GraphBuilder} with its step path
 * and {@code UNSUPPORTED_OPTION}, not as an untrusted type; and functions only for the numpy ufuncs
 * {@link FunctionTransformer} implements. Trust only lets the reader decode a node's data: names
 * are compared as strings, nothing is instantiated or run, and every class the graph builder meets
 * must still be one it builds. Anything outside scikit-learn (builtins, os, a user's module) stays
 * untrusted. Adding a transformer is one class and one line here.
 */
public final class SklearnRegistry implements TrustPolicy {

    /** Builds one transformer from its attributes, its input names and the graph builder. */
    @FunctionalInterface
    interface Factory {
        Transformer build(Attrs attrs, List<String> in, GraphBuilder graph);
    }

    private static final SklearnRegistry STANDARD = new SklearnRegistry();

    /** A scikit-learn module path and a Python identifier as class name. */
    private static final Pattern SKLEARN_MODULE =
            Pattern.compile("sklearn(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, Factory> factories = new LinkedHashMap<>();

    /**
     * scikit-learn's own scoring functions, which a fitted SelectKBest / SelectPercentile names in
     * {@code score_func}: trusted as references only, never called (the mask comes from the stored
     * scores).
     */
    /**
     * Cross-validation splitters a fitted TargetEncoder may hold in {@code cv} (scikit-learn 1.9
     * accepts a splitter object): plain data, used at fit only, never built.
     */
    private static final Set<String> CV_SPLITTERS =
            Set.of(
                    "KFold",
                    "StratifiedKFold",
                    "ShuffleSplit",
                    "StratifiedShuffleSplit",
                    "GroupKFold",
                    "StratifiedGroupKFold");

    private static final Set<String> SCORE_FUNCTIONS =
            Set.of(
                    "sklearn.feature_selection._univariate_selection.f_classif",
                    "sklearn.feature_selection._univariate_selection.f_regression",
                    "sklearn.feature_selection._univariate_selection.r_regression",
                    "sklearn.feature_selection._univariate_selection.chi2",
                    "sklearn.feature_selection._univariate_selection.f_oneway",
                    "sklearn.feature_selection._mutual_info.mutual_info_classif",
                    "sklearn.feature_selection._mutual_info.mutual_info_regression");

    private SklearnRegistry() {
        add(
                "sklearn.compose._column_transformer",
                "ColumnTransformer",
                ColumnTransformer::fromSkops);
        add("sklearn.pipeline", "Pipeline", Pipeline::fromSkops);
        add("sklearn.pipeline", "FeatureUnion", FeatureUnion::fromSkops);
        add("sklearn.impute._base", "SimpleImputer", SimpleImputer::fromSkops);
        add("sklearn.impute._base", "MissingIndicator", MissingIndicator::fromSkops);
        add("sklearn.impute._knn", "KNNImputer", KNNImputer::fromSkops);
        add("sklearn.preprocessing._data", "StandardScaler", StandardScaler::fromSkops);
        add("sklearn.preprocessing._data", "MinMaxScaler", MinMaxScaler::fromSkops);
        add("sklearn.preprocessing._data", "MaxAbsScaler", MaxAbsScaler::fromSkops);
        add("sklearn.preprocessing._data", "RobustScaler", RobustScaler::fromSkops);
        add("sklearn.preprocessing._encoders", "OneHotEncoder", OneHotEncoder::fromSkops);
        add("sklearn.preprocessing._encoders", "OrdinalEncoder", OrdinalEncoder::fromSkops);
        add(
                "sklearn.preprocessing._discretization",
                "KBinsDiscretizer",
                KBinsDiscretizer::fromSkops);
        add(
                "sklearn.preprocessing._function_transformer",
                "FunctionTransformer",
                FunctionTransformer::fromSkops);
        add("sklearn.preprocessing._data", "Binarizer", Binarizer::fromSkops);
        add("sklearn.preprocessing._data", "Normalizer", Normalizer::fromSkops);
        add(
                "sklearn.preprocessing._polynomial",
                "PolynomialFeatures",
                PolynomialFeatures::fromSkops);
        add(
                "sklearn.feature_selection._variance_threshold",
                "VarianceThreshold",
                VarianceThreshold::fromSkops);
        add(
                "sklearn.feature_selection._univariate_selection",
                "SelectKBest",
                SelectKBest::fromSkops);
        add(
                "sklearn.feature_selection._univariate_selection",
                "SelectPercentile",
                SelectPercentile::fromSkops);
        add("sklearn.feature_selection._from_model", "SelectFromModel", SelectFromModel::fromSkops);
        add("sklearn.preprocessing._data", "PowerTransformer", PowerTransformer::fromSkops);
        add("sklearn.preprocessing._data", "QuantileTransformer", QuantileTransformer::fromSkops);
        add("sklearn.preprocessing._target_encoder", "TargetEncoder", TargetEncoder::fromSkops);
        add("sklearn.preprocessing._polynomial", "SplineTransformer", SplineTransformer::fromSkops);
        add("sklearn.decomposition._pca", "PCA", PCA::fromSkops);
        add("sklearn.decomposition._truncated_svd", "TruncatedSVD", TruncatedSVD::fromSkops);
    }

    private void add(String module, String className, Factory factory) {
        factories.put(module + "." + className, factory);
    }

    /**
     * Returns the registry of every transformer tabscore implements.
     *
     * @return the shared, immutable registry
     */
    public static SklearnRegistry standard() {
        return STANDARD;
    }

    /**
     * Returns the qualified names of the classes this registry builds.
     *
     * @return e.g. {@code sklearn.preprocessing._data.StandardScaler}
     */
    public Set<String> supportedClasses() {
        return Collections.unmodifiableSet(new TreeSet<>(factories.keySet()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Trusted: every scikit-learn class, among them the classes this registry builds,
     * scikit-learn 1.6's {@code _RemainderColsList} (a list of column indices), {@code
     * make_column_selector} (resolved at fit; its columns are stored) and the cross-validation
     * splitters a TargetEncoder may hold (data only, never built); and scipy's {@code BSpline} that
     * SplineTransformer stores; and the Cython losses of {@link #LOSSES} under the module name
     * {@code _loss} skops 0.10 gives them (a gradient boosting loss's {@code closs}, written with
     * no state). The graph builder refuses the classes it does not build, naming the step.
     */
    @Override
    public boolean trustsObject(String module, String className) {
        return isScikitLearnClass(module, className)
                // skops 0.10 names the Cython losses' module by its extension name
                || "_loss".equals(module) && LOSSES.contains("sklearn._loss._loss." + className)
                || "scipy.interpolate._bsplines".equals(module) && "BSpline".equals(className);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Read: the classes this registry builds, {@code _RemainderColsList} and the linear models
     * whose {@code coef_} a SelectFromModel uses; any other scikit-learn class is refused by the
     * graph builder, or sits in an attribute no transformer reads (the {@code make_column_selector}
     * of an unfitted {@code transformers} list).
     */
    @Override
    public boolean readsContent(String module, String className) {
        return factories.containsKey(module + "." + className)
                || "sklearn.compose._column_transformer".equals(module)
                        && FittedAttributes.REMAINDER_COLS_LIST.equals(className)
                || "sklearn.model_selection._split".equals(module)
                        && CV_SPLITTERS.contains(className)
                // the linear models a SelectFromModel holds: read as data (coef_, penalty,
                // l1_ratio), never built; alone in a graph they are still refused as unsupported
                || SelectFromModel.LINEAR_MODELS.contains(module + "." + className)
                // the tree models whose stored trees give a SelectFromModel its importances
                || SelectFromModel.TREE_MODELS.contains(module + "." + className)
                || "scipy.interpolate._bsplines".equals(module) && "BSpline".equals(className);
    }

    /**
     * Whether a class is scikit-learn's own: module {@code sklearn} or {@code sklearn.*}.
     *
     * @param module the Python module
     * @param className the class name
     * @return true for a scikit-learn class
     */
    static boolean isScikitLearnClass(String module, String className) {
        return SKLEARN_MODULE.matcher(module).matches() && IDENTIFIER.matcher(className).matches();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Trusted: the numpy ufuncs {@link FunctionTransformer} implements, in any numpy module (the
     * module moved with numpy 2), and scikit-learn's feature-selection scoring functions as
     * references.
     */
    @Override
    public boolean trustsFunction(String module, String name) {
        return (module.equals("numpy") || module.startsWith("numpy.")) && Ufunc.byName(name) != null
                || SCORE_FUNCTIONS.contains(module + "." + name)
                // scipy >= 1.15 BSpline keeps its array namespace's asarray; never called
                || module.startsWith("scipy._lib.array_api_compat.") && "asarray".equals(name);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Trusted: the closed list {@link #LOSSES} of scikit-learn's Cython loss classes that skops
     * writes as LossNodes (an SGD model's {@code loss_function_}, 1.4 to 1.9; a gradient boosting
     * loss's {@code closs}, 1.6+; the module {@code sklearn._loss._loss} is also written {@code
     * _loss}). Only their numeric constructor arguments are read; they never change a transform
     * (SelectFromModel uses {@code coef_} or the trees).
     */
    @Override
    public boolean trustsLoss(String module, String className) {
        return LOSSES.contains(module + "." + className)
                // some skops releases name sklearn._loss._loss by its extension name
                || "_loss".equals(module) && LOSSES.contains("sklearn._loss._loss." + className);
    }

    /** The Cython loss classes of scikit-learn 1.2-1.9 a LossNode may name. */
    static final Set<String> LOSSES =
            Set.of(
                    "sklearn.linear_model._sgd_fast.Hinge",
                    "sklearn.linear_model._sgd_fast.ModifiedHuber",
                    "sklearn.linear_model._sgd_fast.SquaredHinge",
                    "sklearn.linear_model._sgd_fast.EpsilonInsensitive",
                    "sklearn.linear_model._sgd_fast.SquaredEpsilonInsensitive",
                    "sklearn.linear_model._sgd_fast.Huber",
                    "sklearn.linear_model._sgd_fast.Log",
                    "sklearn.linear_model._sgd_fast.SquaredLoss",
                    "sklearn._loss._loss.CyAbsoluteError",
                    "sklearn._loss._loss.CyExponentialLoss",
                    "sklearn._loss._loss.CyHalfBinomialLoss",
                    "sklearn._loss._loss.CyHalfGammaLoss",
                    "sklearn._loss._loss.CyHalfMultinomialLoss",
                    "sklearn._loss._loss.CyHalfPoissonLoss",
                    "sklearn._loss._loss.CyHalfSquaredError",
                    "sklearn._loss._loss.CyHalfTweedieLoss",
                    "sklearn._loss._loss.CyHalfTweedieLossIdentity",
                    "sklearn._loss._loss.CyHuberLoss",
                    "sklearn._loss._loss.CyPinballLoss");

    /**
     * Returns the factory of a class, or null if it is not supported.
     *
     * @param module the Python module
     * @param className the class name
     * @return the factory or null
     */
    Factory factory(String module, String className) {
        return factories.get(module + "." + className);
    }
}
