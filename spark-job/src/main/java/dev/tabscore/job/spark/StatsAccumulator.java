package dev.tabscore.job.spark;

import dev.tabscore.bundle.sklearn.TransformStats;
import org.apache.spark.util.AccumulatorV2;

/**
 * Adds up the per-partition {@link TransformStats} (missing values and unknown categories per
 * column) on the driver, in the same pass as scoring. Only successful tasks' values are merged.
 */
public final class StatsAccumulator extends AccumulatorV2<TransformStats, TransformStats> {

    private static final long serialVersionUID = 1L;

    private TransformStats stats = new TransformStats();

    /** {@inheritDoc} */
    @Override
    public boolean isZero() {
        return stats.rowCount() == 0 && stats.columns().isEmpty();
    }

    /** {@inheritDoc} */
    @Override
    public AccumulatorV2<TransformStats, TransformStats> copy() {
        StatsAccumulator c = new StatsAccumulator();
        c.stats.merge(stats);
        return c;
    }

    /** {@inheritDoc} */
    @Override
    public void reset() {
        stats = new TransformStats();
    }

    /** {@inheritDoc} */
    @Override
    public void add(TransformStats v) {
        stats.merge(v);
    }

    /** {@inheritDoc} */
    @Override
    public void merge(AccumulatorV2<TransformStats, TransformStats> other) {
        stats.merge(other.value());
    }

    /** {@inheritDoc} */
    @Override
    public TransformStats value() {
        return stats;
    }
}
