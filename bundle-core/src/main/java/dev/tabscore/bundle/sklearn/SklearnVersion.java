package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;

/**
 * The scikit-learn release that fitted an estimator, from its {@code _sklearn_version} (written by
 * {@code BaseEstimator.__getstate__} in every release tabscore reads), for the few options whose
 * meaning changed between releases rather than their stored form.
 */
final class SklearnVersion {

    private SklearnVersion() {}

    /**
     * Whether the estimator was fitted by scikit-learn {@code major.minor} or later. An estimator
     * without a readable {@code _sklearn_version} counts as the newest release.
     *
     * @param a the estimator
     * @param major the major release
     * @param minor the minor release
     * @return true if fitted by that release or a later one
     */
    static boolean atLeast(Attrs a, int major, int minor) {
        SkopsNode v = a.opt("_sklearn_version");
        if (!(v instanceof JsonValue j) || !(j.value() instanceof String s)) {
            return true;
        }
        String[] parts = s.split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
            return ma != major ? ma > major : mi >= minor;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
