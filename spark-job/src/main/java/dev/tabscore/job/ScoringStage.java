package dev.tabscore.job;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.job.spark.GatedCommitProtocol;
import dev.tabscore.job.spark.IdentityParquetFormat;
import dev.tabscore.job.spark.IdentityValues;
import dev.tabscore.job.spark.PartitionScorer;
import dev.tabscore.job.spark.PreCommit;
import dev.tabscore.job.spark.QualityAccumulator;
import dev.tabscore.job.spark.ScoringPlan;
import dev.tabscore.job.spark.SparkInternals;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The scoring stage: the plan broadcast to the tasks, {@code mapPartitions} over the input's column
 * batches (or internal rows), and the write into the run's staging directory through Spark's commit
 * protocol with the quality gate before commit; the write appends the identity columns to every row
 * ({@link IdentityParquetFormat}).
 */
public final class ScoringStage {

    private ScoringStage() {}

    /**
     * The scored rows, not yet computed.
     *
     * @param rows the scored rows, without the identity columns
     * @param identity the identity columns, appended to every row by the write
     * @param inputRead how the tasks read the input: column_batches (vectorized scan) or rows
     */
    record Scored(Dataset<Row> rows, IdentityValues identity, String inputRead) {}

    /** Broadcasts what every task needs to score: bundle pin, contract, fields, knobs. */
    static Broadcast<ScoringPlan> broadcast(
            SparkSession spark,
            JobConfig config,
            Bundle bundle,
            InputPlan in,
            RunKnobs knobs,
            Instant scoredAt,
            String staging) {
        // Executors resolve the URI themselves: a relative local path must not depend on
        // their working directory.
        String bundleUri = BundleFiles.toPath(config.bundle().uri()).toString();
        ScoringPlan plan =
                new ScoringPlan(
                        bundleUri,
                        bundle.digest(),
                        in.contract(),
                        in.keep(),
                        config.scoring().batchSize(),
                        config.scoring().device(),
                        config.scoring().model(),
                        config.scoring().threadsPerTask(),
                        config.runId(),
                        scoredAt.getEpochSecond() * 1_000_000L + scoredAt.getNano() / 1000,
                        knobs.failAfterRows(),
                        knobs.failPartition(),
                        in.idFields(),
                        in.policies(),
                        in.rejectFields(),
                        BundleFiles.toPath(staging).toString(),
                        Arrays.asList(
                                bundle.manifest().name(),
                                bundle.manifest().version(),
                                bundle.digest(),
                                config.runId(),
                                signer(bundle)));
        return spark.sparkContext()
                .broadcast(plan, scala.reflect.ClassTag$.MODULE$.apply(ScoringPlan.class));
    }

    /** The run's accumulators: rows, partitions, bundle opens, quality, reject files. */
    static PartitionScorer.JobMetrics metrics(SparkSession spark) {
        LongAccumulator rowsIn = spark.sparkContext().longAccumulator("tabscore.rows_in");
        LongAccumulator rowsScored = spark.sparkContext().longAccumulator("tabscore.rows_scored");
        LongAccumulator partitions = spark.sparkContext().longAccumulator("tabscore.partitions");
        CollectionAccumulator<String> opens =
                spark.sparkContext().collectionAccumulator("tabscore.bundle_opens");
        LongAccumulator rowsRejected =
                spark.sparkContext().longAccumulator("tabscore.rows_rejected");
        QualityAccumulator quality = new QualityAccumulator();
        spark.sparkContext().register(quality, "tabscore.quality");
        CollectionAccumulator<String> rejectFiles =
                spark.sparkContext().collectionAccumulator("tabscore.reject_files");
        return new PartitionScorer.JobMetrics(
                rowsIn, rowsScored, partitions, opens, rowsRejected, quality, rejectFiles);
    }

