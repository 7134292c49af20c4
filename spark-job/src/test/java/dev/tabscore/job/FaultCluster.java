package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

/**
 * {@link ClusterFaultIT}'s cluster and probes: a standalone cluster with the sample input split
 * into partitions, the job's spark-submit arguments, bounded polling for an event, the executor
 * logs of new applications, and the check that every input id was written exactly once.
 */
final class FaultCluster {

    private static final String ID = "customer_id";

    final LocalSparkCluster cluster;
    private final Set<Object> inputIds;
    private final Duration eventTimeout;

    private FaultCluster(LocalSparkCluster cluster, Set<Object> inputIds, Duration eventTimeout) {
        this.cluster = cluster;
        this.inputIds = inputIds;
        this.eventTimeout = eventTimeout;
    }

    /**
     * Starts a cluster (one worker, 2 cores) with the sample snapshot written as {@code partitions}
     * Parquet files under {@code <dir>/input}.
     *
     * @param prefix the cluster folder's name prefix
     * @param partitions how many input files (tasks)
     * @param eventTimeout how long {@link #await} waits for an event
     * @return the running cluster
     * @throws Exception if it does not start
     */
    static FaultCluster start(String prefix, int partitions, Duration eventTimeout)
            throws Exception {
        Set<Object> ids = new HashSet<>();
        LocalSparkCluster cluster =
                LocalSparkCluster.start(
                        prefix,
                        2,
                        d -> {
                            SparkSession spark = JobTesting.spark();
                            spark.read()
                                    .parquet(
                                            JobTesting.repoRoot()
                                                    .resolve(
                                                            "sample-data/input/snapshot=2026-11-01/part-0.parquet")
                                                    .toString())
                                    .repartition(partitions)
                                    .write()
                                    .parquet(d.resolve("input").toString());
                            for (Row r :
                                    spark.read()
                                            .parquet(d.resolve("input").toString())
                                            .select(ID)
                                            .collectAsList()) {
                                ids.add(r.get(0));
                            }
                        });
        assertEquals(5000, ids.size(), "distinct input ids");
        return new FaultCluster(cluster, ids, eventTimeout);
    }

    /** SIGKILLs an executor that finished a task and runs another; returns its log key. */
    String killAnExecutorInItsSecondTask(Process submit, Set<String> appsBefore) throws Exception {
        // An executor that finished a task and is running another (sleeping in the knob's
        // window, ~2 s long): SIGKILL it there.
        String[] victim = new String[1];
        ProcessHandle handle =
                await(
                        "an executor running its second task",
                        submit,
                        () -> {
                            for (Map.Entry<String, String> e :
                                    newExecutorLogs(appsBefore).entrySet()) {
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

    List<String> args(long taskDelayMs, Path bundle, Path out, String runId, String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
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
        a.addAll(
                List.of(
                        "--",
                        "--bundle",
                        bundle.toString(),
                        "--input",
                        cluster.dir.resolve("input").toString(),
                        "--id-col",
                        ID,
                        "--output",
                        out.toString(),
                        "--run-id",
                        runId));
        a.addAll(List.of(more));
        return a;
    }

    /** Polls {@code probe} until it returns non-null; fails past the bound or if job ends. */
    <T> T await(String what, Process job, Supplier<T> probe) throws Exception {
        long deadline = System.nanoTime() + eventTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            if (job != null && !job.isAlive()) {
                fail(
                        "spark-submit exited ("
                                + job.exitValue()
                                + ") before "
                                + what
                                + "\n"
                                + cluster.logs());
            }
            Thread.sleep(100);
        }
        fail("no " + what + " within " + eventTimeout + "\n" + cluster.logs());
        return null;
    }

    Set<String> apps() throws IOException {
        try (Stream<Path> s = Files.list(cluster.dir.resolve("work"))) {
            return new HashSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** The executor logs of applications started after {@code before} was taken. */
    Map<String, String> newExecutorLogs(Set<String> before) {
        Map<String, String> logs = new HashMap<>(cluster.executorLogs());
        logs.keySet().removeIf(k -> before.contains(k.substring(0, k.indexOf('/'))));
        return logs;
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    void assertEveryIdOnce(Path out) {
        Map<Object, Integer> seen = new HashMap<>();
        for (Row r : JobTesting.spark().read().parquet(out.toString()).select(ID).collectAsList()) {
            seen.merge(r.get(0), 1, Integer::sum);
        }
        List<Object> dupes =
                seen.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .limit(5)
                        .toList();
        Set<Object> missing = new HashSet<>(inputIds);
        missing.removeAll(seen.keySet());
        Set<Object> extra = new HashSet<>(seen.keySet());
        extra.removeAll(inputIds);
        assertTrue(dupes.isEmpty(), "ids written more than once, e.g. " + dupes);
        assertTrue(missing.isEmpty(), missing.size() + " input ids missing from the output");
        assertTrue(extra.isEmpty(), extra.size() + " output ids not in the input");
        assertEquals(inputIds.size(), seen.values().stream().mapToInt(i -> i).sum(), "rows");
    }

    static List<String> listFiles(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyDir(Path from, Path to) throws IOException {
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
