package dev.tabscore.job;

import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.job.spark.PartitionScorer;
import dev.tabscore.job.spark.RejectsOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's log lines at the end of a scored run (where the output, rejects, summary and report
 * went; a fault injection that never fired; a flagged gate failure), kept out of {@link ScoringRun}
 * so that its orchestration is not buried in string building. Logs under {@link ScoringRun}'s
 * logger.
 */
final class RunLog {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringRun.class);

    private RunLog() {}

    /** Warns when {@link ScoringRun#FAIL_AFTER_ROWS} was set but no task failed. */
    static void unfiredFault(RunKnobs knobs, PartitionScorer.JobMetrics metrics) {
        if (knobs.failAfterRows() >= 0) {
            LOG.warn(
                    ScoringRun.FAIL_AFTER_ROWS
                            + "="
                            + knobs.failAfterRows()
                            + " was set but no task failed: partition "
                            + knobs.failPartition()
                            + " does not exist or has no more rows than that ("
                            + metrics.partitions().value()
                            + " partitions)");
        }
    }

    /** Says what was published where (every location redacted). */
    static void published(JobConfig config, RunScope scope, PartitionScorer.JobMetrics metrics) {
        String rejects =
                RejectsOutput.runDirectory(config.output().rejectsUri(), config.runId()).toString();
        LOG.info(
                "published "
                        + metrics.rowsScored().value()
                        + " rows to "
                        + BundleFiles.redact(config.output().uri())
                        + ", "
                        + metrics.rowsRejected().value()
                        + " rejects to "
                        + BundleFiles.redact(rejects)
                        + "; summary "
                        + BundleFiles.redact(scope.publishedSummary())
                        + "; report "
                        + BundleFiles.redact(JobConfigLoader.reportFor(scope.publishedSummary())));
    }

    /** Says that a failed gate's output was published anyway, flagged (publish_and_flag). */
    static void gateFlagged(QualityGate gate) {
        LOG.error(
                "quality gate failed; the output was published "
                        + "and flagged (on_gate_failure: publish_and_flag): "
                        + gate.failures());
    }
}
