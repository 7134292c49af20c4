package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.sklearn.Preprocessor;
import dev.tabscore.bundle.sklearn.TransformStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Minimal bundles of differential-fuzzer findings (issue 14), written by the exporter with
 * scikit-learn 1.9.1 ({@code src/test/resources/difffuzz/make_bundles.py}).
 */
class DiffFuzzFindingsTest {

    private static final Path DIR = Paths.get("src/test/resources/difffuzz");

    /**
     * cos(0) = 1.0 into SplineTransformer(extrapolation='error') with knots [1, 1]: the ulp
     * envelope's nudged value lies past the knots. Golden replay used to refuse the bundle
     * (exit 31); now the nudged graph's refused rows merely have no envelope and must match as
     * they are, which they do (cos(0) is exact).
     */
    @Test
    void aRowTheNudgedGraphRefusesDoesNotRefuseTheBundle() throws Exception {
        Path dir = DIR.resolve("bundle-cos-spline");
        try (Bundle b = Bundle.open(dir.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            ColumnBatch golden = ParquetColumns.read(Files.readAllBytes(
                    dir.resolve("golden/input.parquet")), "input.parquet");
            // the real graph scores the golden rows; the graph nudged up one ulp refuses them
            assertEquals(golden.rowCount() * 3,
                    b.preprocessor().transform(golden, new TransformStats()).length);
            ScoringException e = assertThrows(ScoringException.class, () -> b.preprocessor()
                    .transform(golden, new TransformStats().nudgeUfuncResults(1)));
            assertEquals("z", e.column());
        }
    }

    /**
     * PCA and TruncatedSVD fitted on float32 input (a ColumnTransformer of float32 encoders feeds
     * them float32) hold float32 {@code components_} and project in float32: refused as not
     * supported (exit 19) naming the attribute, not as a malformed attribute (exit 20).
     */
    @Test
    void float32ProjectionsAreRefusedAsNotSupported() throws Exception {
        for (String f : new String[] {"pca-float32.skops", "svd-float32.skops"}) {
            BundleException e = assertThrows(BundleException.class, () -> Preprocessor.load(
                    Files.readAllBytes(DIR.resolve(f)), f));
            assertEquals(19, e.reason().exitCode(), e.getMessage());
            assertTrue(e.getMessage().contains("components_ is float32"), e.getMessage());
        }
    }

    /**
     * A float32 step (KBinsDiscretizer / OneHotEncoder / OrdinalEncoder with dtype=np.float32)
     * feeding a step that computes in its input's precision is refused (exit 19) naming both
     * steps, on 1.2.2 and 1.9.1 files; the same graph in float64, or a float32 step into a
     * selector, loads.
     */
    @Test
    void aFloat32StepFeedingFloatArithmeticIsRefused() throws Exception {
        for (String release : new String[] {"1.2.2", "1.9.1"}) {
            Path dir = DIR.resolve("sklearn-" + release);
            for (String[] c : new String[][] {
                {"narrow-kbins-quantile", "steps[1] 'q': QuantileTransformer after steps[0] 'bins'"
                    + " KBinsDiscretizer(dtype=float32) is not supported"},
                {"narrow-onehot-normalizer", "steps[1] 'n': Normalizer after steps[0] 'oh'"
                    + " OneHotEncoder(dtype=float32)"},
                {"narrow-ordinal-poly", "steps[1] 'p': PolynomialFeatures after steps[0] 'ord'"
                    + " OrdinalEncoder(dtype=float32)"}}) {
                String f = c[0] + ".skops";
                BundleException e = assertThrows(BundleException.class, () -> Preprocessor.load(
                        Files.readAllBytes(dir.resolve(f)), f), release + " " + f);
                assertEquals(19, e.reason().exitCode(), e.getMessage());
                assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            }
            for (String f : new String[] {"narrow-ok-kbins-quantile.skops",
                "narrow-ok-kbins-kbest.skops"}) {
                Preprocessor p = Preprocessor.load(Files.readAllBytes(dir.resolve(f)), f);
                assertEquals(List.of("a", "b"), p.inputColumns(), f);
            }
        }
    }
}
