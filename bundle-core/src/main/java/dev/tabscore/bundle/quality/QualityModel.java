package dev.tabscore.bundle.quality;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.OutputLayout;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.sklearn.KnownCategories;
import dev.tabscore.bundle.sklearn.Preprocessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the quality checks of a bundle need, built once from the verified bundle and the
 * resolved column policies: for each contract column its policy, its training {@link Reference} and
 * the categories its encoders know; for each output column its reference (the manifest's training
 * output statistics, else the golden batch's outputs) and the range of its quantile histogram.
 * Immutable and thread-safe.
 */
public final class QualityModel {

    /** Distinct unknown values kept per column. */
    public static final int MAX_UNKNOWN_VALUES = 20;

    /**
     * One contract column.
     *
     * @param name the column name
     * @param numeric whether it is profiled as a number (else as categories)
     * @param reference its training distribution, or null
     * @param known the categories its encoders know, or null when it reaches none
     * @param policy its row policy
     */
    public record ColumnSpec(
            String name,
            boolean numeric,
            Reference reference,
            KnownCategories known,
            ColumnPolicy policy) {}

    /**
     * One output column.
     *
     * @param name the column name ({@code prob}, {@code prob_<c>}, {@code prediction}, {@code
     *     label})
     * @param numeric false for the label column
     * @param reference the reference distribution, or null
     * @param lo the quantile histogram's range start (numeric)
     * @param hi the quantile histogram's range end (numeric)
     */
    public record OutputSpec(
            String name, boolean numeric, Reference reference, double lo, double hi) {}

    private final List<ColumnSpec> columns;
    private final List<OutputSpec> outputs;
    private final Map<String, ColumnPolicy> policies;

    /**
     * Builds the model of a bundle.
     *
     * @param bundle the verified bundle
     * @param policies the resolved policy of every contract column ({@link #resolvePolicies})
     */
    public QualityModel(Bundle bundle, Map<String, ColumnPolicy> policies) {
        Manifest m = bundle.manifest();
        Map<String, KnownCategories> known = bundle.preprocessor().knownCategories();
        Map<String, Manifest.ColumnStatistics> stats =
                m.training() == null || m.training().statistics() == null
                        ? Map.of()
                        : m.training().statistics();
        List<ColumnSpec> cols = new ArrayList<>();
        for (Manifest.InputColumn c : m.input().columns()) {
            Manifest.ColumnStatistics s = stats.get(c.name());
            Reference ref = s == null ? null : Reference.of(s, "training");
            boolean numeric =
                    ref != null ? ref.kind() == Reference.Kind.NUMERIC : c.kind().equals("numeric");
            cols.add(
                    new ColumnSpec(
                            c.name(),
                            numeric,
                            ref,
                            known.get(c.name()),
                            policies.getOrDefault(c.name(), ColumnPolicy.DEFAULT)));
        }
        this.columns = List.copyOf(cols);
        this.outputs = outputs(bundle);
        this.policies = Map.copyOf(policies);
    }

    private static List<OutputSpec> outputs(Bundle bundle) {
        Manifest m = bundle.manifest();
        OutputLayout layout = bundle.outputs();
        Map<String, Manifest.ColumnStatistics> trained =
                m.training() == null || m.training().outputStatistics() == null
                        ? Map.of()
                        : m.training().outputStatistics();
        ColumnBatch golden = bundle.goldenOutput();
        boolean probability = !m.model().outputHead().equals("identity");
        List<OutputSpec> out = new ArrayList<>();
        for (String name : layout.numericColumns()) {
            Reference ref =
                    trained.containsKey(name)
                            ? Reference.of(trained.get(name), "training")
                            : goldenNumbers(golden, name);
            double lo = 0.0;
            double hi = 1.0;
            if (!probability) {
                lo = ref == null ? -1.0 : ref.min();
                hi = ref == null ? 1.0 : ref.max();
                if (!(hi > lo)) {
                    lo -= 1.0;
                    hi += 1.0;
                }
            }
            out.add(new OutputSpec(name, true, ref, lo, hi));
        }
        if (layout.labelColumn() != null) {
            String name = layout.labelColumn();
            Reference ref =
                    trained.containsKey(name)
                            ? Reference.of(trained.get(name), "training")
                            : goldenLabels(golden, name);
            out.add(new OutputSpec(name, false, ref, 0, 1));
        }
        return List.copyOf(out);
    }

    private static Reference goldenNumbers(ColumnBatch golden, String name) {
        if (golden == null
                || !golden.has(name)
                || !(golden.column(name) instanceof DoubleColumn d)) {
            return null;
        }
        double[] v = java.util.Arrays.stream(d.values()).filter(x -> x == x).toArray();
        return Reference.ofSample(v, "golden");
    }

    private static Reference goldenLabels(ColumnBatch golden, String name) {
        if (golden == null || !golden.has(name)) {
            return null;
        }
        Column c = golden.column(name);
        String[] labels = new String[c.size()];
        for (int r = 0; r < labels.length; r++) {
            labels[r] =
                    c instanceof StringColumn s
                            ? s.values()[r]
                            : dev.tabscore.bundle.sklearn.PyRepr.str(c.valueAt(r));
        }
        return Reference.ofLabels(labels, "golden");
    }

    /**
     * Resolves the policy of every contract column: the built-in default, then the manifest's
     * column policy, then the config's defaults, then the config's column entry.
     *
     * @param m the manifest
     * @param pre the preprocessor (which columns have categories)
     * @param configDefaults the config's {@code quality.defaults}, or null
     * @param configColumns the config's {@code quality.columns}, or empty
     * @return column name to policy, in contract order
     * @throws IllegalArgumentException naming the key if the config names a column outside the
     *     contract, a value is not allowed, or a column without categories has an on_unknown other
     *     than preprocess
     */
    public static Map<String, ColumnPolicy> resolvePolicies(
            Manifest m,
            Preprocessor pre,
            PolicySpec configDefaults,
            Map<String, PolicySpec> configColumns) {
        List<String> names = m.input().columns().stream().map(Manifest.InputColumn::name).toList();
        List<String> unknown = new ArrayList<>();
        for (String k : configColumns.keySet()) {
            if (!names.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "quality.columns names "
                            + unknown
                            + ", not "
                            + "columns of the bundle's input contract "
                            + names);
        }
        Map<String, ColumnPolicy> out = new LinkedHashMap<>();
        for (Manifest.InputColumn c : m.input().columns()) {
            ColumnPolicy p = ColumnPolicy.DEFAULT;
            Manifest.ColumnPolicy mp = c.policy();
            if (mp != null) {
                p =
                        p.with(
                                "manifest input.columns '" + c.name() + "' policy",
                                mp.onNull(),
                                mp.onInvalid(),
                                mp.onUnknown(),
                                mp.maxUnknownRate());
            }
            if (configDefaults != null) {
                p = configDefaults.over(p, "quality.defaults");
            }
            PolicySpec own = configColumns.get(c.name());
            if (own != null) {
                p = own.over(p, "quality.columns." + c.name());
            }
            if (p.onUnknown() != ColumnPolicy.OnUnknown.PREPROCESS
                    && !pre.knownCategories().containsKey(c.name())) {
                if (own != null && own.onUnknown() != null) {
                    throw new IllegalArgumentException(
                            "quality.columns."
                                    + c.name()
                                    + ".on_unknown is "
                                    + own.onUnknown()
                                    + ", but column '"
                                    + c.name()
                                    + "' reaches no encoder, so it has no categories to be unknown to");
                }
                // A blanket default does not apply to columns without categories.
                p =
                        new ColumnPolicy(
                                p.onNull(),
                                p.onInvalid(),
                                ColumnPolicy.OnUnknown.PREPROCESS,
                                p.maxUnknownRate());
            }
            out.put(c.name(), p);
        }
        return out;
    }

    /**
     * Returns empty statistics shaped for this model (reference bins, histogram ranges).
     *
     * @return new statistics
     */
    public QualityStats newStats() {
        QualityStats s = new QualityStats();
        for (ColumnSpec c : columns) {
            s.columns.put(
                    c.name(),
                    new ColumnProfile(
                            c.reference() == null ? 0 : c.reference().bins(),
                            MAX_UNKNOWN_VALUES,
                            null));
        }
        for (OutputSpec o : outputs) {
            s.outputs.put(
                    o.name(),
                    new ColumnProfile(
                            o.reference() == null ? 0 : o.reference().bins(),
                            MAX_UNKNOWN_VALUES,
                            o.numeric() ? new FineHistogram(o.lo(), o.hi()) : null));
        }
        return s;
    }

    /**
     * @return the contract columns, in order
     */
    public List<ColumnSpec> columns() {
        return columns;
    }

    /**
     * @return the output columns, in order
     */
    public List<OutputSpec> outputs() {
        return outputs;
    }

    /**
     * Returns the policy of a column; columns outside the contract (the fitted graph's own names)
     * get the default.
     *
     * @param column a column name
     * @return its policy
     */
    public ColumnPolicy policy(String column) {
        return policies.getOrDefault(column, ColumnPolicy.DEFAULT);
    }
}
