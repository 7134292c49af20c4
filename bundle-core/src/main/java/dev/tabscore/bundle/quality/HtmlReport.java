package dev.tabscore.bundle.quality;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a run summary (with its {@code quality} section, {@link QualityReport}) as one
 * self-contained HTML page for people: a verdict at the top, rows and rejects, the gates, a chart
 * of each score's distribution against its reference, and the input columns ordered by drift. No
 * scripts, no external resources.
 */
public final class HtmlReport {

    /** PSI from which a column is shown as shifted. */
    static final double PSI_NOTICE = 0.1;

    /** PSI from which a column is shown as drifted. */
    static final double PSI_DRIFT = 0.25;

    private HtmlReport() {}

    /**
     * Renders a summary.
     *
     * @param summary the run summary JSON
     * @return the HTML page
     */
    public static String render(JsonNode summary) {
        JsonNode q = summary.path("quality");
        StringBuilder h = new StringBuilder(16_384);
        String status = summary.path("status").asText("unknown");
        boolean ok = status.equals("ok");
        JsonNode bundle = summary.path("bundle");
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>tabscore run ")
                .append(esc(summary.path("run_id").asText()))
                .append("</title>\n<style>")
                .append(CSS)
                .append("</style></head><body>\n");
        h.append("<h1>tabscore run <code>")
                .append(esc(summary.path("run_id").asText()))
                .append("</code></h1>\n");
        h.append("<p class=\"verdict ")
                .append(ok ? "good" : "bad")
                .append("\">")
                .append(
                        ok
                                ? "Trustworthy: every gate passed, every row accounted for."
                                : verdict(summary))
                .append("</p>\n");
        h.append("<table class=\"kv\">");
        kv(h, "bundle", bundle.path("name").asText() + " " + bundle.path("version").asText());
        kv(h, "digest", bundle.path("digest").asText());
        if (summary.has("snapshot")) {
            kv(h, "snapshot", summary.path("snapshot").asText());
        }
        kv(h, "scored at", summary.path("scored_at").asText());
        kv(
                h,
                "output",
                summary.path("output").asText()
                        + (summary.path("committed").asBoolean(true)
                                ? ""
                                : " (nothing committed)"));
        if (summary.has("rejects_uri")) {
            kv(
                    h,
                    "rejects",
                    summary.path("rejects_uri").asText()
                            + (summary.path("committed").asBoolean(true)
                                    ? ""
                                    : " (not published)"));
        }
        h.append("</table>\n");

        JsonNode rows = summary.path("rows");
        h.append(
                "<h2>Rows</h2>\n<table><tr><th>in</th><th>scored</th><th>rejected</th>"
                        + "<th>in = scored + rejected</th></tr><tr>");
        h.append(td(rows.path("in").asText()))
                .append(td(rows.path("scored").asText()))
                .append(td(rows.path("rejected").asText()));
        boolean reconciled = rows.path("reconciled").asBoolean(false);
        h.append("<td class=\"")
                .append(reconciled ? "good" : "bad")
                .append("\">")
                .append(reconciled ? "yes" : "NO")
                .append("</td></tr></table>\n");
        JsonNode byReason = q.path("rejects").path("by_reason");
        if (q.path("rejects").path("rows").asLong() > 0) {
            h.append("<p>Rejected by reason: ");
            List<String> parts = new ArrayList<>();
            byReason.fields()
                    .forEachRemaining(
                            e -> {
                                if (e.getValue().asLong() > 0) {
                                    parts.add(
                                            "<code>"
                                                    + esc(e.getKey())
                                                    + "</code> "
                                                    + e.getValue().asLong());
                                }
                            });
            h.append(String.join(", ", parts)).append("; by column: ");
            parts.clear();
            q.path("rejects")
                    .path("by_column")
                    .fields()
                    .forEachRemaining(
                            e ->
                                    parts.add(
                                            "<code>"
                                                    + esc(e.getKey())
                                                    + "</code> "
                                                    + e.getValue().asLong()));
            h.append(String.join(", ", parts)).append(".</p>\n");
        }

        h.append("<h2>Gates</h2>\n");
        JsonNode gates = q.path("gates");
        if (gates.size() == 0) {
            h.append("<p>No gates configured.</p>\n");
        } else {
            h.append(
                    "<table><tr><th>gate</th><th>column</th><th>observed</th><th>threshold"
                            + "</th><th></th></tr>\n");
            for (JsonNode g : gates) {
                boolean passed = g.path("passed").asBoolean();
                h.append("<tr class=\"")
                        .append(passed ? "" : "badrow")
                        .append("\">")
                        .append(td(g.path("gate").asText()))
                        .append(td(g.path("column").asText("")))
                        .append(tdNum(fmt(g.path("observed").asDouble())))
                        .append(tdNum(fmt(g.path("threshold").asDouble())))
                        .append("<td class=\"")
                        .append(passed ? "good" : "bad")
                        .append("\">")
                        .append(passed ? "passed" : "FAILED")
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        h.append("<h2>Score distribution</h2>\n");
        Iterator<Map.Entry<String, JsonNode>> scores = q.path("scores").fields();
        while (scores.hasNext()) {
            Map.Entry<String, JsonNode> e = scores.next();
            score(h, e.getKey(), e.getValue());
        }

        h.append("<h2>Input columns, most drifted first</h2>\n");
        columns(h, q.path("columns"), gates);
        h.append(
                "<p class=\"note\">PSI: population stability index against the training "
                        + "distribution (deciles for numbers, top categories for categories, a bin for "
                        + "missing values); below 0.1 stable, 0.1&ndash;0.25 shifted, above 0.25 "
                        + "drifted. Rates are over the rows read.</p>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String verdict(JsonNode summary) {
        String status = summary.path("status").asText();
        return switch (status) {
            case "quality_gate_failed" ->
                    "NOT trustworthy: a quality gate failed ("
                            + (summary.path("committed").asBoolean(true)
                                    ? "output published and flagged"
                                    : "nothing was published")
                            + ").";
            case "rows_mismatch" ->
                    "NOT trustworthy: rows in differ from rows scored + " + "rejected.";
            default -> "Status: " + esc(status) + ".";
        };
    }

    private static void score(StringBuilder h, String name, JsonNode s) {
        JsonNode bins = s.path("bins");
        h.append("<h3><code>").append(esc(name)).append("</code>");
        if (s.has("psi") && !s.path("psi").isNull()) {
            double psi = s.path("psi").asDouble();
            h.append(" &mdash; PSI <span class=\"")
                    .append(psiClass(psi))
                    .append("\">")
                    .append(fmt(psi))
                    .append("</span>");
        }
        h.append(" (reference: ")
                .append(esc(s.path("reference").path("source").asText("none")))
                .append(")</h3>\n");
        if (bins.has("counts")) {
            h.append(chart(bins));
        }
        if (s.has("quantiles")) {
            h.append("<table><tr><th></th><th>mean</th>");
            for (String k : QualityReport.QUANTILES) {
                h.append("<th>q").append(k).append("</th>");
            }
            h.append("</tr><tr><td>this run</td>").append(tdNum(fmt(s.path("mean").asDouble())));
            for (String k : QualityReport.QUANTILES) {
                h.append(tdNum(fmt(s.path("quantiles").path(k).asDouble(Double.NaN))));
            }
            JsonNode ref = s.path("reference");
            h.append("</tr><tr><td>reference</td>")
                    .append(tdNum(fmt(ref.path("mean").asDouble(Double.NaN))));
            for (String k : QualityReport.QUANTILES) {
                h.append(tdNum(fmt(ref.path("quantiles").path(k).asDouble(Double.NaN))));
            }
            h.append("</tr></table>\n");
        }
        if (s.has("class_mix")) {
            h.append("<table><tr><th>class</th><th>this run</th><th>reference</th></tr>");
            s.path("class_mix")
                    .fields()
                    .forEachRemaining(
                            e ->
                                    h.append("<tr>")
                                            .append(td(e.getKey()))
                                            .append(tdNum(fmt(e.getValue().asDouble())))
                                            .append(
                                                    tdNum(
                                                            fmt(
                                                                    s.path("reference")
                                                                            .path("class_mix")
                                                                            .path(e.getKey())
                                                                            .asDouble(Double.NaN))))
                                            .append("</tr>"));
            h.append("</table>\n");
        }
    }

    /** Bars of the expected and the observed share per reference bin, as inline SVG. */
    static String chart(JsonNode bins) {
        int n = bins.path("counts").size();
        long total = 0;
        for (JsonNode c : bins.path("counts")) {
            total += c.asLong();
        }
        double[] actual = new double[n];
        double[] expected = new double[n];
        double top = 0.01;
        for (int i = 0; i < n; i++) {
            actual[i] = total == 0 ? 0 : bins.path("counts").get(i).asDouble() / total;
            expected[i] = bins.path("expected").get(i).asDouble();
            top = Math.max(top, Math.max(actual[i], expected[i]));
        }
        int barW = 14;
        int gap = 10;
        int height = 120;
        int width = n * (2 * barW + gap) + 40;
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height + 50)
                .append("\" role=\"img\" aria-label=\"score distribution\">");
        s.append("<line x1=\"30\" y1=\"")
                .append(height)
                .append("\" x2=\"")
                .append(width)
                .append("\" y2=\"")
                .append(height)
                .append("\" stroke=\"#999\"/>");
        s.append("<text x=\"0\" y=\"12\" class=\"axis\">").append(pct(top)).append("</text>");
        List<String> labels = labels(bins, n);
        for (int i = 0; i < n; i++) {
            int x = 34 + i * (2 * barW + gap);
            bar(s, x, barW, height, expected[i] / top, "ref", pct(expected[i]));
            bar(s, x + barW, barW, height, actual[i] / top, "run", pct(actual[i]));
            s.append("<text x=\"")
                    .append(x)
                    .append("\" y=\"")
                    .append(height + 14)
                    .append("\" class=\"axis\" transform=\"rotate(35 ")
                    .append(x)
                    .append(' ')
                    .append(height + 14)
                    .append(")\">")
                    .append(esc(labels.get(i)))
                    .append("</text>");
        }
        s.append(
                "</svg>\n<p class=\"legend\"><span class=\"swatch ref\"></span> reference "
                        + "<span class=\"swatch run\"></span> this run</p>\n");
        return s.toString();
    }

    private static List<String> labels(JsonNode bins, int n) {
        List<String> out = new ArrayList<>();
        if (bins.has("edges")) {
            JsonNode e = bins.path("edges");
            for (int i = 0; i + 1 < e.size(); i++) {
                out.add(
                        i == 0
                                ? "< " + fmt(e.get(1).asDouble())
                                : i == e.size() - 2
                                        ? ">= " + fmt(e.get(i).asDouble())
                                        : fmt(e.get(i).asDouble()) + "..");
            }
        } else {
            for (JsonNode k : bins.path("keys")) {
                out.add(k.asText());
            }
        }
        while (out.size() < n) {
            out.add("missing");
        }
        return out;
    }

    private static void bar(
            StringBuilder s, int x, int w, int height, double frac, String cls, String title) {
        int hgt = (int) Math.round(frac * (height - 16));
        s.append("<rect class=\"")
                .append(cls)
                .append("\" x=\"")
                .append(x)
                .append("\" y=\"")
                .append(height - hgt)
                .append("\" width=\"")
                .append(w - 2)
                .append("\" height=\"")
                .append(hgt)
                .append("\"><title>")
                .append(title)
                .append("</title></rect>");
    }

    private static void columns(StringBuilder h, JsonNode cols, JsonNode gates) {
        List<Map.Entry<String, JsonNode>> all = new ArrayList<>();
        cols.fields().forEachRemaining(all::add);
        all.sort(
                (a, b) ->
                        Double.compare(
                                b.getValue().path("psi").asDouble(0),
                                a.getValue().path("psi").asDouble(0)));
        h.append(
                "<table><tr><th>column</th><th>kind</th><th>PSI</th><th>missing</th>"
                        + "<th>training missing</th><th>invalid</th><th>unknown</th>"
                        + "<th>top unknown values</th><th>out of training range</th><th>mean</th>"
                        + "<th>training mean</th><th>policy</th></tr>\n");
        for (Map.Entry<String, JsonNode> e : all) {
            JsonNode c = e.getValue();
            boolean failed = false;
            for (JsonNode g : gates) {
                failed |=
                        e.getKey().equals(g.path("column").asText(null))
                                && !g.path("passed").asBoolean();
            }
            double psi = c.path("psi").asDouble(Double.NaN);
            h.append("<tr class=\"")
                    .append(failed ? "badrow" : "")
                    .append("\">")
                    .append(td("<code>" + esc(e.getKey()) + "</code>", false))
                    .append(td(c.path("kind").asText()))
                    .append("<td class=\"num ")
                    .append(psiClass(psi))
                    .append("\">")
                    .append(fmt(psi))
                    .append("</td>")
                    .append(tdNum(pct(c.path("missing_rate").asDouble())))
                    .append(
                            tdNum(
                                    c.has("training_missing_rate")
                                            ? pct(c.path("training_missing_rate").asDouble())
                                            : ""))
                    .append(tdNum(c.path("invalid").asText()))
                    .append(
                            tdNum(
                                    c.has("unknown_rate")
                                            ? pct(c.path("unknown_rate").asDouble())
                                            : ""));
            List<String> top = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = c.path("unknown_values").fields();
            while (it.hasNext() && top.size() < 5) {
                Map.Entry<String, JsonNode> u = it.next();
                // repr, so that "" and " north" are visible
                top.add(
                        "<code>"
                                + esc(shorten(dev.tabscore.bundle.sklearn.PyRepr.repr(u.getKey())))
                                + "</code>&nbsp;"
                                + u.getValue().asLong());
            }
            h.append(td(String.join(", ", top), false))
                    .append(
                            tdNum(
                                    c.has("out_of_range")
                                            ? pct(c.path("out_of_range").path("rate").asDouble())
                                            : ""))
                    .append(tdNum(c.has("mean") ? fmt(c.path("mean").asDouble()) : ""))
                    .append(
                            tdNum(
                                    c.has("training_mean")
                                            ? fmt(c.path("training_mean").asDouble())
                                            : ""))
                    .append(
                            td(
                                    c.path("policy").path("on_null").asText()
                                            + " / "
                                            + c.path("policy").path("on_invalid").asText()
                                            + " / "
                                            + c.path("policy").path("on_unknown").asText()))
                    .append("</tr>\n");
        }
        h.append("</table>\n<p class=\"note\">policy: on_null / on_invalid / on_unknown.</p>\n");
    }

    private static String psiClass(double psi) {
        return !(psi >= PSI_NOTICE) ? "" : psi >= PSI_DRIFT ? "bad" : "warn";
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><th>")
                .append(esc(k))
                .append("</th><td><code>")
                .append(esc(v))
                .append("</code></td></tr>");
    }

    private static String td(String text) {
        return td(esc(text), false);
    }

    private static String td(String html, boolean num) {
        return "<td" + (num ? " class=\"num\"" : "") + ">" + html + "</td>";
    }

    private static String tdNum(String text) {
        return td(esc(text), true);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v * 100);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    private static final String CSS =
            "body{font:14px/1.4 system-ui,sans-serif;margin:24px;"
                    + "color:#222;max-width:1200px}h1{font-size:20px}h2{font-size:16px;margin-top:28px;"
                    + "border-bottom:1px solid #ddd}h3{font-size:14px}table{border-collapse:collapse;"
                    + "margin:6px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;"
                    + "vertical-align:top}th{background:#f4f4f4}td.num{text-align:right;"
                    + "font-variant-numeric:tabular-nums}.kv th{width:110px}.verdict{font-size:16px;"
                    + "padding:8px 12px;border-radius:4px}.verdict.good{background:#e3f4e1}"
                    + ".verdict.bad{background:#fbe2e0}td.good{color:#17692a}td.bad,span.bad,"
                    + "td.num.bad{color:#b3261e;font-weight:bold}span.warn,td.num.warn{color:#a15c00;"
                    + "font-weight:bold}tr.badrow{background:#fdf0ef}rect.ref{fill:#9db8d9}"
                    + "rect.run{fill:#e07b39}.swatch{display:inline-block;width:10px;height:10px}"
                    + ".swatch.ref{background:#9db8d9}.swatch.run{background:#e07b39}"
                    + ".axis{font-size:10px;fill:#555}.note,.legend{color:#666;font-size:12px}"
                    + "code{font-size:12px}";
}
