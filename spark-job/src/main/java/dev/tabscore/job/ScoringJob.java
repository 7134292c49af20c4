package dev.tabscore.job;

import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.ModelChoice;
import dev.tabscore.bundle.cli.DeviceConverter;
import dev.tabscore.bundle.cli.EnumOptions;
import dev.tabscore.bundle.model.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The batch scoring job's entry point, for {@code spark-submit --class dev.tabscore.job.ScoringJob}
 * and for the embedded {@code local[*]} mode. It only parses the YAML config and the flags into a
 * {@link JobConfig} and hands it to {@link ScoringRun}; exit codes come from {@link ExitCodes}.
 *
 * <pre>
 * spark-submit --class dev.tabscore.job.ScoringJob tabscore-job.jar \
 *     --config conf/nightly.yaml --input s3a://lake/features/dt=2026-11-01 --run-id nightly-20261101
 * </pre>
 */
@Command(name = "tabscore-job", mixinStandardHelpOptions = true, version = "tabscore 0.1.0",
        sortOptions = false,
        description = "Scores input rows with a verified bundle on Spark and writes Parquet.",
        footer = {"", "Exit codes: 0 ok, 1 internal error, 2 bad config, 10-29 bundle refused, "
                + "30-39 input refused (32: input missing), 40 scoring failed, 50 quality gate "
                + "failed, 60-69 environment fault (retryable: 60 storage I/O, 61 native "
                + "library, 62 publication undone; not retryable: 63 unsupported Jackson or "
                + "untested Spark), 70-73 bundle signature refused (70 unsigned, 71 invalid, "
                + "72 signer not trusted, 73 files differ from the signed list). "
                + "The run summary says status, exit_code, "
                + "reason, retryable and message on every exit path."})
