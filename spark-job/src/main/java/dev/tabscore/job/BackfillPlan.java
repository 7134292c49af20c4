package dev.tabscore.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tabscore.bundle.io.BundleFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backfill's plan, before anything runs: each snapshot's config (its input from the template, its
 * partition, summary and rejects paths), where its summaries go, and what decides that a snapshot
 * already scored is skipped on resume ({@link #resumeKey}, {@link #alreadyScored}).
 */
final class BackfillPlan {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillPlan.class);

    private final JobConfig config;
    private final JobConfig.BackfillSection backfill;
    private final String failSnapshot;

    /**
     * Plans a backfill.
     *
     * @param config a complete config with a backfill section
     */
    BackfillPlan(JobConfig config) {
        this.config = config;
        this.backfill = config.backfill();
        this.failSnapshot = config.spark().conf().get(ScoringRun.FAIL_SNAPSHOT);
    }

    /** The config of one snapshot: its input, its summary, the partition column as output. */
    JobConfig snapshotConfig(String date) {
        JobConfig.InputSection in = config.input();
        in =
                new JobConfig.InputSection(
                        List.of(backfill.inputTemplate().replace("{date}", date)),
                        in.format(),
                        in.options(),
                        in.idColumns(),
                        in.passthroughColumns());
        String summary = snapshotSummaryUri(date);
        JobConfig.OutputSection out =
                new JobConfig.OutputSection(
                        config.output().uri(),
                        "overwrite_partitions",
                        List.of(backfill.partitionColumn()),
                        summary,
                        config.output().rejectsUri()
                                + "/"
                                + backfill.partitionColumn()
                                + "="
                                + date,
                        JobConfigLoader.reportFor(summary));
        Map<String, String> conf = new LinkedHashMap<>(config.spark().conf());
        if (date.equals(failSnapshot)) {
            conf.put(ScoringRun.FAIL_AFTER_ROWS, "0");
            conf.put(ScoringRun.FAIL_PARTITION, "0");
        }
        JobConfig.SparkSection sp =
                new JobConfig.SparkSection(config.spark().master(), config.spark().appName(), conf);
        return new JobConfig(
                config.bundle(),
                in,
                out,
                config.scoring(),
                config.runId(),
                sp,
                null,
                config.quality());
    }

    /** The output's {@code _tabscore} directory: snapshot and backfill summaries. */
    String tabscoreDir() {
        String o = config.output().uri();
        return (o.endsWith("/") ? o.substring(0, o.length() - 1) : o) + "/_tabscore";
    }

    /**
     * A snapshot's summary: {@code --summary} with its {@code {date}} placeholder filled in when
     * the user gave one (as orchestrators do, to find each snapshot's summary), else {@code
     * <output>/_tabscore/snapshots/<date>.json}.
     */
    private String snapshotSummaryUri(String date) {
        String given = config.output().summaryUri();
        if (given != null && given.contains("{date}")) {
            return given.replace("{date}", date);
        }
        return publishedSnapshotSummary(date);
    }

    /** The summary published with a snapshot's partition: what resume trusts. */
    String publishedSnapshotSummary(String date) {
        return tabscoreDir() + "/snapshots/" + date + ".json";
    }

    /**
     * What a snapshot's published result depends on besides the bundle digest: its input, format
     * and reader options, the id and passthrough columns, the partition column and the quality
     * policies and gates. A snapshot is skipped on resume only when both match.
     */
    String resumeKey(String date) {
        JobConfig one = snapshotConfig(date);
        com.fasterxml.jackson.databind.node.ObjectNode k = JsonNodeFactory.instance.objectNode();
        k.set("input", JobConfigLoader.YAML.valueToTree(one.input()));
        k.set("quality", JobConfigLoader.YAML.valueToTree(one.quality()));
        k.put("partition_column", backfill.partitionColumn());
        try {
            byte[] canonical =
                    ScoringRun.JSON
                            .writer()
                            .with(
                                    com.fasterxml.jackson.databind.SerializationFeature
                                            .ORDER_MAP_ENTRIES_BY_KEYS)
                            .writeValueAsBytes(ScoringRun.JSON.treeToValue(k, Object.class));
            return "sha256:"
                    + java.util.HexFormat.of()
                            .formatHex(
                                    java.security.MessageDigest.getInstance("SHA-256")
                                            .digest(canonical));
        } catch (com.fasterxml.jackson.core.JsonProcessingException
                | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a snapshot's published summary says it was scored ok with this bundle and the same
     * resume key (then a rerun skips it unless forced).
     */
    boolean alreadyScored(Configuration hadoop, String date, String digest, String resumeKey) {
        Path p = BundleFiles.toPath(publishedSnapshotSummary(date));
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            JsonNode s;
            try (InputStream in = fs.open(p)) {
                s = ScoringRun.JSON.readTree(in);
            }
            return s != null
                    && "ok".equals(s.path("status").asText())
                    && digest.equals(s.at("/bundle/digest").asText())
                    && resumeKey.equals(s.path("resume_key").asText());
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            // An unreadable summary is no proof the snapshot was scored: score it again.
            LOG.warn(
                    "snapshot "
                            + date
                            + ": summary "
                            + BundleFiles.redact(p.toString())
                            + " unreadable ("
                            + e.getMessage()
                            + "); rescoring it");
            return false;
        }
    }
}
