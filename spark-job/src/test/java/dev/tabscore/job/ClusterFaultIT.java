package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import dev.tabscore.job.spark.PartitionScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults on a real multi-JVM standalone cluster (one master, one worker with 2 cores, two
 * single-core executor JVMs, all child processes on 127.0.0.1), the job submitted with the
 * shaded jar through {@code scripts/submit.sh} in client mode:
 * <ol>
 *   <li>an executor JVM killed (SIGKILL) while it runs a task: the job completes, every input id
 *       exactly once in the output;</li>
 *   <li>the driver (the spark-submit JVM) killed mid-write: nothing committed, its executors
 *       gone, and a rerun with {@code --mode overwrite} succeeds;</li>
 *   <li>the bundle altered on disk after the driver verified it and before the executors open
 *       it: the tasks refuse it, nothing committed, a non-zero exit naming the mismatch.</li>
 * </ol>
 * Tasks are slowed down by the test-only knob {@link PartitionScorer#TASK_DELAY_MS} (each task
 * sleeps before it opens the bundle), which gives the test a window to act in. Every wait is
 * bounded; {@link #stopCluster} kills every process started here and their descendants.
 *
 * <p>Runs in the surefire execution {@code cluster-it} (needs the shaded jar); skipped when no
 * Spark distribution is found, like {@link SparkSubmitClusterIT}.
 */
class ClusterFaultIT {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final String ID = "customer_id";
    private static final int PARTITIONS = 16;
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(150);

    private static LocalSparkCluster cluster;
    private static Path dir;
    private static Set<Object> inputIds;

    @BeforeAll
    static void cluster() throws Exception {
        JobTesting.onlyInExecution("cluster-it");
        cluster = LocalSparkCluster.start("tabscore-fault-it", 2, d -> {
            SparkSession spark = JobTesting.spark();
            spark.read().parquet(ROOT.resolve(
                    "sample-data/input/snapshot=2026-11-01/part-0.parquet").toString())
                    .repartition(PARTITIONS).write().parquet(d.resolve("input").toString());
            inputIds = new HashSet<>();
            for (Row r : spark.read().parquet(d.resolve("input").toString()).select(ID)
                    .collectAsList()) {
                inputIds.add(r.get(0));
            }
        });
        dir = cluster.dir;
        assertEquals(5000, inputIds.size(), "distinct input ids");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        LocalSparkCluster.closeWithSession(cluster);
    }

    @Test
    void executorKilledWithoutTaskRetriesLeavesThePreviousOutputByteIdentical()
            throws Exception {
        Path out = dir.resolve("out-executor-kill-fails");
        Process first = cluster.submit(args(0, SAMPLE_BUNDLE, out, "fault-prev",
                "--mode", "overwrite"), "executor-kill-prev", JOB_TIMEOUT);
        assertEquals(ExitCodes.OK, first.exitValue(), cluster.logs());
        java.util.Map<String, String> before = PublishFailureMatrixTest.published(out);

        Set<String> appsBefore = apps();
        // No task retry: the lost executor's task fails the job, after other tasks committed
        // theirs into the staging folder.
        Process submit = cluster.startSubmit(args(2000, SAMPLE_BUNDLE, out, "fault-failing",
                "--mode", "overwrite", "--conf", "spark.task.maxFailures=1"),
                "executor-kill-fails");
        killAnExecutorInItsSecondTask(submit, appsBefore);
        cluster.awaitExit(submit, "executor-kill-fails", JOB_TIMEOUT);
        int code = submit.exitValue();
        assertTrue(Reason.SCORING_FAILED.retryable() && (code == ExitCodes.SCORING_FAILED
                || code == Reason.IO_ERROR.exitCode()), "a retryable failure, got " + code
                + "\n" + cluster.logs());
        assertEquals(before, PublishFailureMatrixTest.published(out),
                "the previous output is byte-identical");
        assertFalse(Files.exists(out.resolve("_tabscore_staging")), "nothing left staged");
        JsonNode record = JobTesting.summary(out.resolve("_tabscore_runs/fault-failing/"
                + "summary.json"));
        assertEquals(code, record.path("exit_code").asInt(), record.toString());
        assertTrue(record.path("retryable").asBoolean(), record.toString());

        Process rerun = cluster.submit(args(0, SAMPLE_BUNDLE, out, "fault-rerun",
                "--mode", "overwrite"), "executor-kill-rerun", JOB_TIMEOUT);
        assertEquals(ExitCodes.OK, rerun.exitValue(), cluster.logs());
        assertEveryIdOnce(out);
    }

    /** SIGKILLs an executor that finished a task and runs another; returns its log key. */
    private static String killAnExecutorInItsSecondTask(Process submit, Set<String> appsBefore)
            throws Exception {
        // An executor that finished a task and is running another (sleeping in the knob's
        // window, ~2 s long): SIGKILL it there.
        String[] victim = new String[1];
        ProcessHandle handle = await("an executor running its second task", submit, () -> {
            for (Map.Entry<String, String> e : newExecutorLogs(appsBefore).entrySet()) {
                String log = e.getValue();
                int running = count(log, "Running task");
                int finished = count(log, "Finished task");
                String id = e.getKey().substring(e.getKey().indexOf('/') + 1);
                ProcessHandle h = cluster.executors().get(id);
                if (finished >= 1 && running > finished && h != null) {
                    victim[0] = e.getKey();
                    return h;
                }
            }
            return null;
        });
        handle.destroyForcibly();
        System.out.println("killed executor " + victim[0] + " (pid " + handle.pid() + ")");
        assertTrue(handle.onExit().get(20, TimeUnit.SECONDS) != null);
        return victim[0];
    }

    @Test
    void executorKilledMidJobTheJobCompletesWithEveryIdOnce() throws Exception {
        Path out = dir.resolve("out-executor-kill");
        Set<String> appsBefore = apps();
        Process submit = cluster.startSubmit(args(2000, SAMPLE_BUNDLE, out, "fault-executor"),
                "executor-kill");
        killAnExecutorInItsSecondTask(submit, appsBefore);

        cluster.awaitExit(submit, "executor-kill", JOB_TIMEOUT);
        assertEquals(ExitCodes.OK, submit.exitValue(), "spark-submit exit code\n"
                + cluster.logs());
        String driverLog = Files.readString(dir.resolve("executor-kill.err"));
        assertTrue(driverLog.contains("ExecutorLostFailure"), "the driver saw a running task "
                + "lost with the executor\n" + cluster.logs());
        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals(5000, summary.at("/rows/in").asLong(), summary.toString());
        assertEquals(5000, summary.at("/rows/scored").asLong(), summary.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")), "committed");
        assertEveryIdOnce(out);
    }

    @Test
    void driverKilledMidWriteCommitsNothingAndARerunSucceeds() throws Exception {
        Path out = dir.resolve("out-driver-kill");
        Set<String> appsBefore = apps();
        Process submit = cluster.startSubmit(args(2000, SAMPLE_BUNDLE, out, "fault-driver"),
                "driver-kill");
        // Two tasks committed (their files moved to the job's _temporary), the others not yet.
        await("two finished tasks", submit, () -> newExecutorLogs(appsBefore).values().stream()
                .mapToInt(l -> count(l, "Finished task")).sum() >= 2 ? Boolean.TRUE : null);
        // Client mode: the spark-submit process is the driver JVM (the scripts exec it).
        List<ProcessHandle> driverChildren = submit.descendants().toList();
        submit.destroyForcibly();
        assertTrue(submit.waitFor(20, TimeUnit.SECONDS), "driver killed");
        driverChildren.forEach(ProcessHandle::destroyForcibly);
        System.out.println("killed the driver (pid " + submit.pid() + "), exit "
                + submit.exitValue());
        // Without its driver the application's executors end (the master removes the app).
        await("the app's executors to exit", null,
                () -> cluster.executors().isEmpty() ? Boolean.TRUE : null);

        List<String> left = listFiles(out);
        System.out.println("left under the output after the driver was killed: " + left);
        // Spark's own _temporary is inside the run's staging folder now.
        List<String> committed = left.stream().filter(f -> !f.startsWith("_tabscore_staging/"))
                .toList();
        assertTrue(committed.isEmpty(), "nothing outside the run's staging folder (no _SUCCESS, "
                + "no part files, no summary): " + committed);

        Process rerun = cluster.submit(args(0, SAMPLE_BUNDLE, out, "fault-driver-rerun",
                "--mode", "overwrite"), "driver-kill-rerun", JOB_TIMEOUT);
        assertEquals(ExitCodes.OK, rerun.exitValue(), "rerun exit code\n" + cluster.logs());
        assertTrue(Files.exists(out.resolve("_SUCCESS")), "committed");
        assertFalse(Files.exists(out.resolve("_tabscore_staging")),
                "the rerun removed the killed run's staging folder");
        assertEveryIdOnce(out);
    }

    @Test
    void bundleAlteredAfterDriverVerificationIsRefusedByTheExecutors() throws Exception {
        Path bundle = dir.resolve("bundle-altered");
        copyDir(SAMPLE_BUNDLE, bundle);
        Path out = dir.resolve("out-altered");
        Set<String> appsBefore = apps();
        Process submit = cluster.startSubmit(args(3000, bundle, out, "fault-altered"),
                "altered");
        // A task runs: the driver verified the bundle and broadcast the plan. Each task sleeps
        // 3 s before it opens the bundle, and the executors are fresh JVMs (nothing cached).
        await("a running task", submit, () -> newExecutorLogs(appsBefore).values().stream()
                .anyMatch(l -> l.contains("Running task")) ? Boolean.TRUE : null);
        Path skops = bundle.resolve("preprocessor.skops");
        byte[] b = Files.readAllBytes(skops);
        b[b.length / 2] ^= 0x01;
        Files.write(skops, b);
        assertTrue(newExecutorLogs(appsBefore).values().stream()
                .noneMatch(l -> l.contains("Finished task")), "no task finished before the "
                + "bundle was altered (the window was missed)\n" + cluster.logs());

        cluster.awaitExit(submit, "altered", JOB_TIMEOUT);
        int code = submit.exitValue();
        String driver = Files.readString(dir.resolve("altered.err"))
                + Files.readString(dir.resolve("altered.out"));
        System.out.println("altered bundle: spark-submit exit " + code);
        // The task's BundleFormatException (23) when it deserializes on the driver, else 40.
        assertTrue(code == Reason.ARTIFACT_MISMATCH.exitCode()
                || code == ExitCodes.SCORING_FAILED, "exit 23 or 40, got " + code + "\n"
                + cluster.logs());
        assertTrue(driver.contains("differ from the manifest"), "the driver's error names the "
                + "artifact mismatch\n" + cluster.logs());
        String all = driver + String.join("\n", newExecutorLogs(appsBefore).values());
        assertTrue(all.contains("preprocessor.skops"), "the altered artifact is named\n"
                + cluster.logs());
        JobTesting.assertNothingCommitted(out);
    }

    // ---- helpers

    private static List<String> args(long taskDelayMs, Path bundle, Path out, String runId,
            String... more) {
        List<String> a = new ArrayList<>(List.of(
                "--master", cluster.masterUrl,
                "--conf", "spark.executor.cores=1",
                "--conf", "spark.cores.max=2",
                "--conf", "spark.executor.memory=768m",
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=60s",
                "--conf", "spark.locality.wait=0",
                "--conf", "spark.sql.files.openCostInBytes=" + (128L << 20),
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1"));
        if (taskDelayMs > 0) {
            a.addAll(List.of("--conf", PartitionScorer.TASK_DELAY_MS + "=" + taskDelayMs));
        }
        a.addAll(List.of("--",
                "--bundle", bundle.toString(),
                "--input", dir.resolve("input").toString(),
                "--id-col", ID,
                "--output", out.toString(),
                "--run-id", runId));
        a.addAll(List.of(more));
        return a;
    }

    /** Polls {@code probe} until it returns non-null; fails past the bound or if job ends. */
    private static <T> T await(String what, Process job, Supplier<T> probe) throws Exception {
        long deadline = System.nanoTime() + EVENT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            if (job != null && !job.isAlive()) {
                fail("spark-submit exited (" + job.exitValue() + ") before " + what + "\n"
                        + cluster.logs());
            }
            Thread.sleep(100);
        }
        fail("no " + what + " within " + EVENT_TIMEOUT + "\n" + cluster.logs());
        return null;
    }

    private static Set<String> apps() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("work"))) {
            return new HashSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** The executor logs of applications started after {@code before} was taken. */
    private static Map<String, String> newExecutorLogs(Set<String> before) {
        Map<String, String> logs = new HashMap<>(cluster.executorLogs());
        logs.keySet().removeIf(k -> before.contains(k.substring(0, k.indexOf('/'))));
        return logs;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static void assertEveryIdOnce(Path out) {
        Map<Object, Integer> seen = new HashMap<>();
        for (Row r : JobTesting.spark().read().parquet(out.toString()).select(ID)
                .collectAsList()) {
            seen.merge(r.get(0), 1, Integer::sum);
        }
        List<Object> dupes = seen.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey).limit(5).toList();
        Set<Object> missing = new HashSet<>(inputIds);
        missing.removeAll(seen.keySet());
        Set<Object> extra = new HashSet<>(seen.keySet());
        extra.removeAll(inputIds);
        assertTrue(dupes.isEmpty(), "ids written more than once, e.g. " + dupes);
        assertTrue(missing.isEmpty(), missing.size() + " input ids missing from the output");
        assertTrue(extra.isEmpty(), extra.size() + " output ids not in the input");
        assertEquals(inputIds.size(), seen.values().stream().mapToInt(i -> i).sum(), "rows");
    }

    private static List<String> listFiles(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
