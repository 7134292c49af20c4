package dev.tabscore.job;

import dev.tabscore.bundle.OptionValues;

/** What a failed quality gate does ({@code --on-gate-failure}, {@code quality.on_gate_failure}). */
public enum GateFailure {
    /** Nothing is published; exit 50. */
    FAIL_BEFORE_COMMIT,
    /** The output is published, the summary and report flag it; exit 50. */
    PUBLISH_AND_FLAG;

    /**
     * Returns the text form ({@code fail_before_commit}).
     *
     * @return the name in lower case
     */
    @Override
    public String toString() {
        return OptionValues.text(this);
    }
}
