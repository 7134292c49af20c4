package dev.tabscore.bundle.verify;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelRunner;
import dev.tabscore.bundle.model.Prediction;
import dev.tabscore.bundle.quality.GuardedScorer;
import dev.tabscore.bundle.sklearn.Preprocessor;
import dev.tabscore.bundle.sklearn.TransformStats;
import dev.tabscore.bundle.sklearn.UnsettledImputationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Replays the golden batch: the raw golden rows go through the Java preprocessor and model, and
 * every feature and output must equal what Python stored, features exactly, outputs within {@code
 * atol + rtol * |expected|}. Features derived from numpy ufuncs follow the ulp contract when the
 * manifest states {@code ufunc_ulps}: the golden value must lie within the envelope Java computes
 * with each inexact ufunc result moved that many ulps down and up, carried through every later step
 * (sound because the steps after a ufunc, scalers, clipping and binning, are monotone in their
 * input); older manifests give an absolute {@code ufunc_abs} instead. Features of transformers
 * reproduced within a stated tolerance (PowerTransformer, QuantileTransformer's normal output,
 * Normalizer l1/l2, PCA, TruncatedSVD) match within the manifest's per-feature relative {@code
 * approx_features}: {@code |java - golden| <= rel * max(1, |golden|)}. A golden row whose
 * KNNImputer imputation is unsettled (scikit-learn's own value depends on the CPU: {@link
 * UnsettledImputationException}) is left out, as scoring rejects it ({@code knn_unsettled}), and
 * listed ({@link #notCompared}); so is a row where sin, cos or tan receives an inexact value so
 * large that its result is not one number ({@code ufunc_unsettled}: the envelope assumes the steps
 * after a ufunc are monotone over the nudge, which a period-spanning sin is not); every other row
 * is compared.
 */
public final class GoldenReplay {

    /**
     * How {@link #notCompared} marks a row left out for an unsettled periodic ufunc result (the
     * others are unsettled KNNImputer imputations).
     */
    public static final String UFUNC_UNSETTLED = "ufunc_unsettled: ";

    /** How many mismatching cells are listed per check. */
    static final int MAX_LISTED = 10;

    private final Manifest manifest;
    private final ColumnBatch input;
    private final ColumnBatch output;
    private final String where;
    private final java.util.TreeMap<Integer, String> notCompared = new java.util.TreeMap<>();

    /**
     * Prepares a replay.
     *
     * @param manifest the manifest (names, tolerances, output columns)
     * @param input the golden raw rows
     * @param output the golden features and outputs
     * @param where the bundle location, for messages
     */
    public GoldenReplay(Manifest manifest, ColumnBatch input, ColumnBatch output, String where) {
        this.manifest = manifest;
        this.input = input;
        this.output = output;
        this.where = where;
        int rows = manifest.golden().rows();
        if (input.rowCount() != rows || output.rowCount() != rows) {
            throw new VerificationException(
                    Reason.GOLDEN_MISMATCH,
                    "bundle "
                            + where
                            + " refused: the golden batch should have "
                            + rows
                            + " rows, input has "
                            + input.rowCount()
                            + " and output "
                            + output.rowCount(),
                    List.of());
        }
    }

    /**
     * Checks the preprocessor's features and returns them for the model check: Java's features,
     * except that a cell the contract accepts without being equal (a ufunc feature inside its
     * envelope, an approx feature inside its tolerance) holds the golden value. The model check
     * then compares the network on exactly the inputs Python's network saw: a ufunc result one ulp
     * off that moves a KBinsDiscretizer bin (within the ulp contract) would otherwise fail the
     * model check of a correct model (differential fuzzer case-6262-00184).
     *
     * @param preprocessor the loaded preprocessor
     * @return the features for the model check, row-major
     * @throws VerificationException ({@link Reason#GOLDEN_MISMATCH}) listing the differing cells
     */
    public double[] checkFeatures(Preprocessor preprocessor) {
        List<String> names = manifest.features().columns(); // the golden output's column names
        int d = names.size();
        double[] got = transformSettled(preprocessor, d);
        Manifest.FeatureTolerance tol = manifest.golden().featureTolerance();
        Set<String> ufunc = new HashSet<>(tol.ufuncFeatures());
        Integer ulps = tol.ufuncUlps();
        double[] up = null;
        double[] down = null;
        if (ulps != null && ulps > 0 && !ufunc.isEmpty()) {
            // the envelope of numpy's possible results, carried through the later steps
            up = nudged(preprocessor, ulps);
            down = nudged(preprocessor, -ulps);
        }
        double ufuncAbs = tol.ufuncAbs() == null ? 0.0 : tol.ufuncAbs();
        double[] forModel = got.clone();
        List<double[]> crossed =
                null; // made the first time the envelope of +-k alone is too narrow
        List<String> mismatches = new ArrayList<>();
        int bad = 0;
        for (int j = 0; j < d; j++) {
            double[] want = doubles(names.get(j), "feature");
            boolean isUfunc = ufunc.contains(names.get(j));
            boolean envelope = isUfunc && ulps != null;
            double abs = isUfunc && !envelope ? ufuncAbs : tol.defaultAbs();
            Double approx =
                    tol.approxFeatures() == null ? null : tol.approxFeatures().get(names.get(j));
            for (int i = 0; i < want.length; i++) {
                if (notCompared.containsKey(i)) {
                    continue;
                }
                int k = i * d + j;
                double g = got[k];
                double w = want[i];
                if (g == w || (Double.isNaN(g) && Double.isNaN(w))) {
                    continue;
                }
                // within the contract: the model check then gets the golden value (what Python's
                // network saw), so a difference the contract allows is not counted twice
                if (Math.abs(g - w) <= abs) {
                    forModel[k] = w;
                    continue;
                }
                // a transformer reproduced within its stated relative tolerance (libm functions,
                // summation order): |g - w| <= rel * max(1, |w|)
                if (approx != null && Math.abs(g - w) <= approx * Math.max(1.0, Math.abs(w))) {
                    forModel[k] = w;
                    continue;
                }
                if (envelope && up != null && within(w, g, up[k], down[k])) {
                    forModel[k] = w;
                    continue;
                }
                if (envelope && up != null) {
                    if (crossed == null) {
                        crossed = crossedNudges(preprocessor, ulps);
                    }
                    if (withinAny(w, g, k, up, down, crossed)) {
                        forModel[k] = w;
                        continue;
                    }
                }
                if (bad++ < MAX_LISTED) {
                    mismatches.add(
                            "row "
                                    + i
                                    + ", feature '"
                                    + names.get(j)
                                    + "' (column "
                                    + j
                                    + "): expected "
                                    + w
                                    + ", got "
                                    + g
                                    + ", error "
                                    + Math.abs(g - w)
                                    + (envelope
                                            ? " outside the "
                                                    + ulps
                                                    + "-ulp envelope ["
                                                    + (up == null ? g : Math.min(up[k], down[k]))
                                                    + ", "
                                                    + (up == null ? g : Math.max(up[k], down[k]))
                                                    + "]"
                                            : " > tolerance " + abs));
                }
            }
        }
        fail(bad, "feature", mismatches, "preprocessor");
        return forModel;
    }

    /**
     * The features of the golden rows, NaN in the rows whose KNNImputer imputation is unsettled
     * (recorded in {@link #notCompared}): there scikit-learn's own value depends on the CPU that
     * made the golden batch, so Java rejects such a row when scoring and the replay leaves it out;
     * every other row is compared as before. A golden batch with no other row is refused.
     */
    private double[] transformSettled(Preprocessor preprocessor, int d) {
        int n = input.rowCount();
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            kept.add(r);
        }
        ColumnBatch frame = input;
        while (true) {
            int[] rows = kept.stream().mapToInt(Integer::intValue).toArray();
            double[] part;
            try {
                part =
                        preprocessor.transform(
                                rows.length == n ? input : frame.select(rows),
                                new TransformStats());
            } catch (UnsettledImputationException e) {
                String code =
                        e.cause() == UnsettledImputationException.Cause.UFUNC_RESULT
                                ? UFUNC_UNSETTLED
                                : "";
                for (UnsettledImputationException.Row u : e.rows()) {
                    notCompared.put(
                            rows[u.row()], code + "column '" + u.column() + "': " + u.detail());
                }
                kept.removeIf(notCompared::containsKey);
                if (kept.isEmpty()) {
                    throw new VerificationException(
                            Reason.GOLDEN_MISMATCH,
                            "bundle "
                                    + where
                                    + " refused: every golden row has an unsettled KNNImputer"
                                    + " imputation or periodic ufunc result, so the golden batch"
                                    + " verifies nothing: "
                                    + e.getMessage(),
                            List.of());
                }
                // a part keeps the whole batch's dtypes, as the quality gate scores it
                frame = GuardedScorer.withFrameDtypes(input);
                continue;
            }
            double[] out = new double[n * d];
            Arrays.fill(out, Double.NaN);
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(part, i * d, out, rows[i] * d, d);
            }
            return out;
        }
    }

    /**
     * The golden rows left out of the comparison because their KNNImputer imputation is unsettled,
     * with why (column, tie or rounding), by golden row.
     *
     * @return golden row to reason, ascending; empty for most bundles
     */
    public java.util.SortedMap<Integer, String> notCompared() {
        return java.util.Collections.unmodifiableSortedMap(notCompared);
    }

    /**
     * The features with every inexact ufunc result moved {@code ulps} ulps. A row the nudged graph
     * refuses (e.g. cos(0) = 1 moved past a SplineTransformer's knots [1, 1] with {@code
     * extrapolation='error'}) has no envelope: its cells are NaN, so they must match as they are (a
     * difffuzz finding: the nudge used to refuse the whole bundle, exit 31, for a row the real
     * graph scores).
     */
    private double[] nudged(Preprocessor preprocessor, int ulps) {
        return nudged(preprocessor, ulps, -1);
    }

    /**
     * The transforms with the ufunc results of every column moved {@code +-ulps} by the bits of its
     * index ({@link TransformStats#nudgeUfuncResults(int, int)}), both signs per bit: a step that
     * multiplies two inexact results (PolynomialFeatures after sin) reaches its extremes when they
     * move in opposite directions, which moving every result the same way never does (fuzzer case
     * 6161-00148).
     */
    private List<double[]> crossedNudges(Preprocessor preprocessor, int ulps) {
        int widest = Math.max(2, Math.max(preprocessor.width(), input.columnCount()));
        int bits = 32 - Integer.numberOfLeadingZeros(widest - 1);
        List<double[]> out = new ArrayList<>();
        for (int bit = 0; bit < bits; bit++) {
            out.add(nudged(preprocessor, ulps, bit));
            out.add(nudged(preprocessor, -ulps, bit));
        }
        return out;
    }

    /** {@link #within} over the +-k envelope and every crossed nudge that scored the row. */
    private static boolean withinAny(
            double w, double g, int k, double[] up, double[] down, List<double[]> crossed) {
        double lo = g;
        double hi = g;
        for (double[] t : crossed) {
            if (!Double.isNaN(t[k])) {
                lo = Math.min(lo, t[k]);
                hi = Math.max(hi, t[k]);
            }
        }
        if (Double.isNaN(up[k]) || Double.isNaN(down[k])) {
            return false;
        }
        lo = Math.min(lo, Math.min(up[k], down[k]));
        hi = Math.max(hi, Math.max(up[k], down[k]));
        return lo <= w && w <= hi;
    }

    private double[] nudged(Preprocessor preprocessor, int ulps, int bit) {
        int n = input.rowCount();
        int d = preprocessor.width();
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            kept.add(r);
        }
        while (true) {
            int[] rows = kept.stream().mapToInt(Integer::intValue).toArray();
            double[] part;
            try {
                part =
                        preprocessor.transform(
                                input.select(rows),
                                new TransformStats().nudgeUfuncResults(ulps, bit));
            } catch (UnsettledImputationException e) {
                for (int i = e.rows().size() - 1; i >= 0; i--) {
                    kept.remove(e.rows().get(i).row());
                }
                continue;
            } catch (ScoringException e) {
                if (e.row() < 0 || e.row() >= rows.length) {
                    throw e;
                }
                kept.remove(e.row());
                continue;
            }
            double[] out = new double[n * d];
            Arrays.fill(out, Double.NaN);
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(part, i * d, out, rows[i] * d, d);
            }
            return out;
        }
    }

    private static boolean within(double w, double g, double a, double b) {
        double lo = Math.min(g, Math.min(a, b));
        double hi = Math.max(g, Math.max(a, b));
        return lo <= w && w <= hi;
    }

    /**
     * Checks a model's outputs on the golden features.
     *
     * @param features the features from {@link #checkFeatures}
     * @param model the loaded model
     * @param artifact the model artifact, for messages
     * @throws VerificationException ({@link Reason#GOLDEN_MISMATCH}) listing the differing cells
     */
    public void checkOutputs(double[] features, ModelRunner model, String artifact) {
        int n = input.rowCount();
        int d = features.length / Math.max(1, n);
        // the model sees the compared rows only: a row left out has NaN features
        int[] at = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            at[i] = notCompared.containsKey(i) ? -1 : m++;
        }
        float[] f = new float[m * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; at[i] >= 0 && j < d; j++) {
                f[at[i] * d + j] = (float) features[i * d + j];
            }
        }
        Prediction p;
        try (ModelPredictor predictor = model.newPredictor()) {
            p = predictor.predict(f, m);
        }
        double rtol = manifest.golden().outputTolerance().rtol();
        double atol = manifest.golden().outputTolerance().atol();
        List<String> labels = manifest.classLabels();
        List<String> mismatches = new ArrayList<>();
        int bad = 0;
        for (String col : manifest.golden().outputColumns()) {
            if (col.equals("label")) {
                String[] want = strings(col);
                for (int i = 0; i < n; i++) {
                    if (at[i] < 0) {
                        continue;
                    }
                    String g = labels.get(p.argmax()[at[i]]);
                    if (!g.equals(want[i]) && bad++ < MAX_LISTED) {
                        mismatches.add(
                                "row "
                                        + i
                                        + ", output 'label': expected "
                                        + want[i]
                                        + ", got "
                                        + g);
                    }
                }
                continue;
            }
            double[] want = doubles(col, "output");
            boolean raw = col.startsWith("logit");
            int k = outputIndex(col, labels);
            for (int i = 0; i < n; i++) {
                if (at[i] < 0) {
                    continue;
                }
                double g = raw ? p.raw(at[i], k) : p.head(at[i], k);
                double w = want[i];
                double err = Math.abs(g - w);
                // the same non-finite value matches: NaN features (a column no step imputes) or
                // features beyond float32 (inf) give NaN / inf outputs in Python and Java alike
                boolean same = g == w || Double.isNaN(g) && Double.isNaN(w);
                if (!same && !(err <= atol + rtol * Math.abs(w)) && bad++ < MAX_LISTED) {
                    mismatches.add(
                            "row "
                                    + i
                                    + ", output '"
                                    + col
                                    + "': expected "
                                    + w
                                    + ", got "
                                    + g
                                    + ", error "
                                    + err
                                    + " > "
                                    + atol
                                    + " + "
                                    + rtol
                                    + " * |expected|");
                }
            }
        }
        fail(bad, "output", mismatches, artifact);
    }

    private int outputIndex(String col, List<String> labels) {
        int underscore = col.indexOf('_');
        if (underscore < 0) {
            return 0; // prob, logit, prediction
        }
        String suffix = col.substring(underscore + 1);
        if (col.startsWith("prediction_")) {
            return Integer.parseInt(suffix);
        }
        int k = labels.indexOf(suffix);
        if (k < 0) {
            throw new VerificationException(
                    Reason.MANIFEST_INVALID,
                    "bundle "
                            + where
                            + " refused: golden output column '"
                            + col
                            + "' names no class of "
                            + labels,
                    List.of());
        }
        return k;
    }

    private void fail(int bad, String what, List<String> mismatches, String artifact) {
        if (bad > 0) {
            throw new VerificationException(
                    Reason.GOLDEN_MISMATCH,
                    "bundle "
                            + where
                            + " refused: golden replay of "
                            + artifact
                            + " differs in "
                            + bad
                            + " "
                            + what
                            + " cell(s)"
                            + (bad > MAX_LISTED ? " (first " + MAX_LISTED + " listed)" : ""),
                    mismatches);
        }
    }

    private double[] doubles(String name, String what) {
        Column c = column(name, what);
        if (!(c instanceof DoubleColumn dc)) {
            throw new VerificationException(
                    Reason.GOLDEN_MISMATCH,
                    "bundle "
                            + where
                            + " refused: golden output column '"
                            + name
                            + "' is not a double column",
                    List.of());
        }
        return dc.values();
    }

    private String[] strings(String name) {
        Column c = column(name, "output");
        if (!(c instanceof StringColumn sc)) {
            throw new VerificationException(
                    Reason.GOLDEN_MISMATCH,
                    "bundle "
                            + where
                            + " refused: golden output column '"
                            + name
                            + "' is not a string column",
                    List.of());
        }
        return sc.values();
    }

    private Column column(String name, String what) {
        if (!output.has(name)) {
            throw new VerificationException(
                    Reason.GOLDEN_MISMATCH,
                    "bundle "
                            + where
                            + " refused: the golden output has no "
                            + what
                            + " column '"
                            + name
                            + "'",
                    List.of());
        }
        return output.column(name);
    }
}
