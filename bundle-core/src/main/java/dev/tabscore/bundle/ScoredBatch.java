package dev.tabscore.bundle;

/**
 * The predictions for one batch, in the bundle's {@link OutputLayout}: float32 model outputs
 * widened to double, row-major.
 *
 * @param rows the number of rows
 * @param width the number of double columns per row
 * @param values row-major predictions, {@code rows * width}
 * @param labels the predicted class label per row (multiclass), else null
 */
public record ScoredBatch(int rows, int width, double[] values, String[] labels) {

    /**
     * Returns one prediction.
     *
     * @param row the row
     * @param column the output column index in the layout
     * @return the value
     */
    public double value(int row, int column) {
        return values[row * width + column];
    }
}
