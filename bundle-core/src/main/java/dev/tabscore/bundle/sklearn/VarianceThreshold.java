package dev.tabscore.bundle.sklearn;

import java.util.List;

/**
 * scikit-learn's {@code sklearn.feature_selection.VarianceThreshold}: keeps the columns whose
 * stored {@code variances_} is greater than {@code threshold} ({@code _get_support_mask}: {@code
 * variances_ > threshold}, so a NaN variance drops its column). The stored variances already hold
 * the peak-to-peak correction scikit-learn applies at fit when the threshold is 0. Values pass
 * through untouched; NaN and infinity are accepted (the estimator has the {@code allow_nan} tag, so
 * its input check does not look for either).
 */
public final class VarianceThreshold extends MaskSelector {

    /**
     * Creates a fitted selector.
     *
     * @param variances {@code variances_}
     * @param threshold {@code threshold}
     */
    public VarianceThreshold(double[] variances, double threshold) {
        super(new SupportMask(mask(variances, threshold), false, "VarianceThreshold"));
    }

    private static boolean[] mask(double[] variances, double threshold) {
        boolean[] mask = new boolean[variances.length];
        for (int j = 0; j < mask.length; j++) {
            mask[j] = variances[j] > threshold;
        }
        return mask;
    }

    static VarianceThreshold fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        double[] variances = a.doubles("variances_");
        if (variances.length != in.size()) {
            throw a.invalid(
                    "variances_",
                    "has " + variances.length + " values for " + in.size() + " input columns");
        }
        return new VarianceThreshold(variances, a.number("threshold"));
    }
}
