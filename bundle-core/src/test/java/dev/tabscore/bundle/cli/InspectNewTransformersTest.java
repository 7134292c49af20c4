package dev.tabscore.bundle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tabscore bundle inspect} on the exporter's bundle holding every transformer of issue 14
 * ({@code sklearn-transformers/make_bundle.py}, scikit-learn 1.9.1): the graph tree names each with
 * the parameters that decide its output.
 */
class InspectNewTransformersTest {

    @Test
    void theTreeShowsEachNewTransformerWithItsParameters() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                TabscoreCli.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "bundle",
                        "inspect",
                        "src/test/resources/sklearn-transformers/bundle-new-transformers");
        assertEquals(0, code, err.toString());
        String tree = out.toString();
        for (String line :
                List.of(
                        "Binarizer(threshold=0.1)",
                        "Normalizer(norm='max')",
                        "PolynomialFeatures(degree=(1, 2), interaction_only=false, include_bias=false)",
                        "QuantileTransformer(n_quantiles=50, output_distribution='normal', subsample=10000)",
                        "VarianceThreshold(threshold=0.5)",
                        "SelectKBest(score_func=sklearn.feature_selection._univariate_selection.f_classif,"
                                + " k=1)",
                        "SelectPercentile(score_func=sklearn.feature_selection._univariate_selection"
                                + ".f_classif, percentile=50)",
                        "TargetEncoder(categories='auto', smooth='auto', target_type='auto', cv=5)",
                        "PCA(n_components=2, whiten=true)",
                        "TruncatedSVD(n_components=2)",
                        "SplineTransformer(n_knots=4, degree=2, extrapolation='linear', include_bias=true,"
                                + " handle_missing='error')",
                        "PowerTransformer(method='yeo-johnson', standardize=true)")) {
            assertTrue(tree.contains(line), line + " not in\n" + tree);
        }
    }

    /** SelectFromModel shows its estimator's class and the parameters that decide the mask. */
    @Test
    void selectFromModelShowsItsEstimatorAndMaskParameters() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                TabscoreCli.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "bundle",
                        "inspect",
                        "src/test/resources/sklearn-transformers/bundle-select-from-model");
        assertEquals(0, code, err.toString());
        String tree = out.toString();
        for (String line :
                List.of(
                        "SelectFromModel(estimator=LogisticRegression, threshold=null, prefit=false,"
                                + " norm_order=1, max_features=null)",
                        "SelectFromModel(estimator=LinearSVC, threshold=-Infinity, prefit=false,"
                                + " norm_order=1, max_features=2)",
                        "SelectFromModel(estimator=RidgeClassifier, threshold='median', prefit=false,"
                                + " norm_order=2, max_features=null)")) {
            assertTrue(tree.contains(line), line + " not in\n" + tree);
        }
    }

    /** KNNImputer shows n_neighbors, weights, metric and the size of the fitted rows it carries. */
    @Test
    void knnImputerShowsItsNeighboursAndFittedRows() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                TabscoreCli.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "bundle",
                        "inspect",
                        "src/test/resources/sklearn-transformers/bundle-knn");
        assertEquals(0, code, err.toString());
        String tree = out.toString();
        for (String line :
                List.of(
                        "KNNImputer(add_indicator=false, keep_empty_features=false, n_neighbors=5,"
                                + " weights='uniform', metric='nan_euclidean', fitted_rows=300x4)",
                        "KNNImputer(add_indicator=true, keep_empty_features=false, n_neighbors=3,"
                                + " weights='distance', metric='nan_euclidean', fitted_rows=300x3)")) {
            assertTrue(tree.contains(line), line + " not in\n" + tree);
        }
    }
}
