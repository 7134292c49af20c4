package dev.tabscore.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.io.BundleFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a backfill: its summary ({@code <output>/_tabscore/backfill-<run_id>.json}, printed
 * too) from the snapshots' outcomes, and its exit code.
 */
final class BackfillSummary {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillSummary.class);

    private final JobConfig config;
    private final JobConfig.BackfillSection backfill;
    private final BackfillPlan plan;
    private final List<String> snapshots;

    BackfillSummary(JobConfig config, BackfillPlan plan, List<String> snapshots) {
        this.config = config;
        this.backfill = config.backfill();
        this.plan = plan;
        this.snapshots = snapshots;
    }

    /**
     * Writes the backfill's summary and prints it; returns the backfill's exit code.
     *
     * @param hadoop the Hadoop configuration
     * @param bundle the verified bundle
     * @param startedAt when the backfill started
     * @param totalSeconds how long it ran
     * @param skipped the snapshots skipped as already scored
     * @param outcomes the snapshots run, in order
     * @return 0, the failed snapshots' code when they share one, else 40
     */
    int finish(
            Configuration hadoop,
            Bundle bundle,
            Instant startedAt,
            double totalSeconds,
            List<String> skipped,
            List<SnapshotOutcome> outcomes) {
        String digest = bundle.digest();
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode s = f.objectNode();
        List<String> failed =
                outcomes.stream()
                        .filter(o -> !o.status().equals("ok") && !o.status().equals("not_run"))
                        .map(SnapshotOutcome::snapshot)
                        .toList();
        List<String> notRun =
                outcomes.stream()
                        .filter(o -> o.status().equals("not_run"))
                        .map(SnapshotOutcome::snapshot)
                        .toList();
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
        for (SnapshotOutcome o : outcomes) {
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
        s.put("total_s", totalSeconds);
        s.set("config", Redaction.redact(JobConfigLoader.YAML.valueToTree(config)));
        String uri = plan.tabscoreDir() + "/backfill-" + config.runId() + ".json";
        try {
            write(hadoop, uri, s);
        } catch (IOException e) {
            throw new BundleException(
                    dev.tabscore.bundle.Reason.SCORING_FAILED,
                    "cannot write the backfill summary to "
                            + BundleFiles.redact(uri)
                            + ": "
                            + e.getMessage(),
                    e);
        }
        RunRecords.printSummary(config.output().summaryStdout(), s);
        LOG.info(
                "backfill "
                        + config.runId()
                        + ": "
                        + sc.size()
                        + " scored, "
                        + skipped.size()
                        + " skipped, "
                        + failed.size()
                        + " failed, "
                        + notRun.size()
                        + " not run; summary "
                        + BundleFiles.redact(uri));
        if (!failed.isEmpty() || !notRun.isEmpty()) {
            LOG.error(
                    "backfill failed for snapshots "
                            + failed
                            + (notRun.isEmpty() ? "" : "; not run (fail_fast): " + notRun)
                            + "; rerun to score only those");
            // One kind of failure gets its own code (all gates: 50, all missing inputs: 32, all
            // the same retryable fault: its code); a mix is 40, and a rerun scores only those.
            java.util.Set<Integer> codes = new java.util.TreeSet<>();
            outcomes.stream()
                    .filter(o -> failed.contains(o.snapshot()))
                    .forEach(o -> codes.add(o.exitCode()));
            return notRun.isEmpty() && codes.size() == 1
                    ? codes.iterator().next()
                    : ExitCodes.SCORING_FAILED;
        }
        return ExitCodes.OK;
    }

    private static void write(Configuration hadoop, String uri, JsonNode json) throws IOException {
        Path p = BundleFiles.toPath(uri);
        FileSystem fs = p.getFileSystem(hadoop);
        try (OutputStream out = fs.create(p, true)) {
            out.write(ScoringRun.JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
        }
    }
}
