package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tabscore.bundle.ExitCodes;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job in Spark {@code local[2]} on the sample bundle with the sample input in other forms than
 * Parquet (CSV, ORC, numbers stored as strings), against Python's predictions. Parquet itself, the
 * identity columns and the summary: {@link ScoringJobLocalTest}.
 */
@ExtendWith(LocalJobSession.class)
class InputFormatsJobTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final Path SAMPLE_INPUT = ROOT.resolve("sample-data/input");
    private static final Path SAMPLE_FILE =
            SAMPLE_INPUT.resolve("snapshot=2026-11-01/part-0.parquet");

    @TempDir static Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"csv", "orc"})
    void csvAndOrcInputsScoreLikeParquet(String format) {
        SparkSession spark = JobTesting.spark();
        Path in = tmp.resolve("sample-" + format);
        Dataset<Row> sample = spark.read().parquet(SAMPLE_INPUT.toString()).drop("snapshot");
        if (format.equals("csv")) {
            // Spark's CSV writer trims whitespace by default; " north" must stay " north".
            sample.write()
                    .option("header", "true")
                    .option("ignoreLeadingWhiteSpace", "false")
                    .option("ignoreTrailingWhiteSpace", "false")
                    .csv(in.toString());
        } else {
            sample.write().orc(in.toString());
        }
        Path out = tmp.resolve("sample-out-" + format);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                in.toString(),
                                "--format",
                                format,
                                "--output",
                                out.toString(),
                                "--id-col",
                                "customer_id",
                                "--run-id",
                                "it-" + format));
        if (format.equals("csv")) {
            args.addAll(
                    List.of("--input-option", "header=true", "--input-option", "inferSchema=true"));
        }
        JobTesting.Run run = JobTesting.run(JobTesting.localArgs(args.toArray(new String[0])));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        // ORC is read as the vectorized scan's column batches, CSV as rows
        assertEquals(
                format.equals("orc") ? "column_batches" : "rows",
                JobTesting.summary(out.resolve("_tabscore_summary.json"))
                        .path("input_read")
                        .asText());
        Dataset<Row> expected =
                spark.read()
                        .parquet(
                                ROOT.resolve("sample-data/expected/predictions.parquet")
                                        .toString());
        Dataset<Row> actual =
                spark.read()
                        .parquet(out.toString())
                        .select(
                                functions.col("customer_id").cast("long").as("customer_id"),
                                functions.col("prob"));
        assertEquals(sample.count(), actual.count(), "rows in vs rows out");
        if (format.equals("csv")) {
            // CSV cannot tell an empty string from a missing value (Spark reads both back as
            // null), so the rows whose category is "" (an unseen category in Parquet) are imputed
            // instead: compare the others.
            Dataset<Row> lossless =
                    sample.filter(
                                    functions.not(
                                            functions
                                                    .col("region")
                                                    .equalTo("")
                                                    .or(functions.col("channel").equalTo(""))))
                            .select("customer_id");
            expected = expected.join(lossless, "customer_id");
            actual = actual.join(lossless, "customer_id");
        }
        double maxDiff =
                PredictionChecks.assertMatches(
                        "sample-data as " + format,
                        actual,
                        expected,
                        "customer_id",
                        List.of("prob"),
                        List.of());
        System.out.println("sample-data as " + format + ": max |java - python| = " + maxDiff);
    }

    @Test
    void numbersStoredAsStringsScoreExactlyAsTheNumbers() {
        // scikit-learn converts an object column of numeric strings with float(); so do we
        Path in = tmp.resolve("age-string");
        JobTesting.spark()
                .read()
                .parquet(SAMPLE_FILE.toString())
                .withColumn("age", functions.col("age").cast("string"))
                .write()
                .parquet(in.toString());
        Path out = tmp.resolve("age-string-out");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                in.toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString()));
        assertEquals(0, run.exitCode(), run.toString());
        SparkSession spark = JobTesting.spark();
        PredictionChecks.assertMatches(
                "age as strings",
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
