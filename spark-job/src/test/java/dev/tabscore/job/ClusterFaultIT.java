package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import dev.tabscore.job.spark.PartitionScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults on a real multi-JVM standalone cluster (one master, one worker with 2 cores, two
 * single-core executor JVMs, all child processes on 127.0.0.1), the job submitted with the shaded
 * jar through {@code scripts/submit.sh} in client mode:
 *
 * <ol>
 *   <li>an executor JVM killed (SIGKILL) while it runs a task: the job completes, every input id
 *       exactly once in the output;
 *   <li>the driver (the spark-submit JVM) killed mid-write: nothing committed, its executors gone,
 *       and a rerun with {@code --mode overwrite} succeeds;
 *   <li>the bundle altered on disk after the driver verified it and before the executors open it:
 *       the tasks refuse it, nothing committed, a non-zero exit naming the mismatch.
 * </ol>
 *
 * Tasks are slowed down by the test-only knob {@link PartitionScorer#TASK_DELAY_MS} (each task
 * sleeps before it opens the bundle), which gives the test a window to act in. Every wait is
 * bounded; {@link #stopCluster} kills every process started here and their descendants. The
 * cluster, its input and the probes (executor logs, polling) are in {@link FaultCluster}.
 *
 * <p>Runs in the surefire execution {@code cluster-it} (needs the shaded jar); skipped when no
 * Spark distribution is found, like {@link SparkSubmitClusterIT}.
 */
class ClusterFaultIT {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final int PARTITIONS = 16;
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(150);

    private static FaultCluster fc;
    private static LocalSparkCluster cluster;
    private static Path dir;

    @BeforeAll
    static void cluster() throws Exception {
        JobTesting.onlyInExecution("cluster-it");
        fc = FaultCluster.start("tabscore-fault-it", PARTITIONS, EVENT_TIMEOUT);
        cluster = fc.cluster;
        dir = fc.cluster.dir;
    }

    @AfterAll
    static void stopCluster() throws Exception {
        LocalSparkCluster.closeWithSession(fc == null ? null : fc.cluster);
    }

    @Test
    void executorKilledWithoutTaskRetriesLeavesThePreviousOutputByteIdentical() throws Exception {
        Path out = dir.resolve("out-executor-kill-fails");
        Process first =
                cluster.submit(
                        fc.args(0, SAMPLE_BUNDLE, out, "fault-prev", "--mode", "overwrite"),
                        "executor-kill-prev",
                        JOB_TIMEOUT);
        assertEquals(ExitCodes.OK, first.exitValue(), cluster.logs());
        java.util.Map<String, String> before = PublishFailureMatrixTest.published(out);

        Set<String> appsBefore = fc.apps();
        // No task retry: the lost executor's task fails the job, after other tasks committed
        // theirs into the staging folder.
        Process submit =
                cluster.startSubmit(
                        fc.args(
                                2000,
                                SAMPLE_BUNDLE,
                                out,
                                "fault-failing",
                                "--mode",
                                "overwrite",
                                "--conf",
                                "spark.task.maxFailures=1"),
                        "executor-kill-fails");
        fc.killAnExecutorInItsSecondTask(submit, appsBefore);
        cluster.awaitExit(submit, "executor-kill-fails", JOB_TIMEOUT);
        int code = submit.exitValue();
        assertTrue(
                Reason.SCORING_FAILED.retryable()
                        && (code == ExitCodes.SCORING_FAILED || code == Reason.IO_ERROR.exitCode()),
                "a retryable failure, got " + code + "\n" + cluster.logs());
        assertEquals(
                before,
                PublishFailureMatrixTest.published(out),
                "the previous output is byte-identical");
        assertFalse(Files.exists(out.resolve("_tabscore_staging")), "nothing left staged");
        JsonNode record =
                JobTesting.summary(out.resolve("_tabscore_runs/fault-failing/" + "summary.json"));
        assertEquals(code, record.path("exit_code").asInt(), record.toString());
        assertTrue(record.path("retryable").asBoolean(), record.toString());

        Process rerun =
                cluster.submit(
                        fc.args(0, SAMPLE_BUNDLE, out, "fault-rerun", "--mode", "overwrite"),
                        "executor-kill-rerun",
                        JOB_TIMEOUT);
        assertEquals(ExitCodes.OK, rerun.exitValue(), cluster.logs());
        fc.assertEveryIdOnce(out);
    }

    @Test
    void executorKilledMidJobTheJobCompletesWithEveryIdOnce() throws Exception {
        Path out = dir.resolve("out-executor-kill");
        Set<String> appsBefore = fc.apps();
        Process submit =
                cluster.startSubmit(
                        fc.args(2000, SAMPLE_BUNDLE, out, "fault-executor"), "executor-kill");
        fc.killAnExecutorInItsSecondTask(submit, appsBefore);

        cluster.awaitExit(submit, "executor-kill", JOB_TIMEOUT);
        assertEquals(ExitCodes.OK, submit.exitValue(), "spark-submit exit code\n" + cluster.logs());
        String driverLog = Files.readString(dir.resolve("executor-kill.err"));
        assertTrue(
                driverLog.contains("ExecutorLostFailure"),
                "the driver saw a running task " + "lost with the executor\n" + cluster.logs());
        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals(5000, summary.at("/rows/in").asLong(), summary.toString());
        assertEquals(5000, summary.at("/rows/scored").asLong(), summary.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")), "committed");
        fc.assertEveryIdOnce(out);
    }

    @Test
    void driverKilledMidWriteCommitsNothingAndARerunSucceeds() throws Exception {
        Path out = dir.resolve("out-driver-kill");
        Set<String> appsBefore = fc.apps();
        Process submit =
                cluster.startSubmit(
                        fc.args(2000, SAMPLE_BUNDLE, out, "fault-driver"), "driver-kill");
        // Two tasks committed (their files moved to the job's _temporary), the others not yet.
        fc.await(
                "two finished tasks",
                submit,
                () ->
                        fc.newExecutorLogs(appsBefore).values().stream()
                                                .mapToInt(
                                                        l -> FaultCluster.count(l, "Finished task"))
                                                .sum()
                                        >= 2
                                ? Boolean.TRUE
                                : null);
        // Client mode: the spark-submit process is the driver JVM (the scripts exec it).
        List<ProcessHandle> driverChildren = submit.descendants().toList();
        submit.destroyForcibly();
        assertTrue(submit.waitFor(20, TimeUnit.SECONDS), "driver killed");
        driverChildren.forEach(ProcessHandle::destroyForcibly);
        System.out.println(
                "killed the driver (pid " + submit.pid() + "), exit " + submit.exitValue());
        // Without its driver the application's executors end (the master removes the app).
        fc.await(
                "the app's executors to exit",
                null,
                () -> cluster.executors().isEmpty() ? Boolean.TRUE : null);

        List<String> left = FaultCluster.listFiles(out);
        System.out.println("left under the output after the driver was killed: " + left);
        // Spark's own _temporary is inside the run's staging folder now.
        List<String> committed =
                left.stream().filter(f -> !f.startsWith("_tabscore_staging/")).toList();
        assertTrue(
                committed.isEmpty(),
                "nothing outside the run's staging folder (no _SUCCESS, "
                        + "no part files, no summary): "
                        + committed);

        Process rerun =
                cluster.submit(
                        fc.args(0, SAMPLE_BUNDLE, out, "fault-driver-rerun", "--mode", "overwrite"),
                        "driver-kill-rerun",
                        JOB_TIMEOUT);
        assertEquals(ExitCodes.OK, rerun.exitValue(), "rerun exit code\n" + cluster.logs());
        assertTrue(Files.exists(out.resolve("_SUCCESS")), "committed");
        assertFalse(
                Files.exists(out.resolve("_tabscore_staging")),
                "the rerun removed the killed run's staging folder");
        fc.assertEveryIdOnce(out);
    }

    @Test
    void bundleAlteredAfterDriverVerificationIsRefusedByTheExecutors() throws Exception {
        Path bundle = dir.resolve("bundle-altered");
        FaultCluster.copyDir(SAMPLE_BUNDLE, bundle);
        Path out = dir.resolve("out-altered");
        Set<String> appsBefore = fc.apps();
        Process submit =
                cluster.startSubmit(fc.args(3000, bundle, out, "fault-altered"), "altered");
        // A task runs: the driver verified the bundle and broadcast the plan. Each task sleeps
        // 3 s before it opens the bundle, and the executors are fresh JVMs (nothing cached).
        fc.await(
                "a running task",
                submit,
                () ->
                        fc.newExecutorLogs(appsBefore).values().stream()
                                        .anyMatch(l -> l.contains("Running task"))
                                ? Boolean.TRUE
                                : null);
        Path skops = bundle.resolve("preprocessor.skops");
        byte[] b = Files.readAllBytes(skops);
        b[b.length / 2] ^= 0x01;
        Files.write(skops, b);
        assertTrue(
                fc.newExecutorLogs(appsBefore).values().stream()
                        .noneMatch(l -> l.contains("Finished task")),
                "no task finished before the "
                        + "bundle was altered (the window was missed)\n"
                        + cluster.logs());

        cluster.awaitExit(submit, "altered", JOB_TIMEOUT);
        int code = submit.exitValue();
        String driver =
                Files.readString(dir.resolve("altered.err"))
                        + Files.readString(dir.resolve("altered.out"));
        System.out.println("altered bundle: spark-submit exit " + code);
        // The task's BundleFormatException (23) when it deserializes on the driver, else 40.
        assertTrue(
                code == Reason.ARTIFACT_MISMATCH.exitCode() || code == ExitCodes.SCORING_FAILED,
                "exit 23 or 40, got " + code + "\n" + cluster.logs());
        assertTrue(
                driver.contains("differ from the manifest"),
                "the driver's error names the " + "artifact mismatch\n" + cluster.logs());
        String all = driver + String.join("\n", fc.newExecutorLogs(appsBefore).values());
        assertTrue(
                all.contains("preprocessor.skops"),
                "the altered artifact is named\n" + cluster.logs());
        JobTesting.assertNothingCommitted(out);
    }
}
