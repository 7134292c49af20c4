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
import dev.tabscore.bundle.model.Device;
import dev.tabscore.job.spark.ExecutorBundles;
import dev.tabscore.job.spark.InputContract;
import dev.tabscore.job.spark.OutputSchema;
import dev.tabscore.job.spark.PartitionScorer;
import dev.tabscore.job.spark.ScoringPlan;
import dev.tabscore.bundle.quality.ColumnPolicy;
import dev.tabscore.bundle.quality.GateSpec;
import dev.tabscore.bundle.quality.QualityModel;
import dev.tabscore.job.spark.GatedCommitProtocol;
import dev.tabscore.job.spark.PreCommit;
import dev.tabscore.job.spark.QualityAccumulator;
import dev.tabscore.job.spark.RejectsOutput;
import dev.tabscore.job.spark.TaskDevice;
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
import dev.tabscore.job.publish.RunOutput;
import org.apache.spark.SparkConf;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scoring run on the driver: verify the bundle, check the input against its contract,
 * broadcast the plan, score in {@code mapPartitions}, write Parquet through Spark's commit
 * protocol, then write and print the run summary.
 *
 * <p>Job knobs under {@code spark.conf} (or {@code --conf}) that start with {@code tabscore.}
 * are read here and never reach Spark; any other {@code tabscore.} key is refused:
 * <ul>
 *   <li>{@code tabscore.keep_session=true}: leave the Spark session running at the end (tests
 *       and notebooks that run several jobs in one JVM); by default the run stops it.</li>
 *   <li>{@code tabscore.fail_after_rows=N}, {@code tabscore.fail_partition=P}: fault injection
 *       for tests, see {@link PartitionScorer}.</li>
 * </ul>
 */
