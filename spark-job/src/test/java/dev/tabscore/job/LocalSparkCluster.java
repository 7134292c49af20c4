package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Spark standalone cluster for *IT tests: one master and one worker, child processes of the
 * test JVM on 127.0.0.1 with free ports, under a temp directory; plus {@code scripts/submit.sh}
 * runs against it (client mode: the spark-submit JVM is the driver). {@link #close} ends every
 * process it started, their descendants included (the executor JVMs are the worker's children), and
 * deletes the directory.
 */
final class LocalSparkCluster implements AutoCloseable {

    static final Path ROOT = JobTesting.repoRoot();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** Work done while the master boots (e.g. writing the test input). */
    interface WhileBooting {
        void run(Path dir) throws Exception;
    }

    final Path sparkHome;
    final Path dir;
    final String masterUrl;
    final Process worker;
    private final List<Process> started = new ArrayList<>();

    private LocalSparkCluster(
            Path sparkHome, Path dir, String masterUrl, Process worker, List<Process> started) {
        this.sparkHome = sparkHome;
        this.dir = dir;
        this.masterUrl = masterUrl;
        this.worker = worker;
        this.started.addAll(started);
    }

    /**
     * Starts a master and one worker; skips the calling test class (an assumption) when no Spark
     * distribution is found.
     *
     * @param prefix the temp directory's prefix
     * @param workerCores the worker's cores
     * @param whileBooting work done while the master starts
     * @return the running cluster
     */
    static LocalSparkCluster start(String prefix, int workerCores, WhileBooting whileBooting)
            throws Exception {
        return start(prefix, workerCores, List.of(), whileBooting);
    }

    /**
     * Starts a master and one worker with extra worker arguments (e.g. {@code --properties-file}
     * with {@code spark.worker.resource.*} settings); otherwise as {@link #start(String, int,
     * WhileBooting)}.
     *
     * @param prefix the temp directory's prefix
     * @param workerCores the worker's cores
     * @param workerArgs appended to the worker's command line
     * @param whileBooting work done while the master starts
     * @return the running cluster
     */
    static LocalSparkCluster start(
            String prefix, int workerCores, List<String> workerArgs, WhileBooting whileBooting)
            throws Exception {
        Path sparkHome = ChildProcesses.findSparkHome();
        Assumptions.assumeTrue(
                sparkHome != null,
                "SKIPPED: no Spark distribution with "
                        + "bin/spark-submit: set SPARK_HOME or `pip install pyspark==4.2.0`");
        Path dir = Files.createTempDirectory(prefix);
        Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(dir.resolve("logs"));
        List<Process> started = new ArrayList<>();
        LocalSparkCluster partial = new LocalSparkCluster(sparkHome, dir, null, null, started);
        try {
            int masterPort = ChildProcesses.freePort();
            Process master =
                    partial.daemon("master", ClusterCommands.master(sparkHome, masterPort));
            whileBooting.run(dir);
            ChildProcesses.awaitPort(masterPort, master, "master", START_TIMEOUT, partial::logs);
            String url = "spark://127.0.0.1:" + masterPort;
            Process worker =
                    partial.daemon(
                            "worker",
                            ClusterCommands.worker(
                                    sparkHome, url, workerCores, dir.resolve("work"), workerArgs));
            ChildProcesses.awaitLog(
                    dir.resolve("worker.log"),
                    "Successfully registered with master",
                    worker,
                    "worker",
                    START_TIMEOUT,
                    partial::logs);
            return new LocalSparkCluster(sparkHome, dir, url, worker, partial.started);
        } catch (Throwable t) {
            partial.close();
            throw t;
        }
    }

    /**
     * Starts {@code scripts/submit.sh} with {@code args}, output in {@code <name>.out/.err} under
     * {@link #dir}; does not wait.
     *
     * @param args spark-submit options, {@code --}, job flags
     * @param name names the output files
     * @return the spark-submit process (the driver JVM: the scripts exec it)
     */
    Process startSubmit(List<String> args, String name) throws IOException {
        Path jar = Path.of(System.getProperty("tabscore.jobJar", "target/tabscore-job.jar"));
        assertTrue(
                Files.isRegularFile(jar),
                "no shaded job jar at " + jar + ": build it with `mvn -pl spark-job -am package`");
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("scripts/submit.sh").toString());
        cmd.addAll(args);
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .redirectOutput(dir.resolve(name + ".out").toFile())
                        .redirectError(dir.resolve(name + ".err").toFile());
        pb.environment().putAll(ClusterCommands.submitEnvironment(sparkHome, jar));
        return track(pb.start());
    }

    /**
     * Runs {@code scripts/submit.sh} to the end, failing the test (and killing it) past {@code
     * timeout}.
     *
     * @param args spark-submit options, {@code --}, job flags
     * @param name names the output files
     * @param timeout the bound
     * @return the finished process
     */
    Process submit(List<String> args, String name, Duration timeout) throws Exception {
        long t0 = System.nanoTime();
        Process p = startSubmit(args, name);
        awaitExit(p, name, timeout);
        System.out.printf("spark-submit (%s) took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        return p;
    }

    /** Waits for a submit to end; kills it and fails past {@code timeout}. */
    void awaitExit(Process p, String name, Duration timeout) throws Exception {
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            ChildProcesses.stop(p);
            fail("spark-submit (" + name + ") did not finish in " + timeout + "\n" + logs());
        }
    }

    /**
     * The executor JVMs alive now (children of the worker), by Spark executor id.
     *
     * @return executor id to process
     */
    Map<String, ProcessHandle> executors() {
        return ChildProcesses.executors(worker);
    }

    /**
     * The executors' stderr logs ({@code work/<app>/<executor>/stderr}), by {@code
     * <app>/<executor>}.
     *
     * @return the logs' text
     */
    Map<String, String> executorLogs() {
        return ClusterLogs.executorLogs(dir);
    }

    /** Tails of the cluster's, the submits' and the executors' logs, for failure messages. */
    String logs() {
        return ClusterLogs.tails(dir);
    }

    /** Ends every process started here (last first), their descendants, and deletes the dir. */
    @Override
    public void close() throws Exception {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            ChildProcesses.stop(all.get(i));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** Records a started process, so that {@link #close} ends it. */
    private Process track(Process p) {
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    private Process daemon(String name, List<String> cmd) throws IOException {
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_WORKER_DIR", dir.resolve("work").toString());
        env.put("SPARK_LOG_DIR", dir.resolve("logs").toString());
        // No REST submission server on the fixed port 6066.
        env.put("SPARK_MASTER_OPTS", "-Dspark.master.rest.enabled=false");
        return track(pb.start());
    }

    /**
     * Closes a cluster (null: none was started) and the test JVM's default Spark session.
     *
     * @param cluster the cluster or null
     * @throws Exception if closing fails
     */
    static void closeWithSession(LocalSparkCluster cluster) throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (org.apache.spark.sql.SparkSession.getDefaultSession().isDefined()) {
            org.apache.spark.sql.SparkSession.getDefaultSession().get().stop();
        }
    }
}
