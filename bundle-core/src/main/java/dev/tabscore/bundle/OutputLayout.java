package dev.tabscore.bundle;

import dev.tabscore.bundle.manifest.Manifest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The prediction columns a bundle emits, from its task: {@code prob} (binary), {@code prob_<class>}
 * for each class plus {@code label} (multiclass), {@code prediction} (regression; {@code
 * prediction_<i>} when the model has several outputs).
 *
 * @param numericColumns the double columns, in order
 * @param labelColumn the label column name, or null when there is none
 * @param labels the class labels by model output index (multiclass), else empty
 */
public record OutputLayout(List<String> numericColumns, String labelColumn, List<String> labels)
        implements Serializable {

    /**
     * Derives the layout from a manifest.
     *
     * @param m the manifest
     * @return the layout
     */
    public static OutputLayout of(Manifest m) {
        return switch (m.task()) {
            case BINARY -> new OutputLayout(List.of("prob"), null, List.of());
            case MULTICLASS -> {
                List<String> cols = new ArrayList<>();
                for (String c : m.classLabels()) {
                    cols.add("prob_" + c);
                }
                yield new OutputLayout(List.copyOf(cols), "label", m.classLabels());
            }
            case REGRESSION -> {
                int d = m.model().outputDim();
                List<String> cols = new ArrayList<>();
                for (int i = 0; i < d; i++) {
                    cols.add(d == 1 ? "prediction" : "prediction_" + i);
                }
                yield new OutputLayout(List.copyOf(cols), null, List.of());
            }
        };
    }

    /**
     * Returns the number of double columns.
     *
     * @return the width of {@link ScoredBatch#values()} rows
     */
    public int width() {
        return numericColumns.size();
    }
}
