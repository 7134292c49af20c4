package dev.tabscore.bundle.model;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;

/**
 * A row the network cannot take, where torch raises for the whole batch: an embedding code that is
 * NaN or outside its table ({@link EmbeddingSpec}). Local, like every {@link ScoringException}: it
 * names the feature, the batch row and the value, and the quality gate rejects that row alone
 * ({@code refused_by_model}).
 */
public class ModelRefusalException extends ScoringException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception ({@link Reason#INPUT_VALUE}).
     *
     * @param feature the feature the network cannot take
     * @param row the 0-based row within the batch
     * @param message what is wrong
     */
    public ModelRefusalException(String feature, int row, String message) {
        super(Reason.INPUT_VALUE, feature, row, message);
    }
}
