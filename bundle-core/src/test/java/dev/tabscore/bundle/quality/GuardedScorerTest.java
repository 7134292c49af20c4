package dev.tabscore.bundle.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoredBatch;
import dev.tabscore.bundle.Scorer;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guarded scorer on the sample bundle (median-imputed, scaled age and income; most_frequent
 * imputed, one-hot (ignore) region and channel; training statistics in the manifest).
 */
class GuardedScorerTest {

    private static Bundle bundle;

    @BeforeAll
    static void open() {
        bundle =
                Bundle.open(
                        Path.of("..", "sample-data", "bundle").toString(),
                        BundleOptions.defaults().withDevice("cpu"));
    }

    @AfterAll
    static void close() {
        bundle.close();
    }

    private static ColumnBatch batch(
            double[] age, double[] income, String[] region, String[] channel) {
        return ColumnBatch.builder(age.length)
                .add("age", new DoubleColumn(age))
                .add("income", new DoubleColumn(income))
                .add("region", new StringColumn(region))
                .add("channel", new StringColumn(channel))
                .build();
    }

    private static Map<String, ColumnPolicy> policies(
            PolicySpec defaults, Map<String, PolicySpec> columns) {
        return QualityModel.resolvePolicies(
                bundle.manifest(), bundle.preprocessor(), defaults, columns);
    }

    @Test
    void rejectsByPolicyAndScoresTheRestExactlyAsAloneAndCountsEveryRow() {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        ColumnBatch raw =
                batch(
                        new double[] {40, nan, 33, 51, inf, 29, 60, inf, 45},
                        new double[] {
                            50_000, 41_000, nan, 62_000, 70_000, 38_000, 1e9, 30_000, 90_000
                        },
                        new String[] {
                            "north",
                            "south",
                            "atlantis",
                            "east",
                            "west",
                            null,
                            "north",
                            "east",
                            "North"
                        },
                        new String[] {
                            "web", "store", "web", "phone", "web", "partner", "web", "web", "store"
                        });
        InvalidCells invalid = new InvalidCells(4);
        invalid.reset(9);
        invalid.mark(1, 3, "62,000"); // income of row 3 could not be read
        Map<String, ColumnPolicy> p =
                policies(
                        null,
                        Map.of(
                                "age", new PolicySpec("reject", null, null, null),
                                "region", new PolicySpec(null, null, "reject", null)));
        QualityModel model = new QualityModel(bundle, p);
        QualityStats stats = model.newStats();
        try (GuardedScorer g = new GuardedScorer(bundle.newScorer(), model)) {
            GuardedScorer.Result res = g.score(raw, invalid, stats);
            assertArrayEquals(new int[] {0, 5, 6}, res.rows());
            Map<Integer, Reject> byRow = new java.util.HashMap<>();
            res.rejects().forEach(r -> byRow.put(r.row(), r));
            assertEquals(RejectReason.NULL_VALUE, byRow.get(1).reason());
            assertEquals("age", byRow.get(1).column());
            assertEquals(RejectReason.UNKNOWN_CATEGORY, byRow.get(2).reason());
            assertTrue(byRow.get(2).detail().contains("'atlantis'"), byRow.get(2).detail());
            assertEquals(RejectReason.INVALID_VALUE, byRow.get(3).reason());
            assertEquals("income", byRow.get(3).column());
            assertTrue(byRow.get(3).detail().contains("'62,000'"), byRow.get(3).detail());
            // infinity: the median imputer refuses it, as scikit-learn raises
            assertEquals(RejectReason.REFUSED_BY_PREPROCESSOR, byRow.get(4).reason());
            assertEquals(RejectReason.REFUSED_BY_PREPROCESSOR, byRow.get(7).reason());
            assertTrue(byRow.get(4).detail().contains("infinity"), byRow.get(4).detail());
            assertEquals(RejectReason.UNKNOWN_CATEGORY, byRow.get(8).reason(), "'North'");
            assertEquals(9, res.rejects().size() + res.rows().length);

            // the scored rows get exactly what they get when scored on their own
            try (Scorer alone = bundle.newScorer()) {
                ScoredBatch want = alone.score(raw.select(new int[] {0, 5, 6}), null);
                assertArrayEquals(want.values(), res.scored().values());
            }
        }
        assertEquals(9, stats.rowsIn());
        assertEquals(3, stats.rowsScored());
        assertEquals(6, stats.rowsRejected());
        assertEquals(2, stats.rejected(RejectReason.REFUSED_BY_PREPROCESSOR));
        ColumnProfile age = stats.columns().get("age");
        assertEquals(9, age.rows());
        assertEquals(1, age.missing());
        assertEquals(2, age.aboveMax(), "the two infinities exceed the training maximum");
        ColumnProfile income = stats.columns().get("income");
        assertEquals(1, income.invalid());
        assertEquals(1, income.missing(), "the invalid cell is not also missing");
        assertEquals(1, income.aboveMax(), "1e9");
        ColumnProfile region = stats.columns().get("region");
        assertEquals(2, region.unknown());
        assertEquals(Map.of("atlantis", 1L, "North", 1L), region.unknownValues());
        assertEquals(1, region.missing());
        long[] bins = region.binCounts();
        assertEquals(9 - 0, java.util.Arrays.stream(bins).sum(), "every valid row in a bin");
        assertEquals(3, stats.outputs().get("prob").rows());
    }

