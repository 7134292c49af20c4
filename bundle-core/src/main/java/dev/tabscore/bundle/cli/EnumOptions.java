package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.OptionValues;
import picocli.CommandLine;

/**
 * Converts flags typed as enums ({@code --model}, the job's {@code --mode}) by {@link
 * OptionValues}: any case in, and an error that lists the values as users write them ({@code
 * state_dict}), where picocli's own would list the constants ({@code STATE_DICT}).
 */
public final class EnumOptions {

    private EnumOptions() {}

    /**
     * Registers the converter of each enum on a command line and its subcommands.
     *
     * @param cmd the command line (before subcommands are added later, if any)
     * @param types the enums its options use
     * @return {@code cmd}
     */
    @SafeVarargs
    public static CommandLine register(CommandLine cmd, Class<? extends Enum<?>>... types) {
        for (Class<? extends Enum<?>> t : types) {
            register(cmd, t);
        }
        return cmd;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void register(CommandLine cmd, Class<? extends Enum<?>> type) {
        cmd.registerConverter(
                (Class) type,
                value -> {
                    try {
                        return OptionValues.parse((Class) type, "value", value);
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.TypeConversionException(
                                "expected one of "
                                        + OptionValues.values(type)
                                        + " but was '"
                                        + value
                                        + "'");
                    }
                });
    }
}
