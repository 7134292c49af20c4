package dev.tabscore.job.spark;

import dev.tabscore.bundle.quality.QualityStats;
import org.apache.spark.util.AccumulatorV2;

/**
 * Adds up the per-task {@link QualityStats} on the driver, in the scoring pass itself (no second
 * scan of the input). Only successful task attempts' values are merged, so a retried partition
 * counts once.
 */
public final class QualityAccumulator extends AccumulatorV2<QualityStats, QualityStats> {

    private static final long serialVersionUID = 1L;

    private QualityStats stats = new QualityStats();

    /** {@inheritDoc} */
    @Override
    public boolean isZero() {
        return stats.isEmpty();
    }

    /** {@inheritDoc} */
    @Override
    public AccumulatorV2<QualityStats, QualityStats> copy() {
        QualityAccumulator c = new QualityAccumulator();
        c.stats.merge(stats);
        return c;
    }

    /** {@inheritDoc} */
    @Override
    public void reset() {
        stats = new QualityStats();
    }

    /** {@inheritDoc} */
    @Override
    public void add(QualityStats v) {
        stats.merge(v);
    }

    /** {@inheritDoc} */
    @Override
    public void merge(AccumulatorV2<QualityStats, QualityStats> other) {
        stats.merge(other.value());
    }

    /** {@inheritDoc} */
    @Override
    public QualityStats value() {
        return stats;
    }
}
