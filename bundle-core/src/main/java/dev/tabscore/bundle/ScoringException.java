package dev.tabscore.bundle;

/**
 * One value could not be transformed or scored. Local: it names the column, the batch-local row and
 * the value, so one bad row can be reported without doubting the bundle.
 */
public class ScoringException extends BundleException {

    private static final long serialVersionUID = 1L;

    private final String column;
    private final int row;

    /**
     * Creates an exception.
     *
     * @param reason the reason code
     * @param column the input column (or feature) that failed
     * @param row the 0-based row within the batch, or -1 if not known
     * @param message what is wrong
     */
    public ScoringException(Reason reason, String column, int row, String message) {
        super(reason, message);
        this.column = column;
        this.row = row;
    }

    /**
     * Returns the column that failed.
     *
     * @return the column name
     */
    public String column() {
        return column;
    }

    /**
     * Returns the 0-based row within the batch, or -1.
     *
     * @return the row index
     */
    public int row() {
        return row;
    }
}
