package dev.tabscore.bundle.quality;

import java.io.Serializable;

/**
 * A mergeable histogram of {@value #BINS} equal-width bins over a fixed range, plus one bin below
 * and one above it, from which quantiles are read without keeping the values: the score
 * distribution of a run. A value {@code v} in range falls in bin {@code floor((v - lo) / (hi - lo)
 * * BINS)} ({@code hi} itself in the last bin). A quantile is interpolated linearly within its bin,
 * so it is within one bin width, {@code (hi - lo) / BINS}, of the exact one; below or above the
 * range it is interpolated between the observed extreme and the range end.
 */
public final class FineHistogram implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The number of bins in range. */
    public static final int BINS = 1000;

    private final double lo;
    private final double hi;
    private final long[] counts = new long[BINS + 2];
    private long n;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    /**
     * Creates an empty histogram.
     *
     * @param lo the range start
     * @param hi the range end, above {@code lo}
     */
    public FineHistogram(double lo, double hi) {
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("histogram range [" + lo + ", " + hi + "]");
        }
        this.lo = lo;
        this.hi = hi;
    }

    /**
     * Returns the slot of a value: 0 below the range, 1..BINS in range, BINS + 1 above.
     *
     * @param v the value, not NaN
     * @return the slot
     */
    public int slot(double v) {
        if (v < lo) {
            return 0;
        }
        if (v > hi) {
            return BINS + 1;
        }
        int b = (int) Math.floor((v - lo) / (hi - lo) * BINS);
        return 1 + Math.min(b, BINS - 1);
    }

    /**
     * Adds a value (NaN is ignored: it is counted as missing elsewhere).
     *
     * @param v the value
     */
    public void add(double v) {
        if (v != v) {
            return;
        }
        counts[slot(v)]++;
        n++;
        min = Math.min(min, v);
        max = Math.max(max, v);
    }

    /**
     * Adds another histogram over the same range.
     *
     * @param o the other one
     */
    public void merge(FineHistogram o) {
        if (o.lo != lo || o.hi != hi) {
            throw new IllegalArgumentException("histograms over different ranges");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += o.counts[i];
        }
        n += o.n;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
    }

    /**
     * Returns the count of a slot ({@link #slot}).
     *
     * @param slot the slot
     * @return the count
     */
    public long count(int slot) {
        return counts[slot];
    }

    /**
     * Returns the number of values added.
     *
     * @return the count
     */
    public long n() {
        return n;
    }

    /**
     * Returns the range start.
     *
     * @return lo
     */
    public double lo() {
        return lo;
    }

    /**
     * Returns the range end.
     *
     * @return hi
     */
    public double hi() {
        return hi;
    }

    /**
     * Estimates a quantile.
     *
     * @param p the probability in [0, 1]
     * @return the estimate, NaN when empty
     */
    public double quantile(double p) {
        if (n == 0) {
            return Double.NaN;
        }
        double target = p * n;
        long before = 0;
        for (int s = 0; s < counts.length; s++) {
            long c = counts[s];
            if (c > 0 && before + c >= target) {
                double[] range = range(s);
                double frac = Math.max(0.0, (target - before) / c);
                return range[0] + (range[1] - range[0]) * frac;
            }
            before += c;
        }
        return max;
    }

    private double[] range(int slot) {
        if (slot == 0) {
            return new double[] {min, Math.min(lo, max)};
        }
        if (slot == BINS + 1) {
            return new double[] {Math.max(hi, min), max};
        }
        double w = (hi - lo) / BINS;
        double a = Math.max(lo + (slot - 1) * w, min);
        double b = Math.min(lo + slot * w, max);
        return new double[] {a, b};
    }
}
