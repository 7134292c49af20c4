package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bundle written by the exporter (python/tabscore_export, scikit-learn 1.9.1; generator {@code
 * src/test/resources/sklearn-transformers/make_bundle.py}) whose ColumnTransformer holds Binarizer,
 * Normalizer (l2 and max), PolynomialFeatures, PowerTransformer, QuantileTransformer (normal and
 * uniform), VarianceThreshold, SelectKBest, SelectPercentile, TargetEncoder, PCA (whiten),
 * TruncatedSVD and SplineTransformer (linear extrapolation) opens and passes golden replay:
 * features bit for bit, those of Normalizer l2, PowerTransformer, QuantileTransformer normal, PCA
 * and TruncatedSVD within the ufunc tolerance, then the model outputs.
 */
class NewTransformersBundleTest {

    private static final Path DIR =
            Paths.get("src/test/resources/sklearn-transformers/bundle-new-transformers");

    @Test
    void opensAndReplaysTheGoldenBatch() {
        try (Bundle b = Bundle.open(DIR.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            List<String> names = b.preprocessor().featureNamesOut();
            assertEquals(33, names.size(), names.toString());
            assertTrue(
                    names.containsAll(
                            List.of(
                                    "bin__a",
                                    "norm__a",
                                    "nmax__b",
                                    "poly__a b",
                                    "pow__c",
                                    "qt__c",
                                    "qtu__b",
                                    "te__city",
                                    "pca__pca1",
                                    "svd__truncatedsvd0",
                                    "spl__c_sp_4")),
                    names.toString());
            assertTrue(b.preprocessor().knownCategories().containsKey("city"));
        }
    }

    /**
     * bundle-select-from-model ({@code make_bundle.py select-from-model}, scikit-learn 1.9.1):
     * SelectFromModel over LogisticRegression (mean), LinearSVC (-inf, max_features=2), Lasso (the
     * l1 default 1e-5) and RidgeClassifier (median, norm_order=2) opens, its golden batch replays
     * bit for bit, and the kept columns are those get_feature_names_out names.
     */
    @Test
    void selectFromModelBundleReplaysTheGoldenBatch() {
        try (Bundle b =
                Bundle.open(
                        Paths.get(
                                        "src/test/resources/sklearn-transformers/"
                                                + "bundle-select-from-model")
                                .toString(),
                        BundleOptions.defaults().withDevice("cpu"))) {
            assertEquals(
                    List.of(
                            "lr__x0",
                            "lr__x2",
                            "svc__x0",
                            "svc__x2",
                            "lasso__x0",
                            "lasso__x2",
                            "ridge__x0",
                            "ridge__x2",
                            "ridge__x3"),
                    b.preprocessor().featureNamesOut());
        }
    }

    /**
     * SelectFromModel over a RandomForest, ExtraTrees, GradientBoosting, DecisionTree, AdaBoost and
     * an SGDClassifier (whose file holds a Cython loss object), exported by the exporter with
     * scikit-learn 1.9.1 ({@code make_bundle.py select-from-trees}): the importances computed from
     * the stored trees select the columns scikit-learn selected, and the golden batch replays
     * (Bundle.open verifies it).
     */
    @Test
    void selectFromTreesBundleReplaysTheGoldenBatch() {
        try (Bundle b =
                Bundle.open(
                        Paths.get(
                                        "src/test/resources/sklearn-transformers/"
                                                + "bundle-select-from-trees")
                                .toString(),
                        BundleOptions.defaults().withDevice("cpu"))) {
            assertEquals(
                    List.of(
                            "rf__x2", "rf__x4", "et__x2", "et__x4", "gb__x0", "gb__x1", "gb__x2",
                            "gb__x3", "gb__x4", "gb__x5", "dt__x2", "dt__x4", "ada__x2", "ada__x4",
                            "sgd__x0", "sgd__x2", "sgd__x4"),
                    b.preprocessor().featureNamesOut());
        }
    }

    /**
     * bundle-knn ({@code make_bundle.py knn}, scikit-learn 1.9.1): KNNImputer with uniform weights
     * after a StandardScaler, and with distance weights and add_indicator; its golden batch (a row
     * all missing among them: the column means) replays within the stated tolerance.
     */
    @Test
    void knnImputerBundleReplaysTheGoldenBatch() {
        try (Bundle b =
                Bundle.open(
                        Paths.get("src/test/resources/sklearn-transformers/" + "bundle-knn")
                                .toString(),
                        BundleOptions.defaults().withDevice("cpu"))) {
            assertEquals(
                    List.of(
                            "uni__x0",
                            "uni__x1",
                            "uni__x2",
                            "uni__x3",
                            "dist__x1",
                            "dist__x2",
                            "dist__x3",
                            "dist__missingindicator_x1",
                            "dist__missingindicator_x2",
                            "dist__missingindicator_x3"),
                    b.preprocessor().featureNamesOut());
        }
    }
}
