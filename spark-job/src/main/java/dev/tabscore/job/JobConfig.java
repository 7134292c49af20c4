package dev.tabscore.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * Everything one scoring run needs, read from a YAML file ({@code conf/*.yaml}) and then
 * overridden by command-line flags. Immutable; {@link JobConfigLoader} fills defaults and
 * validates it, naming the field at fault.
 *
 * @param bundle where the bundle is and which digest it must have
 * @param input what to score
 * @param output where predictions, summary (and later rejects) go
 * @param scoring batch size, device and model choice
 * @param runId the run's id, stamped on every output row; generated when absent
 * @param spark master, app name and extra Spark settings for the embedded mode
 * @param backfill when set, score a range of snapshots each into its own output partition
 *     ({@link BackfillRun}) instead of one run over {@code input.uris}
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record JobConfig(
        BundleSection bundle,
        InputSection input,
        OutputSection output,
        ScoringSection scoring,
        String runId,
        SparkSection spark,
        BackfillSection backfill) {

    /**
     * A config without a backfill section.
     *
     * @param bundle the bundle section
     * @param input the input section
     * @param output the output section
     * @param scoring the scoring section
     * @param runId the run id
     * @param spark the Spark section
     */
    public JobConfig(BundleSection bundle, InputSection input, OutputSection output,
            ScoringSection scoring, String runId, SparkSection spark) {
        this(bundle, input, output, scoring, runId, spark, null);
    }

    /**
     * A backfill: one scoring of each snapshot into {@code <output>/<partition_column>=<date>/}
     * with dynamic partition overwrite, resumable through per-snapshot summaries.
     *
     * @param snapshots an inclusive daily range {@code 2026-01-01..2026-03-31} or a comma list
     *     of dates {@code 2026-01-01,2026-01-05}
     * @param inputTemplate the input of one snapshot, {@code {date}} replaced by the snapshot,
     *     e.g. {@code s3a://lake/features/dt={date}}
     * @param parallelism how many snapshots' Spark jobs run at once (default 1)
     * @param force rescore snapshots whose summary says ok with the same bundle digest
     * @param failFast stop starting snapshots after the first failure (default: go on)
     * @param partitionColumn the output partition column holding the snapshot (default
     *     {@code snapshot})
     */
    public record BackfillSection(String snapshots, String inputTemplate, Integer parallelism,
            Boolean force, Boolean failFast, String partitionColumn) {}

    /**
     * The bundle to score with.
     *
     * @param uri a local path, {@code s3a://} or {@code gs://} URI of the bundle directory
     * @param expectDigest refuse the bundle unless its digest is this ({@code sha256:<hex>})
     */
    public record BundleSection(String uri, String expectDigest) {}

    /**
     * The data to score.
     *
     * @param uris one or more files or directories
     * @param format parquet (default), csv or orc
     * @param options reader options passed to Spark (e.g. CSV {@code header: "true"})
     * @param idColumns columns copied to the output that identify a row
     * @param passthroughColumns other columns copied to the output unchanged
     */
    public record InputSection(List<String> uris, String format, Map<String, String> options,
            List<String> idColumns, List<String> passthroughColumns) {}

    /**
     * Where results go.
     *
     * @param uri the output directory (Parquet)
     * @param mode error_if_exists (default), overwrite, or overwrite_partitions (dynamic
     *     partition overwrite: replaces only the partitions this run writes)
     * @param partitionBy output partition columns (taken from the id/passthrough columns)
     * @param summaryUri the run summary JSON; default {@code <output>/_tabscore_summary.json}
     */
    public record OutputSection(String uri, String mode, List<String> partitionBy,
            String summaryUri) {}

    /**
     * How to score.
     *
     * @param batchSize rows per batch through preprocessor and model (default 8192)
     * @param device auto (GPU when the task has one), cpu, or gpu:N
     * @param model auto (TorchScript when present), torchscript, or state_dict
     * @param threadsPerTask intra-op threads of the model per task (default 1: Spark's task
     *     slots already use the cores)
     */
    public record ScoringSection(Integer batchSize, String device, String model,
            Integer threadsPerTask) {}

    /**
     * Spark settings for a run that starts its own session (ignored keys under spark-submit
     * are those spark-submit already set).
     *
     * @param master the master URL when not launched by spark-submit; default {@code local[*]}
     * @param appName the application name
     * @param conf extra Spark settings
     */
    public record SparkSection(String master, String appName, Map<String, String> conf) {}
}
