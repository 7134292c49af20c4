package dev.tabscore.bundle.sklearn;

import java.util.Arrays;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.feature_selection.SelectPercentile}: the support mask is recomputed
 * from the stored {@code scores_} exactly as {@code _get_support_mask} does. With NaN scores
 * cleaned to the most negative float64, the threshold is {@code np.percentile(scores, 100 -
 * percentile)} (numpy's default "linear" method, its arithmetic reproduced step by step, so the
 * threshold is bit-exact); scores above it are kept, and of the scores equal to it the first {@code
 * int(n * percentile / 100) - kept} in column order (a negative count drops that many from the end,
 * as a Python slice does). {@code percentile} 100 keeps all, 0 none. {@code score_func} is a
 * reference only, never called. NaN and infinity in any input column are refused. (Not from 1.3
 * when its output is pandas and it receives a DataFrame: {@link FrameInput}.)
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
        this(mask(scores, percentile), requireFinite);
    }

    private SelectPercentile(boolean[] mask, boolean requireFinite) {
        super(new SupportMask(mask, requireFinite, "SelectPercentile"));
    }

    static boolean[] mask(double[] scores, double percentile) {
        return mask(scores, percentile, null);
    }

    /**
     * The support mask; for a float32 {@code scores_} (a non-null {@code float32}: the numpy whose
     * percentile to use) NaN becomes float32's most negative value and the comparisons ({@code
     * scores > threshold}, {@code ==}) are in float32: numpy 1.x's value-based casting rounds its
     * float64 percentile to float32, numpy 2 computes a float32 one ({@link #percentile32}).
     */
    static boolean[] mask(double[] scores, double percentile, Numpy float32) {
        int n = scores.length;
        boolean[] mask = new boolean[n];
        if (percentile == 100) {
            Arrays.fill(mask, true);
            return mask;
        }
        if (percentile == 0 || n == 0) {
            return mask;
        }
        double[] s = SupportMask.cleanNans(scores, float32 != null);
        double threshold =
                float32 == null
                        ? percentile(s, 100 - percentile)
                        : (float) percentile32(s, 100 - percentile, float32);
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

    /** numpy's ways of computing {@code np.percentile} of a float32 array. */
    enum Numpy {
        /** 1.x: float64 from the exact values, only {@code b - a} in float32. */
        V1,
        /** 2.0 to 2.3: {@code q / float32(100)}, the virtual index and _lerp in float32. */
        V2_0,
        /** 2.4: {@code q / 100} and the index in float64, gamma rounded for a float32 _lerp. */
        V2_4;

        /** The rule of a known numpy (2.4 and later counted as 2.4), or null when unknown. */
        static Numpy of(TrainingNumpy numpy) {
            if (!numpy.known()) {
                return null;
            }
            return numpy.isNumpy1() ? V1 : numpy.atLeast(2, 4) ? V2_4 : V2_0;
        }
    }

    /**
     * {@code np.percentile(a, q)} ("linear") of a float32 array, as the given numpy computes it
     * (checked bit for bit against numpy 1.26, 2.2, 2.3 and 2.4 by Threshold32Test).
     *
     * @param a float32 values, without NaN
     * @param q the percentile (a Python float)
     * @param numpy which numpy
     * @return the percentile (a float32 value for numpy 2)
     */
    static double percentile32(double[] a, double q, Numpy numpy) {
        double[] sorted = a.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double virtual = numpy == Numpy.V2_0 ? (n - 1) * ((float) q / 100f) : (n - 1) * (q / 100);
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
        float below = (float) sorted[lo];
        float above = (float) sorted[hi];
        float diff = above - below;
        if (numpy == Numpy.V1) {
            return gamma >= 0.5 ? above - diff * (1 - gamma) : below + diff * gamma;
        }
        return gamma >= 0.5 ? above - diff * (float) (1 - gamma) : below + diff * (float) gamma;
    }

    static SelectPercentile fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        double percentile = a.number("percentile");
        // a float32 scores_ (f_classif fitted on float32 input, up to 1.7) is read as stored
        double[] scores = a.fittedDoubles("scores_");
        if (scores.length != in.size()) {
            throw a.invalid(
                    "scores_",
                    "has " + scores.length + " values for " + in.size() + " input columns");
        }
        SelectKBest.scoreFunction(a);
        a.ignore("pvalues_");
        boolean requireFinite = !FrameInput.skipsInputCheck(a);
        if (!a.isFloat32("scores_")) {
            return new SelectPercentile(scores, percentile, requireFinite);
        }
        // numpy 1.x, 2.0-2.3 and 2.4 compute the float32 percentile differently; the
        // preprocessor file does not say which numpy fitted it: a bundle manifest's versions.numpy
        // does, else all must keep the same columns
        // (scikit-learn up to 1.3 runs on numpy 1.x only)
        Numpy known = SklearnVersion.atLeast(a, 1, 4) ? Numpy.of(a.trainingNumpy()) : Numpy.V1;
        if (known != null) {
            return new SelectPercentile(mask(scores, percentile, known), requireFinite);
        }
        boolean[] numpy1 = mask(scores, percentile, Numpy.V1);
        for (Numpy numpy : Numpy.values()) {
            if (!Arrays.equals(numpy1, mask(scores, percentile, numpy))) {
                throw a.unsupported(
                        "a float32 scores_ whose np.percentile(scores_, "
                                + PyRepr.ofDouble(100 - percentile)
                                + ") keeps different columns under "
                                + "numpy 1.x (float64 percentile compared in float32) and numpy "
                                + (numpy == Numpy.V2_0 ? "2.0-2.3" : "2.4")
                                + " (float32 percentile), and no manifest's versions.numpy"
                                + " says which ran");
            }
        }
        return new SelectPercentile(numpy1, requireFinite);
    }
}
