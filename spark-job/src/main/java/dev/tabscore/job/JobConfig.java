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
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record JobConfig(
        BundleSection bundle,
        InputSection input,
        OutputSection output,
        ScoringSection scoring,
        String runId,
        SparkSection spark) {

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
