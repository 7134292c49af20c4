package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.job.storage.JobProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's own process killed (SIGKILL, as a lost driver or an OOM killer would) while Spark
 * writes and while the run publishes: the previous output is byte-identical once the next run
 * started (a kill mid-write never touched it; a kill mid-publication is undone from the journal
 * before the next run stages anything), and that next run succeeds. Child JVMs in local mode.
 */
class KilledRunRecoveryIT {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final Path SAMPLE =
            ROOT.resolve("sample-data/input/snapshot=2026-11-01/part-0.parquet");

    @TempDir static Path tmp;

    private static Path input;

    @BeforeAll
    static void inputs() throws IOException {
        JobTesting.onlyInExecution("cluster-it");
        input = Files.createDirectories(tmp.resolve("in/snapshot=2026-11-01"));
        Files.copy(SAMPLE, input.resolve("part-0.parquet"));
    }

    @Test
    void killedWhileSparkWritesLeavesThePreviousOutput() throws Exception {
        Path out = tmp.resolve("out-write");
        assertEquals(0, runToEnd(out, "prev", List.of()));
        Map<String, String> before = PublishFailureMatrixTest.published(out);
        // Each task sleeps 60 s before it scores: killed while the write job runs.
        Process p =
                start(out, "killed", List.of("--conf", "spark.tabscore.test.task_delay_ms=60000"));
        awaitPath(p, out.resolve("_tabscore_staging/killed/data"));
        kill(p);
        assertEquals(before, withoutStaging(PublishFailureMatrixTest.published(out)));
        assertEquals(0, runToEnd(out, "after", List.of()));
        assertFalse(Files.exists(out.resolve("_tabscore_staging")), "repaired and cleaned up");
    }

    @Test
    void killedWhilePublishingIsUndoneByTheNextRun() throws Exception {
        Path out = tmp.resolve("out-publish");
        assertEquals(0, runToEnd(out, "prev", List.of()));
        Map<String, String> before = PublishFailureMatrixTest.published(out);
        // 20 s after each publication move: killed after the first one (the old partition is
        // in the trash, the new one in place, the summary not yet).
        Process p = start(out, "killed", List.of("--conf", "tabscore.publish_pause_ms=20000"));
        awaitPath(p, out.resolve("_tabscore_staging/killed/replaced"));
        kill(p);
        assertTrue(
                Files.exists(out.resolve("_tabscore_staging/killed/_publish.json")),
                "the journal is left for the next run");
        assertNotEquals(
                before,
                withoutStaging(PublishFailureMatrixTest.published(out)),
                "half-published: this is what the journal repairs");
        // The next run undoes the half-done publication first; failing itself (before its own
        // publication), it leaves exactly the previous output.
        int failed =
                runToEnd(
                        out,
                        "next-fails",
                        List.of("--conf", ScoringRun.FAIL_PUBLISH_BEFORE + "=data"));
        assertEquals(dev.tabscore.bundle.Reason.PUBLISH_FAILED.exitCode(), failed);
        assertEquals(before, PublishFailureMatrixTest.published(out));
        assertEquals(0, runToEnd(out, "after", List.of()));
    }

    private static Map<String, String> withoutStaging(Map<String, String> files) {
        Predicate<String> staged = k -> k.startsWith("_tabscore_staging/");
        return files.entrySet().stream()
                .filter(e -> !staged.test(e.getKey()))
                .collect(
                        Collectors.toMap(
                                Map.Entry::getKey,
                                Map.Entry::getValue,
                                (a, b) -> a,
                                java.util.TreeMap::new));
    }

    private static List<String> args(Path out, String runId, List<String> more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bundle",
                                BUNDLE.toString(),
                                "--input",
                                input.toString(),
                                "--input-option",
                                "basePath=" + input.getParent(),
                                "--id-col",
                                "customer_id",
                                "--passthrough-col",
                                "snapshot",
                                "--partition-by",
                                "snapshot",
                                "--mode",
                                "overwrite_partitions",
                                "--output",
                                out.toString(),
                                "--run-id",
                                runId,
                                "--master",
                                "local[2]",
                                "--conf",
                                "spark.ui.enabled=false"));
        a.addAll(more);
        return a;
    }

    private static Process start(Path out, String runId, List<String> more) throws IOException {
        return JobProcess.start(
                args(out, runId, more), tmp.resolve(runId + "-" + out.getFileName() + ".log"));
    }

    private static int runToEnd(Path out, String runId, List<String> more) throws Exception {
        Path log = tmp.resolve(runId + "-" + out.getFileName() + ".log");
        Process p = JobProcess.start(args(out, runId, more), log);
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("run " + runId + " did not finish:\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    private static void awaitPath(Process p, Path path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(path)) {
            assertTrue(p.isAlive(), "the job ended before " + path + " appeared");
            assertTrue(System.nanoTime() < deadline, path + " did not appear in 180 s");
            Thread.sleep(100);
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
}
