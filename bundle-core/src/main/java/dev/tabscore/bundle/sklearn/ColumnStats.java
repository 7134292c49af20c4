package dev.tabscore.bundle.sklearn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one column looked like while it was transformed: missing values seen, unknown categories
 * met, and the distinct unknown values with their counts. The distinct values are bounded: once
 * {@code maxDistinct} are tracked, further new values are only counted as untracked. Not
 * thread-safe; one per partition, then {@link #merge(ColumnStats)}.
 */
public final class ColumnStats implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Longest unknown value kept as it is; longer ones are cut, their length noted. */
    public static final int MAX_VALUE_CHARS = 200;

    private final int maxDistinct;
    private final Map<String, long[]> unknownValues = new HashMap<>();
    private long missing;
    private long unknown;
    private long untracked;
    private long unsettled;
    private double lastNumber = Double.NaN;
    private long[] lastNumberCount;

    /**
     * Creates empty statistics.
     *
     * @param maxDistinct how many distinct unknown values to track
     */
    public ColumnStats(int maxDistinct) {
        if (maxDistinct < 0) {
            throw new IllegalArgumentException("maxDistinct must be >= 0, got " + maxDistinct);
        }
        this.maxDistinct = maxDistinct;
    }

    /**
     * Returns how many distinct unknown values are tracked at most.
     *
     * @return the bound
     */
    public int maxDistinct() {
        return maxDistinct;
    }

    /**
     * Adds missing values.
     *
     * @param count how many
     */
    public void addMissing(long count) {
        missing += count;
    }

    /**
     * Counts a KNNImputer imputation of this column that the distances' rounding can move beyond
     * the stated tolerance: nearest donors that tie at the n_neighbors boundary (exactly or within
     * rounding) while holding different values (scikit-learn's own choice there depends on numpy's
     * version and CPU), or distance weights too close to call.
     */
    public void addUnsettledImputation() {
        unsettled++;
    }

    /**
     * Returns how many KNNImputer imputations of this column were unsettled.
     *
     * @return the count
     */
    public long unsettledImputationCount() {
        return unsettled;
    }

    /**
     * Counts one unknown category.
     *
     * @param value the value as text (Python {@code str} for numbers, {@code nan} for NaN); beyond
     *     {@value #MAX_VALUE_CHARS} characters it is tracked cut to that length
     */
    public void addUnknown(String value) {
        unknown++;
        if (value.length() > MAX_VALUE_CHARS) {
            // a 100k-character value would bloat every summary it is listed in
            value = value.substring(0, MAX_VALUE_CHARS) + "...(" + value.length() + " chars)";
        }
        long[] count = unknownValues.get(value);
        if (count != null) {
            count[0]++;
        } else if (unknownValues.size() < maxDistinct) {
            unknownValues.put(value, new long[] {1});
        } else {
            untracked++;
        }
    }

    /**
     * Counts one unknown numeric category; repeated values are counted without formatting them.
     *
     * @param value the value
     */
    public void addUnknown(double value) {
        if (lastNumberCount != null
                && Double.doubleToLongBits(value) == Double.doubleToLongBits(lastNumber)) {
            unknown++;
            lastNumberCount[0]++;
            return;
        }
        String text = PyRepr.ofDouble(value);
        addUnknown(text);
        lastNumber = value;
        lastNumberCount = unknownValues.get(text);
    }

    /**
     * Returns the number of missing values seen.
     *
     * @return the count
     */
    public long missingCount() {
        return missing;
    }

    /**
     * Returns the number of unknown categories met (every occurrence).
     *
     * @return the count
     */
    public long unknownCount() {
        return unknown;
    }

    /**
     * Returns how many unknown occurrences had a value that was not tracked because the bound was
     * reached.
     *
     * @return the count
     */
    public long untrackedUnknownCount() {
        return untracked;
    }

    /**
     * Returns the tracked unknown values and their counts, largest count first (ties by value).
     *
     * @return an unmodifiable ordered map
     */
    public Map<String, Long> unknownValues() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : sorted()) {
            out.put(e.getKey(), e.getValue()[0]);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Adds another column's statistics to these. The union of tracked values is cut back to the
     * {@code maxDistinct} largest counts; the counts cut off become untracked.
     *
     * @param other the statistics to add; left unchanged
     */
    public void merge(ColumnStats other) {
        missing += other.missing;
        unsettled += other.unsettled;
        unknown += other.unknown;
        untracked += other.untracked;
        for (Map.Entry<String, long[]> e : other.unknownValues.entrySet()) {
            unknownValues.computeIfAbsent(e.getKey(), k -> new long[1])[0] += e.getValue()[0];
        }
        if (unknownValues.size() > maxDistinct) {
            List<Map.Entry<String, long[]>> all = sorted();
            for (Map.Entry<String, long[]> e : all.subList(maxDistinct, all.size())) {
                untracked += e.getValue()[0];
                unknownValues.remove(e.getKey());
            }
        }
        lastNumberCount = null;
    }

    private List<Map.Entry<String, long[]>> sorted() {
        List<Map.Entry<String, long[]>> all = new ArrayList<>(unknownValues.entrySet());
        all.sort(
                Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey));
        return all;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "missing="
                + missing
                + " unknown="
                + unknown
                + " "
                + unknownValues()
                + (untracked > 0 ? " untracked=" + untracked : "")
                + (unsettled > 0 ? " knn_unsettled=" + unsettled : "");
    }
}
