package dev.tabscore.job;

import dev.tabscore.bundle.ModelChoice;
import dev.tabscore.bundle.cli.DeviceConverter;
import dev.tabscore.bundle.model.Device;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The job's flags, each with the YAML key it overrides as its {@code descriptionKey}: picocli fills
 * a flag that was not given from that key of the {@code --config} file ({@link YamlDefaults}), so
 * after parsing every field holds the merged value. A list flag given replaces the file's list. The
 * map flags ({@code --conf}, {@code --input-option}, {@code --policy}, {@code --gate}) add entries
 * to the file's: a flag replaces the file's entry of the same key and keeps the others. Boolean
 * flags take an optional value ({@code --force=false}) so the command line can also turn off what
 * the file turned on.
 */
final class JobOptions {

    @Option(
            names = "--bundle",
            descriptionKey = "bundle.uri",
            description = "Bundle directory: path, s3a:// or gs:// URI.")
    String bundle;

    @Option(
            names = "--expect-digest",
            descriptionKey = "bundle.expect_digest",
            description = "Refuse the bundle unless its digest is this.")
    String expectDigest;

    @Option(
            names = "--trust-key",
            descriptionKey = "bundle.trust.keys",
            paramLabel = "PEM",
            split = YamlDefaults.LIST_SPLIT,
            hideParamSyntax = true,
            description =
                    "Accept model_signing signatures made with this public key "
                            + "(repeatable; replaces bundle.trust.keys).")
    List<String> trustKeys;

    @Option(
            names = "--trust-root",
            descriptionKey = "bundle.trust.roots",
            paramLabel = "PEM",
            split = YamlDefaults.LIST_SPLIT,
            hideParamSyntax = true,
            description =
                    "Accept certificate-based signatures chaining to this root "
                            + "(repeatable; replaces bundle.trust.roots).")
    List<String> trustRoots;

    @Option(
            names = "--require-signature",
            descriptionKey = "bundle.trust.require_signature",
            arity = "0..1",
            fallbackValue = "true",
            paramLabel = "BOOL",
            description = "Refuse an unsigned bundle (exit 70).")
    Boolean requireSignature;

    @Option(
            names = "--input",
            descriptionKey = "input.uris",
            paramLabel = "PATH",
            split = YamlDefaults.LIST_SPLIT,
            hideParamSyntax = true,
            description = "Input file or directory (repeatable).")
    List<String> inputs;

    @Option(
            names = "--format",
            descriptionKey = "input.format",
            paramLabel = "FORMAT",
            description = "Input format: ${COMPLETION-CANDIDATES}; default parquet.")
    InputFormat format;

    @Option(names = "--input-option", description = "Spark reader option key=value (repeatable).")
    Map<String, String> inputOptions;

    @Option(
            names = "--id-col",
            descriptionKey = "input.id_columns",
            paramLabel = "COLUMN",
            split = YamlDefaults.LIST_SPLIT,
            hideParamSyntax = true,
            description = "Id column copied to the output (repeatable).")
    List<String> idColumns;

    @Option(
            names = "--passthrough-col",
            descriptionKey = "input.passthrough_columns",
            paramLabel = "COLUMN",
            split = YamlDefaults.LIST_SPLIT,
            hideParamSyntax = true,
            description = "Column copied to the output (repeatable).")
    List<String> passthroughColumns;

    @Option(
            names = "--output",
            descriptionKey = "output.uri",
            description = "Output directory (Parquet).")
    String output;

    @Option(
            names = "--mode",
            descriptionKey = "output.mode",
            paramLabel = "MODE",
            description = "${COMPLETION-CANDIDATES}; default error_if_exists.")
    OutputMode mode;

    @Option(
            names = "--partition-by",
            descriptionKey = "output.partition_by",
            paramLabel = "COLUMN",
            split = YamlDefaults.LIST_SPLIT,
            hideParamSyntax = true,
            description = "Output partition column (repeatable).")
    List<String> partitionBy;

    @Option(
            names = "--summary",
            descriptionKey = "output.summary_uri",
            description = "Run summary JSON path (default <output>/_tabscore_summary.json).")
    String summary;

    @Option(
            names = "--rejects",
            descriptionKey = "output.rejects_uri",
            description =
                    "Rejects directory: rows that could not be scored, with reason and "
                            + "column (default <output>/_tabscore_rejects).")
    String rejects;

    @Option(
            names = "--summary-stdout",
            descriptionKey = "output.summary_stdout",
            paramLabel = "HOW",
            description =
                    "How the summary is printed on stdout: "
                            + "${COMPLETION-CANDIDATES} (line: one line of JSON, for log pipelines); "
                            + "default pretty.")
    SummaryStdout summaryStdout;

