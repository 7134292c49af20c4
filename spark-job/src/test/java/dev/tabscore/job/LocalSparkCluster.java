package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Spark standalone cluster for *IT tests: one master and one worker, child processes of
 * the test JVM on 127.0.0.1 with free ports, under a temp directory; plus {@code
 * scripts/submit.sh} runs against it (client mode: the spark-submit JVM is the driver).
 * {@link #close} ends every process it started, their descendants included (the executor JVMs
 * are the worker's children), and deletes the directory.
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

    private LocalSparkCluster(Path sparkHome, Path dir, String masterUrl, Process worker,
            List<Process> started) {
        this.sparkHome = sparkHome;
        this.dir = dir;
        this.masterUrl = masterUrl;
        this.worker = worker;
        this.started.addAll(started);
    }

    /**
     * Starts a master and one worker; skips the calling test class (an assumption) when no
     * Spark distribution is found.
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
     * Starts a master and one worker with extra worker arguments (e.g. {@code
     * --properties-file} with {@code spark.worker.resource.*} settings); otherwise as {@link
     * #start(String, int, WhileBooting)}.
     *
     * @param prefix the temp directory's prefix
     * @param workerCores the worker's cores
     * @param workerArgs appended to the worker's command line
     * @param whileBooting work done while the master starts
     * @return the running cluster
     */
    static LocalSparkCluster start(String prefix, int workerCores, List<String> workerArgs,
            WhileBooting whileBooting) throws Exception {
        Path sparkHome = findSparkHome();
        Assumptions.assumeTrue(sparkHome != null, "SKIPPED: no Spark distribution with "
                + "bin/spark-submit: set SPARK_HOME or `pip install pyspark==4.2.0`");
        Path dir = Files.createTempDirectory(prefix);
        Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(dir.resolve("logs"));
        List<Process> started = new ArrayList<>();
        LocalSparkCluster partial = new LocalSparkCluster(sparkHome, dir, null, null, started);
        try {
            int masterPort = freePort();
            Process master = partial.daemon("master", List.of(partial.spark("spark-class"),
                    "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(masterPort),
                    "--webui-port", String.valueOf(freePort())));
            whileBooting.run(dir);
            partial.waitForPort(masterPort, master, "master");
            String url = "spark://127.0.0.1:" + masterPort;
            List<String> workerCmd = new ArrayList<>(List.of(partial.spark("spark-class"),
                    "org.apache.spark.deploy.worker.Worker", url,
                    "--cores", String.valueOf(workerCores), "--memory", "2g",
                    "--host", "127.0.0.1",
                    "--webui-port", String.valueOf(freePort()),
                    "--work-dir", dir.resolve("work").toString()));
            workerCmd.addAll(workerArgs);
            Process worker = partial.daemon("worker", workerCmd);
            partial.waitForLog(dir.resolve("worker.log"), "Successfully registered with master",
                    worker, "worker");
            return new LocalSparkCluster(sparkHome, dir, url, worker, partial.started);
        } catch (Throwable t) {
            partial.close();
            throw t;
        }
    }

    /**
     * Starts {@code scripts/submit.sh} with {@code args}, output in {@code <name>.out/.err}
     * under {@link #dir}; does not wait.
     *
     * @param args spark-submit options, {@code --}, job flags
     * @param name names the output files
     * @return the spark-submit process (the driver JVM: the scripts exec it)
     */
    Process startSubmit(List<String> args, String name) throws IOException {
        Path jar = Path.of(System.getProperty("tabscore.jobJar", "target/tabscore-job.jar"));
        assertTrue(Files.isRegularFile(jar), "no shaded job jar at " + jar
                + ": build it with `mvn -pl spark-job -am package`");
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("scripts/submit.sh").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        String djlCache = System.getenv().getOrDefault("DJL_CACHE_DIR",
                Path.of(System.getProperty("user.home"), ".djl.ai").toString());
        pb.environment().putAll(Map.of(
                "SPARK_HOME", sparkHome.toString(),
                "SPARK_LOCAL_IP", "127.0.0.1",
                "TABSCORE_JAR", jar.toAbsolutePath().toString(),
                // The natives the unit tests already unpacked, when they did (DJL's default).
                "TABSCORE_DJL_CACHE_DIR", djlCache,
                "TABSCORE_EXECUTOR_OVERHEAD", "384m"));
        Process p = pb.start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    /**
     * Runs {@code scripts/submit.sh} to the end, failing the test (and killing it) past
     * {@code timeout}.
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
            stop(p);
            fail("spark-submit (" + name + ") did not finish in " + timeout + "\n" + logs());
        }
    }

    /**
     * The executor JVMs alive now (children of the worker), by Spark executor id.
     *
     * @return executor id to process
     */
    Map<String, ProcessHandle> executors() {
        Map<String, ProcessHandle> out = new TreeMap<>();
        worker.descendants().filter(ProcessHandle::isAlive).forEach(h -> {
            Optional<String[]> args = h.info().arguments();
            String cmd = h.info().commandLine().orElse("");
            if (args.isEmpty() || !cmd.contains("CoarseGrainedExecutorBackend")) {
                return;
            }
            String[] a = args.get();
            for (int i = 0; i + 1 < a.length; i++) {
                if (a[i].equals("--executor-id")) {
                    out.put(a[i + 1], h);
                }
            }
        });
        return out;
    }

    /**
     * The executors' stderr logs ({@code work/<app>/<executor>/stderr}), by
     * {@code <app>/<executor>}.
     *
     * @return the logs' text
     */
    Map<String, String> executorLogs() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir.resolve("work"))) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("stderr"))
                    .toList()) {
                Path rel = dir.resolve("work").relativize(p.getParent());
                try {
                    out.put(rel.toString(), Files.readString(p));
                } catch (IOException e) {
                    out.put(rel.toString(), ""); // being created
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Tails of the cluster's, the submits' and the executors' logs, for failure messages. */
    String logs() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> top = Files.list(dir)) {
            top.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".err")
                    || f.toString().endsWith(".out")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> executorLogs = Files.walk(dir.resolve("work"))) {
            executorLogs.filter(f -> f.getFileName().toString().equals("stderr")).sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder b = new StringBuilder();
        for (Path p : files) {
            try {
                String s = Files.readString(p);
                b.append("--- ").append(dir.relativize(p)).append(" (tail):\n")
                        .append(s.length() > 3000 ? s.substring(s.length() - 3000) : s)
                        .append('\n');
            } catch (IOException e) {
                b.append("--- ").append(dir.relativize(p)).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    /** Ends every process started here (last first), their descendants, and deletes the dir. */
    @Override
    public void close() throws Exception {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            stop(all.get(i));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** Ends a process: SIGTERM, then SIGKILL; then any descendant still alive. */
    static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        // Executor JVMs the worker launched, should its shutdown not have ended them.
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private String spark(String script) {
        return sparkHome.resolve("bin").resolve(script).toString();
    }

    private Process daemon(String name, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_WORKER_DIR", dir.resolve("work").toString());
        env.put("SPARK_LOG_DIR", dir.resolve("logs").toString());
        // No REST submission server on the fixed port 6066.
        env.put("SPARK_MASTER_OPTS", "-Dspark.master.rest.enabled=false");
        Process p = pb.start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    private void waitForPort(int port, Process p, String what) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail(what + " exited with " + p.exitValue() + "\n" + logs());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        fail(what + " did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT + "\n"
                + logs());
    }

    private void waitForLog(Path log, String line, Process p, String what) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail(what + " exited with " + p.exitValue() + "\n" + logs());
            }
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(250);
        }
        fail(what + " did not log '" + line + "' within " + START_TIMEOUT + "\n" + logs());
    }

    /**
     * Finds the Spark distribution the cluster tests use: {@code $SPARK_HOME}, else pyspark's.
     *
     * @return its directory, or null when there is none
     * @throws Exception if asking Python fails unexpectedly
     */
    static Path findSparkHome() throws Exception {
        String env = System.getenv("SPARK_HOME");
        if (env != null && Files.isExecutable(Path.of(env, "bin", "spark-submit"))) {
            return Path.of(env);
        }
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c",
                    "import os, pyspark; print(os.path.dirname(pyspark.__file__))")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        String home = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 && Files.isExecutable(Path.of(home, "bin", "spark-submit"))
                ? Path.of(home) : null;
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
