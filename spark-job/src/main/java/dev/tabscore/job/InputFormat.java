package dev.tabscore.job;

import dev.tabscore.bundle.OptionValues;

/** The input's file format ({@code --format}, {@code input.format}). */
public enum InputFormat {
    /** Parquet files, read column batch by column batch. */
    PARQUET,
    /** CSV files, read row by row with the reader options given. */
    CSV,
    /** ORC files, read column batch by column batch. */
    ORC;

    /**
     * Returns the text form ({@code parquet}), the name Spark's reader takes.
     *
     * @return the name in lower case
     */
    @Override
    public String toString() {
        return OptionValues.text(this);
    }
}
