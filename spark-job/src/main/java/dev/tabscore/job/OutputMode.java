package dev.tabscore.job;

import dev.tabscore.bundle.OptionValues;

/** What a publication replaces ({@code --mode}, {@code output.mode}; README, "Publishing"). */
public enum OutputMode {
    /** Nothing: the run is refused if the output holds published data. */
    ERROR_IF_EXISTS,
    /** Every published data file and partition. */
    OVERWRITE,
    /** Only the partition folders this run wrote. */
    OVERWRITE_PARTITIONS;

    /**
     * Returns the text form ({@code error_if_exists}).
     *
     * @return the name in lower case
     */
    @Override
    public String toString() {
        return OptionValues.text(this);
    }
}