public final class ScoringJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringJob.class);

    @Option(names = "--config", description = "YAML job config (conf/*.yaml); flags override it.")
    Path config;

    @Option(names = "--bundle", description = "Bundle directory: path, s3a:// or gs:// URI.")
    String bundle;

    @Option(names = "--expect-digest", description = "Refuse the bundle unless its digest is this.")
    String expectDigest;

    @Option(names = "--trust-key", paramLabel = "PEM", description = "Accept model_signing"
            + " signatures made with this public key (repeatable; replaces bundle.trust.keys).")
    List<String> trustKeys;

    @Option(names = "--trust-root", paramLabel = "PEM", description = "Accept certificate-based"
            + " signatures chaining to this root (repeatable; replaces bundle.trust.roots).")
    List<String> trustRoots;

    @Option(names = "--require-signature", description = "Refuse an unsigned bundle (exit 70).")
    Boolean requireSignature;

    @Option(names = "--input", description = "Input file or directory (repeatable).")
    List<String> inputs;

    @Option(names = "--format", description = "Input format: parquet (default), csv, orc.")
    String format;

    @Option(names = "--input-option", description = "Spark reader option key=value (repeatable).")
    Map<String, String> inputOptions;

    @Option(names = "--id-col", description = "Id column copied to the output (repeatable).")
    List<String> idColumns;

    @Option(names = "--passthrough-col", description = "Column copied to the output (repeatable).")
    List<String> passthroughColumns;

    @Option(names = "--output", description = "Output directory (Parquet).")
    String output;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "${COMPLETION-CANDIDATES}; default error_if_exists.")
    OutputMode mode;

    @Option(names = "--partition-by", description = "Output partition column (repeatable).")
    List<String> partitionBy;

    @Option(names = "--summary", description = "Run summary JSON path "
            + "(default <output>/_tabscore_summary.json).")
    String summary;

    @Option(names = "--rejects", description = "Rejects directory: rows that could not be "
            + "scored, with reason and column (default <output>/_tabscore_rejects).")
    String rejects;

    @Option(names = "--summary-stdout", paramLabel = "HOW", description = "How the summary is "
            + "printed on stdout: ${COMPLETION-CANDIDATES} (line: one line of JSON, for log "
            + "pipelines); default pretty.")
    SummaryStdout summaryStdout;

    @Option(names = "--report", description = "HTML report path (default: the summary path "
            + "with .html).")
    String report;

    @Option(names = "--policy", description = "Column policy COLUMN.KEY=VALUE (repeatable), "
            + "e.g. age.on_null=reject, region.on_unknown=reject, region.on_unknown=fail, "
            + "region.max_unknown_rate=0.05, age.on_invalid=fail; COLUMN '*' sets the defaults.")
    Map<String, String> policies;

    @Option(names = "--gate", description = "Quality gate GATE=VALUE or GATE.COLUMN=VALUE "
            + "(repeatable): max_reject_rate, max_missing_rate, max_unknown_rate, "
            + "max_out_of_range_rate, max_psi, max_score_psi; e.g. max_psi=0.2, "
            + "max_unknown_rate.region=0.05.")
    Map<String, String> gates;

    @Option(names = "--on-gate-failure", description = "fail_before_commit (default: publish "
            + "nothing) or publish_and_flag; both exit 50.")
    String onGateFailure;

    @Option(names = "--batch-size", description = "Rows per scoring batch (default 8192).")
    Integer batchSize;

    @Option(names = "--device", paramLabel = "DEVICE", converter = DeviceConverter.class,
            description = "auto (default), cpu, gpu:N.")
    Device device;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "${COMPLETION-CANDIDATES}; default auto.")
    ModelChoice model;

    @Option(names = "--threads-per-task", description = "Model intra-op threads per task (default 1).")
    Integer threadsPerTask;

    @Option(names = "--run-id", description = "Run id stamped on every row (default generated).")
    String runId;

    @Option(names = "--master", description = "Spark master when not under spark-submit "
            + "(default local[*]).")
    String master;

    @Option(names = "--snapshots", description = "Backfill: snapshots to score, an inclusive "
            + "daily range 2026-01-01..2026-03-31 or a comma list of dates; each goes to "
            + "<output>/<partition column>=<date>/ (dynamic partition overwrite).")
    String snapshots;

    @Option(names = "--input-template", description = "Backfill: one snapshot's input, {date} "
            + "replaced by the snapshot, e.g. s3a://lake/features/dt={date}.")
    String inputTemplate;

    @Option(names = "--snapshot-parallelism",
            description = "Backfill: snapshots scored at once (default 1).")
    Integer snapshotParallelism;

    @Option(names = "--force", description = "Backfill: rescore snapshots already scored ok "
            + "with the same bundle digest.")
    Boolean force;

    @Option(names = "--fail-fast", description = "Backfill: start no more snapshots after the "
            + "first failure.")
    Boolean failFast;

    @Option(names = "--partition-column",
            description = "Backfill: output partition column of the snapshot (default snapshot).")
    String partitionColumn;

    @Option(names = "--show", defaultValue = "0",
            description = "After writing, print this many output rows (default 0).")
    int show;

    @Option(names = "--conf", description = "Extra Spark setting key=value (repeatable). "
            + "tabscore.* keys are job settings: tabscore.keep_session=true leaves the session "
            + "running; tabscore.fail_after_rows / tabscore.fail_partition inject a task failure, "
            + "tabscore.fail_snapshot=<date> fails that backfill snapshot (tests only).")
    Map<String, String> sparkConf;

    /**
     * Runs the job and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the job and returns its exit code (for tests and wrappers).
     *
     * @param args the command line
     * @return the exit code
     */
    public static int run(String... args) {
        String jackson = JacksonCheck.problem();
        if (jackson != null) {
            // Before anything that uses Jackson (the YAML config, the summary).
            LOG.error(jackson);
            return dev.tabscore.bundle.Reason.UNSUPPORTED_CLASSPATH.exitCode();
        }
        ScoringJob job = new ScoringJob();
        CommandLine cmd = new CommandLine(job);
        EnumOptions.register(cmd, OutputMode.class, SummaryStdout.class, ModelChoice.class);
        cmd.setExitCodeExceptionMapper(ScoringJob::exitCode);
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            String message = dev.tabscore.bundle.io.BundleFiles.redact(
                    e.getMessage() == null ? e.toString() : e.getMessage());
            if (exitCode(e) == ExitCodes.INTERNAL) {
                LOG.error(message, e);
            } else {
                LOG.error(message);
            }
            FailureRecords.write(job.attempted, exitCode(e), reason(e), message);
            return exitCode(e);
        });
        return cmd.execute(args);
    }

    /** The config as merged from the file and the flags, complete or not (for failures). */
    private JobConfig attempted;

    private static dev.tabscore.bundle.Reason reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.tabscore.bundle.BundleException be) {
                return be.reason();
            }
        }
        return null;
    }

    static int exitCode(Throwable e) {
        // A flag picocli refuses (unknown, or a value outside its enum) is a bad command line.
        if (e instanceof ConfigException || e instanceof CommandLine.ParameterException) {
            return ExitCodes.BAD_CONFIG;
        }
        return ExitCodes.of(e);
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        attempted = FlagOverrides.over(this,
                config == null ? JobConfigLoader.empty() : JobConfigLoader.read(config));
        JobConfig merged = JobConfigLoader.complete(attempted);
        attempted = merged;
        if (merged.backfill() != null) {
            return new BackfillRun(merged).run();
        }
        return new ScoringRun(merged, show).run();
    }
}