    @Test
    void underDefaultPoliciesUnknownsAndNullsAreScoredAsPython() {
        ColumnBatch raw =
                batch(
                        new double[] {Double.NaN, 41},
                        new double[] {50_000, 1e9},
                        new String[] {"atlantis", null},
                        new String[] {"web", "carrier_pigeon"});
        QualityModel model = new QualityModel(bundle, policies(null, Map.of()));
        QualityStats stats = model.newStats();
        try (GuardedScorer g = new GuardedScorer(bundle.newScorer(), model);
                Scorer plain = bundle.newScorer()) {
            GuardedScorer.Result res = g.score(raw, null, stats);
            assertEquals(List.of(), res.rejects());
            assertArrayEquals(plain.score(raw, null).values(), res.scored().values());
        }
        assertEquals(1, stats.columns().get("region").unknown());
        assertEquals(1, stats.columns().get("channel").unknown());
    }

    @Test
    void failPoliciesStopTheBatchNamingTheColumnAndRow() {
        ColumnBatch raw =
                batch(
                        new double[] {40, Double.POSITIVE_INFINITY},
                        new double[] {1, 2},
                        new String[] {"north", "east"},
                        new String[] {"web", "web"});
        QualityModel model =
                new QualityModel(
                        bundle,
                        policies(null, Map.of("age", new PolicySpec(null, "fail", null, null))));
        try (GuardedScorer g = new GuardedScorer(bundle.newScorer(), model)) {
            ScoringException e =
                    assertThrows(
                            ScoringException.class, () -> g.score(raw, null, model.newStats()));
            assertEquals(Reason.INPUT_VALUE, e.reason());
            assertEquals("age", e.column());
            assertEquals(1, e.row());
            assertTrue(e.getMessage().contains("on_invalid: fail"), e.getMessage());
        }
    }

    @Test
    void manyRefusedRowsAreFoundByBisection() {
        int n = 4096;
        double[] age = new double[n];
        double[] income = new double[n];
        String[] region = new String[n];
        String[] channel = new String[n];
        for (int i = 0; i < n; i++) {
            age[i] = i % 3 == 0 ? Double.NEGATIVE_INFINITY : 20 + i % 50;
            income[i] = 40_000 + i;
            region[i] = "north";
            channel[i] = "web";
        }
        QualityModel model = new QualityModel(bundle, policies(null, Map.of()));
        try (GuardedScorer g = new GuardedScorer(bundle.newScorer(), model)) {
            GuardedScorer.Result res =
                    g.score(batch(age, income, region, channel), null, model.newStats());
            assertEquals((n + 2) / 3, res.rejects().size());
            for (int r : res.rows()) {
                assertTrue(r % 3 != 0);
            }
            for (int k = 1; k < res.rows().length; k++) {
                assertTrue(res.rows()[k - 1] < res.rows()[k], "scored rows stay in order");
            }
        }
    }

    @Test
    void configPoliciesAreCheckedAgainstTheContract() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                policies(
                                        null,
                                        Map.of(
                                                "agee",
                                                new PolicySpec("reject", null, null, null))));
        assertTrue(e.getMessage().contains("agee"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                policies(
                                        null,
                                        Map.of("age", new PolicySpec(null, null, "reject", null))));
        assertTrue(e.getMessage().contains("reaches no encoder"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> policies(new PolicySpec("drop", null, null, null), Map.of()));
        assertTrue(e.getMessage().contains("quality.defaults.on_null"), e.getMessage());
        // a blanket on_unknown applies to the categorical columns only
        Map<String, ColumnPolicy> p =
                policies(new PolicySpec(null, null, "reject", null), Map.of());
        assertEquals(ColumnPolicy.OnUnknown.PREPROCESS, p.get("age").onUnknown());
        assertEquals(ColumnPolicy.OnUnknown.REJECT, p.get("region").onUnknown());
    }
}
