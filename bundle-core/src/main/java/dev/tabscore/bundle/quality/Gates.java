package dev.tabscore.bundle.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a {@link GateSpec} and the {@code on_unknown: fail} policies over a run's statistics. A
 * gate whose value cannot be measured (no rows, no reference) is not listed, so a report never
 * shows a gate it did not measure as passed.
 */
public final class Gates {

    private Gates() {}

    /**
     * Evaluates every configured gate.
     *
     * @param spec the thresholds
     * @param model the bundle's quality model (policies, references)
     * @param stats the run's statistics
     * @return every check, in a stable order: run-wide, then per input column, then per output
     */
    public static List<GateCheck> evaluate(GateSpec spec, QualityModel model, QualityStats stats) {
        List<GateCheck> out = new ArrayList<>();
        long in = stats.rowsIn();
        if (spec.maxRejectRate() != null && in > 0) {
            add(
                    out,
                    "max_reject_rate",
                    null,
                    spec.maxRejectRate(),
                    (double) stats.rowsRejected() / in);
        }
        for (QualityModel.ColumnSpec c : model.columns()) {
            ColumnProfile p = stats.columns().get(c.name());
            if (p == null || p.rows() == 0) {
                continue;
            }
            double rows = p.rows();
            check(
                    out,
                    "max_missing_rate",
                    c.name(),
                    GateSpec.threshold(spec.maxMissingRate(), c.name()),
                    p.missing() / rows);
            if (c.known() != null) {
                check(
                        out,
                        "max_unknown_rate",
                        c.name(),
                        GateSpec.threshold(spec.maxUnknownRate(), c.name()),
                        p.unknown() / rows);
                if (c.policy().onUnknown() == ColumnPolicy.OnUnknown.FAIL) {
                    add(
                            out,
                            "on_unknown_fail",
                            c.name(),
                            c.policy().maxUnknownRate(),
                            p.unknown() / rows);
                }
            }
            if (c.numeric() && c.reference() != null) {
                check(
                        out,
                        "max_out_of_range_rate",
                        c.name(),
                        GateSpec.threshold(spec.maxOutOfRangeRate(), c.name()),
                        (p.belowMin() + p.aboveMax()) / rows);
            }
            if (c.reference() != null) {
                check(
                        out,
                        "max_psi",
                        c.name(),
                        GateSpec.threshold(spec.maxPsi(), c.name()),
                        Psi.of(c.reference().expected(), p.bins));
            }
        }
        for (QualityModel.OutputSpec o : model.outputs()) {
            ColumnProfile p = stats.outputs().get(o.name());
            if (p != null && o.reference() != null) {
                check(
                        out,
                        "max_score_psi",
                        o.name(),
                        GateSpec.threshold(spec.maxScorePsi(), o.name()),
                        Psi.of(o.reference().expected(), p.bins));
            }
        }
        return out;
    }

    private static void check(
            List<GateCheck> out, String gate, String column, Double threshold, double observed) {
        if (threshold != null) {
            add(out, gate, column, threshold, observed);
        }
    }

    private static void add(
            List<GateCheck> out, String gate, String column, double threshold, double observed) {
        if (!Double.isNaN(observed)) {
            out.add(new GateCheck(gate, column, threshold, observed, observed <= threshold));
        }
    }

    /**
     * Returns whether every check passed.
     *
     * @param checks the checks
     * @return true when none failed
     */
    public static boolean passed(List<GateCheck> checks) {
        return checks.stream().allMatch(GateCheck::passed);
    }
}
