package dev.tabscore.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.job.publish.RunOutput;
import dev.tabscore.job.spark.RejectsOutput;

/**
 * Where one run's records go and what it adds to its rows: a plain run, or one backfill snapshot
 * (its partition column as a literal, its own summary and resume key). Immutable, so the backfill's
 * parallel snapshots share nothing.
 *
 * @param publishedSummary the summary published with the output; replaced only on publication
 * @param literalColumn backfill: the partition column added as a literal (null: none)
 * @param literalValue backfill: the literal's value (the snapshot)
 * @param resumeKey backfill: what the snapshot's result depends on besides its date (null: none)
 */
record RunScope(
        String publishedSummary, String literalColumn, String literalValue, String resumeKey) {

    /** A plain run: the summary beside the output, no literal column. */
    static RunScope plain(JobConfig config) {
        return new RunScope(RunRecords.publishedSummary(config.output().uri()), null, null, null);
    }

    /** The run's name in paths: its id, and the snapshot in a backfill. */
    String runName(JobConfig config) {
        return literalValue == null ? config.runId() : config.runId() + "-" + literalValue;
    }

    /** Where this run stages its data and publishes it (the config's output, mode, partitions). */
    RunOutput output(JobConfig config) {
        return new RunOutput(
                BundleFiles.toPath(config.output().uri()),
                config.output().mode(),
                config.output().partitionBy(),
                runName(config));
    }

    /** Where this run's summaries and reports go. */
    RunRecords records(JobConfig config) {
        return new RunRecords(config, runName(config), publishedSummary);
    }

    /** Adds what only the run knows to a summary. */
    void decorate(ObjectNode summary, JobConfig config, String inputRead) {
        if (literalColumn != null) {
            summary.put("snapshot", literalValue);
        }
        if (resumeKey != null) {
            summary.put("resume_key", resumeKey);
        }
        summary.put("input_read", inputRead);
        summary.put(
                "rejects_uri",
                BundleFiles.redact(
                        RejectsOutput.runDirectory(config.output().rejectsUri(), config.runId())
                                .toString()));
        summary.put("report_uri", BundleFiles.redact(JobConfigLoader.reportFor(publishedSummary)));
        summary.put("summary_uri", BundleFiles.redact(publishedSummary));
    }
}
