package dev.tabscore.bundle.quality;

import dev.tabscore.bundle.sklearn.ColumnStats;
import java.io.Serializable;

/**
 * What one column looked like in a run: rows seen, missing, invalid and unknown values (with the
 * top unknown values), values below / above the training range, the mean of its finite values, and
 * its counts in the bins of its {@link Reference}. Mergeable, so each partition keeps one and the
 * driver adds them up. Not thread-safe.
 */
public final class ColumnProfile implements Serializable {

    private static final long serialVersionUID = 1L;

    final ColumnStats unknowns;
    final long[] bins;
    final FineHistogram fine;
    long rows;
    long missing;
    long invalid;
    long belowMin;
    long aboveMax;
    long finite;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    /**
     * Creates an empty profile.
     *
     * @param bins the number of reference bins (0 without a reference)
     * @param maxDistinct how many distinct unknown values to keep
     * @param fine a histogram for quantiles (score columns), or null
     */
    ColumnProfile(int bins, int maxDistinct, FineHistogram fine) {
        this.unknowns = new ColumnStats(maxDistinct);
        this.bins = new long[bins];
        this.fine = fine;
    }

    /** Returns an empty profile of the same shape (bins, histogram range, distinct bound). */
    ColumnProfile emptyLike() {
        return new ColumnProfile(
                bins.length,
                unknowns.maxDistinct(),
                fine == null ? null : new FineHistogram(fine.lo(), fine.hi()));
    }

    /** Counts a finite or infinite non-missing number. */
    void addNumber(double v) {
        if (Double.isFinite(v)) {
            finite++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (fine != null) {
            fine.add(v);
        }
    }

    /**
     * Adds another partition's profile of the same column.
     *
     * @param o the other profile
     */
    void merge(ColumnProfile o) {
        unknowns.merge(o.unknowns);
        for (int i = 0; i < bins.length; i++) {
            bins[i] += o.bins[i];
        }
        if (fine != null) {
            fine.merge(o.fine);
        }
        rows += o.rows;
        missing += o.missing;
        invalid += o.invalid;
        belowMin += o.belowMin;
        aboveMax += o.aboveMax;
        finite += o.finite;
        sum += o.sum;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
    }

    /**
     * @return rows seen
     */
    public long rows() {
        return rows;
    }

    /**
     * @return missing values (null, NaN)
     */
    public long missing() {
        return missing;
    }

    /**
     * @return values that could not be read as the column's type
     */
    public long invalid() {
        return invalid;
    }

    /**
     * @return unknown categories met
     */
    public long unknown() {
        return unknowns.unknownCount();
    }

    /**
     * @return the unknown values tracked, largest count first
     */
    public java.util.Map<String, Long> unknownValues() {
        return unknowns.unknownValues();
    }

    /**
     * @return unknown occurrences whose value was not tracked (bound reached)
     */
    public long untrackedUnknown() {
        return unknowns.untrackedUnknownCount();
    }

    /**
     * @return values below the training minimum
     */
    public long belowMin() {
        return belowMin;
    }

    /**
     * @return values above the training maximum
     */
    public long aboveMax() {
        return aboveMax;
    }

    /**
     * @return the number of finite values
     */
    public long finite() {
        return finite;
    }

    /**
     * @return the mean of the finite values, NaN when none
     */
    public double mean() {
        return finite == 0 ? Double.NaN : sum / finite;
    }

    /**
     * @return the smallest finite value, NaN when none
     */
    public double min() {
        return finite == 0 ? Double.NaN : min;
    }

    /**
     * @return the largest finite value, NaN when none
     */
    public double max() {
        return finite == 0 ? Double.NaN : max;
    }

    /**
     * @return the counts per reference bin, the missing bin last (a copy)
     */
    public long[] binCounts() {
        return bins.clone();
    }

    /**
     * @return the quantile histogram, or null
     */
    public FineHistogram fine() {
        return fine;
    }
}
