package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.manifest.ManifestFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar under a real {@code spark-submit} on a real standalone cluster: one master and
 * one worker (2 cores) as child processes on 127.0.0.1, two single-core executor JVMs, an input of
 * 16 files (16 partitions). Proves from the run summary that each executor JVM opened the bundle
 * once (not once per partition), that the driver's verification open is reported apart, and that
 * the output matches Python's predictions row for row.
 *
 * <p>Needs the shaded jar, so it runs after {@code package} (surefire execution {@code cluster-it}
 * in the integration-test phase of {@code mvn verify}). Skipped, saying so, only when no Spark
 * distribution is found ({@code SPARK_HOME}, or {@code pip install pyspark}).
 */
class SparkSubmitClusterIT {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final int PARTITIONS = 16;
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(150);

    private static LocalSparkCluster cluster;
    private static String masterUrl;
    private static Path dir;

    @BeforeAll
    static void cluster() throws Exception {
        // -Dtest=... hands *IT classes to the test-phase execution too; the jar comes later.
        JobTesting.onlyInExecution("cluster-it");
        cluster =
                LocalSparkCluster.start(
                        "tabscore-cluster-it",
                        2,
                        d -> {
                            // While the master boots: the input, 16 files of the sample rows.
                            SparkSession spark = JobTesting.spark();
                            spark.read()
                                    .parquet(
                                            ROOT.resolve(
                                                            "sample-data/input/snapshot=2026-11-01/part-0.parquet")
                                                    .toString())
                                    .repartition(PARTITIONS)
                                    .write()
                                    .parquet(d.resolve("input").toString());
                        });
        dir = cluster.dir;
        masterUrl = cluster.masterUrl;
    }

    @AfterAll
    static void stopCluster() throws Exception {
        LocalSparkCluster.closeWithSession(cluster);
    }

    @Test
    void bundleOpensOncePerExecutorJvmAndPredictionsMatch() throws Exception {
        Path out = dir.resolve("out");
        String runId = "cluster-it-1";
        Process submit =
                submit(
                        List.of(
                                "--master",
                                masterUrl,
                                // 2 executors of 1 core each, both registered before the first
                                // task.
                                "--conf",
                                "spark.executor.cores=1",
                                "--conf",
                                "spark.cores.max=2",
                                "--conf",
                                "spark.executor.memory=768m",
                                "--conf",
                                "spark.scheduler.minRegisteredResourcesRatio=1.0",
                                "--conf",
                                "spark.scheduler.maxRegisteredResourcesWaitingTime=60s",
                                "--conf",
                                "spark.locality.wait=0",
                                // One input file per partition.
                                "--conf",
                                "spark.sql.files.openCostInBytes=" + (128L << 20),
                                "--conf",
                                "spark.ui.enabled=false",
                                "--conf",
                                "spark.driver.host=127.0.0.1",
                                "--",
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                dir.resolve("input").toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString(),
                                "--run-id",
                                runId),
                        "submit");
        assertEquals(ExitCodes.OK, submit.exitValue(), "spark-submit exit code\n" + logs());

        // Logging as Spark does it: the driver's messages are log4j2 records of the tabscore
        // logger (scripts/submit.sh's conf/log4j2.properties), stdout is the summary alone.
        String driverErr = Files.readString(dir.resolve("submit.err"));
        assertTrue(
                driverErr.contains(" INFO ScoringRun: published 5000 rows to " + out), driverErr);
        String driverOut = Files.readString(dir.resolve("submit.out"));
        assertEquals(
                runId,
                JobTesting.JSON.readTree(driverOut).path("run_id").asText(),
                "stdout is one JSON document, the summary:\n" + driverOut);
        assertFalse((driverOut + driverErr).contains("tabscore-job:"), "a raw print is left");

        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        System.out.println("bundle_opens: " + summary.get("bundle_opens"));
        assertTrue(
                summary.at("/spark/master").asText().startsWith("spark://127.0.0.1:"),
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
        assertEquals(
                2,
                jvms.size(),
                "both executors scored (16 tasks over 2 single-core "
                        + "executors, both registered before scheduling): "
                        + executors);

        SparkSession spark = JobTesting.spark();
        Dataset<Row> scored = spark.read().parquet(out.toString());
        assertEquals(5000, scored.count(), "output rows");
        ManifestFile mf = JobTesting.manifest(SAMPLE_BUNDLE);
        List<Row> identity =
                scored.select("bundle_name", "bundle_version", "bundle_digest", "run_id")
                        .distinct()
                        .collectAsList();
        assertEquals(1, identity.size(), identity.toString());
        assertEquals(
                List.of(mf.manifest().name(), mf.manifest().version(), mf.digest(), runId),
                List.of(
                        identity.get(0).getString(0), identity.get(0).getString(1),
                        identity.get(0).getString(2), identity.get(0).getString(3)));
        double maxDiff =
                PredictionChecks.assertMatches(
                        "cluster",
                        scored.select("customer_id", "prob"),
                        spark.read()
                                .parquet(
                                        ROOT.resolve("sample-data/expected/predictions.parquet")
                                                .toString()),
                        "customer_id",
                        List.of("prob"),
                        List.of());
        System.out.println("cluster: max |java - python| = " + maxDiff);
    }

    @Test
    void refusalExitCodeComesBackThroughSparkSubmit() throws Exception {
        Path out = dir.resolve("refused-out");
        // The driver refuses before any task: what is tested is that the job's exit code is
        // spark-submit's (client mode), which orchestrators branch on. local[1] spares the
        // cluster an executor launch.
        Process submit =
                submit(
                        List.of(
                                "--master",
                                "local[1]",
                                "--conf",
                                "spark.ui.enabled=false",
                                "--conf",
                                "spark.driver.host=127.0.0.1",
                                "--",
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--expect-digest",
                                "sha256:" + "0".repeat(64),
                                "--input",
                                dir.resolve("input").toString(),
                                "--output",
                                out.toString(),
                                "--run-id",
                                "refused"),
                        "refused");
        assertEquals(
                Reason.DIGEST_MISMATCH.exitCode(),
                submit.exitValue(),
                "spark-submit exit code\n" + logs());
        assertTrue(Files.readString(dir.resolve("refused.err")).contains("was expected"), logs());
        // Nothing published; the refused run's record says why, for orchestrators that lose
        // the exit code (cluster deploy mode).
        assertFalse(Files.exists(out.resolve("_SUCCESS")), "nothing published");
        com.fasterxml.jackson.databind.JsonNode record =
                JobTesting.summary(out.resolve("_tabscore_runs/refused/summary.json"));
        assertEquals(Reason.DIGEST_MISMATCH.exitCode(), record.path("exit_code").asInt());
        assertEquals("DIGEST_MISMATCH", record.path("reason").asText());
    }

    /** Runs scripts/submit.sh to the end (bounded), output in {@code <name>.out/.err}. */
    private static Process submit(List<String> args, String name) throws Exception {
        return cluster.submit(args, name, JOB_TIMEOUT);
    }

    private static String logs() {
        return cluster.logs();
    }
}
