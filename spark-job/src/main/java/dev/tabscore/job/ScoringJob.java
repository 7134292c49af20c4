package dev.tabscore.job;

import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.ModelChoice;
import dev.tabscore.bundle.cli.EnumOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
@Command(
        name = "tabscore-job",
        mixinStandardHelpOptions = true,
        version = "tabscore 0.1.0",
        sortOptions = false,
        description = "Scores input rows with a verified bundle on Spark and writes Parquet.",
        footer = {
            "",
            "Exit codes: 0 ok, 1 internal error, 2 bad config, 10-29 bundle refused, "
                    + "30-39 input refused (32: input missing), 40 scoring failed, 50 quality gate "
                    + "failed, 60-69 environment fault (retryable: 60 storage I/O, 61 native "
                    + "library, 62 publication undone; not retryable: 63 unsupported Jackson or "
                    + "untested Spark), 70-73 bundle signature refused (70 unsigned, 71 invalid, "
                    + "72 signer not trusted, 73 files differ from the signed list). "
                    + "The run summary says status, exit_code, "
                    + "reason, retryable and message on every exit path."
        })
public final class ScoringJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringJob.class);

    @Option(
            names = "--config",
            description =
                    "YAML job config (conf/*.yaml); a flag given "
                            + "overrides its key, the map flags add to the file's entries.")
    Path config;

    @Mixin JobOptions options;

    @Option(
            names = "--show",
            defaultValue = "0",
            description = "After writing, print this many output rows (default 0).")
    int show;

    /** The {@code --config} file, read once picocli asks for the first default. */
    private final YamlDefaults yaml = new YamlDefaults(() -> config);

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
        CommandLine cmd = commandLine(job);
        cmd.setExitCodeExceptionMapper(ScoringJob::exitCode);
        cmd.setExecutionExceptionHandler(
                (e, c, parsed) -> {
                    String message =
                            dev.tabscore.bundle.io.BundleFiles.redact(
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

    /**
     * The job's command line: typed options, defaults from the {@code --config} file.
     *
     * @param job the command object picocli fills
     * @return the command line, ready to parse
     */
    static CommandLine commandLine(ScoringJob job) {
        CommandLine cmd = new CommandLine(job);
        EnumOptions.register(
                cmd,
                OutputMode.class,
                SummaryStdout.class,
                ModelChoice.class,
                InputFormat.class,
                GateFailure.class);
        return cmd.setDefaultValueProvider(job.yaml);
    }

    /**
     * The config the parsed command line and its file say, not yet completed.
     *
     * @return the merged config
     * @throws ConfigException if the file is refused
     */
    JobConfig merged() {
        return options.config(yaml.file());
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
        attempted = merged();
        JobConfig merged = JobConfigLoader.complete(attempted);
        attempted = merged;
        if (merged.backfill() != null) {
            return new BackfillRun(merged).run();
        }
        return new ScoringRun(merged, show).run();
    }
}
