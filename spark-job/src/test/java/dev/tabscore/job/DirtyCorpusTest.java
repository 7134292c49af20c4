package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dirty-data corpus (spark-job/src/test/resources/dirty, made by
 * scripts/dirty/make_dirty_corpus.py with what scikit-learn does for every case) through the job,
 * one run per file: files with timestamp, date or nested columns are refused before scoring with
 * exit 30 naming the column; in the others every case is scored with scikit-learn's output or
 * rejected with the reason and column its expectation names, and nothing is lost. (Features are
 * compared bit for bit per case in {@code spark.DirtyCorpusFeaturesTest}.)
 */
@ExtendWith(LocalJobSession.class)
class DirtyCorpusTest {

    static final Path DIRTY = JobTesting.repoRoot().resolve("spark-job/src/test/resources/dirty");

    @TempDir static Path tmp;

    static JsonNode expected() {
        try {
            return JobTesting.JSON.readTree(DIRTY.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<String> files() {
        return StreamSupport.stream(expected().path("files").spliterator(), false)
                .map(f -> f.path("file").asText());
    }

    static JsonNode file(String name) {
        for (JsonNode f : expected().path("files")) {
            if (f.path("file").asText().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachFileIsScoredRejectedOrRefusedAsItsExpectationSays(String name) {
        JsonNode f = file(name);
        Path out = tmp.resolve(name + "-out");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                DIRTY.resolve("bundle").toString(),
                                "--input",
                                DIRTY.resolve(name).toString(),
                                "--id-col",
                                "id",
                                "--output",
                                out.toString(),
                                "--run-id",
                                "dirty"));
        JsonNode t = f.path("tabscore");
        if (t.path("tabscore").asText().equals("schema_refused")) {
            assertEquals(t.path("exit_code").asInt(), run.exitCode(), run.toString());
            assertTrue(
                    run.err().contains("'" + t.path("column").asText() + "' is "),
                    "the refusal names " + t.path("column") + ": " + run.err());
            // Nothing published: only the run's own record, which says why.
            QualityGatesTest.assertNothingPublished(out);
            JsonNode record = JobTesting.summary(out.resolve("_tabscore_runs/dirty/summary.json"));
            assertEquals(t.path("exit_code").asInt(), record.path("exit_code").asInt());
            assertEquals("INPUT_SCHEMA", record.path("reason").asText());
            return;
        }
        assertEquals(0, run.exitCode(), run.toString());
        SparkSession spark = JobTesting.spark();
        Map<Long, Double> probs = new HashMap<>();
        for (Row r : spark.read().parquet(out.toString()).select("id", "prob").collectAsList()) {
            probs.put(r.getLong(0), r.getDouble(1));
        }
        Map<Long, Row> rejects = new HashMap<>();
        for (Row r :
                spark.read()
                        .parquet(out.resolve("_tabscore_rejects").toString())
                        .select("id", "reject_reason", "reject_column", "reject_detail")
                        .collectAsList()) {
            rejects.put(r.getLong(0), r);
        }
        double rtol = expected().at("/bundle/output_tolerance/rtol").asDouble();
        double atol = expected().at("/bundle/output_tolerance/atol").asDouble();
        int cases = 0;
        for (JsonNode c : f.path("cases")) {
            cases++;
            long id = c.path("id").asLong();
            String what = name + " case " + id + " " + c.path("case").asText();
            JsonNode e = c.path("tabscore");
            if (e.path("tabscore").asText().equals("scored")) {
                assertTrue(probs.containsKey(id), what + ": scored");
                assertFalse(rejects.containsKey(id), what);
                double want = number(c.at("/sklearn/outputs/prob"));
                double got = probs.get(id);
                if (Double.isNaN(want)) {
                    assertTrue(Double.isNaN(got), what + ": NaN, got " + got);
                } else {
                    assertEquals(want, got, atol + rtol * Math.abs(want), what);
                }
            } else {
                assertTrue(rejects.containsKey(id), what + ": rejected");
                assertFalse(probs.containsKey(id), what);
                assertEquals(e.path("reason").asText(), rejects.get(id).getString(1), what);
                assertEquals(e.path("column").asText(), rejects.get(id).getString(2), what);
            }
        }
        assertEquals(f.path("rows").asInt(), cases);
        assertEquals(cases, probs.size() + rejects.size(), name + ": every row once");
        JsonNode s = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals(cases, s.at("/rows/in").asInt());
        assertTrue(s.at("/rows/reconciled").asBoolean());
    }

    /** A JSON float of the corpus: a number, or "NaN" / "Infinity" / "-Infinity". */
    static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.parseDouble(n.asText());
    }
}
