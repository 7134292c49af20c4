package dev.tabscore.bundle;

import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.Prediction;
import dev.tabscore.bundle.sklearn.Preprocessor;
import dev.tabscore.bundle.sklearn.TransformStats;

/**
 * Scores column batches for one thread: preprocessor, cast to float32, model, head. Owns one model
 * predictor and reuses its buffers across batches. Not thread-safe; close it when done (in Spark,
 * from the task-completion listener).
 */
public final class Scorer implements AutoCloseable {

    private final Preprocessor preprocessor;
    private final ModelPredictor predictor;
    private final OutputLayout layout;
    private final int width;
    private double[] features = new double[0];
    private float[] floats = new float[0];

    Scorer(Preprocessor preprocessor, ModelPredictor predictor, OutputLayout layout) {
        this.preprocessor = preprocessor;
        this.predictor = predictor;
        this.layout = layout;
        this.width = preprocessor.width();
    }

    /**
     * Transforms and scores one batch.
     *
     * @param raw the raw input rows
     * @param stats receives per-column missing and unknown-category counts
     * @return the predictions in the bundle's {@link OutputLayout}
     * @throws ScoringException if a value cannot be transformed (naming column, row and value)
     */
    public ScoredBatch score(ColumnBatch raw, TransformStats stats) {
        int n = raw.rowCount();
        int cells = n * width;
        if (features.length < cells) {
            features = new double[cells];
            floats = new float[cells];
        }
        preprocessor.transform(raw, stats, features, 0);
        for (int i = 0; i < cells; i++) {
            floats[i] = (float) features[i]; // round-to-nearest-even, as numpy's astype(float32)
        }
        Prediction p = predictor.predict(floats, n);
        int w = layout.width();
        double[] values = new double[n * w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                values[i * w + j] = p.head(i, j);
            }
        }
        String[] labels = null;
        if (layout.labelColumn() != null) {
            labels = new String[n];
            int[] argmax = p.argmax();
            for (int i = 0; i < n; i++) {
                labels[i] = layout.labels().get(argmax[i]);
            }
        }
        return new ScoredBatch(n, w, values, labels);
    }

    /**
     * Returns the prediction columns.
     *
     * @return the layout
     */
    public OutputLayout layout() {
        return layout;
    }

    /** Releases the predictor. */
    @Override
    public void close() {
        predictor.close();
    }
}
