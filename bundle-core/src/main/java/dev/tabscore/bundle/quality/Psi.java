package dev.tabscore.bundle.quality;

/**
 * The population stability index of observed bin counts against expected shares: {@code sum_i (a_i
 * - e_i) * ln(a_i / e_i)}, where {@code a_i} is bin i's share of the counts and both shares are
 * floored at {@value #FLOOR} so that an empty bin contributes a finite amount. Common reading:
 * below 0.1 stable, 0.1 to 0.25 a shift worth a look, above 0.25 a large shift.
 */
public final class Psi {

    /** The floor of a share, so that empty bins stay finite. */
    public static final double FLOOR = 1e-4;

    private Psi() {}

    /**
     * Computes the index.
     *
     * @param expected the expected share of each bin (sums to 1)
     * @param counts the observed count of each bin
     * @return the PSI, or NaN when there are no counts
     */
    public static double of(double[] expected, long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0 || expected.length != counts.length) {
            return Double.NaN;
        }
        double psi = 0.0;
        for (int i = 0; i < counts.length; i++) {
            double a = Math.max((double) counts[i] / total, FLOOR);
            double e = Math.max(expected[i], FLOOR);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }
}
