package dev.tabscore.bundle.quality;

/**
 * One gate evaluated at the end of a run.
 *
 * @param gate the gate, e.g. {@code max_psi}
 * @param column the column it applies to, or null for run-wide gates
 * @param threshold the configured maximum
 * @param observed the value measured
 * @param passed whether {@code observed <= threshold}
 */
public record GateCheck(
        String gate, String column, double threshold, double observed, boolean passed) {

    /**
     * Returns a one-line description.
     *
     * @return e.g. {@code max_psi[age]: 0.31 > 0.2 FAILED}
     */
    public String line() {
        return gate
                + (column == null ? "" : "[" + column + "]")
                + ": "
                + fmt(observed)
                + (passed ? " <= " : " > ")
                + fmt(threshold)
                + (passed ? " ok" : " FAILED");
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        // six significant digits, without the trailing zeros %g leaves
        return new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.6g", v))
                .stripTrailingZeros()
                .toPlainString();
    }
}
