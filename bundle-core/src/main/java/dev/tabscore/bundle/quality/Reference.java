package dev.tabscore.bundle.quality;

import dev.tabscore.bundle.manifest.Manifest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training distribution of one column (an input column, or a model output), as bins with their
 * expected shares: the reference that out-of-range and PSI are measured against.
 *
 * <p>Numeric: the exporter's decile histogram. A value falls in bin {@code i} = the number of inner
 * edges {@code <= v} (numpy's {@code searchsorted(edges[1:-1], v, side="right")}, the rule the
 * exporter used), so values below the training minimum land in the first bin and above the maximum
 * in the last. Categorical: one bin per stored frequency key, one for every other value ({@code
 * __other__} plus values never seen), in this order. Both end with a bin for missing values,
 * expected at the training missing rate; the stored shares are of non-missing values and are scaled
 * by {@code 1 - missing_rate}.
 *
 * @param kind numeric or categorical
 * @param min the training minimum (numeric; NaN when unknown)
 * @param max the training maximum (numeric; NaN when unknown)
 * @param mean the training mean (numeric; NaN when unknown)
 * @param innerEdges the histogram edges but the first and the last (numeric)
 * @param edges every histogram edge (numeric, for the report)
 * @param keys the frequency keys by bin (categorical)
 * @param expected the expected share of each bin, the missing bin last; sums to 1
 * @param quantiles the training quantiles by probability, e.g. "0.5" (numeric; may be empty)
 * @param source where the reference comes from: {@code training} or {@code golden}
 */
