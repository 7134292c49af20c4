package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.manifest.ManifestFile;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar under a real {@code spark-submit} on a real standalone cluster: one master
 * and one worker (2 cores) as child processes on 127.0.0.1, two single-core executor JVMs, an
 * input of 16 files (16 partitions). Proves from the run summary that each executor JVM opened
 * the bundle once (not once per partition), that the driver's verification open is reported
 * apart, and that the output matches Python's predictions row for row.
 *
 * <p>Needs the shaded jar, so it runs after {@code package} (surefire execution
 * {@code cluster-it} in the integration-test phase of {@code mvn verify}). Skipped, saying so,
 * only when no Spark distribution is found ({@code SPARK_HOME}, or {@code pip install pyspark}).
 */
class SparkSubmitClusterIT {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final int PARTITIONS = 16;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(150);

    private static Path sparkHome;
    private static String masterUrl;
    private static Path dir;
    private static Process master;
    private static Process worker;
    private static final List<Process> STARTED = new ArrayList<>();

    @BeforeAll
    static void cluster() throws Exception {
        // -Dtest=... hands *IT classes to the test-phase execution too; the jar comes later.
        JobTesting.onlyInExecution("cluster-it");
        sparkHome = findSparkHome();
        Assumptions.assumeTrue(sparkHome != null, "SKIPPED: no Spark distribution with "
                + "bin/spark-submit: set SPARK_HOME or `pip install pyspark==4.2.0`");
        dir = Files.createTempDirectory("tabscore-cluster-it");
        Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(dir.resolve("logs"));
        int masterPort = freePort();
        master = start("master", List.of(spark("spark-class").toString(),
                "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(masterPort),
                "--webui-port", String.valueOf(freePort())));
        // While the master boots: the input, 16 files of the sample rows.
        SparkSession spark = JobTesting.spark();
        spark.read().parquet(ROOT.resolve("sample-data/input/snapshot=2026-11-01/part-0.parquet")
                .toString()).repartition(PARTITIONS).write()
                .parquet(dir.resolve("input").toString());
        waitForPort(masterPort, master, "master");
        worker = start("worker", List.of(spark("spark-class").toString(),
                "org.apache.spark.deploy.worker.Worker", "spark://127.0.0.1:" + masterPort,
                "--cores", "2", "--memory", "2g", "--host", "127.0.0.1",
                "--webui-port", String.valueOf(freePort()),
                "--work-dir", dir.resolve("work").toString()));
        waitForLog(dir.resolve("worker.log"), "Successfully registered with master", worker,
                "worker");
        masterUrl = "spark://127.0.0.1:" + masterPort;
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (int i = STARTED.size() - 1; i >= 0; i--) {
            stop(STARTED.get(i));
        }
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void bundleOpensOncePerExecutorJvmAndPredictionsMatch() throws Exception {
        Path out = dir.resolve("out");
        String runId = "cluster-it-1";
        Process submit = submit(List.of(
                "--master", masterUrl,
                // 2 executors of 1 core each, both registered before the first task.
                "--conf", "spark.executor.cores=1",
                "--conf", "spark.cores.max=2",
                "--conf", "spark.executor.memory=768m",
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=60s",
                "--conf", "spark.locality.wait=0",
                // One input file per partition.
                "--conf", "spark.sql.files.openCostInBytes=" + (128L << 20),
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1",
                "--",
                "--bundle", SAMPLE_BUNDLE.toString(),
                "--input", dir.resolve("input").toString(),
                "--id-col", "customer_id",
                "--output", out.toString(),
                "--run-id", runId), "submit");
        assertEquals(ExitCodes.OK, submit.exitValue(), "spark-submit exit code\n" + logs());

        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        System.out.println("bundle_opens: " + summary.get("bundle_opens"));
        assertTrue(summary.at("/spark/master").asText().startsWith("spark://127.0.0.1:"),
                summary.at("/spark").toString());
        assertEquals(5000, summary.at("/rows/in").asLong(), summary.toString());
        assertEquals(5000, summary.at("/rows/scored").asLong(), summary.toString());
        long partitions = summary.at("/partitions").asLong();
        assertEquals(PARTITIONS, partitions, "input partitions scored");

        // The driver verified the bundle on its own; that open is not an executor's.
        JsonNode driver = summary.at("/bundle_opens/driver");
        assertTrue(driver.get("jvm").asText().startsWith("executor-driver/"), driver.toString());
        assertFalse(driver.get("shared_with_tasks").asBoolean(), driver.toString());
        JsonNode executors = summary.at("/bundle_opens/executors");
        int opens = executors.get("count").asInt();
        Set<String> jvms = new HashSet<>();
        executors.get("jvms").forEach(j -> jvms.add(j.asText()));
        for (String j : jvms) {
            assertTrue(j.startsWith("executor-") && !j.startsWith("executor-driver"), j);
        }
        assertEquals(jvms.size(), opens, "one open per executor JVM: " + executors);
        assertTrue(opens >= 1 && opens <= 2, "at most the 2 executor JVMs opened it: " + executors);
        assertTrue(opens < partitions, "opens (" + opens + ") < partitions (" + partitions + ")");
        assertEquals(2, jvms.size(), "both executors scored (16 tasks over 2 single-core "
                + "executors, both registered before scheduling): " + executors);

        SparkSession spark = JobTesting.spark();
        Dataset<Row> scored = spark.read().parquet(out.toString());
        assertEquals(5000, scored.count(), "output rows");
        ManifestFile mf = JobTesting.manifest(SAMPLE_BUNDLE);
        List<Row> identity = scored.select("bundle_name", "bundle_version", "bundle_digest",
                "run_id").distinct().collectAsList();
        assertEquals(1, identity.size(), identity.toString());
        assertEquals(List.of(mf.manifest().name(), mf.manifest().version(), mf.digest(), runId),
                List.of(identity.get(0).getString(0), identity.get(0).getString(1),
                        identity.get(0).getString(2), identity.get(0).getString(3)));
        double maxDiff = JobTesting.assertMatches("cluster", scored.select("customer_id", "prob"),
                spark.read().parquet(ROOT.resolve("sample-data/expected/predictions.parquet")
                        .toString()), "customer_id", List.of("prob"), List.of());
        System.out.println("cluster: max |java - python| = " + maxDiff);
    }

    @Test
    void refusalExitCodeComesBackThroughSparkSubmit() throws Exception {
        Path out = dir.resolve("refused-out");
        // The driver refuses before any task: what is tested is that the job's exit code is
        // spark-submit's (client mode), which orchestrators branch on. local[1] spares the
        // cluster an executor launch.
        Process submit = submit(List.of("--master", "local[1]",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1", "--",
                "--bundle", SAMPLE_BUNDLE.toString(),
                "--expect-digest", "sha256:" + "0".repeat(64),
                "--input", dir.resolve("input").toString(),
                "--output", out.toString()), "refused");
        assertEquals(Reason.DIGEST_MISMATCH.exitCode(), submit.exitValue(),
                "spark-submit exit code\n" + logs());
        assertTrue(Files.readString(dir.resolve("refused.err")).contains("was expected"),
                logs());
        assertFalse(Files.exists(out), "no output directory for a refused bundle");
    }

    /** Runs scripts/submit.sh to the end (bounded), output in {@code <name>.out/.err}. */
    private static Process submit(List<String> args, String name) throws Exception {
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
        long t0 = System.nanoTime();
        Process submit = pb.start();
        STARTED.add(submit);
        if (!submit.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            stop(submit);
            fail("spark-submit (" + name + ") did not finish in " + JOB_TIMEOUT + "\n" + logs());
        }
        System.out.printf("spark-submit (%s) took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        return submit;
    }

    private static Path findSparkHome() throws Exception {
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

    private static Path spark(String script) {
        return sparkHome.resolve("bin").resolve(script);
    }

    private static Process start(String name, List<String> cmd) throws IOException {
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
        STARTED.add(p);
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, Process p, String what) throws Exception {
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

    private static void waitForLog(Path log, String line, Process p, String what)
            throws Exception {
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

    private static String logs() {
        StringBuilder b = new StringBuilder();
        List<Path> files = new ArrayList<>();
        for (String f : List.of("master.log", "worker.log", "submit.err", "submit.out",
                "refused.err")) {
            files.add(dir.resolve(f));
        }
        try (Stream<Path> executorLogs = Files.walk(dir.resolve("work"))) {
            executorLogs.filter(f -> f.getFileName().toString().equals("stderr"))
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path p : files) {
            String f = dir.relativize(p).toString();
            try {
                if (Files.exists(p)) {
                    String s = Files.readString(p);
                    b.append("--- ").append(f).append(" (tail):\n")
                            .append(s.length() > 3000 ? s.substring(s.length() - 3000) : s)
                            .append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return b.toString();
    }
}
