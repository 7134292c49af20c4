package dev.tabscore.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.job.spark.ExecutorBundles;
import dev.tabscore.job.spark.TaskDevice;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backfill: scores each snapshot of {@code backfill.snapshots} from {@code
 * backfill.input_template} into its own partition {@code <output>/<partition_column>=<date>/},
 * in one Spark session, with the bundle verified once.
 *
 * <ul>
 *   <li>Each snapshot is one {@link ScoringRun#scoreSnapshot} (its input, the partition column as
 *       a literal, dynamic partition overwrite): a rerun replaces exactly the partitions it
 *       scores, and no other partition of the output is touched.</li>
 *   <li>Each snapshot's summary goes to {@code <output>/_tabscore/snapshots/<date>.json}, or to
 *       {@code --summary} with {@code {date}} replaced when it holds that placeholder (status
 *       {@code ok} / {@code failed}, bundle digest, rows in and scored); the backfill's to
 *       {@code <output>/_tabscore/backfill-<run_id>.json}, and is printed.</li>
 *   <li>Resumable: a snapshot whose summary says {@code ok} with the digest of this bundle is
 *       skipped unless {@code force}; another digest rescores it.</li>
 *   <li>{@code parallelism} snapshots' Spark jobs are submitted at once, from driver threads.</li>
 *   <li>A failed snapshot commits nothing and gets a {@code failed} summary; the others go on
 *       (unless {@code fail_fast}: no new snapshot starts), and the backfill exits 40 naming the
 *       failed snapshots.</li>
 * </ul>
 * Test-only knob: {@code --conf tabscore.fail_snapshot=<date>} makes that snapshot's first task
 * fail (through {@code tabscore.fail_after_rows=0}), as a real task failure would.
 */
