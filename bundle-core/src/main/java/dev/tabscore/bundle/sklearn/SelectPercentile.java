package dev.tabscore.bundle.sklearn;

import java.util.Arrays;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.feature_selection.SelectPercentile}: the support mask is
 * recomputed from the stored {@code scores_} exactly as {@code _get_support_mask} does. With NaN
 * scores cleaned to the most negative float64, the threshold is {@code np.percentile(scores, 100
 * - percentile)} (numpy's default "linear" method, its arithmetic reproduced step by step, so
 * the threshold is bit-exact); scores above it are kept, and of the scores equal to it the first
 * {@code int(n * percentile / 100) - kept} in column order (a negative count drops that many from
 * the end, as a Python slice does). {@code percentile} 100 keeps all, 0 none. {@code score_func}
 * is a reference only, never called. NaN and infinity in any input column are refused.
 * (Not from 1.3 when its output is pandas and it receives a DataFrame: {@link FrameInput}.)
 */
public final class SelectPercentile extends MaskSelector {


    /**
     * Creates a fitted selector.
     *
     * @param scores {@code scores_}
     * @param percentile {@code percentile}
     */
    public SelectPercentile(double[] scores, double percentile) {
        this(scores, percentile, true);
    }

    /**
     * Creates a fitted selector.
     *
     * @param scores {@code scores_}
     * @param percentile {@code percentile}
     * @param requireFinite false where scikit-learn skips the input check ({@link FrameInput}: a
     *     DataFrame in, pandas output configured)
     */
    public SelectPercentile(double[] scores, double percentile, boolean requireFinite) {
        super(new SupportMask(mask(scores, percentile), requireFinite, "SelectPercentile"));
    }

    static boolean[] mask(double[] scores, double percentile) {
        int n = scores.length;
        boolean[] mask = new boolean[n];
        if (percentile == 100) {
            Arrays.fill(mask, true);
            return mask;
        }
        if (percentile == 0 || n == 0) {
            return mask;
        }
        double[] s = SupportMask.cleanNans(scores);
        double threshold = percentile(s, 100 - percentile);
        int kept = 0;
        int[] ties = new int[n];
        int nTies = 0;
        for (int i = 0; i < n; i++) {
            mask[i] = s[i] > threshold;
            kept += mask[i] ? 1 : 0;
            if (s[i] == threshold) {
                ties[nTies++] = i;
            }
        }
        if (nTies > 0) {
            // int(len(scores) * percentile / 100), Python float arithmetic
            long maxFeats = (long) (n * percentile / 100);
            long stop = maxFeats - kept;
            if (stop < 0) {
                stop = Math.max(0, nTies + stop);
            }
            for (int t = 0; t < Math.min(stop, nTies); t++) {
                mask[ties[t]] = true;
            }
        }
        return mask;
    }

    /**
     * numpy's {@code np.percentile(a, q)} with the default "linear" method, in numpy's order of
     * operations: {@code q / 100}, virtual index {@code (n - 1) * q}, its floor and the next index
     * (both the last element at or beyond it), gamma the difference, then {@code _lerp}: {@code a +
     * (b - a) * g}, or {@code b - (b - a) * (1 - g)} when {@code g >= 0.5}.
     *
     * @param a the values, without NaN
     * @param q the percentile in [0, 100]
     * @return the percentile
     */
    static double percentile(double[] a, double q) {
        double[] sorted = a.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double quantile = q / 100;
        double virtual = (n - 1) * quantile;
        double previous = Math.floor(virtual);
        int lo;
        int hi;
        if (virtual >= n - 1) {
            lo = n - 1;
            hi = n - 1;
        } else if (virtual < 0) {
            lo = 0;
            hi = 0;
        } else {
            lo = (int) previous;
            hi = lo + 1;
        }
        double gamma = virtual - previous;
        double below = sorted[lo];
        double above = sorted[hi];
        double diff = above - below;
        return gamma >= 0.5 ? above - diff * (1 - gamma) : below + diff * gamma;
    }

    static SelectPercentile fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        double percentile = a.number("percentile");
        double[] scores = a.doubles("scores_");
        if (scores.length != in.size()) {
            throw a.invalid("scores_", "has " + scores.length + " values for " + in.size()
                    + " input columns");
        }
        SelectKBest.scoreFunction(a);
        a.ignore("pvalues_");
        return new SelectPercentile(scores, percentile, !FrameInput.skipsInputCheck(a));
    }

}
