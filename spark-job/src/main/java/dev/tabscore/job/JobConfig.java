package dev.tabscore.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * Everything one scoring run needs, read from a YAML file ({@code conf/*.yaml}) and then overridden
 * by command-line flags. Immutable; {@link JobConfigLoader} fills defaults and validates it, naming
 * the field at fault.
 *
 * @param bundle where the bundle is and which digest it must have
 * @param input what to score
 * @param output where predictions, summary (and later rejects) go
 * @param scoring batch size, device and model choice
 * @param runId the run's id, stamped on every output row; generated when absent
 * @param spark master, app name and extra Spark settings for the embedded mode
 * @param backfill when set, score a range of snapshots each into its own output partition ({@link
 *     BackfillRun}) instead of one run over {@code input.uris}
 * @param quality row policies, gates and what a failed gate does
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record JobConfig(
        BundleSection bundle,
        InputSection input,
        OutputSection output,
        ScoringSection scoring,
        String runId,
        SparkSection spark,
        BackfillSection backfill,
        QualitySection quality) {

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
    public JobConfig(
            BundleSection bundle,
            InputSection input,
            OutputSection output,
            ScoringSection scoring,
            String runId,
            SparkSection spark) {
        this(bundle, input, output, scoring, runId, spark, null, null);
    }

    /**
     * A config without a quality section (built-in policies, no gates).
     *
     * @param bundle the bundle section
     * @param input the input section
     * @param output the output section
     * @param scoring the scoring section
     * @param runId the run id
     * @param spark the Spark section
     * @param backfill the backfill section or null
     */
    public JobConfig(
            BundleSection bundle,
            InputSection input,
            OutputSection output,
            ScoringSection scoring,
            String runId,
            SparkSection spark,
            BackfillSection backfill) {
        this(bundle, input, output, scoring, runId, spark, backfill, null);
    }

    /**
     * Data quality: per-column row policies over the manifest's, gates, and what a failed gate
     * does. Policies resolve, per column: built-in default, then the manifest's column policy, then
     * {@code defaults}, then the column's own entry here.
     *
     * @param columns per contract column: on_null (preprocess | reject), on_invalid (reject |
     *     fail), on_unknown (preprocess | reject | fail), max_unknown_rate
     * @param defaults the same keys, for every contract column
     * @param gates thresholds: max_reject_rate (a number); max_missing_rate, max_unknown_rate,
     *     max_out_of_range_rate, max_psi, max_score_psi (a number for every column, or a map column
     *     to number)
     * @param onGateFailure fail_before_commit (default: nothing is published, exit 50) or
     *     publish_and_flag (output published, summary and report flag it, exit 50)
     */
    public record QualitySection(
            Map<String, dev.tabscore.bundle.quality.PolicySpec> columns,
            dev.tabscore.bundle.quality.PolicySpec defaults,
            GatesSection gates,
            String onGateFailure) {}

    /**
     * Gate thresholds as written: a number, or (except max_reject_rate) a map from column name to
     * number ({@code "*"} for every column).
     *
     * @param maxRejectRate rows rejected / rows in
     * @param maxMissingRate missing values / rows in, per input column
     * @param maxUnknownRate unknown categories / rows in, per input column
     * @param maxOutOfRangeRate values outside the training range / rows in, per numeric column
     * @param maxPsi PSI against the training distribution, per input column
     * @param maxScorePsi PSI of each output column against its reference
     */
    public record GatesSection(
            Double maxRejectRate,
            com.fasterxml.jackson.databind.JsonNode maxMissingRate,
            com.fasterxml.jackson.databind.JsonNode maxUnknownRate,
            com.fasterxml.jackson.databind.JsonNode maxOutOfRangeRate,
            com.fasterxml.jackson.databind.JsonNode maxPsi,
            com.fasterxml.jackson.databind.JsonNode maxScorePsi) {}

    /**
     * A backfill: one scoring of each snapshot into {@code <output>/<partition_column>=<date>/}
     * with dynamic partition overwrite, resumable through per-snapshot summaries.
     *
     * @param snapshots an inclusive daily range {@code 2026-01-01..2026-03-31} or a comma list of
     *     dates {@code 2026-01-01,2026-01-05}
     * @param inputTemplate the input of one snapshot, {@code {date}} replaced by the snapshot, e.g.
     *     {@code s3a://lake/features/dt={date}}
     * @param parallelism how many snapshots' Spark jobs run at once (default 1)
     * @param force rescore snapshots whose summary says ok with the same bundle digest
     * @param failFast stop starting snapshots after the first failure (default: go on)
     * @param partitionColumn the output partition column holding the snapshot (default {@code
     *     snapshot})
     */
    public record BackfillSection(
            String snapshots,
            String inputTemplate,
            Integer parallelism,
            Boolean force,
            Boolean failFast,
            String partitionColumn) {}

    /**
     * The bundle to score with.
     *
     * @param uri a local path, {@code s3a://} or {@code gs://} URI of the bundle directory
     * @param expectDigest refuse the bundle unless its digest is this ({@code sha256:<hex>})
     * @param trust whose model_signing signature the bundle must carry (null: not checked)
     */
    public record BundleSection(String uri, String expectDigest, TrustSection trust) {

        /**
         * A bundle section without signature checks.
         *
         * @param uri the bundle
         * @param expectDigest the expected digest or null
         */
        public BundleSection(String uri, String expectDigest) {
            this(uri, expectDigest, null);
        }
    }

    /**
     * Whose signature a bundle must carry ({@code bundle.trust}; see docs/signing.md).
     *
     * @param keys PEM public keys whose model_signing signatures are accepted
     * @param roots PEM root certificates that certificate-based signatures must chain to
     * @param requireSignature refuse an unsigned bundle (default false)
     */
    public record TrustSection(List<String> keys, List<String> roots, Boolean requireSignature) {}

    /**
     * The data to score.
     *
     * @param uris one or more files or directories
     * @param format parquet (default), csv or orc
     * @param options reader options passed to Spark (e.g. CSV {@code header: "true"})
     * @param idColumns columns copied to the output that identify a row
     * @param passthroughColumns other columns copied to the output unchanged
     */
    public record InputSection(
            List<String> uris,
            String format,
            Map<String, String> options,
            List<String> idColumns,
            List<String> passthroughColumns) {}

    /**
     * Where results go.
     *
     * @param uri the output directory (Parquet)
     * @param mode error_if_exists (default), overwrite, or overwrite_partitions (dynamic partition
     *     overwrite: replaces only the partitions this run writes)
     * @param partitionBy output partition columns (taken from the id/passthrough columns)
     * @param summaryUri the run summary JSON; default {@code <output>/_tabscore_summary.json}
     * @param rejectsUri the rejects directory (Parquet: rows that could not be scored, with the
     *     reason); default {@code <output>/_tabscore_rejects}
     * @param reportUri the human-readable HTML report; default the summary path with {@code .html}
     *     for {@code .json}
     * @param summaryStdout how the summary is printed on stdout: {@code pretty} (default), {@code
     *     line} (one line of JSON, for log pipelines) or {@code none}
     */
    public record OutputSection(
            String uri,
            String mode,
            List<String> partitionBy,
            String summaryUri,
            String rejectsUri,
            String reportUri,
            String summaryStdout) {

        /**
         * An output section that prints the summary as pretty JSON.
         *
         * @param uri the output directory
         * @param mode the mode
         * @param partitionBy the partition columns
         * @param summaryUri the summary path
         * @param rejectsUri the rejects directory
         * @param reportUri the report path
         */
        public OutputSection(
                String uri,
                String mode,
                List<String> partitionBy,
                String summaryUri,
                String rejectsUri,
                String reportUri) {
            this(uri, mode, partitionBy, summaryUri, rejectsUri, reportUri, null);
        }

        /**
         * An output section with default rejects and report locations.
         *
         * @param uri the output directory
         * @param mode the mode
         * @param partitionBy the partition columns
         * @param summaryUri the summary path
         */
        public OutputSection(String uri, String mode, List<String> partitionBy, String summaryUri) {
            this(uri, mode, partitionBy, summaryUri, null, null, null);
        }
    }

    /**
     * How to score.
     *
     * @param batchSize rows per batch through preprocessor and model (default 8192)
     * @param device auto (GPU when the task has one), cpu, or gpu:N
     * @param model auto (state_dict, else ONNX, else TorchScript), state_dict, onnx or torchscript
     * @param threadsPerTask intra-op threads of the model per task (default 1: Spark's task slots
     *     already use the cores)
     */
    public record ScoringSection(
            Integer batchSize, String device, String model, Integer threadsPerTask) {}

    /**
     * Spark settings for a run that starts its own session (ignored keys under spark-submit are
     * those spark-submit already set).
     *
     * @param master the master URL when not launched by spark-submit; default {@code local[*]}
     * @param appName the application name
     * @param conf extra Spark settings
     */
    public record SparkSection(String master, String appName, Map<String, String> conf) {}
}
