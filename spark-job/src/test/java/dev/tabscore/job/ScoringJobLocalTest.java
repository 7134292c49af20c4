package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.manifest.ManifestFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job end to end in Spark {@code local[2]}, in this JVM, on the sample bundle and input
 * (Parquet, an explicit GPU without CUDA) against Python's predictions, with the identity columns
 * and the run summary. Other input formats are in {@link InputFormatsJobTest}, the sealed fixture
 * bundles in {@link FixtureBundlesJobTest}, the refusals in {@link JobRefusalsTest}.
 */
@ExtendWith(LocalJobSession.class)
class ScoringJobLocalTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final Path SAMPLE_INPUT = ROOT.resolve("sample-data/input");
    private static final Path SAMPLE_FILE =
            SAMPLE_INPUT.resolve("snapshot=2026-11-01/part-0.parquet");

    @TempDir static Path tmp;

    @Test
    void sampleBundleMatchesPythonWithIdentityAndSummary() {
        Path out = tmp.resolve("sample-out");
        String runId = "it-sample-1";
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--config", ROOT.resolve("conf/local.yaml").toString(),
                                "--bundle", SAMPLE_BUNDLE.toString(),
                                "--input", SAMPLE_INPUT.toString(),
                                "--output", out.toString(),
                                "--mode", "error_if_exists",
                                "--run-id", runId));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());

        SparkSession spark = JobTesting.spark();
        Dataset<Row> scored = spark.read().parquet(out.toString());
        assertEquals(
                List.of(
                        "customer_id",
                        "prob",
                        "bundle_name",
                        "bundle_version",
                        "bundle_digest",
                        "run_id",
                        "scored_at",
                        "bundle_signer",
                        "snapshot"),
                List.of(scored.columns()),
                "output columns (partition column last)");
        Dataset<Row> input = spark.read().parquet(SAMPLE_INPUT.toString());
        assertEquals(input.count(), scored.count(), "rows in vs rows out");

        ManifestFile mf = JobTesting.manifest(SAMPLE_BUNDLE);
        List<Row> identity =
                scored.select("bundle_name", "bundle_version", "bundle_digest", "run_id")
                        .distinct()
                        .collectAsList();
        assertEquals(1, identity.size(), "one identity for the whole run: " + identity);
        Row id = identity.get(0);
        assertEquals(mf.manifest().name(), id.getString(0));
        assertEquals(mf.manifest().version(), id.getString(1));
        assertEquals(mf.digest(), id.getString(2));
        assertEquals(runId, id.getString(3));
        assertEquals(0, scored.filter(functions.col("scored_at").isNull()).count());
        // no trust configured: no signature verified, bundle_signer is null on every row
        assertEquals(
                scored.count(), scored.filter(functions.col("bundle_signer").isNull()).count());

        double maxDiff =
                PredictionChecks.assertMatches(
                        "sample-data",
                        scored.select("customer_id", "prob"),
                        spark.read()
                                .parquet(
                                        ROOT.resolve("sample-data/expected/predictions.parquet")
                                                .toString()),
                        "customer_id",
                        List.of("prob"),
                        List.of());
        System.out.println("sample-data: max |java - python| = " + maxDiff);

        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals("ok", summary.get("status").asText());
        assertEquals(runId, summary.get("run_id").asText());
        assertEquals(5000, summary.at("/rows/in").asLong());
        assertEquals(summary.at("/rows/in").asLong(), summary.at("/rows/scored").asLong());
        assertEquals(mf.digest(), summary.at("/bundle/digest").asText());
        assertTrue(summary.at("/bundle/signer").isNull(), summary.toString());
        // Local mode: the driver is the only JVM; its verified bundle serves the tasks.
        assertTrue(
                summary.at("/bundle_opens/driver/jvm").asText().startsWith("executor-driver/"),
                summary.toString());
        assertEquals(0, summary.at("/bundle_opens/executors/count").asInt(), summary.toString());
        // auto on a machine without CUDA: the CPU, no fallback (no GPU was chosen).
        assertEquals("cpu", summary.at("/bundle_opens/driver/device").asText());
        JsonNode devices = summary.get("devices");
        assertEquals(1, devices.size(), devices.toString());
        assertEquals(
                summary.at("/bundle_opens/driver/jvm").asText(),
                devices.get(0).get("jvm").asText());
        assertEquals("[]", devices.get(0).get("task_gpus").toString());
        assertEquals("cpu", devices.get(0).get("chosen").asText());
        assertEquals("cpu", devices.get(0).get("device").asText());
        assertFalse(devices.get(0).has("fallback"), devices.toString());
        assertTrue(summary.at("/partitions").asLong() >= 1);
        List<String> counted = new ArrayList<>();
        summary.get("columns").fieldNames().forEachRemaining(counted::add);
        assertEquals(
                List.of("age", "channel", "income", "region"),
                counted.stream().sorted().toList(),
                "per-column counts for every contract column");
        assertTrue(
                summary.at("/columns/region/unknown_values/atlantis").asLong() > 0,
                summary.get("columns").toString());
    }

    @Test
    void explicitGpuWithoutCudaFallsBackToTheCpuAndSaysSo() {
        Path out = tmp.resolve("gpu0-out");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                SAMPLE_FILE.toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString(),
                                "--device",
                                "gpu:0",
                                "--run-id",
                                "it-gpu0"));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals(
                "column_batches",
                summary.path("input_read").asText(),
                "Parquet is read as the vectorized scan's column batches");
        JsonNode d = summary.at("/devices/0");
        assertEquals("gpu:0", d.get("chosen").asText(), summary.toString());
        if (d.get("device").asText().equals("gpu:0")) {
            // A -Pcuda build on a CUDA host: the GPU itself.
            assertFalse(d.has("fallback"), d.toString());
            return;
        }
        assertEquals("cpu", d.get("device").asText(), summary.toString());
        assertEquals("cpu", summary.at("/bundle_opens/driver/device").asText());
        assertTrue(
                d.get("fallback")
                        .asText()
                        .startsWith(
                                "device gpu:0 (configured) was chosen "
                                        + "but the PyTorch engine sees no CUDA GPU"),
                d.toString());
        // Said once per JVM: here, unless an earlier test of this JVM fell back first.
        long warnings =
                run.err()
                        .lines()
                        .filter(l -> l.contains(" WARN TaskDevice: scoring on the CPU:"))
                        .count();
        assertTrue(warnings <= 1, run.err());
        SparkSession spark = JobTesting.spark();
        PredictionChecks.assertMatches(
                "gpu:0 fallback",
                spark.read().parquet(out.toString()).select("customer_id", "prob"),
                spark.read()
                        .parquet(
                                ROOT.resolve("sample-data/expected/predictions.parquet")
                                        .toString()),
                "customer_id",
                List.of("prob"),
                List.of());
    }
}
