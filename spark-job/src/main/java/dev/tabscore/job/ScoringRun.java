package dev.tabscore.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.OutputLayout;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.job.spark.ExecutorBundles;
import dev.tabscore.job.spark.InputContract;
import dev.tabscore.job.spark.OutputSchema;
import dev.tabscore.job.spark.PartitionScorer;
import dev.tabscore.job.spark.ScoringPlan;
import dev.tabscore.job.spark.StatsAccumulator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * One scoring run on the driver: verify the bundle, check the input against its contract,
 * broadcast the plan, score in {@code mapPartitions}, write Parquet through Spark's commit
 * protocol, then write and print the run summary.
 */
public final class ScoringRun {

    /** The JSON mapper of the summary. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    private final JobConfig config;
    private final int showRows;

    /**
     * Creates a run.
     *
     * @param config a complete config ({@link JobConfigLoader#complete})
     * @param showRows how many output rows to print after writing (0 for none)
     */
    public ScoringRun(JobConfig config, int showRows) {
        this.config = config;
        this.showRows = showRows;
    }

    /**
     * Runs the job.
     *
     * @return the exit code
     */
    public int run() {
        Map<String, Double> timings = new LinkedHashMap<>();
        long start = System.nanoTime();
        SparkSession spark = session();
        timings.put("session_s", seconds(start));
        try {
            return score(spark, timings, start);
        } finally {
            if (!config.spark().conf().containsKey("tabscore.keep_session")) {
                spark.stop();
            }
        }
    }

    private int score(SparkSession spark, Map<String, Double> timings, long start) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        long t = System.nanoTime();
        Bundle bundle = Bundle.open(config.bundle().uri(), BundleOptions.defaults()
                .withHadoopConf(hadoop)
                .withExpectDigest(config.bundle().expectDigest())
                .withDevice("cpu")
                .withModel(config.scoring().model()));
        timings.put("bundle_open_verify_s", seconds(t));

        t = System.nanoTime();
        Dataset<Row> input = read(spark);
        StructType schema = input.schema();
        InputContract contract = InputContract.check(schema, bundle.manifest());
        List<Integer> keep = keptFields(schema);
        OutputLayout layout = bundle.outputs();
        StructType outSchema = OutputSchema.of(schema, keep, layout);
        timings.put("input_check_s", seconds(t));

        Instant scoredAt = Instant.now();
        ScoringPlan plan = new ScoringPlan(config.bundle().uri(), bundle.digest(),
                bundle.manifestFile().json().toString(), contract, keep,
                config.scoring().batchSize(), config.scoring().device(),
                config.scoring().model(), config.scoring().threadsPerTask(), config.runId(),
                scoredAt.getEpochSecond() * 1_000_000L + scoredAt.getNano() / 1000);
        Broadcast<ScoringPlan> broadcast = spark.sparkContext().broadcast(plan,
                scala.reflect.ClassTag$.MODULE$.apply(ScoringPlan.class));
        PartitionScorer.JobMetrics metrics = metrics(spark);
        if (spark.sparkContext().isLocal() && ExecutorBundles.seed(bundle)) {
            // The driver is the executor: its verified bundle is this JVM's one open.
            metrics.bundleOpens().add(ExecutorBundles.jvmId());
        }

        t = System.nanoTime();
        Dataset<Row> scored = input.mapPartitions(
                new PartitionScorer(broadcast.value(), metrics), Encoders.row(outSchema));
        try {
            write(scored);
        } catch (RuntimeException e) {
            BundleException cause = findBundleException(e);
            if (cause != null) {
                throw cause;
            }
            throw new BundleException(Reason.SCORING_FAILED, "scoring failed; nothing was "
                    + "committed to " + config.output().uri() + ": " + rootMessage(e), e);
        }
        timings.put("score_write_s", seconds(t));
        timings.put("total_s", seconds(start));

