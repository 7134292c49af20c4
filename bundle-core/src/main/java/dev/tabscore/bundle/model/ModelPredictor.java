package dev.tabscore.bundle.model;

/**
 * Runs batches through a {@link ModelRunner}'s model. Not thread-safe: use one per thread (a Spark
 * task, say) and close it when done. Each batch's engine memory is released when {@link #predict}
 * returns.
 */
public interface ModelPredictor extends AutoCloseable {

    /**
     * Runs one batch.
     *
     * @param rowMajor the features, {@code rows x spec.inputWidth()} float32 row-major; only the
     *     first {@code rows * inputWidth} values are read
     * @param rows the number of rows, 0 or more
     * @return the raw and head outputs
     * @throws IllegalArgumentException if the array is shorter than {@code rows * inputWidth}
     * @throws dev.tabscore.bundle.BundleException ({@link
     *     dev.tabscore.bundle.Reason#SCORING_FAILED}) if the engine fails
     */
    Prediction predict(float[] rowMajor, int rows);

    /** Releases this predictor's engine resources. Closing twice does nothing. */
    @Override
    void close();
}
