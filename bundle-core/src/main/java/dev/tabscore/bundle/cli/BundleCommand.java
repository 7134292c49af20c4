package dev.tabscore.bundle.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code tabscore bundle}: the bundle subcommands. */
@Command(
        name = "bundle",
        mixinStandardHelpOptions = true,
        description = "Inspect, verify, score or explain a bundle.",
        subcommands = {
            InspectCommand.class,
            VerifyCommand.class,
            ScoreCommand.class,
            ScoreCasesCommand.class,
            ExplainCommand.class
        })
final class BundleCommand implements Runnable {

    @Spec CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a subcommand is required: inspect, verify, score, score-cases or explain");
    }
}
