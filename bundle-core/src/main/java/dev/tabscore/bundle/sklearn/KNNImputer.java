package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.impute.KNNImputer} (metric {@code nan_euclidean}, weights {@code
 * uniform} or {@code distance}): the fitted rows {@code _fit_X} live in the bundle, and each
 * missing cell of a valid column is the (weighted) mean of that column over the {@code n_neighbors}
 * fitted rows nearest to its row ({@link NanEuclidean}) among those that hold the column; the
 * donors are numpy's {@code argpartition} choice ({@link NumpyArgPartition}). Fewer donors than
 * {@code n_neighbors}: all of them. No defined distance to any donor: the column's mean over {@code
 * _fit_X}. Columns all missing at fit are dropped ({@code keep_empty_features=True} with such a
 * column is refused: scikit-learn's transform keeps it as 0 while get_feature_names_out drops its
 * name); rows without a missing value pass through unchanged; {@code add_indicator} appends the
 * {@link MissingIndicator} columns.
 *
 * <p>By release: up to 1.5 uniform weights average every chosen donor, also one at a NaN distance,
 * 1.6 on such a donor weighs 0. In 1.2 a batch without any missing value loses the indicator
 * columns (a bug fixed in 1.3); tabscore deliberately always returns them (all zero in such a
 * batch), as 1.3+ does: the output width of a fitted graph must not depend on the batch.
 *
 * <p>Exactness: within a stated tolerance, not bit for bit (the distances go through BLAS);
 * docs/sklearn-coverage/KNNImputer.md. Where a neighbour tie (broken by numpy's CPU-specific sort
 * order) or the distances' rounding could change an imputation, scikit-learn's own result is not
 * one number: the batch's rows with such an imputation are refused together ({@link
 * UnsettledImputationException}; the quality gate rejects them as {@code knn_unsettled}), and
 * counted per column when stats are collected. Cost: each row with a missing value measures its
 * distance to every fitted row, {@code O(rows(_fit_X) * n_features)}; {@link #MAX_FIT_CELLS} caps
 * the fitted rows a bundle may carry.
 */
public final class KNNImputer implements Transformer {

    /**
     * The default cap on {@code rows x features} of {@code _fit_X} (2,000,000 cells, 16 MB of
     * float64: about a millisecond per imputed row); system property {@value #CAP_PROPERTY}
     * overrides it.
     */
    public static final long MAX_FIT_CELLS = 2_000_000L;

    /**
     * The stated tolerance of an imputed value, relative to {@code max(1, |value|)}: the exporter's
     * {@code APPROX_REL}, 2^-36.
     */
    static final double TOLERANCE = 0x1p-36;

    /** The system property that overrides {@link #MAX_FIT_CELLS}. */
    public static final String CAP_PROPERTY = "tabscore.knn.maxFitCells";

    private final int width;
    private final int rows;
    private final double[] fitX;
    private final boolean[] fitMissing;
    private final boolean[] valid;
    private final double[] columnMean;
    private final int nNeighbors;
    private final boolean distanceWeights;
    private final boolean nanDonorsCount;
    private final MissingValue missing;
    private final MissingIndicator indicator;
    private final NanEuclidean metric;

    private KNNImputer(
            Attrs a,
            int width,
            int rows,
            double[] fitX,
            boolean[] fitMissing,
            MissingValue missing,
            MissingIndicator indicator) {
        this.width = width;
        this.rows = rows;
        this.fitX = fitX;
        this.fitMissing = fitMissing;
        this.missing = missing;
        this.indicator = indicator;
        this.nNeighbors = (int) a.number("n_neighbors");
        this.distanceWeights = "distance".equals(a.string("weights"));
        this.nanDonorsCount = !FittedAttributes.sklearnAtLeast(a, 1, 6);
        this.valid = new boolean[width];
        this.columnMean = new double[width];
        double[] column = new double[rows];
        for (int c = 0; c < width; c++) {
            int count = 0;
            for (int j = 0; j < rows; j++) {
                boolean m = fitMissing[j * width + c];
                column[j] = m ? 0.0 : fitX[j * width + c];
                count += m ? 0 : 1;
            }
            valid[c] = count > 0;
            // np.ma.array(_fit_X[:, col], mask=...).mean(): filled(0).sum() * 1. / count
            columnMean[c] = numpySum(column, rows) * 1.0 / count;
        }
        this.metric = new NanEuclidean(fitX, fitMissing, rows, width);
    }

    /** {@code np.add.reduce} of a contiguous vector: pairwise within 8192-value buffers. */
    private static double numpySum(double[] v, int n) {
        double s = 0.0;
        for (int off = 0; off < n; off += 8192) {
            s += SelectFromModel.pairwiseSum(v, off, Math.min(8192, n - off));
        }
        return s;
    }

    static KNNImputer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        MissingValue missing = MissingValue.of(a);
        if (!missing.isNan() && !missing.isNumber()) {
            throw a.unsupported("missing_values", a.get("missing_values"));
        }
        if (!(a.get("weights") instanceof SkopsNode.JsonValue w)
                || !"uniform".equals(w.value()) && !"distance".equals(w.value())) {
            throw a.unsupported("weights", a.get("weights"));
        }
        a.require("metric", "nan_euclidean");
        if (a.number("n_neighbors") < 1
                || a.number("n_neighbors") != Math.rint(a.number("n_neighbors"))) {
            throw a.invalid(
                    "n_neighbors", "should be a positive integer, got " + a.json("n_neighbors"));
        }
        int width = in.size();
        NpyArray x = array(a, "_fit_X");
        if ("<f4".equals(x.dtype())) {
            // fitted on float32 input: scikit-learn computes its distances in float32
            throw a.unsupported(
                    "_fit_X is float32 (fitted on float32 input): float32 distances"
                            + " are not supported; fit on float64 input");
        }
        if (x.doubles() == null || x.shape().length != 2 || x.shape()[1] != width) {
            throw a.invalid(
                    "_fit_X",
                    "should be a 2-d float64 array of "
                            + width
                            + " columns, got "
                            + x.dtype()
                            + " "
                            + Arrays.toString(x.shape()));
        }
        int rows = (int) x.shape()[0];
        long cap = cap();
        if ((long) rows * width > cap) {
            throw new BundleFormatException(
                    Reason.LIMIT_EXCEEDED,
                    Attrs.prefix(a.step())
                            + "KNNImputer carries "
                            + rows
                            + " fitted rows x "
                            + width
                            + " features = "
                            + (long) rows * width
                            + " cells in _fit_X, above the cap of "
                            + cap
                            + " (each imputed row costs rows x features; raise it with -D"
                            + CAP_PROPERTY
                            + "=N)");
        }
        boolean[] fitMissing = new boolean[rows * width];
        double[] values = x.doubles();
        for (int i = 0; i < values.length; i++) {
            fitMissing[i] =
                    missing.isNan() ? values[i] != values[i] : values[i] == missing.number();
        }
        NpyArray stored = array(a, "_mask_fit_X");
        if (stored.booleans() == null || !Arrays.equals(stored.booleans(), fitMissing)) {
            throw a.invalid("_mask_fit_X", "is not the missing-value mask of _fit_X");
        }
        NpyArray validMask = array(a, "_valid_mask");
        MissingIndicator indicator = null;
        if (a.bool("add_indicator")) {
            Transformer t =
                    g.build(a.get("indicator_"), GraphBuilder.child(a.step(), "indicator_"), in);
            if (!(t instanceof MissingIndicator m)) {
                throw a.invalid("indicator_", "should be a MissingIndicator");
            }
            indicator = m;
        } else if (a.has("indicator_") && !a.isNone("indicator_")) {
            throw a.invalid("indicator_", "is set although add_indicator is False");
        }
        boolean keepEmpty = a.has("keep_empty_features") && a.bool("keep_empty_features");
        if (keepEmpty && !allTrue(validMask.booleans())) {
            // scikit-learn disagrees with itself here: transform keeps the column (as 0),
            // get_feature_names_out drops its name (as SimpleImputer's NaN statistic)
            throw a.unsupported(
                    "keep_empty_features=True with a column all missing at fit:"
                            + " scikit-learn's transform keeps it and get_feature_names_out drops it");
        }
        a.ignore("copy", "n_neighbors", "weights", "keep_empty_features", "_fit_X");
        KNNImputer imp = new KNNImputer(a, width, rows, values, fitMissing, missing, indicator);
        if (validMask.booleans() == null || !Arrays.equals(validMask.booleans(), imp.valid)) {
            throw a.invalid("_valid_mask", "is not the columns of _fit_X holding a value");
        }
        return imp;
    }

    private static boolean allTrue(boolean[] b) {
        if (b == null) {
            return false;
        }
        for (boolean v : b) {
            if (!v) {
                return false;
            }
        }
        return true;
    }

    private static NpyArray array(Attrs a, String name) {
        if (!(a.get(name) instanceof NumpyArray arr)) {
            throw a.invalid(name, "should be a numpy array, got " + Attrs.render(a.get(name)));
        }
        return arr.array();
    }

    /** The cap in force: {@value #CAP_PROPERTY} if set, else {@link #MAX_FIT_CELLS}. */
    static long cap() {
        String v = System.getProperty(CAP_PROPERTY);
        if (v == null) {
            return MAX_FIT_CELLS;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    CAP_PROPERTY + " should be a number of cells, got " + v, e);
        }
    }

    /**
     * Returns {@code rows x features} of the fitted rows: the work of one imputed row.
     *
     * @return the cell count of {@code _fit_X}
     */
    public long fitCells() {
        return (long) rows * width;
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, width, "KNNImputer");
        int n = in.rowCount();
        double[][] x = new double[width][];
        boolean[][] masks = new boolean[width][];
        boolean anyValidMissing = false;
        for (int c = 0; c < width; c++) {
            String name = in.names().get(c);
            missing.check(in.column(c), name, "KNNImputer", false);
            x[c] = NumericInput.doubles(in.column(c), name, "KNNImputer").clone();
            masks[c] = missing.mask(in.column(c));
            for (int r = 0; r < n; r++) {
                anyValidMissing |= valid[c] && masks[c][r];
            }
        }
        if (anyValidMissing) {
            impute(x, masks, n, in.names(), stats);
        }
        List<Column> out = new ArrayList<>(width);
        for (int c = 0; c < width; c++) {
            if (valid[c]) {
                out.add(new DoubleColumn(x[c]));
            }
        }
        if (indicator != null) {
            ColumnBatch ind = indicator.indicate(in, masks);
            for (int i = 0; i < ind.columnCount(); i++) {
                out.add(ind.column(i));
            }
        }
        return Batches.of(n, featureNamesOut(in.names()), out.toArray(new Column[0]));
    }

    /** Fills the missing cells of valid columns in {@code x}, row by row. */
    private void impute(
            double[][] x, boolean[][] masks, int n, List<String> names, TransformStats stats) {
        double[] row = new double[width];
        boolean[] rowMissing = new boolean[width];
        double[] dist = new double[rows];
        double[] errSq = new double[rows];
        double[] sub = new double[rows];
        double[] subErr = new double[rows];
        int[] donorRow = new int[rows];
        List<UnsettledImputationException.Row> unsettledRows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            String firstColumn = null;
            String firstWhy = null;
            boolean needs = false;
            for (int c = 0; c < width; c++) {
                row[c] = x[c][r];
                rowMissing[c] = masks[c][r];
                needs |= valid[c] && masks[c][r];
            }
            if (!needs) {
                continue;
            }
            metric.distances(row, rowMissing, dist, errSq);
            for (int c = 0; c < width; c++) {
                if (!valid[c] || !rowMissing[c]) {
                    continue;
                }
                int donors = 0;
                boolean defined = false;
                for (int j = 0; j < rows; j++) {
                    if (!fitMissing[j * width + c]) {
                        donorRow[donors] = j;
                        sub[donors] = dist[j];
                        subErr[donors] = errSq[j];
                        defined |= dist[j] == dist[j];
                        donors++;
                    }
                }
                if (!defined) {
                    x[c][r] = columnMean[c];
                    continue;
                }
                double[] d = Arrays.copyOf(sub, donors);
                int[] chosen = NumpyArgPartition.argpartition(d, Math.min(nNeighbors, donors) - 1);
                x[c][r] = average(d, chosen, donorRow, c);
                String why =
                        unsettled(d, Arrays.copyOf(subErr, donors), chosen, donorRow, c, x[c][r]);
                if (why != null) {
                    if (stats != null) {
                        stats.column(names.get(c)).addUnsettledImputation();
                    }
                    if (firstColumn == null) {
                        firstColumn = names.get(c);
                        firstWhy = why;
                    }
                }
            }
            if (firstColumn != null) {
                unsettledRows.add(
                        new UnsettledImputationException.Row(
                                r,
                                firstColumn,
                                "KNNImputer's imputation is unsettled: "
                                        + firstWhy
                                        + " (see"
                                        + " docs/sklearn-coverage/KNNImputer.md)"));
            }
        }
        if (!unsettledRows.isEmpty()) {
            // the row's value is not one number in scikit-learn either: refused, never silent
            throw UnsettledImputationException.of(unsettledRows);
        }
    }

    /**
     * Why the distances' rounding (BLAS in scikit-learn: {@link NanEuclidean}'s bound) can change
     * this imputation beyond the stated tolerance, or null if it cannot: donors outside the chosen
     * k lie at the k-th distance within the bound (an exact tie included) and hold another value of
     * the column than a tied donor, so which of them scikit-learn takes is numpy's argpartition's
     * choice (it differs between numpy 1.x and numpy 2.x on AVX2 CPUs) or its rounding's; or, with
     * distance weights, a chosen distance is within its bound of 0, or the weights' rounding moves
     * the weighted mean by more than the tolerance (with the mean's own rounding on both sides).
     */
    private String unsettled(
            double[] d, double[] err, int[] chosen, int[] donorRow, int c, double value) {
        int k = Math.min(nNeighbors, d.length);
        if (k < d.length) {
            String tie = tieAtBoundary(d, err, chosen, k, donorRow, c);
            if (tie != null) {
                return tie;
            }
        }
        if (!distanceWeights) {
            return null;
        }
        // scikit-learn's weights are Java's times (1 + e_i), |e_i| <= rho_i: the exact weighted
        // means then differ by sum w_i e_i (v_i - m) / sum w_i (1 + e_i); each side's own
        // rounding of the mean (k products, two pairwise sums, a division) adds at most
        // gamma(2k + 4) max|v| (docs/sklearn-coverage/KNNImputer.md)
        double sw = 0;
        double moved = 0;
        double slack = 0;
        double rhoMax = 0;
        double top = Math.abs(value);
        boolean exactZero = false;
        for (int i = 0; i < k; i++) {
            double di = d[chosen[i]];
            if (di != di) {
                continue; // weighs 0 either way
            }
            double sq = di * di;
            if (sq == 0 && err[chosen[i]] == 0) {
                exactZero = true; // computed without rounding: 0 in scikit-learn too
                continue;
            }
            // di * di is within 3 u of the squared distance the bound is relative to
            double eta = (err[chosen[i]] + 0x1p-50 * sq) / sq;
            if (!(eta < 1)) {
                return "with weights='distance' a chosen donor's distance "
                        + di
                        + " is within"
                        + " the rounding bound of BLAS's distances of 0, where its weight 1/d"
                        + " (or scikit-learn's zero-distance rule) is not one number";
            }
            // 1/sqrt(D (1 + eta)) against 1/sqrt(D): at most eta / 2 / (1 - eta)^1.5 apart,
            // plus the roundings of the square roots and divisions on both sides
            double rho = 0.5 * eta / Math.pow(1 - eta, 1.5) + 0x1p-50;
            double w = 1.0 / di;
            double v = fitX[donorRow[chosen[i]] * width + c];
            sw += w;
            moved += w * rho * Math.abs(v - value);
            slack += w * rho;
            rhoMax = Math.max(rhoMax, rho);
            top = Math.max(top, Math.abs(v));
        }
        if (exactZero || sw == 0) {
            // the zero-distance rule on both sides: the exact zeros weigh 1, every other chosen
            // donor 0 (its distance is above its bound of 0 in scikit-learn too)
            return null;
        }
        double rounding = NanEuclidean.gamma(2 * k + 4) * top;
        // times a margin for the rounding of these sums of k terms themselves
        double gap =
                ((moved + slack * rounding) / (sw * (1 - rhoMax)) + 2 * rounding)
                        * (1 + NanEuclidean.gamma(2 * k + 16));
        if (!(rhoMax < 1) || gap > TOLERANCE * Math.max(1.0, Math.abs(value)) / (1 + TOLERANCE)) {
            return "with weights='distance' the rounding bound of BLAS's distances moves the"
                    + " weighted mean by more than the stated tolerance "
                    + TOLERANCE
                    + " relative (the squares of features one row lacks cancel in"
                    + " scikit-learn's formula, or donors far from the origin, close to the row)";
        }
        return null;
    }

    /** Why the donors at the k-th distance make the choice not one, or null. */
    private String tieAtBoundary(
            double[] d, double[] err, int[] chosen, int k, int[] donorRow, int c) {
        int kth = chosen[k - 1];
        double dk = d[kth];
        if (dk != dk && !nanDonorsCount) {
            return null; // NaN-distance donors weigh 0 from 1.6 on
        }
        double first = Double.NaN;
        double other = Double.NaN;
        boolean outside = false;
        boolean differ = false;
        boolean exact = true;
        int tied = 0;
        for (int i = 0; i < d.length; i++) {
            int at = chosen[i];
            if (!near(d[at], err[at], dk, err[kth])) {
                continue;
            }
            tied++;
            exact &= d[at] == dk || d[at] != d[at] && dk != dk; // -0.0 ties 0.0
            double v = fitX[donorRow[at] * width + c];
            if (first != first) {
                first = v;
            } else if (Double.compare(v, first) != 0) {
                differ = true;
                other = v;
            }
            outside |= i >= k;
        }
        if (!(outside && differ)) {
            return null;
        }
        return (exact
                ? tied
                        + " donors tie exactly at the n_neighbors="
                        + nNeighbors
                        + "-th distance "
                        + dk
                        + " and hold different values ("
                        + first
                        + ", "
                        + other
                        + ", ...): scikit-learn takes those numpy's argpartition picks, whose order"
                        + " among equal distances depends on the CPU (x86-simd-sort on AVX2/AVX-512"
                        + " under numpy 2, introselect elsewhere)"
                : tied
                        + " donors lie within the rounding bound of BLAS's distances of the"
                        + " n_neighbors="
                        + nNeighbors
                        + "-th distance "
                        + dk
                        + " and hold different"
                        + " values ("
                        + first
                        + ", "
                        + other
                        + ", ...): which of them scikit-learn"
                        + " takes depends on its BLAS's rounding");
    }

    /** Equal, both NaN, or squared distances within their rounding bounds of each other. */
    private static boolean near(double a, double ea, double b, double eb) {
        if (a != a || b != b) {
            return a != a && b != b;
        }
        // a * a is within 3 u of the squared distance the bounds are relative to
        return a == b || Math.abs(a * a - b * b) <= ea + eb + 0x1p-50 * (a * a + b * b);
    }

    /** {@code _calc_impute} for one receiver: the first k of argpartition, np.ma.average. */
    private double average(double[] d, int[] chosen, int[] donorRow, int c) {
        int k = Math.min(nNeighbors, d.length);
        double[] v = new double[k];
        double[] w = new double[k];
        boolean inf = false;
        for (int i = 0; i < k; i++) {
            v[i] = fitX[donorRow[chosen[i]] * width + c];
            double di = d[chosen[i]];
            if (distanceWeights) {
                w[i] = 1.0 / di;
                inf |= Double.isInfinite(w[i]);
            } else {
                w[i] = di != di ? 0.0 : 1.0;
            }
        }
        if (!distanceWeights && nanDonorsCount) {
            // up to 1.5: weights=None, MaskedArray.mean: sum * 1. / count
            return SelectFromModel.pairwiseSum(v, 0, k) * 1.0 / k;
        }
        if (inf) {
            // _get_weights: a row with a zero distance weighs its zero-distance donors 1, others 0
            for (int i = 0; i < k; i++) {
                w[i] = Double.isInfinite(w[i]) ? 1.0 : 0.0;
            }
        }
        double[] vw = new double[k];
        for (int i = 0; i < k; i++) {
            if (w[i] != w[i]) {
                w[i] = 0.0;
            }
            vw[i] = v[i] * w[i];
        }
        double num = SelectFromModel.pairwiseSum(vw, 0, k);
        double scl = SelectFromModel.pairwiseSum(w, 0, k);
        double avg = num / scl;
        // np.ma's domain-safe divide: a non-finite quotient or a denominator below tiny * |num|
        // is masked, and its data is the numerator
        if (!Double.isFinite(avg) || Math.abs(num) * Double.MIN_NORMAL >= Math.abs(scl)) {
            return num;
        }
        return avg;
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        List<String> out = new ArrayList<>(width);
        for (int c = 0; c < width; c++) {
            if (valid[c]) {
                out.add(in.get(c));
            }
        }
        if (indicator != null) {
            out.addAll(indicator.featureNamesOut(in));
        }
        return out;
    }

    /**
     * The parameters {@code bundle inspect} shows.
     *
     * @return e.g. {@code n_neighbors=5, weights=uniform, fit rows=200}
     */
    public String describe() {
        return "n_neighbors="
                + nNeighbors
                + ", weights="
                + (distanceWeights ? "distance" : "uniform")
                + ", metric=nan_euclidean, fitted rows="
                + rows
                + " x "
                + width
                + (indicator != null ? ", add_indicator" : "");
    }
}