    @Option(
            names = "--report",
            descriptionKey = "output.report_uri",
            description = "HTML report path (default: the summary path with .html).")
    String report;

    @Option(
            names = "--policy",
            description =
                    "Column policy COLUMN.KEY=VALUE (repeatable), "
                            + "e.g. age.on_null=reject, region.on_unknown=reject, region.on_unknown=fail, "
                            + "region.max_unknown_rate=0.05, age.on_invalid=fail; COLUMN '*' sets the defaults.")
    Map<String, String> policies;

    @Option(
            names = "--gate",
            description =
                    "Quality gate GATE=VALUE or GATE.COLUMN=VALUE "
                            + "(repeatable): max_reject_rate, max_missing_rate, max_unknown_rate, "
                            + "max_out_of_range_rate, max_psi, max_score_psi; e.g. max_psi=0.2, "
                            + "max_unknown_rate.region=0.05.")
    Map<String, String> gates;

    @Option(
            names = "--on-gate-failure",
            descriptionKey = "quality.on_gate_failure",
            paramLabel = "ACTION",
            description =
                    "${COMPLETION-CANDIDATES}; default "
                            + "fail_before_commit (publish nothing); both exit 50.")
    GateFailure onGateFailure;

    @Option(
            names = "--batch-size",
            descriptionKey = "scoring.batch_size",
            description = "Rows per scoring batch (default 8192).")
    Integer batchSize;

    @Option(
            names = "--device",
            descriptionKey = "scoring.device",
            paramLabel = "DEVICE",
            converter = DeviceConverter.class,
            description = "auto (default), cpu, gpu:N.")
    Device device;

    @Option(
            names = "--model",
            descriptionKey = "scoring.model",
            paramLabel = "MODEL",
            description = "${COMPLETION-CANDIDATES}; default auto.")
    ModelChoice model;

    @Option(
            names = "--threads-per-task",
            descriptionKey = "scoring.threads_per_task",
            description = "Model intra-op threads per task (default 1).")
    Integer threadsPerTask;

    @Option(
            names = "--run-id",
            descriptionKey = "run_id",
            description = "Run id stamped on every row (default generated).")
    String runId;

    @Option(
            names = "--master",
            descriptionKey = "spark.master",
            description = "Spark master when not under spark-submit (default local[*]).")
    String master;

    @Mixin BackfillOptions backfill;

    @Option(
            names = "--conf",
            description =
                    "Extra Spark setting key=value (repeatable). "
                            + "tabscore.* keys are job settings: tabscore.keep_session=true leaves the session "
                            + "running; tabscore.fail_after_rows / tabscore.fail_partition inject a task failure, "
                            + "tabscore.fail_snapshot=<date> fails that backfill snapshot (tests only).")
    Map<String, String> sparkConf;

    /**
     * The job config these flags say, over the file's sections that have no flag of their own (the
     * map sections, {@code quality}, {@code spark.app_name}); not yet completed.
     *
     * @param file the config file as written (or an empty config)
     * @return the merged config
     */
    JobConfig config(JobConfig file) {
        JobConfig.InputSection fileInput = file.input();
        JobConfig.SparkSection fileSpark = file.spark();
        return new JobConfig(
                new JobConfig.BundleSection(
                        bundle,
                        expectDigest,
                        new JobConfig.TrustSection(trustKeys, trustRoots, requireSignature)),
                new JobConfig.InputSection(
                        inputs,
                        text(format),
                        added(fileInput == null ? null : fileInput.options(), inputOptions),
                        idColumns,
                        passthroughColumns),
                new JobConfig.OutputSection(
                        output,
                        text(mode),
                        partitionBy,
                        summary,
                        rejects,
                        report,
                        text(summaryStdout)),
                new JobConfig.ScoringSection(batchSize, text(device), text(model), threadsPerTask),
                runId,
                new JobConfig.SparkSection(
                        master,
                        fileSpark == null ? null : fileSpark.appName(),
                        added(fileSpark == null ? null : fileSpark.conf(), sparkConf)),
                backfill.section(),
                QualityFlags.merge(file.quality(), policies, gates, text(onGateFailure)));
    }

    private static String text(Object flag) {
        return flag == null ? null : flag.toString();
    }

    /** The file's entries with the flags' added, a flag winning over the same key. */
    private static Map<String, String> added(Map<String, String> file, Map<String, String> flags) {
        Map<String, String> m = new LinkedHashMap<>();
        if (file != null) {
            m.putAll(file);
        }
        if (flags != null) {
            m.putAll(flags);
        }
        return m;
    }
}