public final class ScoringRun {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringRun.class);

    /** Keeps the Spark session running after the run ({@code true} / {@code false}). */
    public static final String KEEP_SESSION = "tabscore.keep_session";
    /** Test-only fault injection: fail a task after this many rows. */
    public static final String FAIL_AFTER_ROWS = "tabscore.fail_after_rows";
    /** Test-only fault injection: the partition {@link #FAIL_AFTER_ROWS} applies to. */
    public static final String FAIL_PARTITION = "tabscore.fail_partition";

    /**
     * Test-only fault injection for a backfill ({@link BackfillRun}): the snapshot with this
     * date fails in its first task, so it commits nothing.
     */
    public static final String FAIL_SNAPSHOT = "tabscore.fail_snapshot";

    /**
     * Test-only fault injection: the publication fails before publishing this (data, rejects,
     * summary, report) and undoes what it did.
     */
    public static final String FAIL_PUBLISH_BEFORE = "tabscore.fail_publish_before";
    /** Test-only: pause this many milliseconds after each publication move (kill tests). */
    public static final String PUBLISH_PAUSE_MS = "tabscore.publish_pause_ms";

    private static final List<String> KNOBS = List.of(KEEP_SESSION, FAIL_AFTER_ROWS,
            FAIL_PARTITION, FAIL_SNAPSHOT, FAIL_PUBLISH_BEFORE, PUBLISH_PAUSE_MS);

    /** The JSON mapper of the summary. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    private final JobConfig config;
    private final int showRows;
    private final boolean keepSession;
    private final long failAfterRows;
    private final int failPartition;
    private final String failPublishBefore;
    private final long publishPauseMs;
    /**
     * The summary published with the output ({@code <output>/_tabscore_summary.json}, a
     * backfill snapshot's {@code <output>/_tabscore/snapshots/<date>.json}); replaced only when
     * a run publishes.
     */
    private String publishedSummary;
    /** Backfill: the snapshot's resume key, recorded in its summary (null: none). */
    private String resumeKey;
    /** Backfill: the partition column added to the input as a literal (null: none). */
    private String literalColumn;
    /** Backfill: the literal's value (the snapshot). */
    private String literalValue;
    /** How the tasks read the input: column_batches (vectorized scan) or rows. */
    private String inputRead;
    /** The summary of the last {@link #score} (null before). */
    private ObjectNode lastSummary;
    /** How the driver's bundle got its device (set by {@link #openBundle}, or a backfill's). */
    private TaskDevice.Choice driverDevice;

    /**
     * Creates a run.
     *
     * @param config a complete config ({@link JobConfigLoader#complete})
     * @param showRows how many output rows to print after writing (0 for none)
     * @throws ConfigException if a {@code tabscore.*} knob is unknown or malformed
     */
    public ScoringRun(JobConfig config, int showRows) {
        this.config = config;
        this.showRows = showRows;
        Map<String, String> conf = config.spark().conf();
        for (String k : conf.keySet()) {
            if (k.startsWith("tabscore.") && !KNOBS.contains(k)) {
                throw new ConfigException("spark.conf (--conf) key '" + k + "' is not a tabscore "
                        + "setting; known: " + KNOBS);
            }
        }
        String keep = conf.getOrDefault(KEEP_SESSION, "false").trim().toLowerCase();
        if (!keep.equals("true") && !keep.equals("false")) {
            throw new ConfigException(KEEP_SESSION + " must be true or false, got '" + keep + "'");
        }
        this.keepSession = keep.equals("true");
        this.failAfterRows = number(conf, FAIL_AFTER_ROWS, -1);
        this.failPartition = (int) number(conf, FAIL_PARTITION, 0);
        this.failPublishBefore = conf.get(FAIL_PUBLISH_BEFORE);
        this.publishPauseMs = number(conf, PUBLISH_PAUSE_MS, 0);
        this.publishedSummary = RunRecords.publishedSummary(config.output().uri());
    }

    /**
     * Whether the run leaves the Spark session running ({@link #KEEP_SESSION}).
     *
     * @return true to keep it
     */
    boolean keepSession() {
        return keepSession;
    }

    private static long number(Map<String, String> conf, String key, long dflt) {
        String v = conf.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0 || n > Integer.MAX_VALUE && key.equals(FAIL_PARTITION)) {
                throw new NumberFormatException("out of range");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a non-negative integer, got '" + v + "'");
        }
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
            return verifyAndScore(spark, timings, start);
        } finally {
            if (!keepSession) {
                spark.stop();
            }
        }
    }

    private int verifyAndScore(SparkSession spark, Map<String, Double> timings, long start) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        recoverOutput(hadoop, config);
        refuseExistingOutput(hadoop);
        boolean local = spark.sparkContext().isLocal();
        long t = System.nanoTime();
        // On a cluster the driver only verifies (on the CPU); in local mode it is also the
        // executor, so it opens the bundle as the tasks would and hands it to them (seed below).
        Bundle bundle = openBundle(hadoop, local);
        timings.put("bundle_open_verify_s", seconds(t));
        boolean seeded = false;
        try {
            seeded = local && ExecutorBundles.seed(bundle,
                        config.scoring().model(), config.scoring().threadsPerTask());
            return score(spark, bundle, seeded, hadoop, timings, start);
        } finally {
            if (!seeded) {
                // Not handed to the JVM's task cache: nobody else will close it.
                bundle.close();
            }
        }
    }

    /**
     * Runs the partition scorer over the input's internal rows (no external Row encoders, the
     * largest cost in the task profile) and wraps the result as a DataFrame again.
     */
    private Dataset<Row> scoreInternalRows(SparkSession spark, Dataset<Row> input,
            PartitionScorer scorer, StructType outSchema) {
        org.apache.spark.rdd.RDD<org.apache.spark.sql.vectorized.ColumnarBatch> batches =
                columnarScan(input);
        inputRead = batches != null ? "column_batches" : "rows";
        org.apache.spark.rdd.RDD<org.apache.spark.sql.catalyst.InternalRow> rows = batches != null
                ? batches.toJavaRDD().mapPartitions(scorer.columnar()).rdd()
                : input.queryExecution().toRdd().toJavaRDD().mapPartitions(scorer).rdd();
        // internalCreateDataFrame is Spark's own way back from internal rows (public in the
        // bytecode, package-private in Scala); the classic session is what getOrCreate returns.
        return ((org.apache.spark.sql.classic.SparkSession) spark)
                .internalCreateDataFrame(rows, outSchema, false);
    }

    /**
     * Returns the column batches of the input's scan when the whole plan is a vectorized scan
     * (Parquet, ORC: {@code ColumnarToRow} over it, in a codegen stage), so that tasks read the
     * decoded vectors in place instead of rows converted from them; else null (CSV, or a plan
     * with more than a scan), and the tasks read rows.
     */
    public static org.apache.spark.rdd.RDD<org.apache.spark.sql.vectorized.ColumnarBatch> columnarScan(
            Dataset<Row> input) {
        org.apache.spark.sql.execution.SparkPlan p = input.queryExecution().executedPlan();
        if (p instanceof org.apache.spark.sql.execution.WholeStageCodegenExec w) {
            p = w.child();
        }
        if (p instanceof org.apache.spark.sql.execution.ColumnarToRowExec c
                && c.child().supportsColumnar()) {
            org.apache.spark.sql.execution.SparkPlan scan = c.child();
            if (scan instanceof org.apache.spark.sql.execution.InputAdapter a) {
                scan = a.child();
            }
            return scan.executeColumnar();
        }
        return null;
    }

    /**
     * Opens and verifies the bundle on the driver, as {@link #run} does.
     *
     * @param hadoop the session's Hadoop configuration
     * @param local whether the driver is also the executor (local mode)
     * @return the verified bundle
     */
    Bundle openBundle(Configuration hadoop, boolean local) {
        // In local mode the tasks share this bundle, so it goes on the device they would
        // resolve to (local tasks hold no Spark GPUs), falling back to the CPU as they would.
        driverDevice = local
                ? TaskDevice.forCurrentTask(config.scoring().device(),
                        config.scoring().threadsPerTask())
                : TaskDevice.decide(Device.CPU, List.of(), 0);
        BundleOptions options = BundleOptions.defaults()
                .withHadoopConf(hadoop)
                .withExpectDigest(config.bundle().expectDigest())
                .withDevice(driverDevice.device().toString())
                .withModel(config.scoring().model())
                .withTrust(trust(hadoop));
        if (local) {
            options = options.withThreads(config.scoring().threadsPerTask());
        }
        return Bundle.open(config.bundle().uri(), options);
    }

    /**
     * Loads {@code bundle.trust}. Only the driver checks the signature: executors reopen the
     * bundle pinned to the digest verified here, and that digest is of the signed manifest,
     * which holds every artifact's sha256.
     */
    private dev.tabscore.bundle.signing.TrustConfig trust(Configuration hadoop) {
        JobConfig.TrustSection t = config.bundle().trust();
        if (t == null) {
            return dev.tabscore.bundle.signing.TrustConfig.none();
        }
        try {
            return dev.tabscore.bundle.signing.TrustConfig.load(t.keys(), t.roots(),
                    Boolean.TRUE.equals(t.requireSignature()), hadoop);
        } catch (dev.tabscore.bundle.signing.TrustConfigException e) {
            throw new ConfigException("bundle.trust: " + e.getMessage());
        }
    }

    /**
     * How {@link #openBundle} chose the driver's device ({@code cpu} on a cluster).
     *
     * @return the choice; null before {@link #openBundle}
     */
    TaskDevice.Choice driverDevice() {
        return driverDevice;
    }

    /**
     * Scores one backfill snapshot with this run's config (its input, output, mode
     * overwrite_partitions and summary path) and an already verified bundle: reads the input,
     * adds {@code column} = {@code value} as a literal (a passthrough column of the config),
     * scores, writes and writes the summary (with {@code snapshot} added).
     *
     * @param spark the session
     * @param bundle the verified bundle (not closed here)
     * @param seeded whether the bundle serves the tasks of this JVM
     * @param openVerifySeconds how long the one driver open took
     * @param driverDevice how the backfill's {@link #openBundle} chose the bundle's device
     * @param column the partition column
     * @param value the snapshot
     * @param publishedSummary the snapshot's summary published with its partition
     * @param resumeKey what the snapshot's result depends on besides its date (resume)
     * @return the summary written
     */
    ObjectNode scoreSnapshot(SparkSession spark, Bundle bundle, boolean seeded,
            double openVerifySeconds, TaskDevice.Choice driverDevice, String column,
            String value, String publishedSummary, String resumeKey) {
        this.driverDevice = driverDevice;
        this.publishedSummary = publishedSummary;
        this.resumeKey = resumeKey;
        this.literalColumn = column;
        this.literalValue = value;
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("bundle_open_verify_s", openVerifySeconds);
        score(spark, bundle, seeded, spark.sparkContext().hadoopConfiguration(), timings,
                System.nanoTime());
        return lastSummary; // its status says ok or quality_gate_failed
    }

    /** The input columns a run reads: contract, id and passthrough columns, in input order. */
    private List<String> neededColumns(StructType schema,
            dev.tabscore.bundle.manifest.Manifest manifest) {
        java.util.Set<String> want = new java.util.HashSet<>();
        manifest.input().columns().forEach(c -> want.add(c.name()));
        want.addAll(config.input().idColumns());
        want.addAll(config.input().passthroughColumns());
        want.remove(literalColumn);
        List<String> out = new ArrayList<>();
        for (String f : schema.fieldNames()) {
            if (want.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Appends the identity columns (the same on every row of a run) as literals, after a
     * backfill's snapshot column.
     */
    private Dataset<Row> withIdentity(Dataset<Row> scored, Bundle bundle, Instant scoredAt) {
        java.sql.Timestamp at = java.sql.Timestamp.from(scoredAt.truncatedTo(
                java.time.temporal.ChronoUnit.MICROS));
        if (literalColumn != null) {
            scored = scored.withColumn(literalColumn, functions.lit(literalValue));
        }
        return scored.select(
                functions.col("*"),
                functions.lit(bundle.manifest().name()).as("bundle_name"),
                functions.lit(bundle.manifest().version()).as("bundle_version"),
                functions.lit(bundle.digest()).as("bundle_digest"),
                functions.lit(config.runId()).as("run_id"),
                functions.lit(at).as("scored_at"),
                functions.lit(signer(bundle)).cast("string").as("bundle_signer"));
    }

    /** The verified signer's identity, null when no signature was verified. */
    static String signer(Bundle bundle) {
        return bundle.signer() == null ? null : bundle.signer().identity();
    }

    /**
     * With error_if_exists, an existing output is a config error found before any work. An
     * output directory that holds no published data (only what failed runs leave: their records
     * under {@code _tabscore_runs}, hidden files) is not an output: the run goes ahead and adds
     * its data beside those records, so the rerun of a failed run needs no other flag.
     */
    private void refuseExistingOutput(Configuration hadoop) {
        if (!config.output().mode().equals("error_if_exists")) {
            return;
        }
        org.apache.hadoop.fs.Path out = BundleFiles.toPath(config.output().uri());
        try {
            FileSystem fs = out.getFileSystem(hadoop);
            if (!fs.exists(out) || !publishedData(fs, out)) {
                return;
            }
            throw new ConfigException("output " + BundleFiles.redact(config.output().uri())
                    + " already exists and output.mode is error_if_exists: choose another"
                    + " --output, or --mode overwrite / overwrite_partitions");
        } catch (java.io.IOException e) {
            throw new BundleException(Reason.IO_ERROR, "output "
                    + BundleFiles.redact(config.output().uri()) + " cannot be checked: "
                    + BundleFiles.redact(e.getMessage()), e);
        }
    }

    /** Whether a directory holds published data: a file, a data entry, or _SUCCESS. */
    private static boolean publishedData(FileSystem fs, org.apache.hadoop.fs.Path out)
            throws java.io.IOException {
        if (!fs.getFileStatus(out).isDirectory()) {
            return true;
        }
        for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(out)) {
            String name = st.getPath().getName();
            if (name.equals("_SUCCESS") || name.equals("_tabscore_summary.json")
                    || !name.startsWith("_") && !name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private int score(SparkSession spark, Bundle bundle, boolean seeded, Configuration hadoop,
            Map<String, Double> timings, long start) {
        long t = System.nanoTime();
        Dataset<Row> input = read(spark);
        // Only what is scored, kept or passed through is read (Parquet and ORC decode nothing
        // else); a backfill's snapshot column is appended after scoring, like the identity.
        InputContract.check(input.schema(), bundle.manifest());
        input = input.select(neededColumns(input.schema(), bundle.manifest()).stream()
                .map(functions::col).toArray(org.apache.spark.sql.Column[]::new));
        StructType schema = input.schema();
        InputContract contract = InputContract.check(schema, bundle.manifest());
        List<Integer> keep = keptFields(schema);
        OutputLayout layout = bundle.outputs();
        refuseNameCollisions(layout);
        StructType outSchema = OutputSchema.of(schema, keep, layout);
        Map<String, ColumnPolicy> policies = policies(bundle);
        QualityModel quality = new QualityModel(bundle, policies);
        GateSpec gates = JobConfigLoader.gateSpec(config.quality().gates());
        timings.put("input_check_s", seconds(t));

        Instant scoredAt = Instant.now();
        // Executors resolve the URI themselves: a relative local path must not depend on
        // their working directory.
        String bundleUri = BundleFiles.toPath(config.bundle().uri()).toString();
        String rejectsUri = config.output().rejectsUri();
        String staging = RejectsOutput.staging(rejectsUri, config.runId());
        RunOutput runOutput = new RunOutput(BundleFiles.toPath(config.output().uri()),
                config.output().mode(), config.output().partitionBy(), runName());
        List<Integer> rejectFields = rejectFields(schema, keep, contract);
        ScoringPlan plan = new ScoringPlan(bundleUri, bundle.digest(), contract, keep,
                config.scoring().batchSize(), config.scoring().device(),
                config.scoring().model(), config.scoring().threadsPerTask(), config.runId(),
                scoredAt.getEpochSecond() * 1_000_000L + scoredAt.getNano() / 1000,
                failAfterRows, failPartition, idFields(schema), policies, rejectFields,
                BundleFiles.toPath(staging).toString(),
                java.util.Arrays.asList(bundle.manifest().name(), bundle.manifest().version(),
                        bundle.digest(), config.runId(), signer(bundle)));
        Broadcast<ScoringPlan> broadcast = spark.sparkContext().broadcast(plan,
                scala.reflect.ClassTag$.MODULE$.apply(ScoringPlan.class));
        PartitionScorer.JobMetrics metrics = metrics(spark);
        RunSummary.DriverOpen driverOpen = new RunSummary.DriverOpen(ExecutorBundles.jvmId(),
                timings.get("bundle_open_verify_s"), seeded, driverDevice);

        t = System.nanoTime();
        Dataset<Row> scored = withIdentity(scoreInternalRows(spark, input,
                new PartitionScorer(broadcast, schema, metrics), outSchema), bundle, scoredAt);
        QualityGate gate = new QualityGate(metrics, quality, gates,
                config.quality().onGateFailure(), config.output().uri());
        try (PreCommit.Armed armed = PreCommit.arm(gate::beforeCommit)) {
            // Spark's commit protocol commits into the run's staging directory; nothing the
            // readers of the output see changes until the publication below.
            write(scored, runOutput.stagedData());
            if (!armed.ran()) {
                // The staged output is committed, but the pre-commit check never saw it.
                throw new IllegalStateException("internal error: the pre-commit check did not run"
                        + " before Spark committed " + BundleFiles.redact(config.output().uri())
                        + " (commit protocol " + spark.conf().get(GatedCommitProtocol.SPARK_KEY,
                        "?") + ")");
            }
        } catch (Exception e) {
            // Spark throws checked exceptions (SparkException, AnalysisException) undeclared,
            // so catch Exception, not RuntimeException.
            RejectsOutput.discard(hadoop, staging);
            runOutput.discard(hadoop);
            if (e instanceof IllegalStateException) {
                throw (IllegalStateException) e;
            }
            BundleException cause = findBundleException(e);
            if (cause != null && cause.reason() == Reason.QUALITY_GATE) {
                // The gate refused the commit: say why, in the run's summary and report.
                timings.put("score_write_s", seconds(t));
                timings.put("total_s", seconds(start));
                ObjectNode summary = RunSummary.build(config, bundle, spark, metrics, driverOpen,
                        timings, scoredAt, gate, false);
                decorate(summary);
                RunRecords.failed(summary, ExitCodes.QUALITY_GATE, Reason.QUALITY_GATE,
                        cause.getMessage());
                records().writeRun(hadoop, summary);
                records().print(summary);
                LOG.error(cause.getMessage());
                return ExitCodes.QUALITY_GATE;
            }
            // A task's own BundleException (deserialized on the driver, which it is whenever
            // the driver can load the class) keeps its reason and exit code; an I/O failure
            // of the storage is retryable; anything else is SCORING_FAILED (40).
            Reason reason = cause != null ? cause.reason()
                    : ioFailure(e) ? Reason.IO_ERROR : Reason.SCORING_FAILED;
            String why = cause == null ? rootMessage(e) : cause.getMessage();
            throw new BundleException(reason, "scoring failed; nothing was published to "
                    + BundleFiles.redact(config.output().uri()) + ": " + why, e);
        }
        timings.put("score_write_s", seconds(t));
        if (failAfterRows >= 0) {
            LOG.warn(FAIL_AFTER_ROWS + "=" + failAfterRows
                    + " was set but no task failed: partition " + failPartition + " does not "
                    + "exist or has no more rows than that (" + metrics.partitions().value()
                    + " partitions)");
        }
        t = System.nanoTime();
        ObjectNode summary;
        try {
            Path stagedRejects = RejectsOutput.stage(hadoop, staging,
                    metrics.rejectFiles().value(), RejectsOutput.schema(schema,
                            rejectFields.stream().mapToInt(i -> i).toArray()));
            timings.put("total_s", seconds(start));
            summary = RunSummary.build(config, bundle, spark, metrics, driverOpen,
                    timings, scoredAt, gate, true);
            decorate(summary);
            RunRecords.ok(summary, gate.passed() ? ExitCodes.OK : ExitCodes.QUALITY_GATE);
            List<RunOutput.Staged> extra = new ArrayList<>();
            extra.add(new RunOutput.Staged("rejects", stagedRejects,
                    RejectsOutput.runDirectory(rejectsUri, config.runId())));
            records().stagePublished(hadoop, runOutput, summary, extra);
            runOutput.plan(hadoop, failPublishBefore, publishPauseMs, extra).commit(hadoop);
        } catch (RuntimeException | IOException e) {
            RejectsOutput.discard(hadoop, staging);
            runOutput.discard(hadoop);
            if (e instanceof BundleException be) {
                throw be;
            }
            throw new BundleException(Reason.IO_ERROR, "cannot stage the output of the run "
                    + "for publication; nothing was published to "
                    + BundleFiles.redact(config.output().uri()) + ": "
                    + BundleFiles.redact(rootMessage(e)), e);
        }
        RejectsOutput.discard(hadoop, staging);
        runOutput.discard(hadoop);
        timings.put("publish_s", seconds(t));
        ((ObjectNode) summary.path("timings_s")).put("publish_s", seconds(t));
        lastSummary = summary;
        records().writeRun(hadoop, summary);
        records().print(summary);
        LOG.info("published " + metrics.rowsScored().value()
                + " rows to " + BundleFiles.redact(config.output().uri()) + ", "
                + metrics.rowsRejected().value() + " rejects to "
                + BundleFiles.redact(RejectsOutput.runDirectory(rejectsUri, config.runId())
                        .toString()) + "; summary " + BundleFiles.redact(publishedSummary)
                + "; report " + BundleFiles.redact(JobConfigLoader.reportFor(publishedSummary)));
        if (showRows > 0) {
            spark.read().parquet(config.output().uri()).show(showRows, false);
        }
        if (!gate.passed()) {
            LOG.error("quality gate failed; the output was published "
                    + "and flagged (on_gate_failure: publish_and_flag): " + gate.failures());
            return ExitCodes.QUALITY_GATE;
        }
        return ExitCodes.OK;
    }

    /**
     * Refuses, as a config error before any work, an id or passthrough column named like a
     * column the job adds (a prediction, an identity column): Spark would fail late, with a
     * code that looks retryable.
     */
    private void refuseNameCollisions(OutputLayout layout) {
        List<String> added = new ArrayList<>(layout.numericColumns());
        if (layout.labelColumn() != null) {
            added.add(layout.labelColumn());
        }
        added.addAll(OutputSchema.IDENTITY);
        List<String> kept = new ArrayList<>(config.input().idColumns());
        kept.addAll(config.input().passthroughColumns());
        kept.remove(literalColumn);
        List<String> clash = kept.stream().filter(added::contains).distinct().toList();
        if (!clash.isEmpty()) {
            throw new ConfigException("id/passthrough columns " + clash + " have the names of "
                    + "columns the job writes " + added + "; rename them in the input or leave "
                    + "them out of input.id_columns / input.passthrough_columns");
        }
        if (literalColumn != null && added.contains(literalColumn)) {
            throw new ConfigException("backfill.partition_column '" + literalColumn + "' is the "
                    + "name of a column the job writes " + added);
        }
    }

    /** The run's name in paths: its id, and the snapshot in a backfill. */
    private String runName() {
        return literalValue == null ? config.runId() : config.runId() + "-" + literalValue;
    }

    /** Where this run's summaries and reports go. */
    RunRecords records() {
        return new RunRecords(config, runName(), publishedSummary);
    }

    /** Adds what only the run knows to a summary. */
    private void decorate(ObjectNode summary) {
        if (literalColumn != null) {
            summary.put("snapshot", literalValue);
        }
        if (resumeKey != null) {
            summary.put("resume_key", resumeKey);
        }
        summary.put("input_read", inputRead);
        summary.put("rejects_uri", BundleFiles.redact(RejectsOutput.runDirectory(
                config.output().rejectsUri(), config.runId()).toString()));
        summary.put("report_uri", BundleFiles.redact(JobConfigLoader.reportFor(publishedSummary)));
        summary.put("summary_uri", BundleFiles.redact(publishedSummary));
        lastSummary = summary;
    }

    /**
     * Undoes what runs of this output left when their process died (a half-done publication,
     * staging directories), once per job, before anything is staged.
     *
     * @param hadoop the Hadoop configuration
     * @param config the job's config
     */
    static void recoverOutput(Configuration hadoop, JobConfig config) {
        try {
            List<String> found = new ArrayList<>(RunOutput.recover(hadoop,
                    BundleFiles.toPath(config.output().uri())));
            found.addAll(RejectsOutput.removeStaging(hadoop, config.output().rejectsUri()));
            if (!found.isEmpty()) {
                LOG.warn("repaired what earlier runs that did not finish "
                        + "left in " + BundleFiles.redact(config.output().uri()) + ": " + found);
            }
        } catch (IOException e) {
            throw new BundleException(Reason.IO_ERROR, "cannot repair "
                    + BundleFiles.redact(config.output().uri()) + " (an earlier run died while "
                    + "publishing): " + BundleFiles.redact(e.getMessage()), e);
        }
    }

    /** Whether a failure comes from storage (an IOException anywhere in its causes). */
    static boolean ioFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private Map<String, ColumnPolicy> policies(Bundle bundle) {
        try {
            return QualityModel.resolvePolicies(bundle.manifest(), bundle.preprocessor(),
                    config.quality().defaults(), config.quality().columns());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Input fields kept in the rejects: ids, contract and passthrough columns, input order. */
    private static List<Integer> rejectFields(StructType schema, List<Integer> keep,
            InputContract contract) {
        java.util.TreeSet<Integer> fields = new java.util.TreeSet<>(keep);
        for (InputContract.Resolved c : contract.columns()) {
            fields.add(c.fieldIndex());
        }
        return List.copyOf(fields);
    }

    private List<Integer> idFields(StructType schema) {
        List<Integer> out = new ArrayList<>();
        for (String n : config.input().idColumns()) {
            int i = List.of(schema.fieldNames()).indexOf(n);
            if (i >= 0) {
                out.add(i);
            }
        }
        return out;
    }

    SparkSession session() {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(config.spark().master() == null ? "local[*]" : config.spark().master());
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(config.spark().appName());
        }
        // scored_at as a standard Parquet TIMESTAMP(MICROS) rather than the legacy INT96.
        conf.setIfMissing("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        // A vectorized scan's batch is a scoring batch: --batch-size means the same for it.
        String batch = Integer.toString(config.scoring().batchSize());
        conf.setIfMissing("spark.sql.parquet.columnarReaderBatchSize", batch);
        conf.setIfMissing("spark.sql.orc.columnarReaderBatchSize", batch);
        for (Map.Entry<String, String> e : config.spark().conf().entrySet()) {
            if (!e.getKey().startsWith("tabscore.")) {
                conf.set(e.getKey(), e.getValue());
            }
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        // Gates and row reconciliation run after the tasks and before Spark commits.
        GatedCommitProtocol.install(spark.conf());
        // gs:// through Google's gcs-connector, with the Hadoop 3.5 defaults it cannot parse
        // replaced; keys the user set (spark.hadoop.*, core-site.xml) are kept.
        dev.tabscore.bundle.io.HadoopDefaults.apply(spark.sparkContext().hadoopConfiguration());
        return spark;
    }

    private Dataset<Row> read(SparkSession spark) {
        requireInputs(spark.sparkContext().hadoopConfiguration());
        DataFrameReader reader = spark.read().format(config.input().format())
                .options(config.input().options());
        try {
            return reader.load(config.input().uris().toArray(new String[0]));
        } catch (Exception e) { // AnalysisException is checked but undeclared
            if (ioFailure(e)) {
                throw new BundleException(Reason.IO_ERROR, "input "
                        + BundleFiles.redact(config.input().uris().toString())
                        + " cannot be listed or read: " + rootMessage(e), e);
            }
            throw new BundleException(Reason.INPUT_SCHEMA, "input "
                    + BundleFiles.redact(config.input().uris().toString())
                    + " cannot be read as " + config.input().format() + ": " + rootMessage(e), e);
        }
    }

    /**
     * Refuses an input path that does not exist ({@link Reason#INPUT_MISSING}: a snapshot that
     * has not landed is not a schema error, and not worth an immediate retry), and reports a
     * storage failure while looking as retryable ({@link Reason#IO_ERROR}). Glob patterns are
     * left to Spark.
     */
    private void requireInputs(Configuration hadoop) {
        for (String uri : config.input().uris()) {
            if (uri.matches(".*[*?\\[{].*")) {
                continue;
            }
            Path p = BundleFiles.toPath(uri);
            try {
                if (!p.getFileSystem(hadoop).exists(p)) {
                    throw new BundleException(Reason.INPUT_MISSING, "input "
                            + BundleFiles.redact(uri) + " does not exist");
                }
            } catch (IOException e) {
                throw new BundleException(Reason.IO_ERROR, "input " + BundleFiles.redact(uri)
                        + " cannot be listed: " + BundleFiles.redact(e.getMessage()), e);
            }
        }
    }

    private List<Integer> keptFields(StructType schema) {
        List<String> names = new ArrayList<>(config.input().idColumns());
        names.addAll(config.input().passthroughColumns());
        names.remove(literalColumn); // appended after scoring
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
        LongAccumulator partitions = spark.sparkContext().longAccumulator("tabscore.partitions");
        CollectionAccumulator<String> opens =
                spark.sparkContext().collectionAccumulator("tabscore.bundle_opens");
        LongAccumulator rowsRejected =
                spark.sparkContext().longAccumulator("tabscore.rows_rejected");
        QualityAccumulator quality = new QualityAccumulator();
        spark.sparkContext().register(quality, "tabscore.quality");
        CollectionAccumulator<String> rejectFiles =
                spark.sparkContext().collectionAccumulator("tabscore.reject_files");
        return new PartitionScorer.JobMetrics(rowsIn, rowsScored, partitions, opens,
                rowsRejected, quality, rejectFiles);
    }

    /**
     * Writes the scored rows into the run's staging directory through Spark's commit protocol
     * (a static overwrite of a directory only this run uses, whatever the output mode: the
     * mode decides what the publication replaces, not what Spark deletes).
     */
    private void write(Dataset<Row> scored, Path target) {
        DataFrameWriter<Row> w = scored.write().format("parquet")
                .mode(SaveMode.Overwrite).option("partitionOverwriteMode", "static");
        List<String> partitionBy = config.output().partitionBy();
        if (!partitionBy.isEmpty()) {
            w = w.partitionBy(partitionBy.toArray(new String[0]));
        }
        w.save(target.toString());
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
