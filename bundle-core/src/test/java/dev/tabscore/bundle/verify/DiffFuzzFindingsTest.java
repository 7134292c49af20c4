package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.Scorer;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.cli.TabscoreCli;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.quality.GuardedScorer;
import dev.tabscore.bundle.quality.QualityModel;
import dev.tabscore.bundle.quality.QualityStats;
import dev.tabscore.bundle.quality.Reject;
import dev.tabscore.bundle.quality.RejectReason;
import dev.tabscore.bundle.sklearn.Preprocessor;
import dev.tabscore.bundle.sklearn.TransformStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minimal bundles of differential-fuzzer findings (issue 14), written by the exporter with
 * scikit-learn 1.9.1 ({@code src/test/resources/difffuzz/make_bundles.py}).
 */
class DiffFuzzFindingsTest {

    private static final Path DIR = Paths.get("src/test/resources/difffuzz");

    /**
     * cos(0) = 1.0 into SplineTransformer(extrapolation='error') with knots [1, 1]: the ulp
     * envelope's nudged value lies past the knots. Golden replay used to refuse the bundle (exit
     * 31); now the nudged graph's refused rows merely have no envelope and must match as they are,
     * which they do (cos(0) is exact).
     */
    @Test
    void aRowTheNudgedGraphRefusesDoesNotRefuseTheBundle() throws Exception {
        Path dir = DIR.resolve("bundle-cos-spline");
        try (Bundle b = Bundle.open(dir.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            ColumnBatch golden =
                    ParquetColumns.read(
                            Files.readAllBytes(dir.resolve("golden/input.parquet")),
                            "input.parquet");
            // the real graph scores the golden rows; the graph nudged up one ulp refuses them
            assertEquals(
                    golden.rowCount() * 3,
                    b.preprocessor().transform(golden, new TransformStats()).length);
            ScoringException e =
                    assertThrows(
                            ScoringException.class,
                            () ->
                                    b.preprocessor()
                                            .transform(
                                                    golden,
                                                    new TransformStats().nudgeUfuncResults(1)));
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
            BundleException e =
                    assertThrows(
                            BundleException.class,
                            () -> Preprocessor.load(Files.readAllBytes(DIR.resolve(f)), f));
            assertEquals(19, e.reason().exitCode(), e.getMessage());
            assertTrue(e.getMessage().contains("components_ is float32"), e.getMessage());
        }
    }

    /**
     * A float32 step (KBinsDiscretizer / OneHotEncoder / OrdinalEncoder with dtype=np.float32)
     * feeding a step scikit-learn then computes in float32: these fuzzer findings were refused
     * (exit 19) naming both steps on 1.2.2 and 1.9.1 files; the scalers, a ufunc,
     * PolynomialFeatures, QuantileTransformer and Normalizer after it now load and compute in
     * float32 (Float32FixtureTest checks their values and the steps still refused), and so do a
     * selector and the identity.
     */
    @Test
    void aFloat32StepFeedingFloatArithmeticLoadsWhereReproduced() throws Exception {
        for (String release : new String[] {"1.2.2", "1.9.1"}) {
            Path dir = DIR.resolve("sklearn-" + release);
            for (String f :
                    new String[] {
                        "narrow-ok-kbins-quantile.skops",
                        "narrow-ok-kbins-kbest.skops",
                        "narrow-kbins-quantile.skops"
                    }) {
                Preprocessor p = Preprocessor.load(Files.readAllBytes(dir.resolve(f)), f);
                assertEquals(List.of("a", "b"), p.inputColumns(), f);
            }
            for (String f :
                    new String[] {"narrow-kbins-minmax.skops", "narrow-kbins-maxabs.skops"}) {
                Preprocessor p = Preprocessor.load(Files.readAllBytes(dir.resolve(f)), f);
                assertEquals(List.of("a"), p.inputColumns(), f);
            }
            for (String f :
                    new String[] {
                        "narrow-ok-onehot-identity.skops",
                        "narrow-onehot-normalizer.skops",
                        "narrow-onehot-standard.skops",
                        "narrow-ordinal-robust.skops",
                        "narrow-ordinal-log1p.skops",
                        "narrow-ordinal-poly.skops"
                    }) {
                assertEquals(
                        List.of("s"),
                        Preprocessor.load(Files.readAllBytes(dir.resolve(f)), f).inputColumns(),
                        release + " " + f);
            }
        }
    }

    /**
     * case-1404-00041: an int column whose batch holds a null (refused) is float64 in pandas, and
     * the rows left after the refused one keep that dtype. Re-scoring them as the guard does
     * ({@code raw.select(rows)}, no null left) must still compute in float64: abs(-2^63) is 9.2e18
     * (KBins' top bin, not int64's wrapped -2^63 in bin 0), and 4611207602170494887 matches the int
     * category 4611207602170494886 (as float64 both are 4.611207602170495e18). The features of
     * every row are scikit-learn's, bit for bit, on 1.2.2 and 1.9.1.
     */
    @Test
    void anIntColumnWithANullInTheBatchStaysFloat64ForTheRowsLeftAfterARefusal() throws Exception {
        ColumnBatch batch =
                ParquetColumns.read(
                        Files.readAllBytes(DIR.resolve("int-null-batch.parquet")),
                        "int-null-batch.parquet");
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
        ColumnBatch batch =
                ParquetColumns.read(
                        Files.readAllBytes(DIR.resolve("bool-null-batch.parquet")),
                        "bool-null-batch.parquet");
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
        ColumnBatch batch =
                ParquetColumns.read(
                        Files.readAllBytes(DIR.resolve("frame-selectors.parquet")),
                        "frame-selectors.parquet");
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
     * setting aside the row the graph refuses) and compares every row with scikit-learn's features
     * in {@code sklearn-<release>/<name>.json} bit for bit; where scikit-learn refuses every row,
     * the column must be refused as a whole (row -1).
     */
    private static void replayAsTheGuard(
            ColumnBatch batch, String release, String name, String column) throws Exception {
        Path dir = DIR.resolve("sklearn-" + release);
        Preprocessor p = Preprocessor.load(Files.readAllBytes(dir.resolve(name + ".skops")), name);
        JsonNode rows =
                new ObjectMapper().readTree(dir.resolve(name + ".json").toFile()).get("rows");
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
                assertEquals(
                        Double.doubleToRawLongBits(py),
                        Double.doubleToRawLongBits(java),
                        what + " row " + r + " feature " + j + ": " + py + " vs " + java);
            }
        }
    }

    /**
     * KNNImputer's nearest donors tie at distance 0 among different values (fuzzer cases 9595-00036
     * / 00119; {@code make_bundles.py --knn-only}, numpy 2.4 on an AVX-512 CPU, which picks with
     * x86-simd-sort): the golden rows with x missing (0, 1, 3) are unsettled, so golden replay
     * leaves them out and names why; row 2 (nothing missing) is compared, and the bundle verifies
     * (it used to be refused, exit 25).
     */
    @Test
    void knnNeighbourTieGoldenRowsAreLeftOutAndTheBundleVerifies() throws Exception {
        Path dir = DIR.resolve("bundle-knn-tie");
        try (Bundle b = Bundle.open(dir.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            assertEquals(List.of(0, 1, 3), new ArrayList<>(b.goldenRowsNotCompared().keySet()));
            String why = b.goldenRowsNotCompared().get(0);
            assertTrue(why.startsWith("column 'x': KNNImputer's imputation is unsettled: "), why);
            assertTrue(
                    why.contains("donors tie exactly at the n_neighbors=2-th distance 0.0"), why);
            assertTrue(why.contains("x86-simd-sort"), why);
        }
    }

    /**
     * Fresh rows of the same bundle under the quality gate: a row with x missing and k present ties
     * (every training row with its k is at distance 0, up to rounding) and is rejected as {@code
     * knn_unsettled} naming the column and the step; a row with k missing imputes k from distinct
     * distances and a row without a missing value pass, scored as on their own. Without the gate
     * the tie fails the batch naming its row (exit 31), never a silent value.
     */
    @Test
    void aFreshTieRowIsRejectedAsKnnUnsettledAndTheOthersScore() throws Exception {
        Path dir = DIR.resolve("bundle-knn-tie");
        ColumnBatch raw =
                ColumnBatch.builder(4)
                        .add("k", new DoubleColumn(new double[] {Double.NaN, 1.0, 0.0, 1.0}))
                        .add("x", new DoubleColumn(new double[] {0.123, Double.NaN, 0.7, 0.25}))
                        .build();
        try (Bundle b = Bundle.open(dir.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            QualityModel model =
                    new QualityModel(
                            b,
                            QualityModel.resolvePolicies(
                                    b.manifest(), b.preprocessor(), null, Map.of()));
            QualityStats stats = model.newStats();
            try (GuardedScorer g = new GuardedScorer(b.newScorer(), model);
                    Scorer alone = b.newScorer()) {
                GuardedScorer.Result res = g.score(raw, null, stats);
                assertArrayEquals(new int[] {0, 2, 3}, res.rows());
                assertEquals(1, res.rejects().size());
                Reject reject = res.rejects().get(0);
                assertEquals(1, reject.row());
                assertEquals(RejectReason.KNN_UNSETTLED, reject.reason());
                assertEquals("knn_unsettled", reject.reason().code());
                assertEquals("x", reject.column());
                assertTrue(
                        reject.detail()
                                .startsWith(
                                        "transformers_[0] 'knn': column 'x':"
                                                + " KNNImputer's imputation is unsettled: "),
                        reject.detail());
                // with k = 1 the zero-filled x terms leave rounding residues: not all 0 exactly
                assertTrue(
                        reject.detail()
                                .contains(
                                        "donors lie within the rounding bound of"
                                                + " BLAS's distances of the n_neighbors=2-th distance 0.0"),
                        reject.detail());
                assertEquals(1, stats.rejected(RejectReason.KNN_UNSETTLED));
                assertArrayEquals(
                        alone.score(raw.select(new int[] {0, 2, 3}), null).values(),
                        res.scored().values(),
                        1e-6,
                        "the other rows score as on their own");
                ScoringException e =
                        assertThrows(ScoringException.class, () -> alone.score(raw, null));
                assertEquals(Reason.INPUT_VALUE, e.reason());
                assertEquals(1, e.row());
                assertEquals("x", e.column());
            }
        }
    }

    /**
     * The CLI on the same bundle: {@code bundle verify} passes and lists the golden rows left out
     * as {@code knn_unsettled}; {@code bundle score --rejects} over the golden rows scores row 2
     * and writes rows 0, 1, 3 to the rejects with reason {@code knn_unsettled}, column x.
     */
    @Test
    void theCliVerifiesTheBundleAndRejectsTheTiedRows(@TempDir Path tmp) throws Exception {
        Path dir = DIR.resolve("bundle-knn-tie");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                TabscoreCli.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "bundle",
                        "verify",
                        dir.toString());
        assertEquals(0, code, err.toString());
        assertTrue(
                out.toString().contains("3 golden row(s) not compared: knn_unsettled"),
                out.toString());
        assertTrue(
                out.toString()
                        .contains(
                                "golden row 0: column 'x': KNNImputer's imputation is"
                                        + " unsettled: "),
                out.toString());
        Path scored = tmp.resolve("scored.parquet");
        Path rejects = tmp.resolve("rejects.parquet");
        code =
                TabscoreCli.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "bundle",
                        "score",
                        dir.toString(),
                        "--input",
                        dir.resolve("golden/input.parquet").toString(),
                        "--output",
                        scored.toString(),
                        "--rejects",
                        rejects.toString());
        assertEquals(0, code, err.toString());
        ColumnBatch r = ParquetColumns.read(Files.readAllBytes(rejects), "rejects.parquet");
        assertEquals(3, r.rowCount());
        for (int i = 0; i < 3; i++) {
            assertEquals("knn_unsettled", ((StringColumn) r.column("reject_reason")).values()[i]);
            assertEquals("x", ((StringColumn) r.column("reject_column")).values()[i]);
        }
        assertEquals(
                1, ParquetColumns.read(Files.readAllBytes(scored), "scored.parquet").rowCount());
    }

    /**
     * np.sin after PowerTransformer(standardize=False) and a weight of 2.0 (fuzzer case 9292-00165,
     * scikit-learn 1.4.2; {@code make_bundles.py --sin-only}): c = -2^62 and -2^52 reach sin as
     * -8.2e18 and -8.2e15, where the ulp contract's uncertainty of that inexact input spans more
     * than a quarter period, so scikit-learn's own sin is not one number (the fuzzer saw 0.661 in
     * Python, -0.596 in Java). Golden replay leaves rows 0 and 3 out, naming why, and compares the
     * others (2^40 included: its uncertainty, +-1.2e-3 at 2.4e12, holds no extremum); the bundle
     * verifies.
     */
    @Test
    void sinOfAHugeInexactValueIsLeftOutOfGoldenReplay() throws Exception {
        Path dir = DIR.resolve("bundle-sin-power");
        try (Bundle b = Bundle.open(dir.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            assertEquals(List.of(0, 3), new ArrayList<>(b.goldenRowsNotCompared().keySet()));
            String why = b.goldenRowsNotCompared().get(0);
            assertTrue(
                    why.startsWith(
                            GoldenReplay.UFUNC_UNSETTLED
                                    + "column 'num0__c': np.sin of"
                                    + " -8.20347"),
                    why);
            assertTrue(why.contains("spans more than a quarter period"), why);
        }
    }

    /**
     * np.sin then PolynomialFeatures(interaction_only=True) (fuzzer case 6161-00148, scikit-learn
     * 1.9.1): the product of two sin results of opposite signs reaches its extremes when the two
     * move apart, so numpy's product of row 19 lay an ulp outside the envelope of moving every sin
     * result the same way, and the bundle was refused (exit 25). Golden replay now also moves the
     * results of each ufunc step's columns in opposite directions, bit by bit of the column index,
     * and the bundle verifies.
     */
    @Test
    void aProductOfTwoSinResultsIsJudgedByTheCrossedEnvelope() throws Exception {
        Path dir = DIR.resolve("bundle-sin-poly");
        try (Bundle b = Bundle.open(dir.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            assertTrue(
                    b.manifest()
                            .features()
                            .columns()
                            .contains("c0_intnull__num0 bool0__c3_bool__bool0"),
                    b.manifest().features().columns().toString());
        }
    }

    /**
     * KNNImputer, np.cbrt, then QuantileTransformer(n_quantiles=50, subsample=50) (fuzzer case
     * 6262-00184, scikit-learn 1.8.0, on an AVX2 machine where numpy 2's argpartition orders the
     * donors, and so sums them, its own way): many training rows were imputed to the same value, so
     * its cube root is a repeated quantile, where the quantile output jumps. Java's imputation
     * (numpy's scalar order) is within the ulp contract of the cube root, and golden replay accepts
     * the feature inside its envelope (cbrt moved 5 ulps either way spans the jump), 0.459 against
     * 0.592; the network's outputs on the two then differ by 5e-4. The model check runs on the
     * golden features wherever the contract accepted a difference, so the bundle verifies; before,
     * it was refused (exit 25) over a correct model.
     */
    @Test
    void aContractDifferenceInAFeatureDoesNotFailTheModelCheck() throws Exception {
        Path dir = DIR.resolve("bundle-knn-quantile");
        ColumnBatch raw = golden(dir, "input.parquet");
        ColumnBatch golden = golden(dir, "output.parquet");
        try (Bundle b = Bundle.open(dir.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            double[] got = b.preprocessor().transform(raw, new TransformStats());
            List<String> names = b.manifest().features().columns();
            List<String> differing = new ArrayList<>();
            for (int j = 0; j < names.size(); j++) {
                double[] want = ((DoubleColumn) golden.column(names.get(j))).values();
                for (int r = 0; r < raw.rowCount(); r++) {
                    double g = got[r * names.size() + j];
                    if (g != want[r] && !(Double.isNaN(g) && Double.isNaN(want[r]))) {
                        differing.add(names.get(j) + "@" + r + "=" + g + "/" + want[r]);
                    }
                }
            }
            assertFalse(
                    differing.isEmpty(), "Java's features equal the golden ones: no longer tests");
            System.out.println(
                    "bundle-tanh-bins: features within the contract, not equal: " + differing);
        }
    }

    /**
     * The golden rows as a fresh batch under the quality gate: rows 0 and 3 are rejected as {@code
     * ufunc_unsettled} naming the feature and the step; rows 1, 2 and 4 score, their features equal
     * scikit-learn's within the approx contract (2^-36 relative). Without the gate the batch fails
     * naming row 0, never a silent value.
     */
    @Test
    void aFreshRowWithAnUnsettledSinIsRejectedAndTheOthersMatch() throws Exception {
        Path dir = DIR.resolve("bundle-sin-power");
        ColumnBatch raw = golden(dir, "input.parquet");
        ColumnBatch golden = golden(dir, "output.parquet");
        try (Bundle b = Bundle.open(dir.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            QualityModel model =
                    new QualityModel(
                            b,
                            QualityModel.resolvePolicies(
                                    b.manifest(), b.preprocessor(), null, Map.of()));
            QualityStats stats = model.newStats();
            try (GuardedScorer g = new GuardedScorer(b.newScorer(), model);
                    Scorer alone = b.newScorer()) {
                GuardedScorer.Result res = g.score(raw, null, stats);
                assertArrayEquals(new int[] {1, 2, 4}, res.rows());
                assertEquals(2, res.rejects().size());
                for (int k = 0; k < 2; k++) {
                    Reject reject = res.rejects().get(k);
                    assertEquals(k == 0 ? 0 : 3, reject.row());
                    assertEquals(RejectReason.UFUNC_UNSETTLED, reject.reason());
                    assertEquals("ufunc_unsettled", reject.reason().code());
                    assertEquals("num0__c", reject.column());
                    assertTrue(
                            reject.detail()
                                    .startsWith(
                                            "steps[1] 'sin': column 'num0__c':" + " np.sin of -8."),
                            reject.detail());
                }
                assertEquals(2, stats.rejected(RejectReason.UFUNC_UNSETTLED));
                double[] f =
                        b.preprocessor()
                                .transform(raw.select(new int[] {1, 2, 4}), new TransformStats());
                List<String> names = b.manifest().features().columns();
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < names.size(); j++) {
                        double w =
                                ((DoubleColumn) golden.column(names.get(j)))
                                        .values()[new int[] {1, 2, 4}[i]];
                        double got = f[i * names.size() + j];
                        assertTrue(
                                Math.abs(got - w) <= 0x1p-36 * Math.max(1, Math.abs(w)),
                                "row " + i + " " + names.get(j) + ": " + got + " vs " + w);
                    }
                }
                ScoringException e =
                        assertThrows(ScoringException.class, () -> alone.score(raw, null));
                assertEquals(Reason.INPUT_VALUE, e.reason());
                assertEquals(0, e.row());
                assertEquals("num0__c", e.column());
            }
        }
    }

    /** A bundle's golden batch file ({@code input.parquet} or {@code output.parquet}). */
    private static ColumnBatch golden(Path bundle, String file) throws java.io.IOException {
        return ParquetColumns.read(
                Files.readAllBytes(bundle.resolve("golden").resolve(file)), file);
    }
}