        ObjectNode summary = RunSummary.build(config, bundle, spark, metrics, timings, scoredAt);
        writeSummary(hadoop, summary);
        System.out.println(summary.toPrettyString());
        System.out.println("tabscore-job: wrote " + metrics.rowsScored().value() + " rows to "
                + config.output().uri() + "; summary " + config.output().summaryUri());
        if (showRows > 0) {
            spark.read().parquet(config.output().uri()).show(showRows, false);
        }
        long in = metrics.rowsIn().value();
        long out = metrics.rowsScored().value();
        if (in != out) {
            System.err.println("tabscore-job: rows in (" + in + ") != rows scored (" + out + ")");
            return ExitCodes.SCORING_FAILED;
        }
        return ExitCodes.OK;
    }

    private SparkSession session() {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(config.spark().master() == null ? "local[*]" : config.spark().master());
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(config.spark().appName());
        }
        for (Map.Entry<String, String> e : config.spark().conf().entrySet()) {
            if (!e.getKey().startsWith("tabscore.")) {
                conf.set(e.getKey(), e.getValue());
            }
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private Dataset<Row> read(SparkSession spark) {
        DataFrameReader reader = spark.read().format(config.input().format())
                .options(config.input().options());
        try {
            return reader.load(config.input().uris().toArray(new String[0]));
        } catch (RuntimeException e) {
            throw new BundleException(Reason.INPUT_SCHEMA, "input " + config.input().uris()
                    + " cannot be read as " + config.input().format() + ": " + rootMessage(e), e);
        }
    }

    private List<Integer> keptFields(StructType schema) {
        List<String> names = new ArrayList<>(config.input().idColumns());
        names.addAll(config.input().passthroughColumns());
        List<Integer> keep = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            int idx = List.of(schema.fieldNames()).indexOf(n);
            if (idx < 0) {
                missing.add(n);
            } else if (!keep.contains(idx)) {
                keep.add(idx);
            }
        }
        if (!missing.isEmpty()) {
            throw new BundleException(Reason.INPUT_SCHEMA, "id/passthrough columns " + missing
                    + " are not in the input; input columns are " + List.of(schema.fieldNames()));
        }
        return keep;
    }

    private PartitionScorer.JobMetrics metrics(SparkSession spark) {
        LongAccumulator rowsIn = spark.sparkContext().longAccumulator("tabscore.rows_in");
        LongAccumulator rowsScored = spark.sparkContext().longAccumulator("tabscore.rows_scored");
        CollectionAccumulator<String> opens =
                spark.sparkContext().collectionAccumulator("tabscore.bundle_opens");
        StatsAccumulator stats = new StatsAccumulator();
        spark.sparkContext().register(stats, "tabscore.transform_stats");
        return new PartitionScorer.JobMetrics(rowsIn, rowsScored, opens, stats);
    }

    private void write(Dataset<Row> scored) {
        DataFrameWriter<Row> w = scored.write().format("parquet");
        List<String> partitionBy = config.output().partitionBy();
        if (!partitionBy.isEmpty()) {
            w = w.partitionBy(partitionBy.toArray(new String[0]));
        }
        switch (config.output().mode()) {
            case "overwrite" -> w = w.mode(SaveMode.Overwrite);
            case "overwrite_partitions" -> w = w.mode(SaveMode.Overwrite)
                    .option("partitionOverwriteMode", "dynamic");
            default -> w = w.mode(SaveMode.ErrorIfExists);
        }
        w.save(config.output().uri());
    }

    private void writeSummary(Configuration hadoop, ObjectNode summary) {
        Path p = BundleFiles.toPath(config.output().summaryUri());
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            try (OutputStream out = fs.create(p, true)) {
                out.write(JSON.writeValueAsString(summary).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new BundleException(Reason.SCORING_FAILED, "cannot write the run summary to "
                    + config.output().summaryUri() + ": " + e.getMessage(), e);
        }
    }

    static BundleException findBundleException(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BundleException be) {
                return be;
            }
        }
        return null;
    }

    static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getName() : m.lines().findFirst().orElse(m);
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
    }

}
