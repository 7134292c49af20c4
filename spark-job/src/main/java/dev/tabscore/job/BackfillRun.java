package dev.tabscore.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.job.spark.ExecutorBundles;
import dev.tabscore.job.spark.TaskDevice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backfill: scores each snapshot of {@code backfill.snapshots} from {@code
 * backfill.input_template} into its own partition {@code <output>/<partition_column>=<date>/}, in
 * one Spark session, with the bundle verified once.
 *
 * <ul>
 *   <li>Each snapshot is one {@link ScoringRun#scoreSnapshot} (its input, the partition column as a
 *       literal, dynamic partition overwrite): a rerun replaces exactly the partitions it scores,
 *       and no other partition of the output is touched.
 *   <li>Each snapshot's summary goes to {@code <output>/_tabscore/snapshots/<date>.json}, or to
 *       {@code --summary} with {@code {date}} replaced when it holds that placeholder (status
 *       {@code ok} / {@code failed}, bundle digest, rows in and scored); the backfill's to {@code
 *       <output>/_tabscore/backfill-<run_id>.json}, and is printed.
 *   <li>Resumable: a snapshot whose summary says {@code ok} with the digest of this bundle is
 *       skipped unless {@code force}; another digest rescores it.
 *   <li>{@code parallelism} snapshots' Spark jobs are submitted at once, from driver threads.
 *   <li>A failed snapshot commits nothing and gets a {@code failed} summary; the others go on
 *       (unless {@code fail_fast}: no new snapshot starts), and the backfill exits 40 naming the
 *       failed snapshots.
 * </ul>
 *
 * What each snapshot reads and writes, and what resume trusts, is planned by {@link BackfillPlan};
 * the backfill's own summary and exit code come from {@link BackfillSummary}. Test-only knob:
 * {@code --conf tabscore.fail_snapshot=<date>} makes that snapshot's first task fail (through
 * {@code tabscore.fail_after_rows=0}), as a real task failure would.
 */
