package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.ColumnBatch;

/**
 * Watches a transform step by step ({@code tabscore bundle explain}): every ColumnTransformer
 * branch, FeatureUnion member and Pipeline step calls {@link #enter} before it transforms and
 * {@link #exit} with what it returned (before any {@code transformer_weights}), so nested calls
 * give the path of each step, e.g. {@code transformers_[0] 'num'} then {@code steps[1] 'scaler'}.
 * Set on a {@link TransformStats}; the transform is the same code path without it.
 */
public interface StepTrace {

    /**
     * A step starts.
     *
     * @param label its label within its parent, e.g. {@code steps[1] 'scaler'}
     */
    void enter(String label);

    /**
     * A step returned.
     *
     * @param label the label given to {@link #enter}
     * @param out the step's output columns, named as its {@code get_feature_names_out}
     */
    void exit(String label, ColumnBatch out);
}
