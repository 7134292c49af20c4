package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.ColumnBatch;
import java.util.List;

/**
 * One fitted scikit-learn transformer: a column batch in, a column batch out.
 *
 * <p>Columns are positional, as in the numpy array scikit-learn passes between steps; their names
 * are the feature names of the step that produced them and are used in messages and statistics.
 * Intermediate columns are {@link dev.tabscore.bundle.column.DoubleColumn} (float64) or {@link
 * dev.tabscore.bundle.column.StringColumn} (object); numeric transformers also accept {@link
 * dev.tabscore.bundle.column.LongColumn} and {@link dev.tabscore.bundle.column.BooleanColumn} and
 * convert them as numpy's {@code astype(float64)} does.
 *
 * <p>Implementations are immutable and thread-safe: their fitted parameters are validated and
 * copied into final fields by the constructor. They never write into their input columns.
 */
public interface Transformer {

    /**
     * Transforms a batch.
     *
     * @param in the input columns, positionally matching what the transformer was fitted on
     * @param stats where unknown categories are counted, or null to count nothing
     * @return the output columns, named after {@link #featureNamesOut(List)} of the input names
     * @throws dev.tabscore.bundle.ScoringException if a value cannot be transformed; it names the
     *     column, the batch-local row and the value
     */
    ColumnBatch transform(ColumnBatch in, TransformStats stats);

    /**
     * Returns the output feature names for the given input names, exactly as scikit-learn's {@code
     * get_feature_names_out(input_features)} does.
     *
     * @param in the input feature names
     * @return the output feature names
     */
    List<String> featureNamesOut(List<String> in);
}