public final class BackfillRun {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillRun.class);

    private final JobConfig config;
    private final JobConfig.BackfillSection backfill;
    private final List<String> snapshots;
    private final String failSnapshot;
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
        this.snapshots = JobConfigLoader.snapshots(backfill.snapshots());
        this.failSnapshot = config.spark().conf().get(ScoringRun.FAIL_SNAPSHOT);
    }

    /** What happened to one snapshot. */
    private record Outcome(String snapshot, String status, long rowsIn, long rowsScored,
            double seconds, String error, int exitCode) {}

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
                seeded = local && ExecutorBundles.seed(bundle,
                        config.scoring().model(), config.scoring().threadsPerTask());
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

    private int backfill(SparkSession spark, Configuration hadoop, Bundle bundle,
            boolean seeded, double openSeconds, long start) {
        Instant startedAt = Instant.now();
        String digest = bundle.digest();
        List<String> skipped = new ArrayList<>();
        List<String> todo = new ArrayList<>();
        for (String d : snapshots) {
            if (!backfill.force() && alreadyScored(hadoop, d, digest, resumeKey(d))) {
                skipped.add(d);
            } else {
                todo.add(d);
            }
        }
        LOG.info("backfill " + snapshots.size() + " snapshots: "
                + todo.size() + " to score, " + skipped.size() + " already scored with "
                + digest + (backfill.force() ? "" : " (skipped; --force rescores them)"));

        AtomicBoolean stop = new AtomicBoolean(false);
        ExecutorService pool = Executors.newFixedThreadPool(backfill.parallelism(), r -> {
            Thread th = new Thread(r, "tabscore-backfill");
            th.setDaemon(true);
            return th;
        });
        List<Future<Outcome>> futures = new ArrayList<>();
        try {
            for (String d : todo) {
                futures.add(pool.submit(() -> stop.get()
                        ? new Outcome(d, "not_run", 0, 0, 0, "not started: an earlier snapshot "
                                + "failed and fail_fast is set", ExitCodes.SCORING_FAILED)
                        : scoreOne(spark, hadoop, bundle, seeded, openSeconds, d, stop)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BundleException(dev.tabscore.bundle.Reason.SCORING_FAILED,
                            "backfill interrupted", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            return finish(hadoop, digest, bundle, startedAt, start, skipped, outcomes);
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome scoreOne(SparkSession spark, Configuration hadoop, Bundle bundle,
            boolean seeded, double openSeconds, String date, AtomicBoolean stop) {
        long t = System.nanoTime();
        JobConfig one = snapshotConfig(date);
        spark.sparkContext().setJobGroup("tabscore-backfill-" + date,
                "tabscore backfill snapshot " + date, false);
        try {
            ObjectNode summary = new ScoringRun(one, 0).scoreSnapshot(spark, bundle, seeded,
                    openSeconds, driverDevice, new RunScope(publishedSnapshotSummary(date),
                            backfill.partitionColumn(), date, resumeKey(date)));
            String status = summary.path("status").asText();
            if (!status.equals("ok") && backfill.failFast()) {
                stop.set(true);
            }
            return new Outcome(date, status, summary.at("/rows/in").asLong(),
                    summary.at("/rows/scored").asLong(), seconds(t),
                    status.equals("ok") ? null : "quality gate failed: "
                            + summary.path("quality").path("failed_gates"),
                    summary.path("exit_code").asInt(ExitCodes.QUALITY_GATE));
        } catch (RuntimeException e) {
            if (backfill.failFast()) {
                stop.set(true);
            }
            String why = BundleFiles.redact(e.getMessage() == null ? e.toString()
                    : e.getMessage());
            int code = ExitCodes.of(e);
            dev.tabscore.bundle.Reason reason = reasonOf(e);
            String status = reason == dev.tabscore.bundle.Reason.INPUT_MISSING ? "missing_input"
                    : "failed";
            LOG.error("snapshot " + date + " "
                    + (status.equals("missing_input") ? "has no input" : "failed") + ": " + why);
            Outcome o = new Outcome(date, status, 0, 0, seconds(t), why, code);
            writeFailedSummary(hadoop, one, bundle, o, reason);
            return o;
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    /** The config of one snapshot: its input, its summary, the partition column as output. */
    JobConfig snapshotConfig(String date) {
        JobConfig.InputSection in = config.input();
        in = new JobConfig.InputSection(List.of(backfill.inputTemplate().replace("{date}", date)),
                in.format(), in.options(), in.idColumns(), in.passthroughColumns());
        String summary = snapshotSummaryUri(date);
        JobConfig.OutputSection out = new JobConfig.OutputSection(config.output().uri(),
                "overwrite_partitions", List.of(backfill.partitionColumn()), summary,
                config.output().rejectsUri() + "/" + backfill.partitionColumn() + "=" + date,
                JobConfigLoader.reportFor(summary));
        Map<String, String> conf = new LinkedHashMap<>(config.spark().conf());
        if (date.equals(failSnapshot)) {
            conf.put(ScoringRun.FAIL_AFTER_ROWS, "0");
            conf.put(ScoringRun.FAIL_PARTITION, "0");
        }
        JobConfig.SparkSection sp = new JobConfig.SparkSection(config.spark().master(),
                config.spark().appName(), conf);
        return new JobConfig(config.bundle(), in, out, config.scoring(), config.runId(), sp,
                null, config.quality());
    }

    private String tabscoreDir() {
        String o = config.output().uri();
        return (o.endsWith("/") ? o.substring(0, o.length() - 1) : o) + "/_tabscore";
    }

    /**
     * A snapshot's summary: {@code --summary} with its {@code {date}} placeholder filled in when
     * the user gave one (as orchestrators do, to find each snapshot's summary), else
     * {@code <output>/_tabscore/snapshots/<date>.json}.
     */
    private String snapshotSummaryUri(String date) {
        String given = config.output().summaryUri();
        if (given != null && given.contains("{date}")) {
            return given.replace("{date}", date);
        }
        return publishedSnapshotSummary(date);
    }

    /** The summary published with a snapshot's partition: what resume trusts. */
    private String publishedSnapshotSummary(String date) {
        return tabscoreDir() + "/snapshots/" + date + ".json";
    }

    /**
     * What a snapshot's published result depends on besides the bundle digest: its input,
     * format and reader options, the id and passthrough columns, the partition column and the
     * quality policies and gates. A snapshot is skipped on resume only when both match.
     */
    String resumeKey(String date) {
        JobConfig one = snapshotConfig(date);
        com.fasterxml.jackson.databind.node.ObjectNode k = JsonNodeFactory.instance.objectNode();
        k.set("input", JobConfigLoader.YAML.valueToTree(one.input()));
        k.set("quality", JobConfigLoader.YAML.valueToTree(one.quality()));
        k.put("partition_column", backfill.partitionColumn());
        try {
            byte[] canonical = ScoringRun.JSON.writer()
                    .with(com.fasterxml.jackson.databind.SerializationFeature
                            .ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsBytes(ScoringRun.JSON.treeToValue(k, Object.class));
            return "sha256:" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (com.fasterxml.jackson.core.JsonProcessingException
                | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean alreadyScored(Configuration hadoop, String date, String digest,
            String resumeKey) {
        Path p = BundleFiles.toPath(publishedSnapshotSummary(date));
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            JsonNode s;
            try (InputStream in = fs.open(p)) {
                s = ScoringRun.JSON.readTree(in);
            }
            return s != null && "ok".equals(s.path("status").asText())
                    && digest.equals(s.at("/bundle/digest").asText())
                    && resumeKey.equals(s.path("resume_key").asText());
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            // An unreadable summary is no proof the snapshot was scored: score it again.
            LOG.warn("snapshot " + date + ": summary "
                    + BundleFiles.redact(p.toString()) + " unreadable (" + e.getMessage()
                    + "); rescoring it");
            return false;
        }
    }

    private void writeFailedSummary(Configuration hadoop, JobConfig one, Bundle bundle,
            Outcome o, dev.tabscore.bundle.Reason reason) {
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
        new RunRecords(one, config.runId() + "-" + o.snapshot(),
                publishedSnapshotSummary(o.snapshot())).writeRun(hadoop, s);
    }

    private int finish(Configuration hadoop, String digest, Bundle bundle, Instant startedAt,
            long start, List<String> skipped, List<Outcome> outcomes) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode s = f.objectNode();
        List<String> failed = outcomes.stream()
                .filter(o -> !o.status().equals("ok") && !o.status().equals("not_run"))
                .map(Outcome::snapshot).toList();
        List<String> notRun = outcomes.stream().filter(o -> o.status().equals("not_run"))
                .map(Outcome::snapshot).toList();
        s.put("status", failed.isEmpty() && notRun.isEmpty() ? "ok" : "failed");
        s.put("run_id", config.runId());
        s.put("started_at", startedAt.toString());
        s.put("output", BundleFiles.redact(config.output().uri()));
        s.put("partition_column", backfill.partitionColumn());
        ObjectNode b = s.putObject("bundle");
        b.put("uri", BundleFiles.redact(bundle.uri()));
        b.put("name", bundle.manifest().name());
        b.put("version", bundle.manifest().version());
        b.put("digest", digest);
        s.put("force", backfill.force());
        s.put("parallelism", backfill.parallelism());
        ArrayNode all = s.putArray("snapshots");
        snapshots.forEach(all::add);
        ArrayNode sk = s.putArray("skipped");
        skipped.forEach(sk::add);
        ArrayNode sc = s.putArray("scored");
        outcomes.stream().filter(o -> o.status().equals("ok")).forEach(o -> sc.add(o.snapshot()));
        ArrayNode fl = s.putArray("failed");
        failed.forEach(fl::add);
        ArrayNode nr = s.putArray("not_run");
        notRun.forEach(nr::add);
        long in = 0;
        long scored = 0;
        ObjectNode per = s.putObject("results");
        for (Outcome o : outcomes) {
            ObjectNode r = per.putObject(o.snapshot());
            r.put("status", o.status());
            r.put("exit_code", o.status().equals("ok") ? 0 : o.exitCode());
            r.put("rows_in", o.rowsIn());
            r.put("rows_scored", o.rowsScored());
            r.put("seconds", o.seconds());
            if (o.error() != null) {
                r.put("error", o.error());
            }
            in += o.rowsIn();
            scored += o.rowsScored();
        }
        ObjectNode rows = s.putObject("rows");
        rows.put("in", in);
        rows.put("scored", scored);
        s.put("total_s", seconds(start));
        s.set("config", Redaction.redact(JobConfigLoader.YAML.valueToTree(config)));
        String uri = tabscoreDir() + "/backfill-" + config.runId() + ".json";
        try {
            write(hadoop, uri, s);
        } catch (IOException e) {
            throw new BundleException(dev.tabscore.bundle.Reason.SCORING_FAILED,
                    "cannot write the backfill summary to " + BundleFiles.redact(uri) + ": "
                            + e.getMessage(), e);
        }
        RunRecords.printSummary(config.output().summaryStdout(), s);
        LOG.info("backfill " + config.runId() + ": " + sc.size()
                + " scored, " + skipped.size() + " skipped, " + failed.size() + " failed, "
                + notRun.size() + " not run; summary " + BundleFiles.redact(uri));
        if (!failed.isEmpty() || !notRun.isEmpty()) {
            LOG.error("backfill failed for snapshots " + failed
                    + (notRun.isEmpty() ? "" : "; not run (fail_fast): " + notRun)
                    + "; rerun to score only those");
            // One kind of failure gets its own code (all gates: 50, all missing inputs: 32, all
            // the same retryable fault: its code); a mix is 40, and a rerun scores only those.
            java.util.Set<Integer> codes = new java.util.TreeSet<>();
            outcomes.stream().filter(o -> failed.contains(o.snapshot()))
                    .forEach(o -> codes.add(o.exitCode()));
            return notRun.isEmpty() && codes.size() == 1 ? codes.iterator().next()
                    : ExitCodes.SCORING_FAILED;
        }
        return ExitCodes.OK;
    }

    private static void write(Configuration hadoop, String uri, JsonNode json)
            throws IOException {
        Path p = BundleFiles.toPath(uri);
        FileSystem fs = p.getFileSystem(hadoop);
        try (OutputStream out = fs.create(p, true)) {
            out.write(ScoringRun.JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
    }
}
