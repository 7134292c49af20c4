package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.ScoringException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.sklearn.Preprocessor;
import dev.tabscore.bundle.sklearn.TransformStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
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
     * feeding a step that computes in its input's precision (incl. the scalers and a ufunc) is
     * refused (exit 19) naming both steps, on 1.2.2 and 1.9.1 files; the same graph in float64,
     * or a float32 step into a selector or an identity FunctionTransformer, loads.
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
                    + " OrdinalEncoder(dtype=float32)"},
                // the scalers and a ufunc round each result to float32 in scikit-learn
                {"narrow-onehot-standard", "steps[1] 'sc': StandardScaler after steps[0] 'oh'"
                    + " OneHotEncoder(dtype=float32)"},
                {"narrow-kbins-minmax", "steps[1] 'sc': MinMaxScaler after steps[0] 'bins'"
                    + " KBinsDiscretizer(dtype=float32)"},
                {"narrow-kbins-maxabs", "steps[1] 'sc': MaxAbsScaler after steps[0] 'bins'"
                    + " KBinsDiscretizer(dtype=float32)"},
                {"narrow-ordinal-robust", "steps[1] 'sc': RobustScaler after steps[0] 'ord'"
                    + " OrdinalEncoder(dtype=float32)"},
                {"narrow-ordinal-log1p", "steps[1] 'f': FunctionTransformer after steps[0] 'ord'"
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
            String ok = "narrow-ok-onehot-identity.skops"; // FunctionTransformer() passes values
            assertEquals(List.of("s"), Preprocessor.load(Files.readAllBytes(dir.resolve(ok)), ok)
                    .inputColumns(), release + " " + ok);
        }
    }

    /**
     * case-1404-00041: an int column whose batch holds a null (refused) is float64 in pandas, and
     * the rows left after the refused one keep that dtype. Re-scoring them as the guard does
     * ({@code raw.select(rows)}, no null left) must still compute in float64: abs(-2^63) is
     * 9.2e18 (KBins' top bin, not int64's wrapped -2^63 in bin 0), and 4611207602170494887
     * matches the int category 4611207602170494886 (as float64 both are 4.611207602170495e18).
     * The features of every row are scikit-learn's, bit for bit, on 1.2.2 and 1.9.1.
     */
    @Test
    void anIntColumnWithANullInTheBatchStaysFloat64ForTheRowsLeftAfterARefusal()
            throws Exception {
        ColumnBatch batch = ParquetColumns.read(Files.readAllBytes(
                DIR.resolve("int-null-batch.parquet")), "int-null-batch.parquet");
        LongColumn n = (LongColumn) batch.column(0);
        assertTrue(n.float64());
        int[] noNull = {0, 2, 3, 4, 6};
        assertTrue(((LongColumn) batch.select(noNull).column(0)).float64());
        assertFalse(new LongColumn(new long[] {1, 2}, null).float64());
        for (String release : new String[] {"1.2.2", "1.9.1"}) {
            for (String name : new String[] {"intnull-abs-kbins", "intnull-onehot"}) {
                replayAsTheGuard(batch, release, name, "n");
            }
        }
    }

    /**
     * The bool sibling: pandas holds a bool column with a null as an object column for the whole
     * batch. np.negative then gives -1.0 for True in the rows left after the refused one (numpy's
     * object loop; its bool loop raises), and np.exp raises TypeError for every row, so the column
     * is refused (row -1), not just the null row.
     */
    @Test
    void aBoolColumnWithANullInTheBatchStaysAnObjectColumnForTheRowsLeft() throws Exception {
        ColumnBatch batch = ParquetColumns.read(Files.readAllBytes(
                DIR.resolve("bool-null-batch.parquet")), "bool-null-batch.parquet");
        assertTrue(((BooleanColumn) batch.select(new int[] {0, 2}).column(0)).nullInBatch());
        for (String release : new String[] {"1.2.2", "1.9.1"}) {
            replayAsTheGuard(batch, release, "boolnull-negative-kbins", "b");
            replayAsTheGuard(batch, release, "boolnull-exp", "b");
        }
    }

    /**
     * A selector fed a DataFrame with pandas output configured skips its input check from
     * scikit-learn 1.3 ({@code SelectorMixin.transform}: {@code skip_check_array=preserve_X}), so
     * NaN and infinity pass through SelectKBest (after a FunctionTransformer) and SelectFromModel
     * (a ColumnTransformer branch) instead of refusing the row (fuzzer cases 9191-00369 and
     * 9191-00475); without pandas output, and on 1.2 always, those rows are refused.
     */
    @Test
    void selectorsWithPandasOutputPassNanAndInfinityOn() throws Exception {
        ColumnBatch batch = ParquetColumns.read(Files.readAllBytes(
                DIR.resolve("frame-selectors.parquet")), "frame-selectors.parquet");
        for (String release : new String[] {"1.2.2", "1.9.1"}) {
            replayAsTheGuard(batch, release, "frame-selectors-pandas", null);
            replayAsTheGuard(batch, release, "frame-selectors-default", null);
        }
    }

    private static double pyFloat(String repr) {
        return switch (repr) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(repr);
        };
    }

    /**
     * Scores {@code batch} as {@code GuardedScorer} does (the rows left, {@code raw.select(rows)},
     * setting aside the row the graph refuses) and compares every row with scikit-learn's
     * features in {@code sklearn-<release>/<name>.json} bit for bit; where scikit-learn refuses
     * every row, the column must be refused as a whole (row -1).
     */
    private static void replayAsTheGuard(ColumnBatch batch, String release, String name,
            String column) throws Exception {
        Path dir = DIR.resolve("sklearn-" + release);
        Preprocessor p = Preprocessor.load(Files.readAllBytes(dir.resolve(name + ".skops")), name);
        JsonNode rows = new ObjectMapper().readTree(dir.resolve(name + ".json").toFile())
                .get("rows");
        String what = release + " " + name;
        List<Integer> left = new ArrayList<>();
        for (int r = 0; r < batch.rowCount(); r++) {
            left.add(r);
        }
        double[] features = null;
        while (!left.isEmpty()) {
            int[] sel = left.stream().mapToInt(Integer::intValue).toArray();
            try {
                features = p.transform(batch.select(sel), new TransformStats());
                break;
            } catch (ScoringException e) {
                if (column != null) {
                    assertEquals(column, e.column(), what + ": " + e.getMessage());
                }
                if (e.row() < 0) { // the column refused: scikit-learn refuses every row
                    for (JsonNode row : rows) {
                        assertTrue(row.isNull(), what + ": " + e.getMessage());
                    }
                    return;
                }
                assertTrue(e.row() < sel.length, what);
                left.remove(e.row());
            }
        }
        int width = p.featureNamesOut().size();
        for (int r = 0; r < batch.rowCount(); r++) {
            JsonNode want = rows.get(r);
            int at = left.indexOf(r);
            assertEquals(want.isNull(), at < 0, what + " row " + r + " refused");
            for (int j = 0; at >= 0 && j < width; j++) {
                double py = pyFloat(want.get(j).asText());
                double java = features[at * width + j];
                assertEquals(Double.doubleToRawLongBits(py), Double.doubleToRawLongBits(java),
                        what + " row " + r + " feature " + j + ": " + py + " vs " + java);
            }
        }
    }
}
