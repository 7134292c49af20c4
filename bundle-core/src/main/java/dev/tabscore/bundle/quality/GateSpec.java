package dev.tabscore.bundle.quality;

import java.io.Serializable;
import java.util.Map;

/**
 * The thresholds a run must stay within. Each per-column map is keyed by column name, or by {@value
 * #ALL} for every column (a column's own entry wins); absent or null: no gate.
 *
 * @param maxRejectRate rows rejected / rows in
 * @param maxMissingRate per input column: missing values / rows in
 * @param maxUnknownRate per input column: unknown categories / rows in
 * @param maxOutOfRangeRate per numeric input column: values outside the training [min, max] / rows
 *     in
 * @param maxPsi per input column: PSI against the training distribution
 * @param maxScorePsi per output column: PSI of the score (or the class mix) against the reference
 */
public record GateSpec(
        Double maxRejectRate,
        Map<String, Double> maxMissingRate,
        Map<String, Double> maxUnknownRate,
        Map<String, Double> maxOutOfRangeRate,
        Map<String, Double> maxPsi,
        Map<String, Double> maxScorePsi)
        implements Serializable {

    /** The key that applies a threshold to every column. */
    public static final String ALL = "*";

    /** No gates. */
    public static final GateSpec NONE =
            new GateSpec(null, Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    /**
     * Returns the threshold of a column in one of the maps.
     *
     * @param m the map (may be null)
     * @param column the column
     * @return the threshold, or null for none
     */
    static Double threshold(Map<String, Double> m, String column) {
        if (m == null) {
            return null;
        }
        Double own = m.get(column);
        return own != null ? own : m.get(ALL);
    }
}