    /** The scored rows of the input, with a backfill's literal column; the identity apart. */
    static Scored scored(
            SparkSession spark,
            InputPlan in,
            Broadcast<ScoringPlan> plan,
            PartitionScorer.JobMetrics metrics,
            Bundle bundle,
            JobConfig config,
            RunScope scope,
            Instant scoredAt) {
        PartitionScorer scorer = new PartitionScorer(plan, in.schema(), metrics);
        // The vectorized scan's batches when the plan is only a scan (Parquet, ORC): tasks
        // read the decoded vectors in place; else (CSV, a wider plan) internal rows, not
        // external Row encoders (the largest cost in the task profile).
        RDD<ColumnarBatch> batches = SparkInternals.columnarScan(in.input());
        var rows =
                batches != null
                        ? batches.toJavaRDD().mapPartitions(scorer.columnar()).rdd()
                        : SparkInternals.internalRows(in.input())
                                .toJavaRDD()
                                .mapPartitions(scorer)
                                .rdd();
        Dataset<Row> df = SparkInternals.fromInternalRows(spark, rows, in.outSchema());
        return new Scored(
                withLiteralColumn(df, scope),
                identity(bundle, config, scoredAt),
                batches != null ? "column_batches" : "rows");
    }

    /**
     * A backfill's literal column (its snapshot value) appended to the scored rows. The identity
     * columns are not: the write appends them ({@link IdentityParquetFormat}).
     */
    private static Dataset<Row> withLiteralColumn(Dataset<Row> scored, RunScope scope) {
        if (scope.literalColumn() != null) {
            scored = scored.withColumn(scope.literalColumn(), functions.lit(scope.literalValue()));
        }
        return scored;
    }

    /** The run's identity columns, the same on every row. */
    static IdentityValues identity(Bundle bundle, JobConfig config, Instant scoredAt) {
        Instant at = scoredAt.truncatedTo(ChronoUnit.MICROS);
        return new IdentityValues(
                bundle.manifest().name(),
                bundle.manifest().version(),
                bundle.digest(),
                config.runId(),
                at.getEpochSecond() * 1_000_000L + at.getNano() / 1000,
                signer(bundle));
    }

    /** The verified signer's identity, null when no signature was verified. */
    static String signer(Bundle bundle) {
        return bundle.signer() == null ? null : bundle.signer().identity();
    }

    /** The identity columns that are strings, the same on every row of a run. */
    static final List<String> IDENTITY_STRINGS =
            List.of("bundle_name", "bundle_version", "bundle_digest", "run_id", "bundle_signer");

    /**
     * Leaves out the Parquet min/max and size statistics of the constant identity strings: Parquet
     * compares every value with the chunk's min and max, and the floor's pass took 1.12x less CPU
     * without it (docs/benchmarks.md, "Identity columns"). The values stay on every row,
     * dictionary-encoded; what readers lose is min/max pruning on these columns, where every row
     * group holds the run's one value anyway. Parquet takes per-column settings with a {@code
     * #column} suffix; Spark hands write options to the Parquet writer's configuration.
     */
    static DataFrameWriter<Row> withoutIdentityStatistics(DataFrameWriter<Row> w) {
        for (String c : IDENTITY_STRINGS) {
            w =
                    w.option("parquet.column.statistics.enabled#" + c, "false")
                            .option("parquet.size.statistics.enabled#" + c, "false");
        }
        return w;
    }

    /**
     * Writes the scored rows into the run's staging directory through Spark's commit protocol (a
     * static overwrite of a directory only this run uses, whatever the output mode: the mode
     * decides what the publication replaces, not what Spark deletes), with the gate armed to run
     * after the tasks and before the commit. Throws what Spark throws.
     */
    static void writeGated(
            SparkSession spark, Scored scored, Path target, QualityGate gate, JobConfig config)
            throws Exception {
        try (PreCommit.Armed armed = PreCommit.arm(gate::beforeCommit)) {
            DataFrameWriter<Row> w =
                    withoutIdentityStatistics(
                            scored.rows()
                                    .write()
                                    .format(IdentityParquetFormat.class.getName())
                                    .options(scored.identity().options())
                                    .mode(SaveMode.Overwrite)
                                    .option("partitionOverwriteMode", "static"));
            List<String> partitionBy = config.output().partitionBy();
            if (!partitionBy.isEmpty()) {
                w = w.partitionBy(partitionBy.toArray(new String[0]));
            }
            w.save(target.toString());
            if (!armed.ran()) {
                // The staged output is committed, but the pre-commit check never saw it.
                throw new IllegalStateException(
                        "internal error: the pre-commit check did not run"
                                + " before Spark committed "
                                + BundleFiles.redact(config.output().uri())
                                + " (commit protocol "
                                + spark.conf().get(GatedCommitProtocol.SPARK_KEY, "?")
                                + ")");
            }
        }
    }
}
