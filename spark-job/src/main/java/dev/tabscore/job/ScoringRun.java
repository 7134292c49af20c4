package dev.tabscore.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.job.publish.RunOutput;
import dev.tabscore.job.spark.ExecutorBundles;
import dev.tabscore.job.spark.PartitionScorer;
import dev.tabscore.job.spark.RejectsOutput;
import dev.tabscore.job.spark.ScoringPlan;
import dev.tabscore.job.spark.TaskDevice;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * One scoring run on the driver, as a thin orchestrator of immutable parts: the session ({@link
 * SessionSetup}), the output checks ({@link OutputGuard}), the bundle's verification ({@link
 * DriverBundle}), the input's plan ({@link InputPlan}), the scoring stage ({@link ScoringStage}:
 * {@code mapPartitions}, Parquet through Spark's commit protocol) and the publication with the run
 * summary ({@link RunPublisher}).
 *
 * <p>Job knobs under {@code spark.conf} (or {@code --conf}) that start with {@code tabscore.} are
 * read here and never reach Spark; any other {@code tabscore.} key is refused:
 *
 * <ul>
 *   <li>{@code tabscore.keep_session=true}: leave the Spark session running at the end (tests and
 *       notebooks that run several jobs in one JVM); by default the run stops it.
 *   <li>{@code tabscore.fail_after_rows=N}, {@code tabscore.fail_partition=P}: fault injection for
 *       tests, see {@link PartitionScorer}.
 * </ul>
 */
public final class ScoringRun {

    /** Keeps the Spark session running after the run ({@code true} / {@code false}). */
    public static final String KEEP_SESSION = "tabscore.keep_session";

    /** Test-only fault injection: fail a task after this many rows. */
    public static final String FAIL_AFTER_ROWS = "tabscore.fail_after_rows";

    /** Test-only fault injection: the partition {@link #FAIL_AFTER_ROWS} applies to. */
    public static final String FAIL_PARTITION = "tabscore.fail_partition";

    /**
     * Test-only fault injection for a backfill ({@link BackfillRun}): the snapshot with this date
     * fails in its first task, so it commits nothing.
     */
    public static final String FAIL_SNAPSHOT = "tabscore.fail_snapshot";

    /**
     * Test-only fault injection: the publication fails before publishing this (data, rejects,
     * summary, report) and undoes what it did.
     */
    public static final String FAIL_PUBLISH_BEFORE = "tabscore.fail_publish_before";

    /** Test-only: pause this many milliseconds after each publication move (kill tests). */
    public static final String PUBLISH_PAUSE_MS = "tabscore.publish_pause_ms";

    /** The JSON mapper of the summary. */
    static final ObjectMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** Whether no run has started in this JVM yet (then the summary has jvm_start_s). */
    private static final AtomicBoolean FIRST_RUN = new AtomicBoolean(true);

