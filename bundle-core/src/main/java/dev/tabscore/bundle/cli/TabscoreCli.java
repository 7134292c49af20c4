package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.ExitCodes;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tabscore}: the single-machine command line (no Spark). Launcher: {@code scripts/tabscore}.
 *
 * <pre>
 * tabscore bundle inspect sample-data/bundle
 * tabscore bundle verify sample-data/bundle --expect-digest sha256:...
 * tabscore bundle score sample-data/bundle --input in.parquet --output out.parquet --id-col id
 * </pre>
 *
 * <p>Exit codes are those of {@link ExitCodes}: 0 ok, 1 internal error, 2 bad usage, 10-29 the
 * bundle was refused (one code per {@link dev.tabscore.bundle.Reason}), 30-39 the input was
 * refused, 70-73 the bundle's signature was refused.
 */
@Command(
        name = "tabscore",
        mixinStandardHelpOptions = true,
        version = "tabscore 0.1.0",
        description = "Inspect, verify and score tabscore bundles on one machine.",
        subcommands = {BundleCommand.class})
public final class TabscoreCli implements Runnable {

    /** The CLI's log4j2 config on the classpath, unless the user named one. */
    static final String LOG_CONFIG = "tabscore/log4j2-cli.properties";

    static {
        // Before any logger exists (this class's own included): log4j2 reads it once.
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getenv("LOG4J_CONFIGURATION_FILE") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TabscoreCli.class);

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(
                run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the command line with the given streams (for tests).
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new TabscoreCli());
        cmd.setOut(out);
        EnumOptions.register(cmd, dev.tabscore.bundle.ModelChoice.class);
        cmd.setErr(err);
        // usage errors (also those found while running: a --trust-key file that does not parse)
        // are 2, as documented; picocli would otherwise ask ExitCodes, which says 1
        cmd.setExitCodeExceptionMapper(
                e ->
                        e instanceof CommandLine.ParameterException
                                ? ExitCodes.BAD_CONFIG
                                : ExitCodes.of(e));
        cmd.setExecutionExceptionHandler(
                (e, c, parsed) -> {
                    // The verdict is the command's answer, on the command's stderr; a bug's stack
                    // trace
                    // is a log record.
                    c.getErr().println("tabscore: refused: " + e.getMessage());
                    int code = ExitCodes.of(e);
                    if (code == ExitCodes.INTERNAL) {
                        LOG.error("internal error", e);
                    }
                    c.getErr().println("exit code " + code);
                    return code;
                });
        return cmd.execute(args);
    }

    /** {@inheritDoc} */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                new CommandLine(this), "a subcommand is required: bundle");
    }
}
