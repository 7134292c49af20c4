package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --snapshots}: five daily inputs of 200 sample rows ({@code in/dt=<date>/}) scored into
 * {@code <output>/snapshot=<date>/} in-process on {@code local[2]}: idempotent reruns, resuming
 * after a failed snapshot, and rescoring on a new bundle digest.
 */
class BackfillTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final List<String> DATES = List.of("2026-01-01", "2026-01-02", "2026-01-03",
            "2026-01-04", "2026-01-05");
    private static final String RANGE = "2026-01-01..2026-01-05";

    @TempDir
    static Path tmp;

    private static Path input;

    @BeforeAll
    static void inputs() {
        JobTesting.onlyInExecution("default-test");
        SparkSession spark = JobTesting.spark();
        Dataset<Row> sample = spark.read().parquet(ROOT.resolve("sample-data/input").toString())
                .drop("snapshot").orderBy("customer_id");
        List<Row> rows = sample.limit(200 * DATES.size()).collectAsList();
        input = tmp.resolve("in");
        for (int i = 0; i < DATES.size(); i++) {
            spark.createDataFrame(rows.subList(i * 200, (i + 1) * 200), sample.schema())
                    .coalesce(1).write().parquet(input.resolve("dt=" + DATES.get(i)).toString());
        }
    }

    private static JobTesting.Run backfill(Path out, String runId, String... more) {
        return backfillWith(SAMPLE_BUNDLE, out, runId, more);
    }

    private static JobTesting.Run backfillWith(Path bundle, Path out, String runId,
            String... more) {
        List<String> a = new ArrayList<>(List.of("--bundle", bundle.toString(),
                "--snapshots", RANGE,
                "--input-template", input.resolve("dt={date}").toString(),
                "--id-col", "customer_id",
                "--output", out.toString(),
                "--run-id", runId));
        a.addAll(List.of(more));
        return JobTesting.run(JobTesting.localArgs(a.toArray(new String[0])));
    }

    private static JsonNode overall(Path out, String runId) {
        return JobTesting.summary(out.resolve("_tabscore/backfill-" + runId + ".json"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }

    /** customer_id → prob of one partition, asserting 200 rows and no duplicate id. */
    private static Map<Long, Double> predictions(Path out, String date) {
        List<Row> rows = JobTesting.spark().read()
                .parquet(out.resolve("snapshot=" + date).toString())
                .select("customer_id", "prob").collectAsList();
        Map<Long, Double> m = new HashMap<>();
        for (Row r : rows) {
            assertTrue(m.put(r.getLong(0), r.getDouble(1)) == null,
                    date + ": duplicate customer_id " + r.getLong(0));
        }
        assertEquals(200, m.size(), date + ": rows");
        return m;
    }

    /** Relative file name → modification time of every file under a directory. */
    private static Map<String, Long> files(Path dir) {
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

    private static List<String> column(Path out, String col) {
        return JobTesting.spark().read().parquet(out.toString()).select(col).distinct()
                .collectAsList().stream().map(r -> String.valueOf(r.get(0))).sorted().toList();
    }

    @Test
    void rerunIsIdempotentAndLeavesOtherPartitionsAlone() throws IOException {
        Path out = tmp.resolve("out-a");
        // Someone else's partition, outside the range.
        Path foreign = out.resolve("snapshot=2025-12-31");
        JobTesting.spark().read().parquet(input.resolve("dt=2026-01-01").toString())
                .limit(10).coalesce(1).write().parquet(foreign.toString());
        Map<String, Long> foreignFiles = files(foreign);

        JobTesting.Run first = backfill(out, "bf-a1", "--snapshot-parallelism", "2");
        assertEquals(ExitCodes.OK, first.exitCode(), first.toString());
        JsonNode s1 = overall(out, "bf-a1");
        assertEquals(DATES, strings(s1.get("scored")).stream().sorted().toList(), s1.toString());
        assertEquals(List.of(), strings(s1.get("skipped")));
        assertEquals(1000, s1.at("/rows/scored").asLong());
        Map<String, Map<Long, Double>> before = new HashMap<>();
        for (String d : DATES) {
            before.put(d, predictions(out, d));
            JsonNode snap = JobTesting.summary(out.resolve("_tabscore/snapshots/" + d + ".json"));
            assertEquals("ok", snap.get("status").asText());
            assertEquals(d, snap.get("snapshot").asText());
            assertEquals(200, snap.at("/rows/in").asLong());
            assertEquals(200, snap.at("/rows/scored").asLong());
            assertEquals(JobTesting.manifest(SAMPLE_BUNDLE).digest(),
                    snap.at("/bundle/digest").asText());
        }

        // Same bundle, no --force: nothing to do.
        JobTesting.Run again = backfill(out, "bf-a2");
        assertEquals(ExitCodes.OK, again.exitCode(), again.toString());
        JsonNode s2 = overall(out, "bf-a2");
        assertEquals(DATES, strings(s2.get("skipped")), s2.toString());
        assertEquals(List.of(), strings(s2.get("scored")));

        // --force: every partition replaced, with the same rows and predictions.
        JobTesting.Run forced = backfill(out, "bf-a3", "--force", "--snapshot-parallelism", "2");
        assertEquals(ExitCodes.OK, forced.exitCode(), forced.toString());
        assertEquals(DATES, strings(overall(out, "bf-a3").get("scored")).stream().sorted()
                .toList());
        for (String d : DATES) {
            assertEquals(before.get(d), predictions(out, d), d + ": same ids and predictions");
            assertEquals(List.of("bf-a3"), JobTesting.spark().read()
                    .parquet(out.resolve("snapshot=" + d).toString()).select("run_id")
                    .distinct().collectAsList().stream().map(r -> r.getString(0)).toList(),
                    d + ": replaced, not appended");
        }
        assertEquals(foreignFiles, files(foreign), "the partition outside the range is untouched");
        assertEquals(10, JobTesting.spark().read().parquet(foreign.toString()).count());
        try (Stream<Path> parts = Files.list(out)) {
            assertEquals(6, parts.filter(p -> p.getFileName().toString().startsWith("snapshot="))
                    .count(), "five backfilled partitions and the foreign one");
        }
    }

    @Test
    void failedSnapshotIsResumedAlone() {
        Path out = tmp.resolve("out-b");
        String bad = DATES.get(2);
        JobTesting.Run failed = backfill(out, "bf-b1", "--conf",
                ScoringRun.FAIL_SNAPSHOT + "=" + bad);
        // One failed snapshot: the backfill exits with its code (the injected task failure is
        // an input value refusal, 31).
        assertEquals(Reason.INPUT_VALUE.exitCode(), failed.exitCode(), failed.toString());
        assertTrue(failed.err().contains("backfill failed for snapshots [" + bad + "]"),
                failed.err());
        JsonNode s1 = overall(out, "bf-b1");
        assertEquals("failed", s1.get("status").asText());
        assertEquals(List.of(bad), strings(s1.get("failed")));
        assertEquals(4, s1.get("scored").size(), s1.toString());
        JobTesting.assertNothingCommitted(out.resolve("snapshot=" + bad));
        // Nothing published for the failed snapshot, its summary included; its run record
        // says why, with its exit code.
        assertFalse(Files.exists(out.resolve("_tabscore/snapshots/" + bad + ".json")));
        JsonNode badSummary = JobTesting.summary(out.resolve("_tabscore_runs/bf-b1-" + bad
                + "/summary.json"));
        assertEquals("failed", badSummary.get("status").asText());
        assertEquals(Reason.INPUT_VALUE.exitCode(), badSummary.get("exit_code").asInt());
        assertFalse(badSummary.get("retryable").asBoolean());
        assertTrue(badSummary.get("message").asText().contains("fault injected"),
                badSummary.toString());

        Map<String, Map<String, Long>> kept = new HashMap<>();
        for (String d : DATES) {
            if (!d.equals(bad)) {
                kept.put(d, files(out.resolve("snapshot=" + d)));
                assertFalse(kept.get(d).isEmpty());
            }
        }
        JobTesting.Run resumed = backfill(out, "bf-b2");
        assertEquals(ExitCodes.OK, resumed.exitCode(), resumed.toString());
        JsonNode s2 = overall(out, "bf-b2");
        assertEquals(List.of(bad), strings(s2.get("scored")), s2.toString());
        assertEquals(DATES.stream().filter(d -> !d.equals(bad)).toList(),
                strings(s2.get("skipped")));
        kept.forEach((d, f) -> assertEquals(f, files(out.resolve("snapshot=" + d)),
                d + ": skipped partition's files unchanged"));
        predictions(out, bad);
        assertEquals("ok", JobTesting.summary(out.resolve("_tabscore/snapshots/" + bad
                + ".json")).get("status").asText());
    }

    @Test
    void newBundleDigestRescoresEverySnapshot() throws IOException {
        Path bundle2 = tmp.resolve("bundle-1.0.1");
        try (Stream<Path> s = Files.walk(SAMPLE_BUNDLE)) {
            for (Path p : s.toList()) {
                Path to = bundle2.resolve(SAMPLE_BUNDLE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Path manifest = bundle2.resolve("manifest.json");
        String json = Files.readString(manifest, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"version\": \"1.0.0\""));
        Files.writeString(manifest, json.replaceFirst("\"version\": \"1.0.0\"",
                "\"version\": \"1.0.1\""), StandardCharsets.UTF_8);
        String oldDigest = JobTesting.manifest(SAMPLE_BUNDLE).digest();
        String newDigest = JobTesting.manifest(bundle2).digest();
        assertNotEquals(oldDigest, newDigest);

        Path out = tmp.resolve("out-c");
        JobTesting.Run first = backfill(out, "bf-c1", "--snapshot-parallelism", "2");
        assertEquals(ExitCodes.OK, first.exitCode(), first.toString());
        assertEquals(List.of(oldDigest), column(out, "bundle_digest"));

        // A new digest with --force: every partition replaced.
        JobTesting.Run forced = backfillWith(bundle2, out, "bf-c2", "--force",
                "--snapshot-parallelism", "2");
        assertEquals(ExitCodes.OK, forced.exitCode(), forced.toString());
        JsonNode s2 = overall(out, "bf-c2");
        assertEquals(DATES, strings(s2.get("scored")).stream().sorted().toList(), s2.toString());
        assertEquals(List.of(newDigest), column(out, "bundle_digest"));
        assertEquals(List.of("1.0.1"), column(out, "bundle_version"));

        // Back to the first bundle without --force: the digest differs, so all are rescored.
        JobTesting.Run back = backfill(out, "bf-c3", "--snapshot-parallelism", "2");
        assertEquals(ExitCodes.OK, back.exitCode(), back.toString());
        JsonNode s3 = overall(out, "bf-c3");
        assertEquals(DATES, strings(s3.get("scored")).stream().sorted().toList(), s3.toString());
        assertEquals(List.of(), strings(s3.get("skipped")));
        assertEquals(List.of(oldDigest), column(out, "bundle_digest"));
        assertEquals(1000, JobTesting.spark().read().parquet(out.toString()).count());
    }

    @Test
    void snapshotSpecs() {
        assertEquals(DATES, BackfillConfig.snapshots(RANGE));
        assertEquals(List.of("2026-02-28", "2026-03-01"),
                BackfillConfig.snapshots("2026-02-28..2026-03-01"));
        assertEquals(List.of("2026-01-05", "2026-01-01"),
                BackfillConfig.snapshots("2026-01-05, 2026-01-01,2026-01-05"));
        for (String bad : List.of("2026-01-05..2026-01-01", "2026-13-01", "2026-01-01..",
                "yesterday")) {
            try {
                BackfillConfig.snapshots(bad);
                throw new AssertionError("accepted " + bad);
            } catch (ConfigException expected) {
                // refused
            }
        }
        JobTesting.Run noTemplate = JobTesting.run(JobTesting.localArgs("--bundle",
                SAMPLE_BUNDLE.toString(), "--snapshots", RANGE, "--output",
                tmp.resolve("never").toString()));
        assertEquals(ExitCodes.BAD_CONFIG, noTemplate.exitCode(), noTemplate.toString());
        assertTrue(noTemplate.err().contains("input_template"), noTemplate.err());
    }
}
