package dev.tabscore.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.HadoopDefaults;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The summary of a run that failed before it could write its own (a refused bundle, a bad config, a
 * missing input, a failed stage): written where {@link RunRecords} writes a run's record and {@code
 * --summary}, with the Hadoop settings Spark would use, and printed. Best effort: a config too
 * broken to name its output gets the printed summary only.
 */
final class FailureRecords {

    private static final Logger LOG = LoggerFactory.getLogger(FailureRecords.class);

    private FailureRecords() {}

    /**
     * Writes and prints a failure summary, unless the run already wrote its own.
     *
     * @param config the config as far as it was merged (null if the flags did not parse)
     * @param exitCode the exit code
     * @param reason the reason, or null for a config or internal error
     * @param message what happened
     */
    static void write(JobConfig config, int exitCode, Reason reason, String message) {
        if (reason == Reason.QUALITY_GATE) {
            return; // the run wrote its summary with the gates' details
        }
        String runId = config == null ? null : config.runId();
        ObjectNode s = RunRecords.failure(runId, exitCode, reason, message);
        if (config != null) {
            s.set("config", Redaction.redact(JobConfigLoader.YAML.valueToTree(config)));
        }
        RunRecords.print(config, s);
        if (config == null || config.output() == null || config.output().uri() == null) {
            return;
        }
        Configuration hadoop = hadoop(config);
        if (exitCode == dev.tabscore.bundle.ExitCodes.BAD_CONFIG) {
            // A config error writes nothing into the output (it may be a typo of its path):
            // only --summary, when the config names one, and stdout.
            String given = config.output().summaryUri();
            if (given != null
                    && !given.contains("{date}")
                    && !given.equals(RunRecords.publishedSummary(config.output().uri()))) {
                try {
                    RunRecords.write(
                            hadoop,
                            dev.tabscore.bundle.io.BundleFiles.toPath(given),
                            ScoringRun.JSON.writeValueAsString(s));
                } catch (java.io.IOException | RuntimeException e) {
                    LOG.warn("cannot write the summary: " + e.getMessage());
                }
            }
            return;
        }
        for (String name : runNames(config)) {
            JobConfig one = config;
            String summary = config.output().summaryUri();
            if (summary != null && summary.contains("{date}") && !name.equals(runName(config))) {
                String date = name.substring(runName(config).length() + 1);
                String filled = summary.replace("{date}", date);
                one =
                        new JobConfig(
                                config.bundle(),
                                config.input(),
                                new JobConfig.OutputSection(
                                        config.output().uri(),
                                        config.output().mode(),
                                        config.output().partitionBy(),
                                        filled,
                                        config.output().rejectsUri(),
                                        JobConfigLoader.reportFor(filled),
                                        config.output().summaryStdout()),
                                config.scoring(),
                                config.runId(),
                                config.spark(),
                                config.backfill(),
                                config.quality());
            }
            new RunRecords(one, name, RunRecords.publishedSummary(config.output().uri()))
                    .writeRun(hadoop, s);
        }
    }

    private static String runName(JobConfig config) {
        return config.runId() == null ? "failed-" + System.currentTimeMillis() : config.runId();
    }

    /** The run, or in a backfill whose --summary has {date}, each of its snapshots too. */
    private static List<String> runNames(JobConfig config) {
        List<String> out = new ArrayList<>();
        String run = runName(config);
        out.add(run);
        if (config.backfill() != null
                && config.backfill().snapshots() != null
                && config.output().summaryUri() != null
                && config.output().summaryUri().contains("{date}")) {
            try {
                for (String d : BackfillConfig.snapshots(config.backfill().snapshots())) {
                    out.add(run + "-" + d);
                }
            } catch (RuntimeException e) {
                // a bad snapshot list is the config error being reported
            }
        }
        return out;
    }

    private static Configuration hadoop(JobConfig config) {
        SparkConf conf = new SparkConf();
        if (config.spark() != null && config.spark().conf() != null) {
            config.spark()
                    .conf()
                    .forEach(
                            (k, v) -> {
                                if (!k.startsWith("tabscore.")) {
                                    conf.set(k, v);
                                }
                            });
        }
        Configuration hadoop = SparkHadoopUtil.get().newConfiguration(conf);
        HadoopDefaults.apply(hadoop);
        return hadoop;
    }
}