public final class BackfillRun {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillRun.class);

    private final JobConfig config;
    private final JobConfig.BackfillSection backfill;
    private final List<String> snapshots;
    private final BackfillPlan plan;

    /** How the one driver open chose the bundle's device, for each snapshot's summary. */
    private TaskDevice.Choice driverDevice;

    /**
     * Creates a backfill.
     *
     * @param config a complete config with a backfill section
     */
    public BackfillRun(JobConfig config) {
        this.config = config;
        this.backfill = config.backfill();
        this.snapshots = BackfillConfig.snapshots(backfill.snapshots());
        this.plan = new BackfillPlan(config);
    }

    private static dev.tabscore.bundle.Reason reasonOf(Throwable e) {
        BundleException be = RunFailures.findBundleException(e);
        return be == null ? null : be.reason();
    }

    /**
     * Runs the backfill.
     *
     * @return the exit code: 0, or 40 when a snapshot failed
     */
    public int run() {
        // Validates the tabscore.* knobs and owns the session's lifecycle.
        ScoringRun driver = new ScoringRun(config, 0);
        long start = System.nanoTime();
        SparkSession spark = SessionSetup.start(config);
        try {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            // Once, before any snapshot stages: a half-done publication of a killed run is
            // undone, its staging directories removed.
            OutputGuard.recover(hadoop, config);
            boolean local = spark.sparkContext().isLocal();
            long t = System.nanoTime();
            DriverBundle opened = DriverBundle.open(config, hadoop, local);
            Bundle bundle = opened.bundle();
            driverDevice = opened.device();
            double openSeconds = seconds(t);
            boolean seeded = false;
            try {
                seeded =
                        local
                                && ExecutorBundles.seed(
                                        bundle,
                                        config.scoring().model(),
                                        config.scoring().threadsPerTask());
                return backfill(spark, hadoop, bundle, seeded, openSeconds, start);
            } finally {
                if (!seeded) {
                    bundle.close();
                }
            }
        } finally {
            if (!driver.keepSession()) {
                spark.stop();
            }
        }
    }

    private int backfill(
            SparkSession spark,
            Configuration hadoop,
            Bundle bundle,
            boolean seeded,
            double openSeconds,
            long start) {
        Instant startedAt = Instant.now();
        String digest = bundle.digest();
        List<String> skipped = new ArrayList<>();
        List<String> todo = new ArrayList<>();
        for (String d : snapshots) {
            if (!backfill.force() && plan.alreadyScored(hadoop, d, digest, plan.resumeKey(d))) {
                skipped.add(d);
            } else {
                todo.add(d);
            }
        }
        LOG.info(
                "backfill "
                        + snapshots.size()
                        + " snapshots: "
                        + todo.size()
                        + " to score, "
                        + skipped.size()
                        + " already scored with "
                        + digest
                        + (backfill.force() ? "" : " (skipped; --force rescores them)"));

        AtomicBoolean stop = new AtomicBoolean(false);
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        backfill.parallelism(),
                        r -> {
                            Thread th = new Thread(r, "tabscore-backfill");
                            th.setDaemon(true);
                            return th;
                        });
        List<Future<SnapshotOutcome>> futures = new ArrayList<>();
        try {
            for (String d : todo) {
                futures.add(
                        pool.submit(
                                () ->
                                        stop.get()
                                                ? new SnapshotOutcome(
                                                        d,
                                                        "not_run",
                                                        0,
                                                        0,
                                                        0,
                                                        "not started: an earlier snapshot "
                                                                + "failed and fail_fast is set",
                                                        ExitCodes.SCORING_FAILED)
                                                : scoreOne(
                                                        spark,
                                                        hadoop,
                                                        bundle,
                                                        seeded,
                                                        openSeconds,
                                                        d,
                                                        stop)));
            }
            List<SnapshotOutcome> outcomes = new ArrayList<>();
            for (Future<SnapshotOutcome> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BundleException(
                            dev.tabscore.bundle.Reason.SCORING_FAILED, "backfill interrupted", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            return new BackfillSummary(config, plan, snapshots)
                    .finish(hadoop, bundle, startedAt, seconds(start), skipped, outcomes);
        } finally {
            pool.shutdownNow();
        }
    }

    private SnapshotOutcome scoreOne(
            SparkSession spark,
            Configuration hadoop,
            Bundle bundle,
            boolean seeded,
            double openSeconds,
            String date,
            AtomicBoolean stop) {
        long t = System.nanoTime();
        JobConfig one = plan.snapshotConfig(date);
        spark.sparkContext()
                .setJobGroup(
                        "tabscore-backfill-" + date, "tabscore backfill snapshot " + date, false);
        try {
            ObjectNode summary =
                    new ScoringRun(one, 0)
                            .scoreSnapshot(
                                    spark,
                                    bundle,
                                    seeded,
                                    openSeconds,
                                    driverDevice,
                                    new RunScope(
                                            plan.publishedSnapshotSummary(date),
                                            backfill.partitionColumn(),
                                            date,
                                            plan.resumeKey(date)));
            String status = summary.path("status").asText();
            if (!status.equals("ok") && backfill.failFast()) {
                stop.set(true);
            }
            return new SnapshotOutcome(
                    date,
                    status,
                    summary.at("/rows/in").asLong(),
                    summary.at("/rows/scored").asLong(),
                    seconds(t),
                    status.equals("ok")
                            ? null
                            : "quality gate failed: "
                                    + summary.path("quality").path("failed_gates"),
                    summary.path("exit_code").asInt(ExitCodes.QUALITY_GATE));
        } catch (RuntimeException e) {
            if (backfill.failFast()) {
                stop.set(true);
            }
            String why = BundleFiles.redact(e.getMessage() == null ? e.toString() : e.getMessage());
            int code = ExitCodes.of(e);
            dev.tabscore.bundle.Reason reason = reasonOf(e);
            String status =
                    reason == dev.tabscore.bundle.Reason.INPUT_MISSING ? "missing_input" : "failed";
            LOG.error(
                    "snapshot "
                            + date
                            + " "
                            + (status.equals("missing_input") ? "has no input" : "failed")
                            + ": "
                            + why);
            SnapshotOutcome o = new SnapshotOutcome(date, status, 0, 0, seconds(t), why, code);
            writeFailedSummary(hadoop, one, bundle, o, reason);
            return o;
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    private void writeFailedSummary(
            Configuration hadoop,
            JobConfig one,
            Bundle bundle,
            SnapshotOutcome o,
            dev.tabscore.bundle.Reason reason) {
        ObjectNode s = RunRecords.failure(config.runId(), o.exitCode(), reason, o.error());
        if (o.status().equals("missing_input")) {
            s.put("status", "missing_input");
        }
        s.put("snapshot", o.snapshot());
        ObjectNode b = s.putObject("bundle");
        b.put("name", bundle.manifest().name());
        b.put("version", bundle.manifest().version());
        b.put("digest", bundle.digest());
        s.set("config", Redaction.redact(JobConfigLoader.YAML.valueToTree(one)));
        // The run's record and --summary's {date} file; the published snapshot summary keeps
        // describing the partition that is still there.
        new RunRecords(
                        one,
                        config.runId() + "-" + o.snapshot(),
                        plan.publishedSnapshotSummary(o.snapshot()))
                .writeRun(hadoop, s);
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
    }
}
