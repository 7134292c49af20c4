package dev.tabscore.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.quality.PolicySpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lays the job's quality flags ({@code --policy}, {@code --gate}, {@code --on-gate-failure}) over
 * the YAML's {@code quality} section; a flag wins over the same key in the file.
 */
final class QualityFlags {

    private QualityFlags() {}

    static JobConfig.QualitySection merge(
            JobConfig.QualitySection base,
            Map<String, String> policies,
            Map<String, String> gates,
            String onGateFailure) {
        JobConfig.QualitySection q =
                base == null ? new JobConfig.QualitySection(null, null, null, null) : base;
        Map<String, PolicySpec> columns =
                q.columns() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(q.columns());
        PolicySpec defaults = q.defaults();
        if (policies != null) {
            for (Map.Entry<String, String> e : policies.entrySet()) {
                int dot = e.getKey().lastIndexOf('.');
                if (dot <= 0) {
                    throw new ConfigException(
                            "--policy "
                                    + e.getKey()
                                    + "="
                                    + e.getValue()
                                    + ": expected COLUMN.KEY=VALUE, e.g. age.on_null=reject");
                }
                String column = e.getKey().substring(0, dot);
                String key = e.getKey().substring(dot + 1);
                if (column.equals("*")) {
                    defaults = with(defaults, key, e.getValue(), "--policy *." + key);
                } else {
                    columns.put(
                            column,
                            with(columns.get(column), key, e.getValue(), "--policy " + e.getKey()));
                }
            }
        }
        JobConfig.GatesSection g =
                q.gates() == null
                        ? new JobConfig.GatesSection(null, null, null, null, null, null)
                        : q.gates();
        if (gates != null) {
            for (Map.Entry<String, String> e : gates.entrySet()) {
                g = withGate(g, e.getKey(), e.getValue());
            }
        }
        return new JobConfig.QualitySection(
                columns, defaults, g, onGateFailure != null ? onGateFailure : q.onGateFailure());
    }

    private static PolicySpec with(PolicySpec p, String key, String value, String where) {
        PolicySpec b = p == null ? new PolicySpec(null, null, null, null) : p;
        return switch (key) {
            case "on_null" ->
                    new PolicySpec(value, b.onInvalid(), b.onUnknown(), b.maxUnknownRate());
            case "on_invalid" ->
                    new PolicySpec(b.onNull(), value, b.onUnknown(), b.maxUnknownRate());
            case "on_unknown" ->
                    new PolicySpec(b.onNull(), b.onInvalid(), value, b.maxUnknownRate());
            case "max_unknown_rate" ->
                    new PolicySpec(b.onNull(), b.onInvalid(), b.onUnknown(), number(value, where));
            default ->
                    throw new ConfigException(
                            where
                                    + ": unknown policy key '"
                                    + key
                                    + "'; known: on_null, on_invalid, on_unknown, max_unknown_rate");
        };
    }

    private static JobConfig.GatesSection withGate(
            JobConfig.GatesSection g, String key, String value) {
        String where = "--gate " + key + "=" + value;
        int dot = key.indexOf('.');
        String gate = dot < 0 ? key : key.substring(0, dot);
        String column = dot < 0 ? null : key.substring(dot + 1);
        double v = number(value, where);
        if (gate.equals("max_reject_rate")) {
            if (column != null) {
                throw new ConfigException(
                        where + ": max_reject_rate applies to the run, not to " + "a column");
            }
            return new JobConfig.GatesSection(
                    v,
                    g.maxMissingRate(),
                    g.maxUnknownRate(),
                    g.maxOutOfRangeRate(),
                    g.maxPsi(),
                    g.maxScorePsi());
        }
        return switch (gate) {
            case "max_missing_rate" ->
                    new JobConfig.GatesSection(
                            g.maxRejectRate(),
                            put(g.maxMissingRate(), column, v),
                            g.maxUnknownRate(),
                            g.maxOutOfRangeRate(),
                            g.maxPsi(),
                            g.maxScorePsi());
            case "max_unknown_rate" ->
                    new JobConfig.GatesSection(
                            g.maxRejectRate(),
                            g.maxMissingRate(),
                            put(g.maxUnknownRate(), column, v),
                            g.maxOutOfRangeRate(),
                            g.maxPsi(),
                            g.maxScorePsi());
            case "max_out_of_range_rate" ->
                    new JobConfig.GatesSection(
                            g.maxRejectRate(),
                            g.maxMissingRate(),
                            g.maxUnknownRate(),
                            put(g.maxOutOfRangeRate(), column, v),
                            g.maxPsi(),
                            g.maxScorePsi());
            case "max_psi" ->
                    new JobConfig.GatesSection(
                            g.maxRejectRate(),
                            g.maxMissingRate(),
                            g.maxUnknownRate(),
                            g.maxOutOfRangeRate(),
                            put(g.maxPsi(), column, v),
                            g.maxScorePsi());
            case "max_score_psi" ->
                    new JobConfig.GatesSection(
                            g.maxRejectRate(),
                            g.maxMissingRate(),
                            g.maxUnknownRate(),
                            g.maxOutOfRangeRate(),
                            g.maxPsi(),
                            put(g.maxScorePsi(), column, v));
            default ->
                    throw new ConfigException(
                            where
                                    + ": unknown gate '"
                                    + gate
                                    + "'; known: "
                                    + "max_reject_rate, max_missing_rate, max_unknown_rate, "
                                    + "max_out_of_range_rate, max_psi, max_score_psi");
        };
    }

    /** A number for every column, or one column's entry added to the map. */
    private static JsonNode put(JsonNode existing, String column, double v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (column == null) {
            if (existing != null && existing.isObject()) {
                ObjectNode o = ((ObjectNode) existing).deepCopy();
                o.put("*", v);
                return o;
            }
            return f.numberNode(v);
        }
        ObjectNode o = f.objectNode();
        if (existing != null && existing.isNumber()) {
            o.put("*", existing.asDouble());
        } else if (existing != null && existing.isObject()) {
            o.setAll((ObjectNode) existing.deepCopy());
        }
        o.put(column, v);
        return o;
    }

    private static double number(String value, String where) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(where + ": '" + value + "' is not a number");
        }
    }
}
