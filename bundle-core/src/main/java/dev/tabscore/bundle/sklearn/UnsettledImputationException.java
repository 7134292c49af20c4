package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import java.util.List;

/**
 * Rows of a batch whose value is unsettled, so scikit-learn's own result is not one number. Two
 * causes ({@link #cause()}): a KNNImputer imputation ({@link KNNImputer}): a neighbour tie that
 * scikit-learn breaks by its CPU's sort order, or distances within the rounding bound of BLAS,
 * could change the imputed value, so scikit-learn's own result is not one number. Every such row of
 * the batch is listed at once (the imputer's rows are independent, so the others score as they
 * are); the quality gate rejects them as {@code knn_unsettled} and golden replay leaves them
 * uncompared. Or a periodic ufunc (sin, cos, tan) whose input is inexact ({@link
 * FunctionTransformer}): the ulp contract's uncertainty of the input spans more than a quarter
 * period or an extremum (near 1e19 the result is any value in [-1, 1]); rejected as {@code
 * ufunc_unsettled}. Uncaught, it fails the batch naming the first row ({@link Reason#INPUT_VALUE}).
 */
public final class UnsettledImputationException extends ScoringException {

    private static final long serialVersionUID = 1L;

    /**
     * One unsettled row.
     *
     * @param row the batch-local row
     * @param column the first column (as the imputer saw it) whose imputation is unsettled
     * @param detail why, e.g. the tie at the k-th neighbour and the donor values
     */
    public record Row(int row, String column, String detail) {}

    /** What makes the rows unsettled. */
    public enum Cause {
        /** A KNNImputer imputation: a neighbour tie or distances within BLAS's rounding. */
        KNN_IMPUTATION,
        /** A periodic ufunc of an inexact input whose uncertainty spans an extremum. */
        UFUNC_RESULT
    }

    private final transient List<Row> rows;
    private final String steps;
    private final Cause cause;

    private UnsettledImputationException(List<Row> rows, String steps, Cause cause) {
        super(
                Reason.INPUT_VALUE,
                rows.get(0).column(),
                rows.get(0).row(),
                (steps.isEmpty() ? "" : steps + ": ")
                        + "column '"
                        + rows.get(0).column()
                        + "', row "
                        + rows.get(0).row()
                        + ": "
                        + rows.get(0).detail()
                        + (rows.size() > 1
                                ? " (and " + (rows.size() - 1) + " more row(s) of the batch)"
                                : ""));
        this.rows = List.copyOf(rows);
        this.steps = steps;
        this.cause = cause;
    }

    /**
     * Creates the exception for a batch's unsettled rows.
     *
     * @param rows the rows, ascending, at least one
     * @return the exception
     */
    static UnsettledImputationException of(List<Row> rows) {
        return new UnsettledImputationException(rows, "", Cause.KNN_IMPUTATION);
    }

    /**
     * Creates the exception for a batch's rows whose periodic ufunc result is unsettled.
     *
     * @param rows the rows, ascending, at least one
     * @return the exception
     */
    static UnsettledImputationException ofUfunc(List<Row> rows) {
        return new UnsettledImputationException(rows, "", Cause.UFUNC_RESULT);
    }

    /**
     * Returns what makes the rows unsettled.
     *
     * @return the cause
     */
    public Cause cause() {
        return cause;
    }

    /**
     * Returns the unsettled rows of the batch, ascending.
     *
     * @return the rows
     */
    public List<Row> rows() {
        return rows;
    }

    /**
     * Returns the step path from the graph's root to the imputer.
     *
     * @return e.g. {@code transformers_[0] 'num' > steps[0] 'knn'}, or empty
     */
    public String steps() {
        return steps;
    }

    /**
     * Returns a copy whose step path starts with {@code step}.
     *
     * @param step the enclosing step
     * @return the exception with the longer path
     */
    UnsettledImputationException within(String step) {
        UnsettledImputationException outer =
                new UnsettledImputationException(
                        rows, steps.isEmpty() ? step : step + " > " + steps, cause);
        outer.setStackTrace(getStackTrace());
        return outer;
    }
}
