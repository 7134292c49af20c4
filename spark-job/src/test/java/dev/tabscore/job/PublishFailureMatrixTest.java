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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The failure matrix of the transactional publication, in-process on {@code local[2]}: for each
 * output mode ({@code error_if_exists}, {@code overwrite}, {@code overwrite_partitions}, a
 * backfill) and each failure a run can meet after an earlier run published (a quality gate, a task
 * that fails after Spark's retries, and the publication itself failing before the data, half-way
 * through the data, before the rejects, the summary or the report), the previous output (data,
 * rejects, published summary and report) is byte-identical afterwards, nothing is left staged, the
 * run's own record says what happened with the exit code the process returned, and a rerun without
 * the fault succeeds. Processes killed mid-write and mid-publication are in {@link
 * KilledRunRecoveryIT}.
 */
class PublishFailureMatrixTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final Path SAMPLE =
            ROOT.resolve("sample-data/input/snapshot=2026-11-01/part-0.parquet");
    private static final String DAY1 = "2026-11-01";
    private static final String DAY2 = "2026-11-02";

    @TempDir static Path tmp;

    /** {@code in/snapshot=<day>/part-0.parquet}, the sample rows, for two days. */
    private static Path input;

    @BeforeAll
    static void inputs() throws IOException {
        JobTesting.onlyInExecution("default-test");
        JobTesting.spark();
        input = tmp.resolve("in");
        for (String d : List.of(DAY1, DAY2)) {
            Path dir = Files.createDirectories(input.resolve("snapshot=" + d));
            Files.copy(SAMPLE, dir.resolve("part-0.parquet"));
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (String mode :
                List.of("error_if_exists", "overwrite", "overwrite_partitions", "backfill")) {
            for (String failure :
                    List.of(
                            "gate",
                            "task",
                            "publish:data",
                            "publish:rejects",
                            "publish:summary",
                            "publish:report")) {
                out.add(Arguments.of(mode, failure));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("matrix")
    void aFailedRunLeavesThePreviousOutputByteIdentical(String mode, String failure) {
        Path out = tmp.resolve("out-" + mode + "-" + failure.replace(':', '-'));
        if (!mode.equals("error_if_exists")) {
            // The previous output: both days published by an earlier run.
            JobTesting.Run first = run(mode, out, "prev", List.of(DAY1, DAY2), List.of());
            assertEquals(0, first.exitCode(), first.toString());
        }
        Map<String, String> before = published(out);

        String runId = "failing";
        JobTesting.Run failed = run(mode, out, runId, List.of(DAY2), fault(failure));
        assertNotEquals(0, failed.exitCode(), failed.toString());
        assertEquals(before, published(out), "the previous output is byte-identical");
        assertFalse(Files.exists(out.resolve("_tabscore_staging")), "nothing left staged");
        assertFalse(
                Files.exists(out.resolve("_tabscore_rejects").resolve("run_id=" + runId)),
                "the failed run's rejects are not published");
        JsonNode record =
                JobTesting.summary(
                        out.resolve("_tabscore_runs")
                                .resolve(mode.equals("backfill") ? runId + "-" + DAY2 : runId)
                                .resolve("summary.json"));
        assertFalse(record.path("published").asBoolean(), record.toString());
        int expected = expectedExit(failure);
        if (mode.equals("backfill")) {
            assertEquals(expected, record.path("exit_code").asInt(), record.toString());
            assertEquals(expected, failed.exitCode(), failed.toString());
        } else {
            assertEquals(failed.exitCode(), record.path("exit_code").asInt(), record.toString());
            assertEquals(expected, failed.exitCode(), failed.toString());
        }
        assertEquals(
                expected == ExitCodes.QUALITY_GATE ? "quality_gate_failed" : "failed",
                record.path("status").asText());
        assertTrue(record.path("message").asText().length() > 0, record.toString());

        JobTesting.Run rerun = run(mode, out, "rerun", List.of(DAY2), List.of());
        assertEquals(0, rerun.exitCode(), rerun.toString());
        Map<String, String> after = published(out);
        assertTrue(
                after.keySet().stream()
                        .anyMatch(
                                k ->
                                        k.startsWith("_tabscore_rejects/")
                                                && k.contains("run_id=rerun/")),
                after.keySet().toString());
        if (mode.equals("overwrite_partitions") || mode.equals("backfill")) {
            // DAY1 was not scored again: its partition is untouched.
            before.forEach(
                    (k, v) -> {
                        if (k.startsWith("snapshot=" + DAY1 + "/")) {
                            assertEquals(v, after.get(k), k);
                        }
                    });
            assertTrue(
                    before.keySet().stream()
                            .filter(k -> k.startsWith("snapshot=" + DAY2))
                            .noneMatch(after::containsKey),
                    "DAY2 was replaced");
        }
        if (mode.equals("overwrite")) {
            assertTrue(
                    after.keySet().stream().noneMatch(k -> k.startsWith("snapshot=" + DAY1)),
                    "overwrite replaced the whole output: " + after.keySet());
        }
        // Rejects of earlier runs are kept.
        before.forEach(
                (k, v) -> {
                    if (k.startsWith("_tabscore_rejects/")) {
                        assertEquals(v, after.get(k), k);
                    }
                });
    }

    @Test
    void localConfigRunTwiceOnTwoSnapshotsKeepsBoth() {
        Path out = tmp.resolve("local-yaml");
        for (String day : List.of(DAY1, DAY2)) {
            JobTesting.Run r =
                    JobTesting.run(
                            JobTesting.localArgs(
                                    "--config",
                                    ROOT.resolve("conf/local.yaml").toString(),
                                    "--bundle",
                                    BUNDLE.toString(),
                                    "--input",
                                    input.resolve("snapshot=" + day).toString(),
                                    "--input-option",
                                    "basePath=" + input,
                                    "--output",
                                    out.toString(),
                                    "--run-id",
                                    "local-" + day));
            assertEquals(0, r.exitCode(), r.toString());
        }
        assertTrue(Files.exists(out.resolve("snapshot=" + DAY1)));
        assertTrue(Files.exists(out.resolve("snapshot=" + DAY2)));
        assertEquals(10_000, JobTesting.spark().read().parquet(out.toString()).count());
        assertTrue(Files.exists(out.resolve("_tabscore_rejects/run_id=local-" + DAY1)));
        assertTrue(Files.exists(out.resolve("_tabscore_rejects/run_id=local-" + DAY2)));
    }

    private static int expectedExit(String failure) {
        return switch (failure) {
            case "gate" -> ExitCodes.QUALITY_GATE;
            case "task" -> Reason.INPUT_VALUE.exitCode(); // the injected task failure's reason
            default -> Reason.PUBLISH_FAILED.exitCode();
        };
    }

    private static List<String> fault(String failure) {
        return switch (failure) {
            // null ages are rejected; more than 1% of the sample has one
            case "gate" ->
                    List.of("--policy", "age.on_null=reject", "--gate", "max_reject_rate=0.01");
            case "task" ->
                    List.of(
                            "--conf",
                            "tabscore.fail_after_rows=0",
                            "--conf",
                            "tabscore.fail_partition=0");
            default ->
                    List.of(
                            "--conf",
                            ScoringRun.FAIL_PUBLISH_BEFORE
                                    + "="
                                    + failure.substring("publish:".length()));
        };
    }

    /** One run of the mode over the given days; with rejects so that they are published too. */
    private static JobTesting.Run run(
            String mode, Path out, String runId, List<String> days, List<String> more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bundle",
                                BUNDLE.toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString(),
                                "--run-id",
                                runId,
                                "--policy",
                                "age.on_null=reject"));
        if (mode.equals("backfill")) {
            // --force: DAY2 was scored ok with this bundle already, and resume would skip it.
            a.addAll(
                    List.of(
                            "--snapshots",
                            String.join(",", days),
                            "--force",
                            "--input-template",
                            input.resolve("snapshot={date}").toString()));
            if (more.contains("tabscore.fail_after_rows=0")) {
                more = List.of("--conf", ScoringRun.FAIL_SNAPSHOT + "=" + DAY2);
            }
        } else {
            for (String d : days) {
                a.addAll(List.of("--input", input.resolve("snapshot=" + d).toString()));
            }
            a.addAll(
                    List.of(
                            "--input-option",
                            "basePath=" + input,
                            "--passthrough-col",
                            "snapshot",
                            "--partition-by",
                            "snapshot",
                            "--mode",
                            mode.equals("error_if_exists") ? "error_if_exists" : mode));
        }
        a.addAll(more);
        return JobTesting.run(JobTesting.localArgs(a.toArray(new String[0])));
    }

    /**
     * Every published file (data, _SUCCESS, rejects, summary, report, a backfill's snapshot
     * summaries) with its sha256; the runs' own records and checksum files are left out.
     */
    static Map<String, String> published(Path out) {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(out)) {
            return m;
        }
        try (Stream<Path> files = Files.walk(out)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String rel = out.relativize(p).toString();
                if (rel.startsWith("_tabscore_runs/")
                        || p.getFileName().toString().endsWith(".crc")
                        || rel.startsWith("_tabscore/backfill-")) {
                    continue;
                }
                m.put(
                        rel,
                        HexFormat.of()
                                .formatHex(
                                        MessageDigest.getInstance("SHA-256")
                                                .digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }
}
