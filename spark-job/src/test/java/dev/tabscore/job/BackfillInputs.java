package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The daily inputs of {@link BackfillTest} (five dates of 200 sample rows, {@code in/dt=<date>/}),
 * the backfill runs over them and what the tests read back (summaries, predictions, files). Apart
 * from the tests so that each test reads as its runs and assertions.
 */
final class BackfillInputs {

    static final Path ROOT = JobTesting.repoRoot();
    static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    static final List<String> DATES =
            List.of("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05");
    static final String RANGE = "2026-01-01..2026-01-05";

    /** The inputs' root ({@code dt=<date>/} under it). */
    final Path input;

    private BackfillInputs(Path input) {
        this.input = input;
    }

    /** Writes the five daily inputs under {@code tmp/in}. */
    static BackfillInputs write(Path tmp) {
        SparkSession spark = JobTesting.spark();
        Dataset<Row> sample =
                spark.read()
                        .parquet(ROOT.resolve("sample-data/input").toString())
                        .drop("snapshot")
                        .orderBy("customer_id");
        List<Row> rows = sample.limit(200 * DATES.size()).collectAsList();
        Path input = tmp.resolve("in");
        for (int i = 0; i < DATES.size(); i++) {
            spark.createDataFrame(rows.subList(i * 200, (i + 1) * 200), sample.schema())
                    .coalesce(1)
                    .write()
                    .parquet(input.resolve("dt=" + DATES.get(i)).toString());
        }
        return new BackfillInputs(input);
    }

    /** Backfills {@link #RANGE} of these inputs with the sample bundle into {@code out}. */
    JobTesting.Run backfill(Path out, String runId, String... more) {
        return backfillWith(SAMPLE_BUNDLE, out, runId, more);
    }

    /** Backfills {@link #RANGE} of these inputs with {@code bundle} into {@code out}. */
    JobTesting.Run backfillWith(Path bundle, Path out, String runId, String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bundle",
                                bundle.toString(),
                                "--snapshots",
                                RANGE,
                                "--input-template",
                                input.resolve("dt={date}").toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString(),
                                "--run-id",
                                runId));
        a.addAll(List.of(more));
        return JobTesting.run(JobTesting.localArgs(a.toArray(new String[0])));
    }

    /** The backfill's overall summary. */
    static JsonNode overall(Path out, String runId) {
        return JobTesting.summary(out.resolve("_tabscore/backfill-" + runId + ".json"));
    }

    /** The texts of a JSON array. */
    static List<String> strings(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }

    /** customer_id → prob of one partition, asserting 200 rows and no duplicate id. */
    static Map<Long, Double> predictions(Path out, String date) {
        List<Row> rows =
                JobTesting.spark()
                        .read()
                        .parquet(out.resolve("snapshot=" + date).toString())
                        .select("customer_id", "prob")
                        .collectAsList();
        Map<Long, Double> m = new HashMap<>();
        for (Row r : rows) {
            assertTrue(
                    m.put(r.getLong(0), r.getDouble(1)) == null,
                    date + ": duplicate customer_id " + r.getLong(0));
        }
        assertEquals(200, m.size(), date + ": rows");
        return m;
    }

    /** Relative file name → modification time of every file under a directory. */
    static Map<String, Long> files(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            Map<String, Long> m = new TreeMap<>();
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis());
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The distinct values of a column of the output, as sorted strings. */
    static List<String> column(Path out, String col) {
        return JobTesting.spark()
                .read()
                .parquet(out.toString())
                .select(col)
                .distinct()
                .collectAsList()
                .stream()
                .map(r -> String.valueOf(r.get(0)))
                .sorted()
                .toList();
    }
}
