package dev.tabscore.job;

import dev.tabscore.bundle.OptionValues;

/** How the run summary is printed on stdout ({@code --summary-stdout}). */
public enum SummaryStdout {
    /** Indented JSON, for people. */
    PRETTY,
    /** One line of JSON, for log pipelines that split on newlines. */
    LINE,
    /** Not printed (the summary file is still written). */
    NONE;

    /**
     * Parses a value of a completed config (null: the default, pretty).
     *
     * @param text pretty, line, none or null
     * @return the constant
     */
    static SummaryStdout parse(String text) {
        return text == null
                ? PRETTY
                : OptionValues.parse(SummaryStdout.class, "output.summary_stdout", text);
    }

    /**
     * Returns the text form ({@code line}).
     *
     * @return the name in lower case
     */
    @Override
    public String toString() {
        return OptionValues.text(this);
    }
}
