package dev.tabscore.bundle.sklearn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-column counts gathered while transforming: missing values per input column, and unknown
 * categories per column as the encoder saw it (the input column's name whenever the steps before
 * the encoder keep names one-to-one, as imputers do). Mergeable, so a Spark job can keep one per
 * partition and add them up on the driver. Not thread-safe.
 *
 * <pre>{@code
 * TransformStats stats = new TransformStats();
 * double[] features = preprocessor.transform(batch, stats);
 * stats.column("region").unknownValues();   // {"North"=3, "Web "=1}
 * }</pre>
 */
public final class TransformStats implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The default bound on distinct unknown values tracked per column. */
    public static final int DEFAULT_MAX_DISTINCT = 100;

    private final int maxDistinct;
    private final Map<String, ColumnStats> columns = new LinkedHashMap<>();
    private long rows;
    private int ufuncNudgeUlps;
    private int ufuncNudgeBit = -1;
    private transient StepTrace trace;

    /** Creates empty statistics tracking up to {@value #DEFAULT_MAX_DISTINCT} values a column. */
    public TransformStats() {
        this(DEFAULT_MAX_DISTINCT);
    }

    /**
     * Creates empty statistics.
     *
     * @param maxDistinct how many distinct unknown values to track per column
     */
    public TransformStats(int maxDistinct) {
        if (maxDistinct < 0) {
            throw new IllegalArgumentException("maxDistinct must be >= 0, got " + maxDistinct);
        }
        this.maxDistinct = maxDistinct;
    }

    /**
     * Returns the statistics of a column, creating them on first use.
     *
     * @param name the column name
     * @return its statistics
     */
    public ColumnStats column(String name) {
        return columns.computeIfAbsent(name, n -> new ColumnStats(maxDistinct));
    }

    /**
     * Returns every column's statistics, in the order they were first touched.
     *
     * @return an unmodifiable view
     */
    public Map<String, ColumnStats> columns() {
        return Collections.unmodifiableMap(columns);
    }

    /**
     * Adds rows to the row count.
     *
     * @param count how many rows were transformed
     */
    public void addRows(long count) {
        rows += count;
    }

    /**
     * Returns the number of rows transformed.
     *
     * @return the row count
     */
    public long rowCount() {
        return rows;
    }

    /**
     * Makes every transform that uses these statistics move each result of an inexact numpy ufunc
     * (exp, log1p, ...: not the exact IEEE operations) by {@code ulps} units in the last place, up
     * for a positive count, down for a negative one. Golden replay transforms with {@code +k} and
     * {@code -k} to get the envelope of what numpy's results, within k ulps of Java's, give after
     * the later steps (docs/sklearn-coverage/ufunc-contract.md). Zero (the default) leaves the
     * results alone; scoring never sets it.
     *
     * @param ulps the signed number of ulps
     * @return these statistics
     */
    public TransformStats nudgeUfuncResults(int ulps) {
        this.ufuncNudgeUlps = ulps;
        return this;
    }

    /**
     * Like {@link #nudgeUfuncResults(int)}, but column {@code j} of a ufunc step's output moves by
     * {@code ulps} where bit {@code bit} of {@code j} is set and by {@code -ulps} where it is not:
     * with both signs over every bit, any two columns are moved in opposite directions by some
     * pass, which a later step multiplying them (PolynomialFeatures) needs for its envelope.
     *
     * @param ulps the signed number of ulps
     * @param bit the bit of the column index that picks the direction
     * @return these statistics
     */
    public TransformStats nudgeUfuncResults(int ulps, int bit) {
        this.ufuncNudgeUlps = ulps;
        this.ufuncNudgeBit = bit;
        return this;
    }

    /**
     * Watches the transforms that use these statistics step by step (not merged, not serialized).
     *
     * @param t the trace, or null for none
     * @return these statistics
     */
    public TransformStats trace(StepTrace t) {
        this.trace = t;
        return this;
    }

    /**
     * Returns the nudge set by {@link #nudgeUfuncResults(int)}.
     *
     * @param stats the statistics, or null
     * @return the signed number of ulps, 0 when stats is null
     */
    static int ufuncNudge(TransformStats stats) {
        return stats == null ? 0 : stats.ufuncNudgeUlps;
    }

    /**
     * Returns the nudge of column {@code j} of a ufunc step's output: {@link #ufuncNudge}, its sign
     * flipped where {@link #nudgeUfuncResults(int, int)}'s bit of {@code j} is clear.
     *
     * @param stats the statistics, or null
     * @param j the column
     * @return the signed number of ulps
     */
    static int ufuncNudge(TransformStats stats, int j) {
        int k = ufuncNudge(stats);
        return stats == null || stats.ufuncNudgeBit < 0 || ((j >> stats.ufuncNudgeBit) & 1) == 1
                ? k
                : -k;
    }

    /**
     * Returns the step trace, if any.
     *
     * @return the trace or null
     */
    public StepTrace trace() {
        return trace;
    }

    /**
     * Adds another partition's statistics to these.
     *
     * @param other the statistics to add; left unchanged
     */
    public void merge(TransformStats other) {
        rows += other.rows;
        for (Map.Entry<String, ColumnStats> e : other.columns.entrySet()) {
            column(e.getKey()).merge(e.getValue());
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "TransformStats{rows=" + rows + ", " + columns + "}";
    }
}
