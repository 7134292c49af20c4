package dev.tabscore.bundle.model.djl;

import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.Prediction;

/**
 * A state_dict network with embeddings, for one thread: {@link EmbeddingLookup} turns the features
 * into the layers' input (refusing a row whose code torch cannot look up), then the layers'
 * predictor runs it.
 */
final class EmbeddingPredictor implements ModelPredictor {

    private final EmbeddingLookup lookup;
    private final ModelPredictor layers;
    private final int inputWidth;

    EmbeddingPredictor(EmbeddingLookup lookup, ModelPredictor layers, int inputWidth) {
        this.lookup = lookup;
        this.layers = layers;
        this.inputWidth = inputWidth;
    }

    /** {@inheritDoc} */
    @Override
    public Prediction predict(float[] rowMajor, int rows) {
        long cells = (long) rows * inputWidth;
        if (rows < 0 || cells > rowMajor.length) {
            throw new IllegalArgumentException(
                    "a batch of "
                            + rows
                            + " rows x "
                            + inputWidth
                            + " features needs "
                            + cells
                            + " values, got "
                            + rowMajor.length);
        }
        return layers.predict(lookup.expand(rowMajor, rows, inputWidth), rows);
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        layers.close();
    }
}
