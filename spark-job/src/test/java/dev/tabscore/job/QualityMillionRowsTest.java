package dev.tabscore.job;

import static dev.tabscore.job.SummaryStatsSql.checkBins;
import static dev.tabscore.job.SummaryStatsSql.checkCategorical;
import static dev.tabscore.job.SummaryStatsSql.checkNumeric;
import static dev.tabscore.job.SummaryStatsSql.sql;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One million rows made from the sample input (every customer 200 times), 1% of them bad in one of
 * three ways: an age that is not a number (the column is a string column of numbers), a null income
 * under {@code on_null: reject}, an unseen region under {@code on_unknown: reject}. The counts
 * reconcile exactly, the rejects hold exactly those rows with the right reason, and every statistic
 * of the run summary equals a direct Spark SQL computation over the same input (or, for the score,
 * over the written output), recomputed by {@link SummaryStatsSql}.
 */
class QualityMillionRowsTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final Path SAMPLE_FILE =
            ROOT.resolve("sample-data/input/snapshot=2026-11-01/part-0.parquet");
    private static final List<String> REGIONS =
            List.of("north", "south", "east", "west", "central");
    private static final long ROWS = 1_000_000;

    @TempDir static Path tmp;
    static Path in;
    static Path out;
    static JsonNode summary;
    static JobTesting.Run run;

    @BeforeAll
    static void scoreAMillionRows() {
        JobTesting.onlyInExecution("default-test");
        SparkSession spark = JobTesting.spark();
        in = tmp.resolve("million-in");
        out = tmp.resolve("million-out");
        Dataset<Row> base =
                spark.read()
                        .parquet(SAMPLE_FILE.toString())
                        .crossJoin(spark.range(200).withColumnRenamed("id", "rep"))
                        .withColumn(
                                "customer_id", col("customer_id").multiply(1000).plus(col("rep")))
                        // clean first, so that the only bad rows are the ones made below
                        .withColumn("income", coalesce(col("income"), lit(50_000.0)))
                        .withColumn(
                                "region",
                                when(col("region").isin(REGIONS.toArray()), col("region"))
                                        .otherwise(lit(null)))
                        .withColumn(
                                "defect", pmod(hash(col("customer_id")), lit(300)).cast("long"));
        base.withColumn(
                        "age",
                        when(col("defect").equalTo(0), lit("n/a"))
                                .otherwise(col("age").cast("string")))
                .withColumn(
                        "income",
                        when(col("defect").equalTo(1), lit(null)).otherwise(col("income")))
                .withColumn(
                        "region",
                        when(col("defect").equalTo(2), lit("atlantis")).otherwise(col("region")))
                .drop("rep")
                .repartition(4)
                .write()
                .parquet(in.toString());
        run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                in.toString(),
                                "--id-col",
                                "customer_id",
                                "--passthrough-col",
                                "defect",
                                "--output",
                                out.toString(),
                                "--run-id",
                                "million",
                                "--policy",
                                "income.on_null=reject",
                                "--policy",
                                "region.on_unknown=reject"));
        summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
    }

    @Test
    void countsReconcileAndTheRejectsAreExactlyTheBadRowsWithTheirReasons() {
        assertEquals(0, run.exitCode(), run.toString());
        SparkSession spark = JobTesting.spark();
        Dataset<Row> input = spark.read().parquet(in.toString());
        assertEquals(ROWS, input.count());
        long bad = input.filter(col("defect").lt(3)).count();
        assertTrue(bad > 9_000 && bad < 11_000, "about 1% bad rows: " + bad);

        JsonNode rows = summary.path("rows");
        assertEquals(ROWS, rows.path("in").asLong());
        assertEquals(ROWS - bad, rows.path("scored").asLong());
        assertEquals(bad, rows.path("rejected").asLong());
        assertTrue(rows.path("reconciled").asBoolean());

        Dataset<Row> scored = spark.read().parquet(out.toString());
        Dataset<Row> rejects = spark.read().parquet(out.resolve("_tabscore_rejects").toString());
        assertEquals(ROWS - bad, scored.count());
        assertEquals(bad, rejects.count());
        assertEquals(0, scored.filter(col("defect").lt(3)).count(), "no bad row was scored");
        assertEquals(
                ROWS,
                scored.select("customer_id")
                        .union(rejects.select("customer_id"))
                        .distinct()
                        .count(),
                "every input id once, scored or rejected");

        Map<Long, String[]> want =
                Map.of(
                        0L,
                        new String[] {"invalid_value", "age"},
                        1L,
                        new String[] {"null_value", "income"},
                        2L,
                        new String[] {"unknown_category", "region"});
        for (Row r :
                rejects.groupBy("defect", "reject_reason", "reject_column")
                        .count()
                        .collectAsList()) {
            String[] w = want.get(r.getLong(0));
            assertEquals(w[0], r.getString(1), "reason of defect " + r.getLong(0));
            assertEquals(w[1], r.getString(2), "column of defect " + r.getLong(0));
        }
        assertEquals(3, rejects.select("defect").distinct().count());
        // original values kept, typed as in the input, and the run's identity
        assertEquals(
                input.filter(col("defect").equalTo(0)).count(),
                rejects.filter(col("age").equalTo("n/a")).count());
        assertEquals(
                input.filter(col("defect").equalTo(2)).count(),
                rejects.filter(col("region").equalTo("atlantis")).count());
        assertEquals(1, rejects.select("run_id", "bundle_digest").distinct().count());
        assertEquals("million", rejects.first().getAs("run_id"));
        Row detail = rejects.filter(col("defect").equalTo(0)).first();
        assertEquals("value 'n/a' cannot be read as a number", detail.getAs("reject_detail"));

        JsonNode byReason = summary.at("/quality/rejects/by_reason");
        for (Map.Entry<Long, String[]> e : want.entrySet()) {
            assertEquals(
                    input.filter(col("defect").equalTo(e.getKey())).count(),
                    byReason.path(e.getValue()[0]).asLong(),
                    e.getValue()[0]);
        }
    }

    @Test
    void everyStatisticEqualsADirectSparkSqlComputation() {
        SparkSession spark = JobTesting.spark();
        spark.read().parquet(in.toString()).createOrReplaceTempView("million_in");
        spark.read().parquet(out.toString()).createOrReplaceTempView("million_out");
        JsonNode cols = summary.at("/quality/columns");

        // age: a string column of numbers, parsed; 'n/a' is invalid
        Row age =
                sql(
                        "SELECT count(*), "
                                + "sum(CASE WHEN age IS NULL OR isnan(try_cast(age AS DOUBLE)) THEN 1 ELSE 0 END),"
                                + "sum(CASE WHEN age IS NOT NULL AND try_cast(age AS DOUBLE) IS NULL THEN 1 "
                                + "ELSE 0 END) FROM million_in");
        JsonNode a = cols.path("age");
        assertEquals(age.getLong(0), a.path("rows").asLong());
        assertEquals(age.getLong(1), a.path("missing").asLong());
        assertEquals(age.getLong(2), a.path("invalid").asLong());
        checkNumeric(a, "try_cast(age AS DOUBLE)", "million_in");

        JsonNode income = cols.path("income");
        assertEquals(
                sql("SELECT count(*) FROM million_in WHERE income IS NULL").getLong(0),
                income.path("missing").asLong());
        checkNumeric(income, "income", "million_in");

        JsonNode region = cols.path("region");
        String known = "('" + String.join("','", REGIONS) + "')";
        assertEquals(
                sql("SELECT count(*) FROM million_in WHERE region IS NOT NULL AND region "
                                + "NOT IN "
                                + known)
                        .getLong(0),
                region.path("unknown").asLong());
        assertEquals(
                sql("SELECT count(*) FROM million_in WHERE region = 'atlantis'").getLong(0),
                region.at("/unknown_values/atlantis").asLong());
        checkCategorical(region, "region", "million_in");
        JsonNode channel = cols.path("channel");
        assertEquals(
                sql("SELECT count(*) FROM million_in WHERE channel IS NOT NULL AND channel "
                                + "NOT IN ('web','store','phone','partner')")
                        .getLong(0),
                channel.path("unknown").asLong());
        checkCategorical(channel, "channel", "million_in");

        // the score, over the rows written
        JsonNode prob = summary.at("/quality/scores/prob");
        Row p = sql("SELECT count(*), avg(prob), min(prob), max(prob) FROM million_out");
        assertEquals(p.getLong(0), prob.path("count").asLong());
        assertEquals(p.getDouble(1), prob.path("mean").asDouble(), 1e-12);
        assertEquals(p.getDouble(2), prob.path("min").asDouble(), 0.0);
        assertEquals(p.getDouble(3), prob.path("max").asDouble(), 0.0);
        double resolution = prob.path("quantile_resolution").asDouble();
        for (String q : List.of("0.01", "0.05", "0.25", "0.5", "0.75", "0.95", "0.99")) {
            double exact = sql("SELECT percentile(prob, " + q + ") FROM million_out").getDouble(0);
            assertEquals(
                    exact,
                    prob.path("quantiles").path(q).asDouble(Double.NaN),
                    resolution,
                    "quantile " + q);
        }
        checkBins(prob, "prob", "million_out");
    }
}