    private final JobConfig config;
    private final int showRows;
    private final RunKnobs knobs;

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
        this.knobs = RunKnobs.of(config.spark().conf());
    }

    /**
     * Whether the run leaves the Spark session running ({@link #KEEP_SESSION}).
     *
     * @return true to keep it
     */
    boolean keepSession() {
        return knobs.keepSession();
    }

    /** What one scored run ends with: its exit code and its summary. */
    private record Result(int exitCode, ObjectNode summary) {}

    /**
     * Runs the job.
     *
     * @return the exit code
     */
    public int run() {
        Map<String, Double> timings = new LinkedHashMap<>();
        if (FIRST_RUN.compareAndSet(true, false)) {
            // JVM start to here (class loading, config): the part of a cold run before ours.
            timings.put("jvm_start_s", ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
        }
        long start = System.nanoTime();
        // libtorch loads on another core while the session starts (not for an ONNX-only run).
        if (!"onnx".equals(config.scoring().model())) {
            EngineWarmUp.start(config.scoring().threadsPerTask());
        }
        SparkSession spark = SessionSetup.start(config);
        timings.put("session_s", seconds(start));
        try {
            return verifyAndScore(spark, timings, start);
        } finally {
            if (!knobs.keepSession()) {
                spark.stop();
            }
        }
    }

    private int verifyAndScore(SparkSession spark, Map<String, Double> timings, long start) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        OutputGuard.recover(hadoop, config);
        OutputGuard.refuseExisting(hadoop, config);
        boolean local = spark.sparkContext().isLocal();
        try (InputReadAhead input = InputReadAhead.start(spark, config)) {
            long t = System.nanoTime();
            // On a cluster the driver only verifies (on the CPU); in local mode it is also the
            // executor, so it opens the bundle as the tasks would and hands it to them (seed).
            DriverBundle opened = DriverBundle.open(config, hadoop, local);
            timings.put("bundle_open_verify_s", seconds(t));
            Bundle bundle = opened.bundle();
            boolean seeded = false;
            try {
                seeded =
                        local
                                && ExecutorBundles.seed(
                                        bundle,
                                        config.scoring().model(),
                                        config.scoring().threadsPerTask());
                return score(
                                spark,
                                bundle,
                                seeded,
                                opened.device(),
                                RunScope.plain(config),
                                input,
                                timings,
                                start)
                        .exitCode();
            } finally {
                if (!seeded) {
                    // Not handed to the JVM's task cache: nobody else will close it.
                    bundle.close();
                }
            }
        }
    }

    /**
     * Scores one backfill snapshot with this run's config (its input, output, mode
     * overwrite_partitions and summary path) and an already verified bundle: reads the input, adds
     * {@code column} = {@code value} as a literal (a passthrough column of the config), scores,
     * writes and writes the summary (with {@code snapshot} added).
     *
     * @param spark the session
     * @param bundle the verified bundle (not closed here)
     * @param seeded whether the bundle serves the tasks of this JVM
     * @param openVerifySeconds how long the one driver open took
     * @param driverDevice how the backfill's driver open chose the bundle's device
     * @param scope the snapshot: its column, value, summary and resume key
     * @return the summary written; its status says ok or quality_gate_failed
     */
    ObjectNode scoreSnapshot(
            SparkSession spark,
            Bundle bundle,
            boolean seeded,
            double openVerifySeconds,
            TaskDevice.Choice driverDevice,
            RunScope scope) {
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("bundle_open_verify_s", openVerifySeconds);
        try (InputReadAhead input = InputReadAhead.start(spark, config)) {
            return score(
                            spark,
                            bundle,
                            seeded,
                            driverDevice,
                            scope,
                            input,
                            timings,
                            System.nanoTime())
                    .summary();
        }
    }

    private Result score(
            SparkSession spark,
            Bundle bundle,
            boolean seeded,
            TaskDevice.Choice driverDevice,
            RunScope scope,
            InputReadAhead input,
            Map<String, Double> timings,
            long start) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        long t = System.nanoTime();
        InputPlan in = InputPlan.of(input.get(), config, bundle, scope.literalColumn());
        // input_read_s ran beside the bundle's verification; input_check_s is what was left.
        timings.put("input_read_s", input.seconds());
        timings.put("input_check_s", seconds(t));

        Instant scoredAt = Instant.now();
        String staging = RejectsOutput.staging(config.output().rejectsUri(), config.runId());
        RunOutput runOutput = scope.output(config);
        RunPublisher publisher = new RunPublisher(config, scope, knobs, runOutput, staging);
        Broadcast<ScoringPlan> plan =
                ScoringStage.broadcast(spark, config, bundle, in, knobs, scoredAt, staging);
        PartitionScorer.JobMetrics metrics = ScoringStage.metrics(spark);
        RunSummary.DriverOpen driverOpen =
                new RunSummary.DriverOpen(
                        ExecutorBundles.jvmId(),
                        timings.get("bundle_open_verify_s"),
                        seeded,
                        driverDevice);

        t = System.nanoTime();
        ScoringStage.Scored scored =
                ScoringStage.scored(spark, in, plan, metrics, bundle, config, scope, scoredAt);
        QualityGate gate = QualityGate.of(metrics, in, config);
        RunPublisher.Scored done =
                new RunPublisher.Scored(
                        spark,
                        bundle,
                        metrics,
                        driverOpen,
                        timings,
                        scoredAt,
                        gate,
                        scored.inputRead());
        try {
            // Spark's commit protocol commits into the run's staging directory; nothing the
            // readers of the output see changes until the publication below.
            ScoringStage.writeGated(spark, scored, runOutput.stagedData(), gate, config);
        } catch (Exception e) { // Spark throws checked exceptions undeclared
            publisher.discard(hadoop);
            BundleException refusal = WriteFailure.gateRefusalOrThrow(e, config.output().uri());
            // The gate refused the commit: say why, in the run's summary and report.
            timings.put("score_write_s", seconds(t));
            timings.put("total_s", seconds(start));
            return new Result(ExitCodes.QUALITY_GATE, publisher.gateRefused(hadoop, done, refusal));
        }
        timings.put("score_write_s", seconds(t));
        RunLog.unfiredFault(knobs, metrics);
        ObjectNode summary = publisher.publish(hadoop, done, in.schema(), in.rejectFields(), start);
        RunLog.published(config, scope, metrics);
        if (showRows > 0) {
            spark.read().parquet(config.output().uri()).show(showRows, false);
        }
        if (!gate.passed()) {
            RunLog.gateFlagged(gate);
            return new Result(ExitCodes.QUALITY_GATE, summary);
        }
        return new Result(ExitCodes.OK, summary);
    }

    /** Seconds since a {@link System#nanoTime} reading, to the millisecond. */
    static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
    }
}
