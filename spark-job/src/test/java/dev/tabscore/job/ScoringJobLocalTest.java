package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.manifest.ManifestFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job end to end in Spark {@code local[2]}, in this JVM: the sample bundle and input against
 * Python's predictions, the 16 sealed fixture bundles against their golden outputs, and every
 * refusal (exit code, message, and no output directory).
 */
class ScoringJobLocalTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final Path SAMPLE_INPUT = ROOT.resolve("sample-data/input");
    private static final Path SAMPLE_FILE =
            SAMPLE_INPUT.resolve("snapshot=2026-11-01/part-0.parquet");
    private static final Path SEALED = ROOT.resolve("bundle-core/src/test/resources/sealed");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void session() {
        JobTesting.onlyInExecution("default-test");
        JobTesting.spark();
    }

    @Test
    void sampleBundleMatchesPythonWithIdentityAndSummary() {
        Path out = tmp.resolve("sample-out");
        String runId = "it-sample-1";
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs(
                "--config", ROOT.resolve("conf/local.yaml").toString(),
                "--bundle", SAMPLE_BUNDLE.toString(),
                "--input", SAMPLE_INPUT.toString(),
                "--output", out.toString(),
                "--mode", "error_if_exists",
                "--run-id", runId));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());

        SparkSession spark = JobTesting.spark();
        Dataset<Row> scored = spark.read().parquet(out.toString());
        assertEquals(List.of("customer_id", "prob", "bundle_name", "bundle_version",
                "bundle_digest", "run_id", "scored_at", "bundle_signer", "snapshot"),
                List.of(scored.columns()), "output columns (partition column last)");
        Dataset<Row> input = spark.read().parquet(SAMPLE_INPUT.toString());
        assertEquals(input.count(), scored.count(), "rows in vs rows out");

        ManifestFile mf = JobTesting.manifest(SAMPLE_BUNDLE);
        List<Row> identity = scored.select("bundle_name", "bundle_version", "bundle_digest",
                "run_id").distinct().collectAsList();
        assertEquals(1, identity.size(), "one identity for the whole run: " + identity);
        Row id = identity.get(0);
        assertEquals(mf.manifest().name(), id.getString(0));
        assertEquals(mf.manifest().version(), id.getString(1));
        assertEquals(mf.digest(), id.getString(2));
        assertEquals(runId, id.getString(3));
        assertEquals(0, scored.filter(functions.col("scored_at").isNull()).count());
        // no trust configured: no signature verified, bundle_signer is null on every row
        assertEquals(scored.count(), scored.filter(functions.col("bundle_signer").isNull())
                .count());

        double maxDiff = JobTesting.assertMatches("sample-data",
                scored.select("customer_id", "prob"),
                spark.read().parquet(ROOT.resolve("sample-data/expected/predictions.parquet")
                        .toString()),
                "customer_id", List.of("prob"), List.of());
        System.out.println("sample-data: max |java - python| = " + maxDiff);

        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals("ok", summary.get("status").asText());
        assertEquals(runId, summary.get("run_id").asText());
        assertEquals(5000, summary.at("/rows/in").asLong());
        assertEquals(summary.at("/rows/in").asLong(), summary.at("/rows/scored").asLong());
        assertEquals(mf.digest(), summary.at("/bundle/digest").asText());
        assertTrue(summary.at("/bundle/signer").isNull(), summary.toString());
        // Local mode: the driver is the only JVM; its verified bundle serves the tasks.
        assertTrue(summary.at("/bundle_opens/driver/jvm").asText().startsWith("executor-driver/"),
                summary.toString());
        assertEquals(0, summary.at("/bundle_opens/executors/count").asInt(), summary.toString());
        // auto on a machine without CUDA: the CPU, no fallback (no GPU was chosen).
        assertEquals("cpu", summary.at("/bundle_opens/driver/device").asText());
        JsonNode devices = summary.get("devices");
        assertEquals(1, devices.size(), devices.toString());
        assertEquals(summary.at("/bundle_opens/driver/jvm").asText(),
                devices.get(0).get("jvm").asText());
        assertEquals("[]", devices.get(0).get("task_gpus").toString());
        assertEquals("cpu", devices.get(0).get("chosen").asText());
        assertEquals("cpu", devices.get(0).get("device").asText());
        assertFalse(devices.get(0).has("fallback"), devices.toString());
        assertTrue(summary.at("/partitions").asLong() >= 1);
        List<String> counted = new ArrayList<>();
        summary.get("columns").fieldNames().forEachRemaining(counted::add);
        assertEquals(List.of("age", "channel", "income", "region"),
                counted.stream().sorted().toList(), "per-column counts for every contract column");
        assertTrue(summary.at("/columns/region/unknown_values/atlantis").asLong() > 0,
                summary.get("columns").toString());
    }

    @Test
    void explicitGpuWithoutCudaFallsBackToTheCpuAndSaysSo() {
        Path out = tmp.resolve("gpu0-out");
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs(
                "--bundle", SAMPLE_BUNDLE.toString(), "--input", SAMPLE_FILE.toString(),
                "--id-col", "customer_id", "--output", out.toString(), "--device", "gpu:0",
                "--run-id", "it-gpu0"));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals("column_batches", summary.path("input_read").asText(),
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
        assertTrue(d.get("fallback").asText().startsWith("device gpu:0 (configured) was chosen "
                + "but the PyTorch engine sees no CUDA GPU"), d.toString());
        // Said once per JVM: here, unless an earlier test of this JVM fell back first.
        long warnings = run.err().lines()
                .filter(l -> l.contains(" WARN TaskDevice: scoring on the CPU:")).count();
        assertTrue(warnings <= 1, run.err());
        SparkSession spark = JobTesting.spark();
        JobTesting.assertMatches("gpu:0 fallback",
                spark.read().parquet(out.toString()).select("customer_id", "prob"),
                spark.read().parquet(ROOT.resolve("sample-data/expected/predictions.parquet")
                        .toString()), "customer_id", List.of("prob"), List.of());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"csv", "orc"})
    void csvAndOrcInputsScoreLikeParquet(String format) {
        SparkSession spark = JobTesting.spark();
        Path in = tmp.resolve("sample-" + format);
        Dataset<Row> sample = spark.read().parquet(SAMPLE_INPUT.toString()).drop("snapshot");
        if (format.equals("csv")) {
            // Spark's CSV writer trims whitespace by default; " north" must stay " north".
            sample.write().option("header", "true").option("ignoreLeadingWhiteSpace", "false")
                    .option("ignoreTrailingWhiteSpace", "false").csv(in.toString());
        } else {
            sample.write().orc(in.toString());
        }
        Path out = tmp.resolve("sample-out-" + format);
        List<String> args = new ArrayList<>(List.of("--bundle", SAMPLE_BUNDLE.toString(),
                "--input", in.toString(), "--format", format, "--output", out.toString(),
                "--id-col", "customer_id", "--run-id", "it-" + format));
        if (format.equals("csv")) {
            args.addAll(List.of("--input-option", "header=true",
                    "--input-option", "inferSchema=true"));
        }
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs(args.toArray(new String[0])));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        // ORC is read as the vectorized scan's column batches, CSV as rows
        assertEquals(format.equals("orc") ? "column_batches" : "rows", JobTesting.summary(
                out.resolve("_tabscore_summary.json")).path("input_read").asText());
        Dataset<Row> expected = spark.read().parquet(ROOT.resolve(
                "sample-data/expected/predictions.parquet").toString());
        Dataset<Row> actual = spark.read().parquet(out.toString()).select(
                functions.col("customer_id").cast("long").as("customer_id"),
                functions.col("prob"));
        assertEquals(sample.count(), actual.count(), "rows in vs rows out");
        if (format.equals("csv")) {
            // CSV cannot tell an empty string from a missing value (Spark reads both back as
            // null), so the rows whose category is "" (an unseen category in Parquet) are imputed
            // instead: compare the others.
            Dataset<Row> lossless = sample.filter(functions.not(
                    functions.col("region").equalTo("").or(functions.col("channel").equalTo(""))))
                    .select("customer_id");
            expected = expected.join(lossless, "customer_id");
            actual = actual.join(lossless, "customer_id");
        }
        double maxDiff = JobTesting.assertMatches("sample-data as " + format, actual, expected,
                "customer_id", List.of("prob"), List.of());
        System.out.println("sample-data as " + format + ": max |java - python| = " + maxDiff);
    }

    static Stream<Path> fixtures() throws Exception {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> sets = Files.list(SEALED)) {
            for (Path set : sets.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> recipes = Files.list(set)) {
                    recipes.filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                            .sorted().forEach(dirs::add);
                }
            }
        }
        assertEquals(16, dirs.size(), "sealed fixture bundles under " + SEALED + ": " + dirs);
        return dirs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureBundleMatchesGoldenOutput(Path bundle) {
        String name = bundle.getParent().getFileName() + "/" + bundle.getFileName();
        Path work = tmp.resolve("fixtures").resolve(name.replace('/', '_'));
        SparkSession spark = JobTesting.spark();
        JobTesting.withRowIndex(spark, bundle.resolve("golden/input.parquet"))
                .write().parquet(work.resolve("input").toString());
        Path out = work.resolve("out");
        String runId = "it-" + name.replace('/', '-');

        JobTesting.Run run = JobTesting.run(JobTesting.localArgs(
                "--bundle", bundle.toString(),
                "--input", work.resolve("input").toString(),
                "--id-col", "id",
                "--output", out.toString(),
                "--batch-size", "16",
                "--run-id", runId));
        assertEquals(ExitCodes.OK, run.exitCode(), name + ": " + run);

        ManifestFile mf = JobTesting.manifest(bundle);
        Manifest m = mf.manifest();
        List<String> numeric = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        switch (m.task()) {
            case BINARY -> numeric.add("prob");
            case MULTICLASS -> {
                m.classLabels().forEach(c -> numeric.add("prob_" + c));
                strings.add("label");
            }
            case REGRESSION -> numeric.add("prediction");
        }
        List<String> cols = new ArrayList<>(List.of("id"));
        cols.addAll(numeric);
        cols.addAll(strings);
        Dataset<Row> scored = spark.read().parquet(out.toString());
        Dataset<Row> golden =
                JobTesting.withRowIndex(spark, bundle.resolve("golden/output.parquet"));
        double maxDiff = JobTesting.assertMatches(name,
                scored.selectExpr(cols.toArray(new String[0])),
                golden.selectExpr(cols.toArray(new String[0])), "id", numeric, strings);
        System.out.println(name + ": max |java - python| = " + maxDiff);

        List<Row> identity = scored.select("bundle_name", "bundle_version", "bundle_digest",
                "run_id").distinct().collectAsList();
        assertEquals(1, identity.size(), name + ": " + identity);
        assertEquals(List.of(m.name(), m.version(), mf.digest(), runId),
                List.of(identity.get(0).getString(0), identity.get(0).getString(1),
                        identity.get(0).getString(2), identity.get(0).getString(3)));
        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals(64, summary.at("/rows/in").asLong(), name);
        assertEquals(64, summary.at("/rows/scored").asLong(), name);
    }

    @Test
    void inputMissingAContractColumnIsRefusedNamingIt() {
        Path in = tmp.resolve("missing-income");
        JobTesting.spark().read().parquet(SAMPLE_FILE.toString()).drop("income")
                .write().parquet(in.toString());
        Path out = tmp.resolve("missing-income-out");
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs("--bundle",
                SAMPLE_BUNDLE.toString(), "--input", in.toString(), "--id-col", "customer_id",
                "--output", out.toString(), "--run-id", "missing-income"));
        assertEquals(Reason.INPUT_SCHEMA.exitCode(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("missing columns [income]"), run.err());
        assertRefusedWithRecord(out, "missing-income", Reason.INPUT_SCHEMA);
    }

    @Test
    void timestampWhereFloat64IsRefusedNamingTheColumn() {
        Path in = tmp.resolve("age-timestamp");
        JobTesting.spark().read().parquet(SAMPLE_FILE.toString())
                .withColumn("age", functions.expr("try_cast(age AS TIMESTAMP)"))
                .write().parquet(in.toString());
        Path out = tmp.resolve("age-timestamp-out");
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs("--bundle",
                SAMPLE_BUNDLE.toString(), "--input", in.toString(), "--id-col", "customer_id",
                "--output", out.toString(), "--run-id", "age-timestamp"));
        assertEquals(Reason.INPUT_SCHEMA.exitCode(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("'age' is timestamp but the bundle expects float64"),
                run.err());
        assertRefusedWithRecord(out, "age-timestamp", Reason.INPUT_SCHEMA);
    }

    @Test
    void numbersStoredAsStringsScoreExactlyAsTheNumbers() {
        // scikit-learn converts an object column of numeric strings with float(); so do we
        Path in = tmp.resolve("age-string");
        JobTesting.spark().read().parquet(SAMPLE_FILE.toString())
                .withColumn("age", functions.col("age").cast("string"))
                .write().parquet(in.toString());
        Path out = tmp.resolve("age-string-out");
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs("--bundle",
                SAMPLE_BUNDLE.toString(), "--input", in.toString(), "--id-col", "customer_id",
                "--output", out.toString()));
        assertEquals(0, run.exitCode(), run.toString());
        SparkSession spark = JobTesting.spark();
        JobTesting.assertMatches("age as strings",
                spark.read().parquet(out.toString()).select("customer_id", "prob"),
                spark.read().parquet(ROOT.resolve("sample-data/expected/predictions.parquet")
                        .toString()), "customer_id", List.of("prob"), List.of());
    }

    @Test
    void missingInputIsReportedAsMissing() {
        Path out = tmp.resolve("no-input-out");
        Path in = tmp.resolve("no-such-input");
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs("--bundle",
                SAMPLE_BUNDLE.toString(), "--input", in.toString(), "--output", out.toString(),
                "--run-id", "missing"));
        assertEquals(Reason.INPUT_MISSING.exitCode(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("input " + in + " does not exist"), run.err());
        assertRefusedWithRecord(out, "missing", Reason.INPUT_MISSING);
    }

    @Test
    void unreadableInputIsRefused() throws java.io.IOException {
        Path out = tmp.resolve("bad-input-out");
        Path in = Files.writeString(tmp.resolve("not-parquet.parquet"), "not parquet");
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs("--bundle",
                SAMPLE_BUNDLE.toString(), "--input", in.toString(), "--output", out.toString(),
                "--run-id", "bad-input"));
        assertTrue(run.exitCode() == Reason.INPUT_SCHEMA.exitCode()
                || run.exitCode() == Reason.SCORING_FAILED.exitCode(), run.toString());
        QualityGatesTest.assertNothingPublished(out);
    }

    /**
     * A run refused before any work publishes nothing; its own record says why.
     */
    private static void assertRefusedWithRecord(Path out, String runId, Reason reason) {
        QualityGatesTest.assertNothingPublished(out);
        com.fasterxml.jackson.databind.JsonNode r = JobTesting.summary(
                out.resolve("_tabscore_runs/" + runId + "/summary.json"));
        assertEquals("failed", r.path("status").asText());
        assertEquals(reason.exitCode(), r.path("exit_code").asInt());
        assertEquals(reason.name(), r.path("reason").asText());
        assertEquals(reason.retryable(), r.path("retryable").asBoolean());
        assertFalse(r.path("published").asBoolean());
        assertTrue(r.path("message").asText().length() > 0);
    }

    @Test
    void badConfigExitsTwo() {
        Path out = tmp.resolve("bad-config-out");
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs("--bundle",
                SAMPLE_BUNDLE.toString(), "--input", SAMPLE_INPUT.toString(),
                "--output", out.toString(), "--batch-size", "0"));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
        assertTrue(run.err().contains("scoring.batch_size (--batch-size)"), run.err());
        assertFalse(Files.exists(out));

        run = JobTesting.run(JobTesting.localArgs("--bundle", SAMPLE_BUNDLE.toString(),
                "--input", SAMPLE_INPUT.toString(), "--output", out.toString(),
                "--conf", "tabscore.fail_after_row=3"));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
        assertTrue(run.err().contains("'tabscore.fail_after_row' is not a tabscore setting"),
                run.err());
        assertFalse(Files.exists(out));

        run = JobTesting.run(JobTesting.localArgs("--bundle", SAMPLE_BUNDLE.toString(),
                "--input", SAMPLE_INPUT.toString(), "--output", out.toString(),
                "--conf", "tabscore.keep_session=yes"));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void wrongExpectedDigestIsRefused() {
        Path out = tmp.resolve("digest-out");
        String wrong = "sha256:" + "0".repeat(64);
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs("--bundle",
                SAMPLE_BUNDLE.toString(), "--expect-digest", wrong,
                "--input", SAMPLE_INPUT.toString(), "--id-col", "customer_id",
                "--output", out.toString(), "--run-id", "digest"));
        assertEquals(Reason.DIGEST_MISMATCH.exitCode(), run.exitCode(), run.toString());
        assertTrue(run.err().contains(wrong + " was expected"), run.err());
        assertRefusedWithRecord(out, "digest", Reason.DIGEST_MISMATCH);
    }
}
