package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ScoringJob} on local Spark with {@code --model state_dict}, {@code onnx}, {@code
 * torchscript} and {@code auto}, over the model-kind fixture that holds all three artifacts of one
 * trained network ({@code scripts/make_model_kind_fixtures.py}: BatchNorm1d, LayerNorm, SiLU, ELU,
 * Softplus, Mish). Every kind must give Python's golden predictions and each other's within the
 * manifest's output tolerance, and the run summary must name the artifact that scored; {@code auto}
 * must be the state_dict (the path that runs no code from the bundle).
 */
@ExtendWith(LocalJobSession.class)
class ModelKindsJobTest {

    private static final Path BUNDLE =
            JobTesting.repoRoot()
                    .resolve("bundle-core/src/test/resources/model-kinds/normed-binary");

    /** Copies of the 66 golden rows, so a run spans several batches and both task threads. */
    private static final int COPIES = 40;

    @TempDir static Path tmp;

    @Test
    void everyModelKindScoresAlikeAndTheSummaryNamesTheArtifact() throws IOException {
        SparkSession spark = JobTesting.spark();
        JsonNode tolerance =
                JobTesting.JSON
                        .readTree(BUNDLE.resolve("manifest.json").toFile())
                        .at("/golden/output_tolerance");
        double rtol = tolerance.path("rtol").asDouble(Double.NaN);
        double atol = tolerance.path("atol").asDouble(Double.NaN);
        assertTrue(rtol > 0 && atol > 0, "the fixture's output tolerance: " + tolerance);

        // Row r of the input is golden row r % 66, so its expected prob is Python's for that row.
        Dataset<Row> golden =
                PredictionChecks.withRowIndex(spark, BUNDLE.resolve("golden/input.parquet"));
        long goldenRows = golden.count();
        Dataset<Row> input =
                golden.crossJoin(spark.range(COPIES).toDF("copy"))
                        .withColumn(
                                "id",
                                functions
                                        .col("copy")
                                        .multiply(goldenRows)
                                        .plus(functions.col("id")))
                        .drop("copy");
        Path inputDir = tmp.resolve("input");
        input.repartition(4).write().parquet(inputDir.toString());
        Map<Long, Double> python = new HashMap<>();
        for (Row r :
                PredictionChecks.withRowIndex(spark, BUNDLE.resolve("golden/output.parquet"))
                        .select("id", "prob")
                        .collectAsList()) {
            python.put(r.getLong(0), r.getDouble(1));
        }

        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put("state_dict", "model_state.pt");
        artifacts.put("onnx", "model.onnx");
        artifacts.put("torchscript", "model.torchscript.pt");
        artifacts.put("auto", "model_state.pt");
        Map<String, Map<Long, Double>> byKind = new LinkedHashMap<>();
        for (Map.Entry<String, String> kind : artifacts.entrySet()) {
            Path out = tmp.resolve("out-" + kind.getKey());
            long started = System.nanoTime();
            JobTesting.Run run =
                    JobTesting.run(
                            JobTesting.localArgs(
                                    "--bundle", BUNDLE.toString(),
                                    "--input", inputDir.toString(),
                                    "--id-col", "id",
                                    "--output", out.toString(),
                                    "--batch-size", "512",
                                    "--model", kind.getKey(),
                                    "--run-id", "it-model-" + kind.getKey()));
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(ExitCodes.OK, run.exitCode(), kind.getKey() + ": " + run);

            JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
            String expectedKind = kind.getKey().equals("auto") ? "state_dict" : kind.getKey();
            assertEquals(
                    expectedKind,
                    summary.at("/bundle/model_kind").asText(),
                    kind.getKey() + ": " + summary);
            assertEquals(
                    kind.getValue(),
                    summary.at("/bundle/model_artifact").asText(),
                    kind.getKey() + ": " + summary);
            assertEquals(
                    goldenRows * COPIES,
                    summary.at("/rows/scored").asLong(),
                    kind.getKey() + ": " + summary);

            Map<Long, Double> probs = new HashMap<>();
            for (Row r :
                    spark.read().parquet(out.toString()).select("id", "prob").collectAsList()) {
                probs.put(r.getLong(0), r.getDouble(1));
            }
            assertEquals(goldenRows * COPIES, probs.size(), kind.getKey() + ": rows out");
            double maxDiff = 0;
            for (Map.Entry<Long, Double> p : probs.entrySet()) {
                double expected = python.get(p.getKey() % goldenRows);
                double diff = Math.abs(p.getValue() - expected);
                maxDiff = Math.max(maxDiff, diff);
                assertTrue(
                        diff <= atol + rtol * Math.abs(expected),
                        kind.getKey()
                                + " id "
                                + p.getKey()
                                + ": java "
                                + p.getValue()
                                + ", python "
                                + expected);
            }
            System.out.printf(
                    "--model %s: %d rows in %.2f s (whole run), score_write_s %s, "
                            + "max |java - python| = %.2e%n",
                    kind.getKey(),
                    probs.size(),
                    seconds,
                    summary.at("/timings_s/score_write_s").asText(),
                    maxDiff);
            byKind.put(kind.getKey(), probs);
        }

        // The kinds against each other, row by row; auto is the state_dict run again, exactly.
        Map<Long, Double> stateDict = byKind.get("state_dict");
        for (String other : List.of("onnx", "torchscript")) {
            stateDict.forEach(
                    (id, p) -> {
                        double q = byKind.get(other).get(id);
                        assertTrue(
                                Math.abs(p - q) <= atol + rtol * Math.abs(p),
                                "id " + id + ": state_dict " + p + ", " + other + " " + q);
                    });
        }
        assertEquals(stateDict, byKind.get("auto"), "auto scores with the state_dict");
    }
}
