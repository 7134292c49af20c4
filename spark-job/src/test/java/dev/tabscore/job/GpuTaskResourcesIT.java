package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.model.djl.DjlEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU path with simulated GPUs: a real standalone worker whose discovery script reports two
 * fake GPUs ("0", "1"), one executor holding both, each task one ({@code
 * spark.task.resource.gpu.amount=1}), and the shaded jar with the CPU natives under {@code
 * scripts/submit.sh}. With {@code scoring.device=auto} each task takes its Spark GPU, finds that
 * the engine has no CUDA, and scores on the CPU: the run summary reports the task's addresses, the
 * GPU chosen and the fallback; the executor warns once; the executor JVM opens the bundle once; the
 * predictions equal an in-process CPU run's, bit for bit.
 *
 * <p>Runs after {@code package} (surefire execution {@code cluster-it}). Skipped, saying so, when
 * no Spark distribution is found, and on a machine where the engine sees a real GPU (the fake
 * addresses would then be real devices).
 */
class GpuTaskResourcesIT {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final int PARTITIONS = 4;
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(150);
    private static final String ONE_FILE_PER_PARTITION =
            "spark.sql.files.openCostInBytes=" + (128L << 20);

    @TempDir static Path scripts;

    private static LocalSparkCluster cluster;

    @BeforeAll
    static void cluster() throws Exception {
        JobTesting.onlyInExecution("cluster-it");
        // Before the engine starts, as the in-process run below sets them (threads_per_task 1).
        DjlEngine.configureThreads(1, 1);
        Assumptions.assumeTrue(
                DjlEngine.gpuCount() == 0,
                "SKIPPED: the engine sees a CUDA GPU; the fake addresses are for CPU machines");
        Path discovery = scripts.resolve("fake-gpus.sh");
        Files.writeString(
                discovery, "#!/bin/sh\necho '{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}'\n");
        Files.setPosixFilePermissions(discovery, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path workerConf = scripts.resolve("worker.conf");
        Files.writeString(
                workerConf,
                "spark.worker.resource.gpu.amount 2\n"
                        + "spark.worker.resource.gpu.discoveryScript "
                        + discovery
                        + "\n");
        cluster =
                LocalSparkCluster.start(
                        "tabscore-gpu-it",
                        2,
                        List.of("--properties-file", workerConf.toString()),
                        d -> {
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
    }

    @AfterAll
    static void stopCluster() throws Exception {
        LocalSparkCluster.closeWithSession(cluster);
    }

    @Test
    void tasksTakeTheirSparkGpuFallBackToTheCpuAndScoreAsTheCpuDoes() throws Exception {
        Path input = cluster.dir.resolve("input");
        Path out = cluster.dir.resolve("out");
        Process submit =
                cluster.submit(
                        List.of(
                                "--master",
                                cluster.masterUrl,
                                // One executor of 2 cores holding both GPUs; one GPU per task: 2
                                // tasks at once.
                                "--conf",
                                "spark.executor.cores=2",
                                "--conf",
                                "spark.cores.max=2",
                                "--conf",
                                "spark.executor.memory=768m",
                                "--conf",
                                "spark.executor.resource.gpu.amount=2",
                                "--conf",
                                "spark.task.resource.gpu.amount=1",
                                "--conf",
                                "spark.scheduler.minRegisteredResourcesRatio=1.0",
                                "--conf",
                                "spark.scheduler.maxRegisteredResourcesWaitingTime=60s",
                                "--conf",
                                "spark.locality.wait=0",
                                "--conf",
                                ONE_FILE_PER_PARTITION,
                                "--conf",
                                "spark.ui.enabled=false",
                                "--conf",
                                "spark.driver.host=127.0.0.1",
                                "--",
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                input.toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString(),
                                "--device",
                                "auto",
                                "--run-id",
                                "gpu-it-1"),
                        "gpu-submit",
                        JOB_TIMEOUT);
        assertEquals(ExitCodes.OK, submit.exitValue(), "spark-submit exit code\n" + cluster.logs());

        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        System.out.println("bundle_opens: " + summary.get("bundle_opens"));
        System.out.println("devices: " + summary.get("devices"));
        assertEquals(5000, summary.at("/rows/scored").asLong(), summary.toString());
        assertEquals(PARTITIONS, summary.at("/partitions").asLong(), summary.toString());
        // The driver verified on the CPU; the one executor JVM opened the bundle once: every
        // task resolved to the CPU, whichever GPU it held.
        assertEquals("cpu", summary.at("/bundle_opens/driver/device").asText());
        assertEquals(
                1,
                summary.at("/bundle_opens/executors/count").asInt(),
                summary.get("bundle_opens").toString());
        assertEquals(1, summary.at("/bundle_opens/executors/jvms").size());

        JsonNode devices = summary.get("devices");
        assertEquals(1, devices.size(), devices.toString());
        JsonNode d = devices.get(0);
        assertEquals(summary.at("/bundle_opens/executors/jvms/0").asText(), d.get("jvm").asText());
        assertEquals(1, d.get("task_gpus").size(), "one GPU per task: " + d);
        String address = d.get("task_gpus").get(0).asText();
        assertTrue(Set.of("0", "1").contains(address), "a discovered address: " + d);
        assertEquals("gpu:" + address, d.get("chosen").asText(), d.toString());
        assertEquals("cpu", d.get("device").asText(), d.toString());
        assertEquals(
                "device gpu:"
                        + address
                        + " (auto, from the task's Spark GPU ["
                        + address
                        + "]) was chosen but the PyTorch engine sees no CUDA GPU (a jar with the CPU "
                        + "natives, built without -Pcuda, or no CUDA device on this host)",
                d.get("fallback").asText());

        // One warning in the executor's log, however many tasks fell back.
        Map<String, String> logs = cluster.executorLogs();
        assertEquals(1, logs.size(), logs.keySet().toString());
        String stderr = logs.values().iterator().next();
        long warnings =
                stderr.lines()
                        .filter(
                                l ->
                                        l.contains(
                                                " WARN TaskDevice: scoring on the CPU: device gpu:"))
                        .count();
        assertEquals(1, warnings, "one warning per JVM\n" + cluster.logs());

        // The same files scored in-process on the CPU, one file per partition as above: same
        // batches, so the same floats.
        Path cpuOut = cluster.dir.resolve("cpu-out");
        JobTesting.Run cpu =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                input.toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                cpuOut.toString(),
                                "--device",
                                "cpu",
                                "--conf",
                                ONE_FILE_PER_PARTITION,
                                "--run-id",
                                "gpu-it-cpu"));
        assertEquals(ExitCodes.OK, cpu.exitCode(), cpu.toString());
        SparkSession spark = JobTesting.spark();
        Dataset<Row> a = spark.read().parquet(out.toString()).select("customer_id", "prob");
        Dataset<Row> b =
                spark.read()
                        .parquet(cpuOut.toString())
                        .select(functions.col("customer_id"), functions.col("prob").as("cpu_prob"));
        Dataset<Row> joined = a.join(b, "customer_id");
        assertEquals(5000, joined.count(), "every row in both outputs");
        List<Row> differ = joined.filter("prob <> cpu_prob").limit(5).collectAsList();
        assertTrue(differ.isEmpty(), "predictions differ from the CPU run: " + differ);
        PredictionChecks.assertMatches(
                "gpu fallback vs python",
                a,
                spark.read()
                        .parquet(
                                ROOT.resolve("sample-data/expected/predictions.parquet")
                                        .toString()),
                "customer_id",
                List.of("prob"),
                List.of());
    }
}
