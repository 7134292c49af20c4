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
 * A bundle written by the exporter (python/tabscore_export, scikit-learn 1.9.1; generator
 * {@code src/test/resources/sklearn-transformers/make_bundle.py}) whose ColumnTransformer holds
 * Binarizer, Normalizer (l2 and max), PolynomialFeatures, PowerTransformer, QuantileTransformer
 * (normal and uniform), VarianceThreshold, SelectKBest, SelectPercentile, TargetEncoder, PCA
 * (whiten), TruncatedSVD and SplineTransformer (linear extrapolation) opens and passes golden replay: features bit for bit, those of
 * Normalizer l2, PowerTransformer, QuantileTransformer normal, PCA and TruncatedSVD within the
 * ufunc tolerance, then the model outputs.
 */
class NewTransformersBundleTest {

    private static final Path DIR = Paths.get(
            "src/test/resources/sklearn-transformers/bundle-new-transformers");

    @Test
    void opensAndReplaysTheGoldenBatch() {
        try (Bundle b = Bundle.open(DIR.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            List<String> names = b.preprocessor().featureNamesOut();
            assertEquals(33, names.size(), names.toString());
            assertTrue(names.containsAll(List.of("bin__a", "norm__a", "nmax__b", "poly__a b",
                    "pow__c", "qt__c", "qtu__b", "te__city", "pca__pca1", "svd__truncatedsvd0", "spl__c_sp_4")),
                    names.toString());
            assertTrue(b.preprocessor().knownCategories().containsKey("city"));
        }
    }
}
