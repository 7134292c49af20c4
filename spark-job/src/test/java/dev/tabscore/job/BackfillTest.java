package dev.tabscore.job;

import static dev.tabscore.job.BackfillInputs.DATES;
import static dev.tabscore.job.BackfillInputs.RANGE;
import static dev.tabscore.job.BackfillInputs.SAMPLE_BUNDLE;
import static dev.tabscore.job.BackfillInputs.column;
import static dev.tabscore.job.BackfillInputs.files;
import static dev.tabscore.job.BackfillInputs.overall;
import static dev.tabscore.job.BackfillInputs.predictions;
import static dev.tabscore.job.BackfillInputs.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --snapshots}: five daily inputs of 200 sample rows ({@code in/dt=<date>/}) scored into
 * {@code <output>/snapshot=<date>/} in-process on {@code local[2]}: idempotent reruns, resuming
 * after a failed snapshot, and rescoring on a new bundle digest. Inputs and runs: {@link
 * BackfillInputs}.
 */
class BackfillTest {

    @TempDir static Path tmp;

    private static BackfillInputs bf;

    @BeforeAll
    static void inputs() {
        JobTesting.onlyInExecution("default-test");
        bf = BackfillInputs.write(tmp);
    }

    @Test
    void rerunIsIdempotentAndLeavesOtherPartitionsAlone() throws IOException {
        Path out = tmp.resolve("out-a");
        // Someone else's partition, outside the range.
        Path foreign = out.resolve("snapshot=2025-12-31");
        JobTesting.spark()
                .read()
                .parquet(bf.input.resolve("dt=2026-01-01").toString())
                .limit(10)
                .coalesce(1)
                .write()
                .parquet(foreign.toString());
        Map<String, Long> foreignFiles = files(foreign);

        JobTesting.Run first = bf.backfill(out, "bf-a1", "--snapshot-parallelism", "2");
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
            assertEquals(
                    JobTesting.manifest(SAMPLE_BUNDLE).digest(),
                    snap.at("/bundle/digest").asText());
        }

        // Same bundle, no --force: nothing to do.
        JobTesting.Run again = bf.backfill(out, "bf-a2");
        assertEquals(ExitCodes.OK, again.exitCode(), again.toString());
        JsonNode s2 = overall(out, "bf-a2");
        assertEquals(DATES, strings(s2.get("skipped")), s2.toString());
        assertEquals(List.of(), strings(s2.get("scored")));

