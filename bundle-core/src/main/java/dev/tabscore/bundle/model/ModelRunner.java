package dev.tabscore.bundle.model;

/**
 * A loaded model, shared by every thread of the JVM. It is thread-safe and owns the engine's
 * resources (the network and its weights on the device) until {@link #close()}.
 *
 * <pre>{@code
 * try (ModelRunner runner = TorchScriptRunner.load(bytes, "model.torchscript.pt", spec, Device.AUTO);
 *         ModelPredictor predictor = runner.newPredictor()) {   // one per thread
 *     Prediction p = predictor.predict(features, rows);           // features: rows x width
 *     float prob = p.head(0, 0);
 * }
 * }</pre>
 */
public interface ModelRunner extends AutoCloseable {

    /**
     * Returns what the model takes and returns.
     *
     * @return the spec it was loaded with (and checked against)
     */
    ModelSpec spec();

    /**
     * Returns the device the model runs on, resolved: {@code cpu} or {@code gpu:N}.
     *
     * @return the device, never {@link Device#AUTO}
     */
    Device device();

    /**
     * Creates a predictor for the calling thread. Thread-safe.
     *
     * @return a new predictor; close it when the thread is done
     */
    ModelPredictor newPredictor();

    /** Releases the model; predictors must be closed first. Closing twice does nothing. */
    @Override
    void close();
}
