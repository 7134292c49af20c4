package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;

/**
 * A {@link ScoringException} that learns its step path on the way out: a transformer throws it with
 * the column, row and value, and each enclosing Pipeline or ColumnTransformer prefixes its step,
 * giving {@code transformers_[1] 'cat' > steps[1] 'onehot': column 'region', row 3: ...}.
 */
final class ScoringFailure extends ScoringException {

    private static final long serialVersionUID = 1L;

    private final String steps;
    private final String detail;

    private ScoringFailure(Reason reason, String column, int row, String steps, String detail) {
        super(reason, column, row, steps.isEmpty() ? detail : steps + ": " + detail);
        this.steps = steps;
        this.detail = detail;
    }

    /**
     * Creates a failure about one value.
     *
     * @param reason the reason code
     * @param column the column as the failing step saw it
     * @param row the batch-local row, or -1
     * @param detail what is wrong, naming the value
     * @return the failure
     */
    static ScoringFailure at(Reason reason, String column, int row, String detail) {
        return new ScoringFailure(
                reason,
                column,
                row,
                "",
                "column '" + column + "'" + (row >= 0 ? ", row " + row : "") + ": " + detail);
    }

    /**
     * Returns a copy whose step path starts with {@code step}.
     *
     * @param step the enclosing step, e.g. {@code steps[1] 'onehot'}
     * @return the failure with the longer path
     */
    ScoringFailure within(String step) {
        ScoringFailure outer =
                new ScoringFailure(
                        reason(),
                        column(),
                        row(),
                        steps.isEmpty() ? step : step + " > " + steps,
                        detail);
        outer.setStackTrace(getStackTrace());
        return outer;
    }
}