        // --force: every partition replaced, with the same rows and predictions.
        JobTesting.Run forced = bf.backfill(out, "bf-a3", "--force", "--snapshot-parallelism", "2");
        assertEquals(ExitCodes.OK, forced.exitCode(), forced.toString());
        assertEquals(
                DATES, strings(overall(out, "bf-a3").get("scored")).stream().sorted().toList());
        for (String d : DATES) {
            assertEquals(before.get(d), predictions(out, d), d + ": same ids and predictions");
            assertEquals(
                    List.of("bf-a3"),
                    JobTesting.spark()
                            .read()
                            .parquet(out.resolve("snapshot=" + d).toString())
                            .select("run_id")
                            .distinct()
                            .collectAsList()
                            .stream()
                            .map(r -> r.getString(0))
                            .toList(),
                    d + ": replaced, not appended");
        }
        assertEquals(foreignFiles, files(foreign), "the partition outside the range is untouched");
        assertEquals(10, JobTesting.spark().read().parquet(foreign.toString()).count());
        try (Stream<Path> parts = Files.list(out)) {
            assertEquals(
                    6,
                    parts.filter(p -> p.getFileName().toString().startsWith("snapshot=")).count(),
                    "five backfilled partitions and the foreign one");
        }
    }

    @Test
    void failedSnapshotIsResumedAlone() {
        Path out = tmp.resolve("out-b");
        String bad = DATES.get(2);
        JobTesting.Run failed =
                bf.backfill(out, "bf-b1", "--conf", ScoringRun.FAIL_SNAPSHOT + "=" + bad);
        // One failed snapshot: the backfill exits with its code (the injected task failure is
        // an input value refusal, 31).
        assertEquals(Reason.INPUT_VALUE.exitCode(), failed.exitCode(), failed.toString());
        assertTrue(
                failed.err().contains("backfill failed for snapshots [" + bad + "]"), failed.err());
        JsonNode s1 = overall(out, "bf-b1");
        assertEquals("failed", s1.get("status").asText());
        assertEquals(List.of(bad), strings(s1.get("failed")));
        assertEquals(4, s1.get("scored").size(), s1.toString());
        JobTesting.assertNothingCommitted(out.resolve("snapshot=" + bad));
        // Nothing published for the failed snapshot, its summary included; its run record
        // says why, with its exit code.
        assertFalse(Files.exists(out.resolve("_tabscore/snapshots/" + bad + ".json")));
        JsonNode badSummary =
                JobTesting.summary(out.resolve("_tabscore_runs/bf-b1-" + bad + "/summary.json"));
        assertEquals("failed", badSummary.get("status").asText());
        assertEquals(Reason.INPUT_VALUE.exitCode(), badSummary.get("exit_code").asInt());
        assertFalse(badSummary.get("retryable").asBoolean());
        assertTrue(
                badSummary.get("message").asText().contains("fault injected"),
                badSummary.toString());

        Map<String, Map<String, Long>> kept = new HashMap<>();
        for (String d : DATES) {
            if (!d.equals(bad)) {
                kept.put(d, files(out.resolve("snapshot=" + d)));
                assertFalse(kept.get(d).isEmpty());
            }
        }
        JobTesting.Run resumed = bf.backfill(out, "bf-b2");
        assertEquals(ExitCodes.OK, resumed.exitCode(), resumed.toString());
        JsonNode s2 = overall(out, "bf-b2");
        assertEquals(List.of(bad), strings(s2.get("scored")), s2.toString());
        assertEquals(
                DATES.stream().filter(d -> !d.equals(bad)).toList(), strings(s2.get("skipped")));
        kept.forEach(
                (d, f) ->
                        assertEquals(
                                f,
                                files(out.resolve("snapshot=" + d)),
                                d + ": skipped partition's files unchanged"));
        predictions(out, bad);
        assertEquals(
                "ok",
                JobTesting.summary(out.resolve("_tabscore/snapshots/" + bad + ".json"))
                        .get("status")
                        .asText());
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
        Files.writeString(
                manifest,
                json.replaceFirst("\"version\": \"1.0.0\"", "\"version\": \"1.0.1\""),
                StandardCharsets.UTF_8);
        String oldDigest = JobTesting.manifest(SAMPLE_BUNDLE).digest();
        String newDigest = JobTesting.manifest(bundle2).digest();
        assertNotEquals(oldDigest, newDigest);

        Path out = tmp.resolve("out-c");
        JobTesting.Run first = bf.backfill(out, "bf-c1", "--snapshot-parallelism", "2");
        assertEquals(ExitCodes.OK, first.exitCode(), first.toString());
        assertEquals(List.of(oldDigest), column(out, "bundle_digest"));

        // A new digest with --force: every partition replaced.
        JobTesting.Run forced =
                bf.backfillWith(bundle2, out, "bf-c2", "--force", "--snapshot-parallelism", "2");
        assertEquals(ExitCodes.OK, forced.exitCode(), forced.toString());
        JsonNode s2 = overall(out, "bf-c2");
        assertEquals(DATES, strings(s2.get("scored")).stream().sorted().toList(), s2.toString());
        assertEquals(List.of(newDigest), column(out, "bundle_digest"));
        assertEquals(List.of("1.0.1"), column(out, "bundle_version"));

        // Back to the first bundle without --force: the digest differs, so all are rescored.
        JobTesting.Run back = bf.backfill(out, "bf-c3", "--snapshot-parallelism", "2");
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
        assertEquals(
                List.of("2026-02-28", "2026-03-01"),
                BackfillConfig.snapshots("2026-02-28..2026-03-01"));
        assertEquals(
                List.of("2026-01-05", "2026-01-01"),
                BackfillConfig.snapshots("2026-01-05, 2026-01-01,2026-01-05"));
        for (String bad :
                List.of("2026-01-05..2026-01-01", "2026-13-01", "2026-01-01..", "yesterday")) {
            try {
                BackfillConfig.snapshots(bad);
                throw new AssertionError("accepted " + bad);
            } catch (ConfigException expected) {
                // refused
            }
        }
        JobTesting.Run noTemplate =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--snapshots",
                                RANGE,
                                "--output",
                                tmp.resolve("never").toString()));
        assertEquals(ExitCodes.BAD_CONFIG, noTemplate.exitCode(), noTemplate.toString());
        assertTrue(noTemplate.err().contains("input_template"), noTemplate.err());
    }
}