public record Reference(
        Kind kind,
        double min,
        double max,
        double mean,
        double[] innerEdges,
        double[] edges,
        List<String> keys,
        double[] expected,
        Map<String, Double> quantiles,
        String source)
        implements Serializable {

    /** The frequencies key the exporter uses for everything beyond its top values. */
    public static final String OTHER_KEY = "__other__";

    /** How a column is binned. */
    public enum Kind {
        /** Decile histogram. */
        NUMERIC,
        /** Category frequencies. */
        CATEGORICAL
    }

    /**
     * Builds the reference of a column from the manifest's training statistics.
     *
     * @param s the statistics
     * @param source {@code training} or {@code golden}
     * @return the reference, or null when the statistics hold no distribution
     */
    public static Reference of(Manifest.ColumnStatistics s, String source) {
        double missingRate = s.missingRate() == null ? 0.0 : s.missingRate();
        double present = 1.0 - missingRate;
        if (s.histogram() != null
                && s.histogram().edges() != null
                && s.histogram().edges().size() >= 2) {
            double[] edges =
                    s.histogram().edges().stream().mapToDouble(Double::doubleValue).toArray();
            List<Double> fractions = s.histogram().fractions();
            double[] expected = new double[edges.length];
            for (int i = 0; i < edges.length - 1; i++) {
                expected[i] = present * fractions.get(i);
            }
            expected[edges.length - 1] = missingRate;
            return new Reference(
                    Kind.NUMERIC,
                    orNaN(s.min()),
                    orNaN(s.max()),
                    orNaN(s.mean()),
                    Arrays.copyOfRange(edges, 1, edges.length - 1),
                    edges,
                    List.of(),
                    expected,
                    s.quantiles() == null ? Map.of() : Map.copyOf(s.quantiles()),
                    source);
        }
        if (s.frequencies() != null && !s.frequencies().isEmpty()) {
            List<String> keys = new ArrayList<>();
            List<Double> shares = new ArrayList<>();
            double other = 0.0;
            for (Map.Entry<String, Double> e : s.frequencies().entrySet()) {
                if (e.getKey().equals(OTHER_KEY)) {
                    other = e.getValue();
                } else {
                    keys.add(e.getKey());
                    shares.add(e.getValue());
                }
            }
            double[] expected = new double[keys.size() + 2];
            for (int i = 0; i < keys.size(); i++) {
                expected[i] = present * shares.get(i);
            }
            expected[keys.size()] = present * other;
            expected[keys.size() + 1] = missingRate;
            return new Reference(
                    Kind.CATEGORICAL,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    new double[0],
                    new double[0],
                    List.copyOf(keys),
                    expected,
                    Map.of(),
                    source);
        }
        return null;
    }

    /**
     * Builds a numeric reference from a sample, computed as the exporter computes training
     * statistics (numpy's linear-interpolation quantiles for the decile edges).
     *
     * @param values the sample, no NaN
     * @param source where the sample comes from
     * @return the reference, or null for an empty sample
     */
    public static Reference ofSample(double[] values, String source) {
        if (values.length == 0) {
            return null;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        double[] edges = new double[11];
        for (int i = 0; i <= 10; i++) {
            edges[i] = quantile(v, i / 10.0);
        }
        double[] inner = Arrays.copyOfRange(edges, 1, 10);
        double[] expected = new double[11];
        for (double x : v) {
            expected[bin(inner, x)] += 1.0 / v.length;
        }
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        Map<String, Double> q = new LinkedHashMap<>();
        for (String p : List.of("0.01", "0.05", "0.25", "0.5", "0.75", "0.95", "0.99")) {
            q.put(p, quantile(v, Double.parseDouble(p)));
        }
        return new Reference(
                Kind.NUMERIC,
                v[0],
                v[v.length - 1],
                sum / v.length,
                inner,
                edges,
                List.of(),
                expected,
                q,
                source);
    }

    /**
     * Builds a categorical reference from a sample of labels.
     *
     * @param labels the sample
     * @param source where the sample comes from
     * @return the reference, or null for an empty sample
     */
    public static Reference ofLabels(String[] labels, String source) {
        if (labels.length == 0) {
            return null;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String l : labels) {
            counts.merge(l, 1, Integer::sum);
        }
        List<String> keys = new ArrayList<>(counts.keySet());
        keys.sort(String::compareTo);
        double[] expected = new double[keys.size() + 2];
        for (int i = 0; i < keys.size(); i++) {
            expected[i] = counts.get(keys.get(i)) / (double) labels.length;
        }
        return new Reference(
                Kind.CATEGORICAL,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                new double[0],
                new double[0],
                List.copyOf(keys),
                expected,
                Map.of(),
                source);
    }

    /** numpy's default quantile (linear interpolation) of sorted values. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = h - lo;
        double a = sorted[lo];
        double b = sorted[hi];
        // numpy's _lerp: a + (b - a) * t, and b - (b - a) * (1 - t) for t >= 0.5
        double diff = b - a;
        return frac >= 0.5 ? b - diff * (1 - frac) : a + diff * frac;
    }

    /**
     * Returns the number of bins, the missing bin included.
     *
     * @return the count
     */
    public int bins() {
        return expected.length;
    }

    /**
     * Returns the index of the missing bin (the last).
     *
     * @return the index
     */
    public int missingBin() {
        return expected.length - 1;
    }

    /**
     * Returns the bin of a non-missing number (numeric references).
     *
     * @param x the value, not NaN
     * @return the bin
     */
    public int bin(double x) {
        return bin(innerEdges, x);
    }

    private static int bin(double[] inner, double x) {
        // the number of inner edges <= x
        int lo = 0;
        int hi = inner.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (inner[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Returns the bin of a category key (categorical references): its own, or the other bin.
     *
     * @param index the key index of {@link #keyIndex()}
     * @param key the key
     * @return the bin
     */
    public int bin(Map<String, Integer> index, String key) {
        Integer i = index.get(key);
        return i == null ? keys.size() : i;
    }

    /**
     * Returns the bin of each key, for {@link #bin(Map, String)}.
     *
     * @return key to bin
     */
    public Map<String, Integer> keyIndex() {
        Map<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            m.put(keys.get(i), i);
        }
        return m;
    }

    private static double orNaN(Double d) {
        return d == null ? Double.NaN : d;
    }
}
