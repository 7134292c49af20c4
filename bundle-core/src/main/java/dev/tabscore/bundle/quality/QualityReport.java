package dev.tabscore.bundle.quality;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code quality} section of the run summary: per input column what it looked like against its
 * training reference, the score distribution against its reference, rejects, and the gates. Rates
 * are over the rows read. {@link HtmlReport} renders the same section for people.
 */
public final class QualityReport {

    /** Quantiles reported for score columns. */
    public static final List<String> QUANTILES =
            List.of("0.01", "0.05", "0.25", "0.5", "0.75", "0.95", "0.99");

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private QualityReport() {}

    /**
     * Builds the section.
     *
     * @param model the bundle's quality model
     * @param stats the run's statistics
     * @param checks the gates evaluated ({@link Gates#evaluate})
     * @param onGateFailure what a failed gate does: fail_before_commit or publish_and_flag
     * @return the JSON object
     */
    public static ObjectNode json(
            QualityModel model, QualityStats stats, List<GateCheck> checks, String onGateFailure) {
        ObjectNode q = F.objectNode();
        ObjectNode rejects = q.putObject("rejects");
        rejects.put("rows", stats.rowsRejected());
        rejects.put("rate", rate(stats.rowsRejected(), stats.rowsIn()));
        ObjectNode byReason = rejects.putObject("by_reason");
        for (RejectReason r : RejectReason.values()) {
            byReason.put(r.code(), stats.rejected(r));
        }
        ObjectNode byColumn = rejects.putObject("by_column");
        stats.rejectedByColumn().forEach(byColumn::put);
        ObjectNode cols = q.putObject("columns");
        for (QualityModel.ColumnSpec c : model.columns()) {
            ColumnProfile p = stats.columns().get(c.name());
            if (p != null) {
                cols.set(c.name(), column(c, p));
            }
        }
        ObjectNode scores = q.putObject("scores");
        for (QualityModel.OutputSpec o : model.outputs()) {
            ColumnProfile p = stats.outputs().get(o.name());
            if (p != null) {
                scores.set(o.name(), output(o, p));
            }
        }
        ArrayNode gates = q.putArray("gates");
        for (GateCheck g : checks) {
            ObjectNode n = gates.addObject();
            n.put("gate", g.gate());
            if (g.column() != null) {
                n.put("column", g.column());
            }
            n.put("threshold", g.threshold());
            n.put("observed", g.observed());
            n.put("passed", g.passed());
        }
        q.put("gate_status", Gates.passed(checks) ? "passed" : "failed");
        q.put("on_gate_failure", onGateFailure);
        return q;
    }

    private static ObjectNode column(QualityModel.ColumnSpec c, ColumnProfile p) {
        ObjectNode n = F.objectNode();
        Reference ref = c.reference();
        n.put("kind", c.numeric() ? "numeric" : "categorical");
        ObjectNode pol = n.putObject("policy");
        pol.put("on_null", ColumnPolicy.text(c.policy().onNull()));
        pol.put("on_invalid", ColumnPolicy.text(c.policy().onInvalid()));
        pol.put("on_unknown", ColumnPolicy.text(c.policy().onUnknown()));
        if (c.policy().onUnknown() == ColumnPolicy.OnUnknown.FAIL) {
            pol.put("max_unknown_rate", c.policy().maxUnknownRate());
        }
        n.put("rows", p.rows());
        n.put("missing", p.missing());
        n.put("missing_rate", rate(p.missing(), p.rows()));
        if (ref != null) {
            n.put("training_missing_rate", ref.expected()[ref.missingBin()]);
        }
        n.put("invalid", p.invalid());
        if (c.known() != null) {
            n.put("unknown", p.unknown());
            n.put("unknown_rate", rate(p.unknown(), p.rows()));
            ObjectNode values = n.putObject("unknown_values");
            p.unknownValues().forEach(values::put);
            if (p.untrackedUnknown() > 0) {
                n.put("unknown_untracked", p.untrackedUnknown());
            }
        }
        if (c.numeric()) {
            putNumber(n, "mean", p.mean());
            putNumber(n, "min", p.min());
            putNumber(n, "max", p.max());
            if (ref != null) {
                putNumber(n, "training_mean", ref.mean());
                ObjectNode range = n.putObject("out_of_range");
                range.put("below_min", p.belowMin());
                range.put("above_max", p.aboveMax());
                range.put("rate", rate(p.belowMin() + p.aboveMax(), p.rows()));
                putNumber(range, "training_min", ref.min());
                putNumber(range, "training_max", ref.max());
            }
        }
        if (ref != null) {
            putNumber(n, "psi", Psi.of(ref.expected(), p.bins));
            n.set("bins", bins(ref, p));
        }
        return n;
    }

    private static ObjectNode output(QualityModel.OutputSpec o, ColumnProfile p) {
        ObjectNode n = F.objectNode();
        Reference ref = o.reference();
        n.put("count", p.rows());
        if (o.numeric()) {
            n.put("missing", p.missing());
            putNumber(n, "mean", p.mean());
            putNumber(n, "min", p.min());
            putNumber(n, "max", p.max());
            ObjectNode q = n.putObject("quantiles");
            for (String k : QUANTILES) {
                putNumber(q, k, p.fine().quantile(Double.parseDouble(k)));
            }
            n.put("quantile_resolution", (p.fine().hi() - p.fine().lo()) / FineHistogram.BINS);
        } else {
            ObjectNode mix = n.putObject("class_mix");
            if (ref != null) {
                long[] b = p.bins;
                for (int i = 0; i < ref.keys().size(); i++) {
                    mix.put(ref.keys().get(i), rate(b[i], p.rows()));
                }
                if (b[ref.keys().size()] > 0) {
                    mix.put("(other)", rate(b[ref.keys().size()], p.rows()));
                }
            }
        }
        if (ref != null) {
            ObjectNode r = n.putObject("reference");
            r.put("source", ref.source());
            if (o.numeric()) {
                putNumber(r, "mean", ref.mean());
                ObjectNode q = r.putObject("quantiles");
                for (String k : QUANTILES) {
                    if (ref.quantiles().containsKey(k)) {
                        putNumber(q, k, ref.quantiles().get(k));
                    }
                }
            } else {
                ObjectNode mix = r.putObject("class_mix");
                for (int i = 0; i < ref.keys().size(); i++) {
                    mix.put(ref.keys().get(i), ref.expected()[i]);
                }
            }
            putNumber(n, "psi", Psi.of(ref.expected(), p.bins));
            n.set("bins", bins(ref, p));
        }
        return n;
    }

    private static ObjectNode bins(Reference ref, ColumnProfile p) {
        ObjectNode b = F.objectNode();
        if (ref.kind() == Reference.Kind.NUMERIC) {
            ArrayNode edges = b.putArray("edges");
            for (double e : ref.edges()) {
                edges.add(e);
            }
        } else {
            ArrayNode keys = b.putArray("keys");
            ref.keys().forEach(keys::add);
            keys.add("(other)");
        }
        ArrayNode expected = b.putArray("expected");
        ArrayNode counts = b.putArray("counts");
        for (int i = 0; i < ref.bins(); i++) {
            expected.add(ref.expected()[i]);
            counts.add(p.bins[i]);
        }
        b.put("last_bin", "missing");
        return b;
    }

    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    static double rate(long count, long rows) {
        return rows == 0 ? 0.0 : (double) count / rows;
    }
}
