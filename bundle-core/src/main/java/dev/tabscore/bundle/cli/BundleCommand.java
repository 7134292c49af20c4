package dev.tabscore.bundle.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code tabscore bundle}: the bundle subcommands. */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = "Inspect, verify or score a bundle.",
        subcommands = {InspectCommand.class, VerifyCommand.class, ScoreCommand.class,
            ScoreCasesCommand.class})
final class BundleCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: inspect, verify, score or score-cases");
    }
}
