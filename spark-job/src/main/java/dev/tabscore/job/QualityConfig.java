package dev.tabscore.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.quality.ColumnPolicy;
import dev.tabscore.bundle.quality.GateSpec;
import dev.tabscore.bundle.quality.PolicySpec;
import java.util.Map;

/**
 * The {@code quality} section of a job config: column policies and gates checked when the config is
 * completed, and the gates as written turned into the thresholds the run applies.
 */
public final class QualityConfig {

    private QualityConfig() {}

    /**
     * Fills the quality section's defaults and checks its policies and gates.
     *
     * @param q the section as merged (may be null)
     * @return the complete section
     */
    static JobConfig.QualitySection complete(JobConfig.QualitySection q) {
        if (q == null) {
            q = new JobConfig.QualitySection(null, null, null, null);
        }
        Map<String, PolicySpec> columns =
                q.columns() == null ? Map.of() : new java.util.LinkedHashMap<>(q.columns());
        try {
            if (q.defaults() != null) {
                q.defaults().over(ColumnPolicy.DEFAULT, "quality.defaults");
            }
            for (Map.Entry<String, PolicySpec> e : columns.entrySet()) {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException(
                            "quality.columns." + e.getKey() + " is empty");
                }
                e.getValue().over(ColumnPolicy.DEFAULT, "quality.columns." + e.getKey());
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        JobConfig.GatesSection g =
                q.gates() == null
                        ? new JobConfig.GatesSection(null, null, null, null, null, null)
                        : q.gates();
        gateSpec(g); // validates
        String onFailure =
                JobConfigLoader.oneOf(
                        GateFailure.class,
                        "quality.on_gate_failure (--on-gate-failure)",
                        JobConfigLoader.orDefault(q.onGateFailure(), "fail_before_commit"));
        return new JobConfig.QualitySection(Map.copyOf(columns), q.defaults(), g, onFailure);
    }

    /**
     * Converts the gates as written into thresholds.
     *
     * @param g the gates section
     * @return the thresholds
     * @throws ConfigException naming the gate if a value is not a number in range, or a map of them
     */
    public static GateSpec gateSpec(JobConfig.GatesSection g) {
        if (g.maxRejectRate() != null) {
            rate("quality.gates.max_reject_rate", g.maxRejectRate(), 1.0);
        }
        return new GateSpec(
                g.maxRejectRate(),
                thresholds("max_missing_rate", g.maxMissingRate(), 1.0),
                thresholds("max_unknown_rate", g.maxUnknownRate(), 1.0),
                thresholds("max_out_of_range_rate", g.maxOutOfRangeRate(), 1.0),
                thresholds("max_psi", g.maxPsi(), Double.MAX_VALUE),
                thresholds("max_score_psi", g.maxScorePsi(), Double.MAX_VALUE));
    }

    private static Map<String, Double> thresholds(String gate, JsonNode node, double max) {
        String field = "quality.gates." + gate;
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (node.isNumber()) {
            return Map.of(GateSpec.ALL, rate(field, node.asDouble(), max));
        }
        if (!node.isObject()) {
            throw new ConfigException(
                    field + " must be a number or a map from column to number, " + "got " + node);
        }
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        node.fields()
                .forEachRemaining(
                        e -> {
                            if (!e.getValue().isNumber()) {
                                throw new ConfigException(
                                        field
                                                + "."
                                                + e.getKey()
                                                + " must be a number, got "
                                                + e.getValue());
                            }
                            out.put(
                                    e.getKey(),
                                    rate(field + "." + e.getKey(), e.getValue().asDouble(), max));
                        });
        return Map.copyOf(out);
    }

    private static double rate(String field, double v, double max) {
        if (!(v >= 0.0 && v <= max)) {
            throw new ConfigException(
                    field + " must be in [0, " + (max == 1.0 ? "1" : "inf") + "), got " + v);
        }
        return v;
    }
}
