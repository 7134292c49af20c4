package dev.tabscore.job.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.quality.GuardedScorer;
import dev.tabscore.bundle.quality.InvalidCells;
import dev.tabscore.bundle.quality.QualityModel;
import dev.tabscore.bundle.quality.QualityStats;
import dev.tabscore.bundle.quality.Reject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the dirty-data corpus, one row at a time, as the job's tasks read it (Spark's
 * Parquet reader, {@link InputContract}, {@link RowBatcher}) and score it ({@link GuardedScorer}
 * with the built-in policies), against what scikit-learn did with the same values: the features bit
 * for bit and the output within the bundle's tolerance when both score the row; the reason and
 * column when tabscore rejects it; and the columns counted missing and unknown.
 */
class DirtyCorpusFeaturesTest {

    private static final Path DIRTY = Path.of("src/test/resources/dirty").toAbsolutePath();
    private static Bundle bundle;
    private static JsonNode expected;

    @BeforeAll
    static void open() throws IOException {
        expected = new ObjectMapper().readTree(DIRTY.resolve("expected.json").toFile());
        bundle =
                Bundle.open(
                        DIRTY.resolve("bundle").toString(),
                        BundleOptions.defaults().withDevice("cpu"));
    }

    @AfterAll
    static void close() {
        bundle.close();
    }

    private static SparkSession spark() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("tabscore-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    static Stream<Arguments> cases() throws IOException {
        JsonNode e =
                new ObjectMapper()
                        .readTree(Path.of("src/test/resources/dirty/expected.json").toFile());
        List<Arguments> out = new ArrayList<>();
        for (JsonNode f : e.path("files")) {
            if (f.at("/tabscore/tabscore").asText().equals("per_case")) {
                for (JsonNode c : f.path("cases")) {
                    out.add(
                            Arguments.of(
                                    f.path("file").asText(),
                                    c.path("id").asLong(),
                                    c.path("case").asText()));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void caseMatchesScikitLearn(String file, long id, String name) {
        JsonNode c = find(file, id);
        Dataset<Row> df = spark().read().parquet(DIRTY.resolve(file).toString());
        InputContract contract = InputContract.check(df.schema(), bundle.manifest());
        int idField = df.schema().fieldIndex("id");
        InternalRow row = null;
        for (InternalRow r :
                df.queryExecution().toRdd().toJavaRDD().map(InternalRow::copy).collect()) {
            if (r.getLong(idField) == id) {
                row = r;
            }
        }
        assertTrue(row != null, "row " + id + " in " + file);
        InvalidCells invalid = new InvalidCells(contract.columns().size());
        ColumnBatch batch = new RowBatcher(contract).batch(new InternalRow[] {row}, 1, invalid);
        QualityModel model =
                new QualityModel(
                        bundle,
                        QualityModel.resolvePolicies(
                                bundle.manifest(), bundle.preprocessor(), null, Map.of()));
        QualityStats stats = model.newStats();
        GuardedScorer.Result res;
        try (GuardedScorer g = new GuardedScorer(bundle.newScorer(), model)) {
            res = g.score(batch, invalid, stats);
        }
        JsonNode want = c.path("tabscore");
        String what = file + " " + id + " " + name + ": " + c.path("description").asText();
        if (want.path("tabscore").asText().equals("rejected")) {
            assertEquals(1, res.rejects().size(), what);
            Reject r = res.rejects().get(0);
            assertEquals(want.path("reason").asText(), r.reason().code(), what + " " + r);
            assertEquals(want.path("column").asText(), r.column(), what + " " + r);
            return;
        }
        assertEquals(List.of(), res.rejects(), what);
        JsonNode features = c.at("/sklearn/features");
        double[] got = bundle.preprocessor().transform(batch, null);
        assertEquals(features.size(), got.length, what);
        for (int j = 0; j < got.length; j++) {
            double w = DirtyNumbers.of(features.get(j));
            // bit for bit, but for the sign of zero (numpy and Java may differ there)
            assertTrue(
                    w == got[j] || Double.isNaN(w) && Double.isNaN(got[j]),
                    what
                            + ": feature "
                            + j
                            + " "
                            + expected.at("/bundle/feature_names").get(j).asText()
                            + " expected "
                            + w
                            + ", got "
                            + got[j]);
        }
        double p = DirtyNumbers.of(c.at("/sklearn/outputs/prob"));
        double q = res.scored().value(0, 0);
        if (Double.isNaN(p)) {
            assertTrue(Double.isNaN(q), what + ": prob NaN, got " + q);
        } else {
            assertEquals(p, q, 1e-6 + 1e-5 * Math.abs(p), what);
        }
        for (String col : List.of("age", "income", "score", "region", "channel")) {
            boolean missing = contains(want.path("missing"), col);
            boolean unknown = contains(want.path("unknown"), col);
            assertEquals(
                    missing ? 1 : 0,
                    stats.columns().get(col).missing(),
                    what + ": " + col + " missing");
            assertEquals(
                    unknown ? 1 : 0,
                    stats.columns().get(col).unknown(),
                    what + ": " + col + " unknown");
        }
    }

    private static boolean contains(JsonNode list, String s) {
        for (JsonNode n : list) {
            if (n.asText().equals(s)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode find(String file, long id) {
        for (JsonNode f : expected.path("files")) {
            if (f.path("file").asText().equals(file)) {
                for (JsonNode c : f.path("cases")) {
                    if (c.path("id").asLong() == id) {
                        return c;
                    }
                }
            }
        }
        throw new IllegalArgumentException(file + " " + id);
    }

    /** The corpus' floats: JSON numbers, or "NaN", "Infinity", "-Infinity". */
    static final class DirtyNumbers {
        private DirtyNumbers() {}

        static double of(JsonNode n) {
            return n.isNumber() ? n.asDouble() : Double.parseDouble(n.asText());
        }
    }
}
