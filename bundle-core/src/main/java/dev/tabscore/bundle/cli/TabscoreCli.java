package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.ExitCodes;
import java.io.PrintWriter;
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
@Command(name = "tabscore", mixinStandardHelpOptions = true, version = "tabscore 0.1.0",
        description = "Inspect, verify and score tabscore bundles on one machine.",
        subcommands = {BundleCommand.class})
public final class TabscoreCli implements Runnable {

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                args));
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
        cmd.setErr(err);
        // usage errors (also those found while running: a --trust-key file that does not parse)
        // are 2, as documented; picocli would otherwise ask ExitCodes, which says 1
        cmd.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException
                ? ExitCodes.BAD_CONFIG : ExitCodes.of(e));
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("tabscore: refused: " + e.getMessage());
            int code = ExitCodes.of(e);
            if (code == ExitCodes.INTERNAL) {
                e.printStackTrace(c.getErr());
            }
            c.getErr().println("exit code " + code);
            return code;
        });
        return cmd.execute(args);
    }

    /** {@inheritDoc} */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "a subcommand is required: bundle");
    }
}
