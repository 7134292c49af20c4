package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.TrustPolicy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The allow-list: which scikit-learn classes tabscore builds, and how. It is also the reader's
 * trust policy, trusting exactly those classes, the {@code _RemainderColsList} that scikit-learn
 * 1.6 stores remainder columns in, and functions only for the numpy ufuncs {@link
 * FunctionTransformer} implements. Adding a transformer is one class and one line here.
 */
public final class SklearnRegistry implements TrustPolicy {

    /** Builds one transformer from its attributes, its input names and the graph builder. */
    @FunctionalInterface
    interface Factory {
        Transformer build(Attrs attrs, List<String> in, GraphBuilder graph);
    }

    private static final SklearnRegistry STANDARD = new SklearnRegistry();

    private final Map<String, Factory> factories = new LinkedHashMap<>();

    /**
     * scikit-learn's own scoring functions, which a fitted SelectKBest / SelectPercentile names
     * in {@code score_func}: trusted as references only, never called (the mask comes from the
     * stored scores).
     */
    /**
     * Cross-validation splitters a fitted TargetEncoder may hold in {@code cv} (scikit-learn 1.9
     * accepts a splitter object): plain data, used at fit only, never built.
     */
    private static final Set<String> CV_SPLITTERS = Set.of("KFold", "StratifiedKFold",
            "ShuffleSplit", "StratifiedShuffleSplit", "GroupKFold", "StratifiedGroupKFold");

    private static final Set<String> SCORE_FUNCTIONS = Set.of(
            "sklearn.feature_selection._univariate_selection.f_classif",
            "sklearn.feature_selection._univariate_selection.f_regression",
            "sklearn.feature_selection._univariate_selection.r_regression",
            "sklearn.feature_selection._univariate_selection.chi2",
            "sklearn.feature_selection._univariate_selection.f_oneway",
            "sklearn.feature_selection._mutual_info.mutual_info_classif",
            "sklearn.feature_selection._mutual_info.mutual_info_regression");

    private SklearnRegistry() {
        add("sklearn.compose._column_transformer", "ColumnTransformer",
                ColumnTransformer::fromSkops);
        add("sklearn.pipeline", "Pipeline", Pipeline::fromSkops);
        add("sklearn.impute._base", "SimpleImputer", SimpleImputer::fromSkops);
        add("sklearn.impute._base", "MissingIndicator", MissingIndicator::fromSkops);
        add("sklearn.preprocessing._data", "StandardScaler", StandardScaler::fromSkops);
        add("sklearn.preprocessing._data", "MinMaxScaler", MinMaxScaler::fromSkops);
        add("sklearn.preprocessing._data", "MaxAbsScaler", MaxAbsScaler::fromSkops);
        add("sklearn.preprocessing._data", "RobustScaler", RobustScaler::fromSkops);
        add("sklearn.preprocessing._encoders", "OneHotEncoder", OneHotEncoder::fromSkops);
        add("sklearn.preprocessing._encoders", "OrdinalEncoder", OrdinalEncoder::fromSkops);
        add("sklearn.preprocessing._discretization", "KBinsDiscretizer",
                KBinsDiscretizer::fromSkops);
        add("sklearn.preprocessing._function_transformer", "FunctionTransformer",
                FunctionTransformer::fromSkops);
        add("sklearn.preprocessing._data", "Binarizer", Binarizer::fromSkops);
        add("sklearn.preprocessing._data", "Normalizer", Normalizer::fromSkops);
        add("sklearn.preprocessing._polynomial", "PolynomialFeatures",
                PolynomialFeatures::fromSkops);
        add("sklearn.feature_selection._variance_threshold", "VarianceThreshold",
                VarianceThreshold::fromSkops);
        add("sklearn.feature_selection._univariate_selection", "SelectKBest",
                SelectKBest::fromSkops);
        add("sklearn.feature_selection._univariate_selection", "SelectPercentile",
                SelectPercentile::fromSkops);
        add("sklearn.preprocessing._data", "PowerTransformer", PowerTransformer::fromSkops);
        add("sklearn.preprocessing._data", "QuantileTransformer",
                QuantileTransformer::fromSkops);
        add("sklearn.preprocessing._target_encoder", "TargetEncoder", TargetEncoder::fromSkops);
        add("sklearn.preprocessing._polynomial", "SplineTransformer",
                SplineTransformer::fromSkops);
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
     * <p>Trusted: the classes this registry builds, scikit-learn 1.6's {@code
     * _RemainderColsList} (a list of column indices), and the cross-validation splitters a
     * TargetEncoder may hold (data only, never built).
     */
    @Override
    public boolean trustsObject(String module, String className) {
        return factories.containsKey(module + "." + className)
                || "sklearn.compose._column_transformer".equals(module)
                && FittedAttributes.REMAINDER_COLS_LIST.equals(className)
                || "sklearn.model_selection._split".equals(module)
                && CV_SPLITTERS.contains(className)
                || "scipy.interpolate._bsplines".equals(module) && "BSpline".equals(className);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Trusted: the numpy ufuncs {@link FunctionTransformer} implements, in any numpy module
     * (the module moved with numpy 2), and scikit-learn's feature-selection scoring functions
     * as references.
     */
    @Override
    public boolean trustsFunction(String module, String name) {
        return (module.equals("numpy") || module.startsWith("numpy."))
                && Ufunc.byName(name) != null
                || SCORE_FUNCTIONS.contains(module + "." + name)
                // scipy >= 1.15 BSpline keeps its array namespace's asarray; never called
                || module.startsWith("scipy._lib.array_api_compat.") && "asarray".equals(name);
    }

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
