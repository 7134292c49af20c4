package dev.tabscore.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.job.publish.RunOutput;
import dev.tabscore.job.spark.PartitionScorer;
import dev.tabscore.job.spark.RejectsOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the scoring stage: the run's summary, and either its publication (staged data, rejects and
 * summary moved into place as one step, or nothing) or, when the gate refused the commit, its
 * failed summary. What is staged is discarded either way.
 */
final class RunPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(RunPublisher.class);

    /**
     * What the summary of a scored run is built from.
     *
     * @param spark the session
     * @param bundle the verified bundle
     * @param metrics the run's accumulators
     * @param driverOpen the driver's open of the bundle
     * @param timings the phase timings so far (publish_s is added here)
     * @param scoredAt the run's scored_at
     * @param gate the quality gate
     * @param inputRead how the tasks read the input
     */
    record Scored(
            SparkSession spark,
            Bundle bundle,
            PartitionScorer.JobMetrics metrics,
            RunSummary.DriverOpen driverOpen,
            Map<String, Double> timings,
            Instant scoredAt,
            QualityGate gate,
            String inputRead) {}

    private final JobConfig config;
    private final RunScope scope;
    private final RunKnobs knobs;
    private final RunOutput runOutput;
    private final String staging;

    /**
     * A publisher of one run.
     *
     * @param config the run's config
     * @param scope the run's records and literal column
     * @param knobs the fault-injection knobs of the publication
     * @param runOutput the run's staged output
     * @param staging the rejects' staging directory
     */
    RunPublisher(
            JobConfig config, RunScope scope, RunKnobs knobs, RunOutput runOutput, String staging) {
        this.config = config;
        this.scope = scope;
        this.knobs = knobs;
        this.runOutput = runOutput;
        this.staging = staging;
    }

    /** Removes what the run staged (a failed run publishes nothing). */
    void discard(Configuration hadoop) {
        RejectsOutput.discard(hadoop, staging);
        runOutput.discard(hadoop);
    }

    /** The summary of a run, decorated with what only the run knows. */
    ObjectNode summary(Scored s, boolean committed) {
        ObjectNode summary =
                RunSummary.build(
                        config,
                        s.bundle(),
                        s.spark(),
                        s.metrics(),
                        s.driverOpen(),
                        s.timings(),
                        s.scoredAt(),
                        s.gate(),
                        committed);
        scope.decorate(summary, config, s.inputRead());
        return summary;
    }

    /**
     * Records a run whose commit the gate refused: its failed summary, written and printed.
     *
     * @return the summary
     */
    ObjectNode gateRefused(Configuration hadoop, Scored s, BundleException cause) {
        ObjectNode summary = summary(s, false);
        RunRecords.failed(summary, ExitCodes.QUALITY_GATE, Reason.QUALITY_GATE, cause.getMessage());
        scope.records(config).writeRun(hadoop, summary);
        scope.records(config).print(summary);
        LOG.error(cause.getMessage());
        return summary;
    }

    /**
     * Stages the rejects and the summary beside the data and publishes them all, or nothing.
     *
     * @param start when the run started (for total_s)
     * @return the summary published
     */
    ObjectNode publish(
            Configuration hadoop,
            Scored s,
            StructType schema,
            List<Integer> rejectFields,
            long start) {
        long t = System.nanoTime();
        ObjectNode summary;
        try {
            Path stagedRejects =
                    RejectsOutput.stage(
                            hadoop,
                            staging,
                            s.metrics().rejectFiles().value(),
                            RejectsOutput.schema(
                                    schema, rejectFields.stream().mapToInt(i -> i).toArray()));
            s.timings().put("total_s", ScoringRun.seconds(start));
            summary = summary(s, true);
            RunRecords.ok(summary, s.gate().passed() ? ExitCodes.OK : ExitCodes.QUALITY_GATE);
            List<RunOutput.Staged> extra = new ArrayList<>();
            extra.add(
                    new RunOutput.Staged(
                            "rejects",
                            stagedRejects,
                            RejectsOutput.runDirectory(
                                    config.output().rejectsUri(), config.runId())));
            scope.records(config).stagePublished(hadoop, runOutput, summary, extra);
            runOutput
                    .plan(hadoop, knobs.failPublishBefore(), knobs.publishPauseMs(), extra)
                    .commit(hadoop);
        } catch (RuntimeException | IOException e) {
            discard(hadoop);
            if (e instanceof BundleException be) {
                throw be;
            }
            throw new BundleException(
                    Reason.IO_ERROR,
                    "cannot stage the output of the run "
                            + "for publication; nothing was published to "
                            + BundleFiles.redact(config.output().uri())
                            + ": "
                            + BundleFiles.redact(RunFailures.rootMessage(e)),
                    e);
        }
        discard(hadoop);
        s.timings().put("publish_s", ScoringRun.seconds(t));
        ((ObjectNode) summary.path("timings_s")).put("publish_s", ScoringRun.seconds(t));
        scope.records(config).writeRun(hadoop, summary);
        scope.records(config).print(summary);
        return summary;
    }
}
